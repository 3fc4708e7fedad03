// Text conditioning as transformers' models/clip/modeling_clip.py `CLIPTextModel`
// (CLIPTextTransformer: token + learned position embeddings, pre-LN encoder layers with a
// causal mask, final_layer_norm). Output is last_hidden_state, what the unCLIP pipeline uses.
#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

struct CLIPTextConfig {
  std::int64_t vocab_size = 49408;
  std::int64_t hidden_size = 1024;
  std::int64_t intermediate_size = 4096;
  std::int64_t num_hidden_layers = 23;
  std::int64_t num_attention_heads = 16;
  std::int64_t max_position_embeddings = 77;
  std::string hidden_act = "gelu";  // "gelu" (exact) or "quick_gelu"
  double layer_norm_eps = 1e-5;

  static CLIPTextConfig from_json(const nlohmann::json& j, const std::string& file);
  static CLIPTextConfig sd21_unclip();  // OpenCLIP ViT-H text tower, penultimate layer (spec 4.3)
};

class CLIPEncoderLayer : public nn::Module {
 public:
  explicit CLIPEncoderLayer(const CLIPTextConfig& config);
  at::Tensor forward(const at::Tensor& x) const;  // [B,L,D] -> [B,L,D], causal

  nn::Linear q_proj, k_proj, v_proj, out_proj;  // "self_attn.*"
  nn::LayerNorm layer_norm1;
  nn::Linear fc1, fc2;  // "mlp.*"
  nn::LayerNorm layer_norm2;
  std::int64_t heads;
  bool quick_gelu;
};

class CLIPTextEncoder : public nn::Module {
 public:
  explicit CLIPTextEncoder(const CLIPTextConfig& config);
  // input_ids [B,L] int64 (L <= max_position_embeddings) -> last_hidden_state [B,L,D].
  at::Tensor forward(const at::Tensor& input_ids) const;
  // Drops the weights (the app keeps only the cached empty-prompt embedding).
  void release();
  bool released() const { return !final_layer_norm.weight.defined(); }

  CLIPTextConfig config;
  nn::Embedding token_embedding;     // "text_model.embeddings.token_embedding"
  nn::Embedding position_embedding;  // "text_model.embeddings.position_embedding"
  std::vector<std::unique_ptr<CLIPEncoderLayer>> layers;  // "text_model.encoder.layers.N"
  nn::LayerNorm final_layer_norm;    // "text_model.final_layer_norm"
};

}  // namespace seedcanvas::diffusion
