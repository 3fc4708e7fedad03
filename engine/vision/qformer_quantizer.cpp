// Mirrors SEED models/seed_qformer/qformer_quantizer.py (Blip2QformerQuantizer,
// VectorQuantizer2) for inference: get_codebook_indices and get_codebook_entry.
#include "vision/qformer_quantizer.h"

#include <ATen/ATen.h>

namespace seedcanvas::vision {

Codebook::Codebook(std::int64_t n_embed, std::int64_t dim) {
  register_parameter("weight", &weight, {n_embed, dim}, /*keep_dtype=*/true);
}

TaskLayer::TaskLayer(std::int64_t in, std::int64_t hidden, std::int64_t out) {
  l0 = std::make_unique<nn::Linear>(in, hidden);
  l2 = std::make_unique<nn::Linear>(hidden, out);
  register_module("0", l0.get());
  register_module("2", l2.get());
}

at::Tensor TaskLayer::forward(const at::Tensor& x) const { return l2->forward(at::tanh(l0->forward(x))); }

ImageDown::ImageDown(const std::vector<std::int64_t>& w) {
  for (std::size_t i = 0; i + 1 < w.size(); ++i) {
    layers.push_back(std::make_unique<nn::Linear>(w[i], w[i + 1], /*bias=*/false));
    register_module(std::to_string(2 * i), layers.back().get());  // ReLUs sit at the odd indices
  }
}

at::Tensor ImageDown::forward(const at::Tensor& x) const {
  auto h = x;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    h = layers[i]->forward(h);
    if (i + 1 < layers.size()) h = at::relu(h);
  }
  return h;
}

Blip2QformerQuantizer::Blip2QformerQuantizer(const QuantizerDims& d) : dims(d) {
  const auto hidden = d.qformer.hidden;
  visual_encoder = std::make_unique<EvaVisionTransformer>(d.vit);
  if (d.vit_in_checkpoint) register_module("visual_encoder", visual_encoder.get());
  ln_vision = std::make_unique<nn::LayerNorm>(d.vit.width, d.ln_vision_eps);
  register_module("ln_vision", ln_vision.get());
  register_parameter("query_tokens", &query_tokens, {1, d.num_query, hidden});
  Qformer = std::make_unique<Group>();
  bert = &Qformer->add("bert", std::make_unique<BertQueryModel>(d.qformer));
  register_module("Qformer", Qformer.get());
  quantize = std::make_unique<Group>();
  codebook = &quantize->add("embedding", std::make_unique<Codebook>(d.n_embed, d.codebook_dim));
  register_module("quantize", quantize.get());
  encode_task_layer = std::make_unique<TaskLayer>(hidden, d.encode_hidden, d.codebook_dim);
  decode_task_layer = std::make_unique<TaskLayer>(d.codebook_dim, d.decode_hidden, hidden);
  register_module("encode_task_layer", encode_task_layer.get());
  register_module("decode_task_layer", decode_task_layer.get());
  register_parameter("pos_embed_image", &pos_embed_image, {1, d.num_query, hidden});
  blocks_image = std::make_unique<ModuleList<VitBlock>>();
  for (std::int64_t i = 0; i < d.decode_depth; ++i) blocks_image->add(std::make_unique<VitBlock>(d.decode_block));
  register_module("blocks_image", blocks_image.get());
  image_down = std::make_unique<ImageDown>(d.image_down);
  register_module("image_down", image_down.get());
  distill_image_proj = std::make_unique<nn::Linear>(d.num_query * d.image_down.back(), d.image_features_dim);
  register_module("distill_image_proj", distill_image_proj.get());
}

std::vector<std::string> Blip2QformerQuantizer::ignored_keys() const {
  // Set to None upstream or used only in training (qformer_quantizer.py __init__).
  std::vector<std::string> keys = {
      "Qformer.bert.embeddings.position_ids",           // BERT buffer, unused without text
      "Qformer.bert.embeddings.word_embeddings.*",      // text side
      "Qformer.bert.embeddings.position_embeddings.*",  // text side
      "Qformer.cls.*",                                  // MLM head
      "pos_embed",                                      // recon_s branch (training only)
      "blocks.*",                                       // recon_s branch (training only)
      // Branches of the training model (SEED_Tokenizer blip2_qformer_codebook_all_image.py) that
      // a checkpoint saved from it may still carry; the released inference class has none of them.
      "Reverse_Qformer.*", "reverse_tokens", "Reverse_Qformer_text.*", "reverse_tokens_text",
      "pos_embed_text", "blocks_text.*", "distill_text_proj.*", "clip_model.*", "text_encoder.*",
  };
  for (std::int64_t l = 0; l < dims.qformer.num_layers; ++l) {  // the text FFN of every layer
    const std::string p = "Qformer.bert.encoder.layer." + std::to_string(l);
    keys.push_back(p + ".intermediate.*");
    keys.push_back(p + ".output.*");
  }
  return keys;
}

EncodeOutputs Blip2QformerQuantizer::encode(const at::Tensor& pixels, bool trace) const {
  EncodeOutputs out;
  auto feats = visual_encoder->forward(pixels);  // [B, 1+P, W]
  // blip2.LayerNorm: computed in fp32, cast back.
  auto image_embeds = at::layer_norm(feats.to(at::kFloat), {dims.vit.width}, ln_vision->weight.to(at::kFloat),
                                     ln_vision->bias.to(at::kFloat), dims.ln_vision_eps)
                          .to(feats.scalar_type());
  const auto B = pixels.size(0);
  auto queries = query_tokens.expand({B, -1, -1});                   // [B, Nq, hidden]
  auto query_output = bert->forward(queries, image_embeds);          // [B, Nq, hidden]
  auto down = encode_task_layer->forward(query_output);              // [B, Nq, cd]
  // VectorQuantizer2.forward: squared L2 as |z|^2 + |e|^2 - 2 z.e, in fp32.
  auto z = down.to(at::kFloat).reshape({-1, dims.codebook_dim});    // [B*Nq, cd]
  const auto& e = codebook->weight;
  auto d = z.pow(2).sum(1, /*keepdim=*/true) + e.pow(2).sum(1) - 2 * at::matmul(z, e.t());  // [B*Nq, n_embed]
  auto indices = d.argmin(1).view({B, -1});                          // [B, Nq]
  out.indices = indices;
  if (trace) {
    out.vit_features = feats;
    out.image_embeds = image_embeds;
    out.qformer_embeddings = bert->embed(queries);
    out.query_output = query_output;
    out.query_output_down = down;
    out.quant = at::embedding(e, indices);
    out.query_output_up = decode_task_layer->forward(out.quant.to(query_tokens.scalar_type()));
  }
  return out;
}

DecodeOutputs Blip2QformerQuantizer::decode(const at::Tensor& indices, bool trace) const {
  DecodeOutputs out;
  const auto dtype = pos_embed_image.scalar_type();
  auto codes = at::embedding(codebook->weight, indices);                  // [B, Nq, cd] fp32
  auto h = decode_task_layer->forward(codes.to(dtype)) + pos_embed_image;  // [B, Nq, hidden]
  for (const auto& blk : *blocks_image) h = blk->forward(h);
  auto down = image_down->forward(h);                                      // [B, Nq, 32]
  out.image_embeds = distill_image_proj->forward(down.flatten(1));         // token-major [B, Nq*32] -> [B, D]
  if (trace) {
    out.codebook_vectors = codes;
    out.blocks_image_output = h;
    out.image_down_output = down;
  }
  return out;
}

}  // namespace seedcanvas::vision
