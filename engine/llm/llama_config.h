// LlamaConfig as Hugging Face's config.json spells it (transformers 4.33
// models/llama/configuration_llama.py), with the derived sizes computed in one place.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace seedcanvas::llm {

enum class RopeScaling { None, Linear, Dynamic };

struct LlamaConfig {
  std::int64_t vocab_size = 0;
  std::int64_t hidden_size = 0;
  std::int64_t intermediate_size = 0;
  std::int64_t num_hidden_layers = 0;
  std::int64_t num_attention_heads = 0;
  std::int64_t num_key_value_heads = 0;  // defaults to num_attention_heads (no GQA)
  std::int64_t max_position_embeddings = 2048;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  RopeScaling rope_scaling_type = RopeScaling::None;
  double rope_scaling_factor = 1.0;
  bool tie_word_embeddings = false;
  std::int64_t pretraining_tp = 1;  // HF slices matmuls by it; the result is the same math
  std::int64_t bos_token_id = 1;
  std::vector<std::int64_t> eos_token_ids = {2};  // HF allows an int or a list
  std::string source = "config.json";             // for messages

  std::int64_t head_dim() const { return hidden_size / num_attention_heads; }
  std::int64_t kv_groups() const { return num_attention_heads / num_key_value_heads; }
  std::int64_t parameter_count() const;

  // Parses and validates; `file` names the source in errors. Throws Error(Config).
  static LlamaConfig from_json(const nlohmann::json& j, const std::string& file);
  // Reads `path` (a config.json or a folder holding one).
  static LlamaConfig load(const std::filesystem::path& path);
  // Checks ranges and divisibility; messages name the offending key.
  void validate() const;
};

const char* rope_scaling_name(RopeScaling s);

}  // namespace seedcanvas::llm
