// Mirrors SEED models/seed_qformer/qformer_causual.py (BertModel.forward with query_embeds only).
#include "vision/qformer.h"

#include <ATen/ATen.h>

#include <cmath>

namespace seedcanvas::vision {

BertSelfAttention::BertSelfAttention(std::int64_t hidden, std::int64_t kv_width, std::int64_t heads)
    : num_heads(heads) {
  query = std::make_unique<nn::Linear>(hidden, hidden);
  key = std::make_unique<nn::Linear>(kv_width, hidden);
  value = std::make_unique<nn::Linear>(kv_width, hidden);
  register_module("query", query.get());
  register_module("key", key.get());
  register_module("value", value.get());
}

at::Tensor BertSelfAttention::forward(const at::Tensor& hidden, const at::Tensor& kv_states,
                                      const at::Tensor& mask) const {
  const auto B = hidden.size(0), Nq = hidden.size(1), Nk = kv_states.size(1);
  auto heads = [&](const at::Tensor& t, std::int64_t n) {
    return t.view({B, n, num_heads, -1}).permute({0, 2, 1, 3});  // [B, n, C] -> [B, H, n, hd]
  };
  auto q = heads(query->forward(hidden), Nq);
  auto k = heads(key->forward(kv_states), Nk);
  auto v = heads(value->forward(kv_states), Nk);
  auto scores = at::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(q.size(-1)));  // [B, H, Nq, Nk]
  if (mask.defined()) scores = scores + mask;
  auto probs = at::softmax(scores, -1, at::kFloat).to(v.scalar_type());
  return at::matmul(probs, v).permute({0, 2, 1, 3}).reshape({B, Nq, -1});  // [B, Nq, hidden]
}

BertResidualOutput::BertResidualOutput(std::int64_t in, std::int64_t out, double eps) {
  dense = std::make_unique<nn::Linear>(in, out);
  LayerNorm = std::make_unique<nn::LayerNorm>(out, eps);
  register_module("dense", dense.get());
  register_module("LayerNorm", LayerNorm.get());
}

at::Tensor BertResidualOutput::forward(const at::Tensor& x, const at::Tensor& residual) const {
  return LayerNorm->forward(dense->forward(x) + residual);  // post-LN
}

BertAttention::BertAttention(std::int64_t hidden, std::int64_t kv_width, std::int64_t heads, double eps) {
  self = std::make_unique<BertSelfAttention>(hidden, kv_width, heads);
  output = std::make_unique<BertResidualOutput>(hidden, hidden, eps);
  register_module("self", self.get());
  register_module("output", output.get());
}

at::Tensor BertAttention::forward(const at::Tensor& hidden, const at::Tensor& kv_states, const at::Tensor& mask) const {
  return output->forward(self->forward(hidden, kv_states, mask), hidden);
}

BertIntermediate::BertIntermediate(std::int64_t hidden, std::int64_t intermediate) {
  dense = std::make_unique<nn::Linear>(hidden, intermediate);
  register_module("dense", dense.get());
}

at::Tensor BertIntermediate::forward(const at::Tensor& x) const { return at::gelu(dense->forward(x)); }

BertLayer::BertLayer(const QformerDims& d, bool has_cross_attention) {
  attention = std::make_unique<BertAttention>(d.hidden, d.hidden, d.heads, d.eps);
  register_module("attention", attention.get());
  if (has_cross_attention) {
    crossattention = std::make_unique<BertAttention>(d.hidden, d.encoder_width, d.heads, d.eps);
    register_module("crossattention", crossattention.get());
  }
  intermediate_query = std::make_unique<BertIntermediate>(d.hidden, d.intermediate);
  output_query = std::make_unique<BertResidualOutput>(d.intermediate, d.hidden, d.eps);
  register_module("intermediate_query", intermediate_query.get());
  register_module("output_query", output_query.get());
}

at::Tensor BertLayer::forward(const at::Tensor& queries, const at::Tensor& self_mask,
                              const at::Tensor& image_embeds) const {
  auto h = attention->forward(queries, queries, self_mask);
  // The image mask is all ones, so cross-attention has no additive mask.
  if (crossattention) h = crossattention->forward(h, image_embeds, at::Tensor());
  return output_query->forward(intermediate_query->forward(h), h);  // the query FFN, not the text one
}

BertQueryModel::BertQueryModel(const QformerDims& d) : dims(d) {
  embeddings = std::make_unique<Group>();
  embeddings_LayerNorm = &embeddings->add("LayerNorm", std::make_unique<nn::LayerNorm>(d.hidden, d.eps));
  encoder = std::make_unique<Group>();
  auto layers = std::make_unique<ModuleList<BertLayer>>();
  for (std::int64_t l = 0; l < d.num_layers; ++l) layers->add(std::make_unique<BertLayer>(d, d.cross_attention[l]));
  layer = &encoder->add("layer", std::move(layers));
  register_module("embeddings", embeddings.get());
  register_module("encoder", encoder.get());
}

at::Tensor BertQueryModel::embed(const at::Tensor& query_embeds) const {
  return embeddings_LayerNorm->forward(query_embeds);  // no word/position embeddings for queries
}

at::Tensor BertQueryModel::forward(const at::Tensor& query_embeds, const at::Tensor& image_embeds) const {
  auto h = embed(query_embeds);  // [B, Nq, hidden]
  const auto Nq = h.size(1);
  at::Tensor mask;
  // Upstream turns on the causal mask only when there are exactly 32 queries
  // (qformer_causual.py BertModel.forward: `query_embeds.shape[1] == 32`).
  if (Nq == 32) {
    auto allowed = at::ones({Nq, Nq}, h.options().dtype(at::kFloat)).tril();  // query i sees 0..i
    mask = ((1.0 - allowed) * -10000.0).to(h.scalar_type()).view({1, 1, Nq, Nq});
  }
  for (const auto& l : *layer) h = l->forward(h, mask, image_embeds);
  return h;  // last_hidden_state [B, Nq, hidden]
}

}  // namespace seedcanvas::vision
