#include "vision/tokenizer_config.h"

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::vision {

SeedTokenizerConfig SeedTokenizerConfig::from_file(const std::filesystem::path& path) {
  SeedTokenizerConfig c;
  c.file = path.string();
  c.raw = read_json_file(path);
  if (!c.raw.is_object()) throw_error(ErrorKind::Config, describe(c.file, "not a JSON object"));
  const auto& j = c.raw;
  const auto& f = c.file;
  c.img_size = json_get<int>(j, "img_size", c.img_size, f);
  c.pixel_mean = json_get<std::array<float, 3>>(j, "pixel_mean", c.pixel_mean, f);
  c.pixel_std = json_get<std::array<float, 3>>(j, "pixel_std", c.pixel_std, f);
  c.vit_heads = json_get<int>(j, "vit_heads", c.vit_heads, f);
  c.vit_depth = json_get<int>(j, "vit_depth", c.vit_depth, f);
  c.vit_layernorm_eps = json_get<double>(j, "vit_layernorm_eps", c.vit_layernorm_eps, f);
  c.ln_vision_eps = json_get<double>(j, "ln_vision_eps", c.ln_vision_eps, f);
  c.qf_heads = json_get<int>(j, "qf_heads", c.qf_heads, f);
  c.qformer_layernorm_eps = json_get<double>(j, "qformer_layernorm_eps", c.qformer_layernorm_eps, f);
  c.decode_block_heads = json_get<int>(j, "decode_block_heads", c.decode_block_heads, f);
  c.decode_block_ln_eps = json_get<double>(j, "decode_block_ln_eps", c.decode_block_ln_eps, f);
  if (c.img_size <= 0) throw_error(ErrorKind::Config, describe(f, "'img_size' must be positive"));
  for (float s : c.pixel_std)
    if (!(s > 0.0f)) throw_error(ErrorKind::Config, describe(f, "'pixel_std' must be positive"));
  if (c.vit_heads < 0 || c.vit_depth < 0 || c.qf_heads < 0 || c.decode_block_heads <= 0)
    throw_error(ErrorKind::Config, describe(f, "head counts and depths must be positive"));
  return c;
}

void SeedTokenizerConfig::check_size(const std::string& key, long long actual, const std::string& origin) const {
  if (!raw.is_object()) return;
  auto it = raw.find(key);
  if (it == raw.end() || !it->is_number_integer()) return;
  if (it->get<long long>() != actual)
    throw_error(ErrorKind::Mismatch, describe(file, "'" + key + "' is " + std::to_string(it->get<long long>()) +
                                                        " but the weights in " + origin + " have " +
                                                        std::to_string(actual)));
}

}  // namespace seedcanvas::vision
