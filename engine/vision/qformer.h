// The causal Q-Former: BERT (post-LN) whose 32 learned queries attend causally to each other
// and, every second layer, to the image tokens. Text-side modules (word/position embeddings,
// the text FFN `intermediate`/`output`, the MLM head) are None upstream and absent here.
// Mirrors SEED models/seed_qformer/qformer_causual.py: BertModel (query-only path),
// BertEmbeddings, BertLayer, BertAttention, BertSelfAttention, BertSelfOutput,
// BertIntermediate, BertOutput.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "nn/layers.h"
#include "vision/module_list.h"

namespace seedcanvas::vision {

struct QformerDims {
  std::int64_t hidden = 768, heads = 12, intermediate = 3072, encoder_width = 1408, num_layers = 12;
  std::vector<bool> cross_attention;  // per layer (upstream: every cross_attention_freq-th, from 0)
  double eps = 1e-12;
};

class BertSelfAttention : public nn::Module {
 public:
  BertSelfAttention(std::int64_t hidden, std::int64_t kv_width, std::int64_t heads);
  // mask: additive, broadcastable to [B, H, Nq, Nk], or undefined
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& kv_states, const at::Tensor& mask) const;
  std::unique_ptr<nn::Linear> query, key, value;
  std::int64_t num_heads;
};

// dense -> LayerNorm(x + residual); used as BertSelfOutput and BertOutput.
class BertResidualOutput : public nn::Module {
 public:
  BertResidualOutput(std::int64_t in, std::int64_t out, double eps);
  at::Tensor forward(const at::Tensor& x, const at::Tensor& residual) const;
  std::unique_ptr<nn::Linear> dense;
  std::unique_ptr<nn::LayerNorm> LayerNorm;
};

class BertAttention : public nn::Module {
 public:
  BertAttention(std::int64_t hidden, std::int64_t kv_width, std::int64_t heads, double eps);
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& kv_states, const at::Tensor& mask) const;
  std::unique_ptr<BertSelfAttention> self;
  std::unique_ptr<BertResidualOutput> output;
};

class BertIntermediate : public nn::Module {
 public:
  BertIntermediate(std::int64_t hidden, std::int64_t intermediate);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::Linear> dense;
};

class BertLayer : public nn::Module {
 public:
  BertLayer(const QformerDims& d, bool has_cross_attention);
  at::Tensor forward(const at::Tensor& queries, const at::Tensor& self_mask, const at::Tensor& image_embeds) const;
  std::unique_ptr<BertAttention> attention, crossattention;  // crossattention only on some layers
  std::unique_ptr<BertIntermediate> intermediate_query;
  std::unique_ptr<BertResidualOutput> output_query;
};

// Qformer.bert.{embeddings, encoder}: registered under "bert" by the owner.
class BertQueryModel : public nn::Module {
 public:
  explicit BertQueryModel(const QformerDims& d);
  // LayerNorm(query_tokens): [B, Nq, hidden]
  at::Tensor embed(const at::Tensor& query_embeds) const;
  // query_embeds [B, Nq, hidden], image_embeds [B, Ni, encoder_width] -> last_hidden_state [B, Nq, hidden]
  at::Tensor forward(const at::Tensor& query_embeds, const at::Tensor& image_embeds) const;
  QformerDims dims;
  std::unique_ptr<Group> embeddings, encoder;
  nn::LayerNorm* embeddings_LayerNorm = nullptr;
  ModuleList<BertLayer>* layer = nullptr;
};

}  // namespace seedcanvas::vision
