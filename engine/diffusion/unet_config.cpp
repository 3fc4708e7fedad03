#include "diffusion/unet_config.h"

#include <nlohmann/json.hpp>

#include <optional>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::diffusion {
namespace {

[[noreturn]] void config_error(const std::string& file, const std::string& key, const std::string& what) {
  throw_error(ErrorKind::Config, describe(file, "'" + key + "' " + what));
}

[[noreturn]] void unsupported(const std::string& file, const std::string& key, const std::string& what) {
  throw_error(ErrorKind::Unsupported, describe(file, "'" + key + "' " + what + " is not supported"));
}

// An int or a per-block list of ints, expanded to n entries.
std::vector<std::int64_t> per_block(const nlohmann::json& j, const std::string& key, std::size_t n,
                                    const std::string& file, std::optional<std::int64_t> fallback = std::nullopt) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (!fallback) throw_config_missing(file, key);
    return std::vector<std::int64_t>(n, *fallback);
  }
  if (it->is_number_integer()) return std::vector<std::int64_t>(n, it->get<std::int64_t>());
  if (!it->is_array()) throw_config_type(file, key);
  std::vector<std::int64_t> out;
  for (const auto& v : *it) {
    if (!v.is_number_integer()) throw_config_type(file, key);
    out.push_back(v.get<std::int64_t>());
  }
  if (out.size() != n) config_error(file, key, "has " + std::to_string(out.size()) + " entries, expected " + std::to_string(n));
  return out;
}

// Keys whose only supported value is the SD one: anything else would silently change the model.
void require_value(const nlohmann::json& j, const std::string& key, const nlohmann::json& expected,
                   const std::string& file) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null() || *it == expected) return;
  if (expected.is_null()) unsupported(file, key, "value " + it->dump());
  // Booleans may be given per block: accept lists of the expected value.
  if (it->is_array()) {
    bool all = true;
    for (const auto& v : *it) all = all && v == expected;
    if (all) return;
  }
  unsupported(file, key, "value " + it->dump());
}

}  // namespace

UNet2DConditionConfig UNet2DConditionConfig::from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw_format(file, "config is not a JSON object");
  UNet2DConditionConfig c;
  c.sample_size = json_get<std::int64_t>(j, "sample_size", 96, file);
  c.in_channels = json_get<std::int64_t>(j, "in_channels", 4, file);
  c.out_channels = json_get<std::int64_t>(j, "out_channels", 4, file);
  c.block_out_channels = json_require<std::vector<std::int64_t>>(j, "block_out_channels", file);
  const std::size_t n = c.block_out_channels.size();
  if (n == 0) config_error(file, "block_out_channels", "is empty");
  c.down_block_types = json_require<std::vector<std::string>>(j, "down_block_types", file);
  c.up_block_types = json_require<std::vector<std::string>>(j, "up_block_types", file);
  if (c.down_block_types.size() != n) config_error(file, "down_block_types", "must have one entry per block_out_channels");
  if (c.up_block_types.size() != n) config_error(file, "up_block_types", "must have one entry per block_out_channels");
  for (const auto& t : c.down_block_types)
    if (t != "CrossAttnDownBlock2D" && t != "DownBlock2D") unsupported(file, "down_block_types", "block type " + t);
  for (const auto& t : c.up_block_types)
    if (t != "CrossAttnUpBlock2D" && t != "UpBlock2D") unsupported(file, "up_block_types", "block type " + t);
  c.mid_block_type = json_get<std::string>(j, "mid_block_type", "UNetMidBlock2DCrossAttn", file);
  if (c.mid_block_type != "UNetMidBlock2DCrossAttn") unsupported(file, "mid_block_type", "block type " + c.mid_block_type);

  c.layers_per_block = per_block(j, "layers_per_block", n, file, 2);
  // Legacy naming: attention_head_dim holds the number of heads unless num_attention_heads is set.
  const bool has_heads = j.contains("num_attention_heads") && !j["num_attention_heads"].is_null();
  c.num_attention_heads = per_block(j, has_heads ? "num_attention_heads" : "attention_head_dim", n, file, 8);
  c.cross_attention_dim = per_block(j, "cross_attention_dim", n, file, 1280);
  c.transformer_layers_per_block = per_block(j, "transformer_layers_per_block", n, file, 1);
  c.use_linear_projection = json_get<bool>(j, "use_linear_projection", false, file);
  c.norm_num_groups = json_get<std::int64_t>(j, "norm_num_groups", 32, file);
  c.norm_eps = json_get<double>(j, "norm_eps", 1e-5, file);
  c.flip_sin_to_cos = json_get<bool>(j, "flip_sin_to_cos", true, file);
  c.freq_shift = json_get<double>(j, "freq_shift", 0.0, file);
  c.downsample_padding = json_get<std::int64_t>(j, "downsample_padding", 1, file);
  c.mid_block_scale_factor = json_get<double>(j, "mid_block_scale_factor", 1.0, file);
  c.conv_in_kernel = json_get<std::int64_t>(j, "conv_in_kernel", 3, file);
  c.conv_out_kernel = json_get<std::int64_t>(j, "conv_out_kernel", 3, file);
  c.class_embed_type = json_get<std::string>(j, "class_embed_type", "", file);
  if (!c.class_embed_type.empty() && c.class_embed_type != "projection")
    unsupported(file, "class_embed_type", "value \"" + c.class_embed_type + "\"");
  if (c.class_embed_type == "projection")
    c.projection_class_embeddings_input_dim = json_require<std::int64_t>(j, "projection_class_embeddings_input_dim", file);

  require_value(j, "act_fn", "silu", file);
  require_value(j, "time_embedding_type", "positional", file);
  require_value(j, "resnet_time_scale_shift", "default", file);
  require_value(j, "attention_type", "default", file);
  require_value(j, "only_cross_attention", false, file);
  require_value(j, "dual_cross_attention", false, file);
  require_value(j, "center_input_sample", false, file);
  require_value(j, "class_embeddings_concat", false, file);
  require_value(j, "resnet_skip_time_act", false, file);
  require_value(j, "resnet_out_scale_factor", 1.0, file);
  for (const char* key : {"addition_embed_type", "encoder_hid_dim", "encoder_hid_dim_type", "time_cond_proj_dim",
                          "timestep_post_act", "time_embedding_dim", "time_embedding_act_fn", "cross_attention_norm",
                          "num_class_embeds"})
    require_value(j, key, nullptr, file);

  // Shapes the modules will assume.
  for (std::size_t i = 0; i < n; ++i) {
    const auto ch = c.block_out_channels[i];
    if (ch <= 0) config_error(file, "block_out_channels", "must be positive");
    if (c.norm_num_groups <= 0 || ch % c.norm_num_groups != 0)
      config_error(file, "norm_num_groups", "must divide every block_out_channels entry");
    if (c.num_attention_heads[i] <= 0 || ch % c.num_attention_heads[i] != 0)
      config_error(file, has_heads ? "num_attention_heads" : "attention_head_dim",
                   "must divide the block's channels (" + std::to_string(ch) + ")");
    if (c.layers_per_block[i] <= 0) config_error(file, "layers_per_block", "must be positive");
  }
  if (c.conv_in_kernel % 2 == 0) config_error(file, "conv_in_kernel", "must be odd");
  if (c.conv_out_kernel % 2 == 0) config_error(file, "conv_out_kernel", "must be odd");
  if (c.class_embed_type == "projection" && c.projection_class_embeddings_input_dim <= 0)
    config_error(file, "projection_class_embeddings_input_dim", "must be positive");
  return c;
}

UNet2DConditionConfig UNet2DConditionConfig::sd21_unclip() {
  UNet2DConditionConfig c;
  c.sample_size = 96;
  c.block_out_channels = {320, 640, 1280, 1280};
  c.down_block_types = {"CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"};
  c.up_block_types = {"UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"};
  c.layers_per_block = {2, 2, 2, 2};
  c.num_attention_heads = {5, 10, 20, 20};
  c.cross_attention_dim = {1024, 1024, 1024, 1024};
  c.transformer_layers_per_block = {1, 1, 1, 1};
  c.use_linear_projection = true;
  c.class_embed_type = "projection";
  c.projection_class_embeddings_input_dim = 2048;
  return c;
}

}  // namespace seedcanvas::diffusion
