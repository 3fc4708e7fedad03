#include "diffusion/clip_text_encoder.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/unet_attention.h"

namespace seedcanvas::diffusion {

CLIPTextConfig CLIPTextConfig::from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw_format(file, "config is not a JSON object");
  CLIPTextConfig c;
  // A full CLIPConfig nests the text tower under text_config.
  const auto& t = j.contains("text_config") && j["text_config"].is_object() ? j["text_config"] : j;
  c.vocab_size = json_require<std::int64_t>(t, "vocab_size", file);
  c.hidden_size = json_require<std::int64_t>(t, "hidden_size", file);
  c.intermediate_size = json_require<std::int64_t>(t, "intermediate_size", file);
  c.num_hidden_layers = json_require<std::int64_t>(t, "num_hidden_layers", file);
  c.num_attention_heads = json_require<std::int64_t>(t, "num_attention_heads", file);
  c.max_position_embeddings = json_get<std::int64_t>(t, "max_position_embeddings", 77, file);
  c.hidden_act = json_get<std::string>(t, "hidden_act", "quick_gelu", file);  // transformers' default
  c.layer_norm_eps = json_get<double>(t, "layer_norm_eps", 1e-5, file);
  auto fail = [&](const std::string& key, const std::string& what) {
    throw_error(ErrorKind::Config, describe(file, "'" + key + "' " + what));
  };
  for (auto [key, v] : {std::pair{"vocab_size", c.vocab_size}, {"hidden_size", c.hidden_size},
                        {"intermediate_size", c.intermediate_size}, {"num_hidden_layers", c.num_hidden_layers},
                        {"num_attention_heads", c.num_attention_heads},
                        {"max_position_embeddings", c.max_position_embeddings}})
    if (v <= 0) fail(key, "must be positive");
  if (c.hidden_size % c.num_attention_heads != 0) fail("num_attention_heads", "must divide hidden_size");
  if (c.hidden_act != "gelu" && c.hidden_act != "quick_gelu")
    throw_error(ErrorKind::Unsupported, describe(file, "'hidden_act' value \"" + c.hidden_act + "\" is not supported"));
  return c;
}

CLIPTextConfig CLIPTextConfig::sd21_unclip() { return CLIPTextConfig{}; }

CLIPEncoderLayer::CLIPEncoderLayer(const CLIPTextConfig& c)
    : q_proj(c.hidden_size, c.hidden_size),
      k_proj(c.hidden_size, c.hidden_size),
      v_proj(c.hidden_size, c.hidden_size),
      out_proj(c.hidden_size, c.hidden_size),
      layer_norm1(c.hidden_size, c.layer_norm_eps),
      fc1(c.hidden_size, c.intermediate_size),
      fc2(c.intermediate_size, c.hidden_size),
      layer_norm2(c.hidden_size, c.layer_norm_eps),
      heads(c.num_attention_heads),
      quick_gelu(c.hidden_act == "quick_gelu") {
  register_module("self_attn.k_proj", &k_proj);
  register_module("self_attn.v_proj", &v_proj);
  register_module("self_attn.q_proj", &q_proj);
  register_module("self_attn.out_proj", &out_proj);
  register_module("layer_norm1", &layer_norm1);
  register_module("mlp.fc1", &fc1);
  register_module("mlp.fc2", &fc2);
  register_module("layer_norm2", &layer_norm2);
}

at::Tensor CLIPEncoderLayer::forward(const at::Tensor& x) const {
  auto h = layer_norm1.forward(x);
  h = out_proj.forward(multi_head_attention(q_proj.forward(h), k_proj.forward(h), v_proj.forward(h), heads, true));
  auto r = x + h;
  h = fc1.forward(layer_norm2.forward(r));  // [B,L,inter]
  h = quick_gelu ? h * at::sigmoid(h * 1.702) : at::gelu(h);
  return r + fc2.forward(h);
}

CLIPTextEncoder::CLIPTextEncoder(const CLIPTextConfig& c)
    : config(c),
      token_embedding(c.vocab_size, c.hidden_size),
      position_embedding(c.max_position_embeddings, c.hidden_size),
      final_layer_norm(c.hidden_size, c.layer_norm_eps) {
  register_module("text_model.embeddings.token_embedding", &token_embedding);
  register_module("text_model.embeddings.position_embedding", &position_embedding);
  for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
    layers.push_back(std::make_unique<CLIPEncoderLayer>(c));
    register_module("text_model.encoder.layers." + std::to_string(i), layers.back().get());
  }
  register_module("text_model.final_layer_norm", &final_layer_norm);
}

at::Tensor CLIPTextEncoder::forward(const at::Tensor& input_ids) const {
  if (released()) throw_error(ErrorKind::Internal, "CLIPTextEncoder: weights were released");
  if (input_ids.dim() != 2 || input_ids.size(1) > config.max_position_embeddings)
    throw_error(ErrorKind::Config, "CLIPTextEncoder: input_ids must be [B,L] with L <= " +
                                       std::to_string(config.max_position_embeddings));
  auto ids = input_ids.to(token_embedding.weight.device(), at::kLong);
  if (ids.numel() > 0 && (ids.min().item<std::int64_t>() < 0 || ids.max().item<std::int64_t>() >= config.vocab_size))
    throw_error(ErrorKind::Config, "CLIPTextEncoder: token id outside the vocabulary of " +
                                       std::to_string(config.vocab_size));
  const auto len = ids.size(1);
  auto h = token_embedding.forward(ids) + position_embedding.weight.slice(0, 0, len).unsqueeze(0);  // [B,L,D]
  for (const auto& layer : layers) h = layer->forward(h);
  return final_layer_norm.forward(h);
}

void CLIPTextEncoder::release() {
  for (auto& p : named_parameters()) *p.tensor = at::Tensor();
}

}  // namespace seedcanvas::diffusion
