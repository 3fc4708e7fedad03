#include "llm/llama_config.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::llm {
namespace {

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& why) {
  throw_error(ErrorKind::Config, describe(file, "'" + key + "' " + why));
}

void require_positive(const std::string& file, const std::string& key, std::int64_t v) {
  if (v <= 0) bad(file, key, "must be positive (got " + std::to_string(v) + ")");
}

}  // namespace

const char* rope_scaling_name(RopeScaling s) {
  switch (s) {
    case RopeScaling::None: return "none";
    case RopeScaling::Linear: return "linear";
    case RopeScaling::Dynamic: return "dynamic";
  }
  return "?";
}

std::int64_t LlamaConfig::parameter_count() const {
  const std::int64_t kv = num_key_value_heads * head_dim();
  const std::int64_t attn = hidden_size * (hidden_size + 2 * kv) + hidden_size * hidden_size;
  const std::int64_t mlp = 3 * hidden_size * intermediate_size;
  const std::int64_t layer = attn + mlp + 2 * hidden_size;
  const std::int64_t head = tie_word_embeddings ? 0 : vocab_size * hidden_size;
  return vocab_size * hidden_size + num_hidden_layers * layer + hidden_size + head;
}

LlamaConfig LlamaConfig::from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw_error(ErrorKind::Config, describe(file, "not a JSON object"));
  LlamaConfig c;
  c.source = file;
  const auto model_type = json_get<std::string>(j, "model_type", "llama", file);
  if (model_type != "llama") bad(file, "model_type", "is '" + model_type + "', expected 'llama'");
  const auto act = json_get<std::string>(j, "hidden_act", "silu", file);
  if (act != "silu") bad(file, "hidden_act", "is '" + act + "'; only 'silu' is supported");

  c.vocab_size = json_require<std::int64_t>(j, "vocab_size", file);
  c.hidden_size = json_require<std::int64_t>(j, "hidden_size", file);
  c.intermediate_size = json_require<std::int64_t>(j, "intermediate_size", file);
  c.num_hidden_layers = json_require<std::int64_t>(j, "num_hidden_layers", file);
  c.num_attention_heads = json_require<std::int64_t>(j, "num_attention_heads", file);
  c.num_key_value_heads = json_get<std::int64_t>(j, "num_key_value_heads", c.num_attention_heads, file);
  c.max_position_embeddings = json_get<std::int64_t>(j, "max_position_embeddings", 2048, file);
  c.rms_norm_eps = json_get<double>(j, "rms_norm_eps", 1e-6, file);
  c.rope_theta = json_get<double>(j, "rope_theta", 10000.0, file);
  c.tie_word_embeddings = json_get<bool>(j, "tie_word_embeddings", false, file);
  c.pretraining_tp = json_get<std::int64_t>(j, "pretraining_tp", 1, file);
  c.bos_token_id = json_get<std::int64_t>(j, "bos_token_id", 1, file);

  if (auto it = j.find("eos_token_id"); it != j.end() && !it->is_null()) {
    c.eos_token_ids.clear();
    if (it->is_number_integer()) {
      c.eos_token_ids.push_back(it->get<std::int64_t>());
    } else if (it->is_array()) {
      for (const auto& v : *it) {
        if (!v.is_number_integer()) throw_config_type(file, "eos_token_id");
        c.eos_token_ids.push_back(v.get<std::int64_t>());
      }
    } else {
      throw_config_type(file, "eos_token_id");
    }
  }

  if (auto it = j.find("rope_scaling"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) throw_config_type(file, "rope_scaling");
    const auto type = json_require<std::string>(*it, "type", file);
    if (type == "linear")
      c.rope_scaling_type = RopeScaling::Linear;
    else if (type == "dynamic")
      c.rope_scaling_type = RopeScaling::Dynamic;
    else
      bad(file, "rope_scaling.type", "is '" + type + "'; expected 'linear' or 'dynamic'");
    auto f = it->find("factor");
    if (f == it->end() || !f->is_number()) bad(file, "rope_scaling.factor", "must be a number");
    c.rope_scaling_factor = f->get<double>();
  }
  c.validate();
  return c;
}

void LlamaConfig::validate() const {
  const std::string& f = source;
  require_positive(f, "vocab_size", vocab_size);
  require_positive(f, "hidden_size", hidden_size);
  require_positive(f, "intermediate_size", intermediate_size);
  require_positive(f, "num_hidden_layers", num_hidden_layers);
  require_positive(f, "num_attention_heads", num_attention_heads);
  require_positive(f, "num_key_value_heads", num_key_value_heads);
  require_positive(f, "max_position_embeddings", max_position_embeddings);
  require_positive(f, "pretraining_tp", pretraining_tp);
  if (hidden_size % num_attention_heads != 0)
    bad(f, "num_attention_heads", "(" + std::to_string(num_attention_heads) + ") must divide hidden_size (" +
                                      std::to_string(hidden_size) + ")");
  if (head_dim() % 2 != 0) bad(f, "num_attention_heads", "gives an odd head_dim; RoPE needs an even one");
  if (num_attention_heads % num_key_value_heads != 0)
    bad(f, "num_key_value_heads", "(" + std::to_string(num_key_value_heads) + ") must divide num_attention_heads (" +
                                      std::to_string(num_attention_heads) + ")");
  if (!(rms_norm_eps > 0.0)) bad(f, "rms_norm_eps", "must be positive");
  if (!(rope_theta > 0.0)) bad(f, "rope_theta", "must be positive");
  if (rope_scaling_type != RopeScaling::None && !(rope_scaling_factor >= 1.0))
    bad(f, "rope_scaling.factor", "must be >= 1");
  // Guards against absurd sizes before anything is allocated (also the int64 products).
  constexpr std::int64_t kMaxDim = 1 << 20;
  if (hidden_size > kMaxDim) bad(f, "hidden_size", "is implausibly large");
  if (intermediate_size > 4 * kMaxDim) bad(f, "intermediate_size", "is implausibly large");
  if (vocab_size > 16 * kMaxDim) bad(f, "vocab_size", "is implausibly large");
  if (num_hidden_layers > 4096) bad(f, "num_hidden_layers", "is implausibly large");
}

LlamaConfig LlamaConfig::load(const std::filesystem::path& path) {
  std::error_code ec;
  const auto file = std::filesystem::is_directory(path, ec) ? path / "config.json" : path;
  return from_json(read_json_file(file), file.string());
}

}  // namespace seedcanvas::llm
