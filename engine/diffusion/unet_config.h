// unet/config.json of a diffusers UNet2DConditionModel, normalised: per-block lists expanded,
// legacy `attention_head_dim` read as the NUMBER of heads when num_attention_heads is null.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace seedcanvas::diffusion {

struct UNet2DConditionConfig {
  std::int64_t sample_size = 96;
  std::int64_t in_channels = 4;
  std::int64_t out_channels = 4;
  std::vector<std::string> down_block_types;  // CrossAttnDownBlock2D | DownBlock2D
  std::string mid_block_type = "UNetMidBlock2DCrossAttn";
  std::vector<std::string> up_block_types;    // UpBlock2D | CrossAttnUpBlock2D
  std::vector<std::int64_t> block_out_channels;
  std::vector<std::int64_t> layers_per_block;              // per down block
  std::vector<std::int64_t> num_attention_heads;           // per down block
  std::vector<std::int64_t> cross_attention_dim;           // per down block
  std::vector<std::int64_t> transformer_layers_per_block;  // per down block
  bool use_linear_projection = false;
  std::string class_embed_type;  // "" (none) or "projection"
  std::int64_t projection_class_embeddings_input_dim = 0;
  std::int64_t norm_num_groups = 32;
  double norm_eps = 1e-5;
  bool flip_sin_to_cos = true;
  double freq_shift = 0.0;
  std::int64_t downsample_padding = 1;
  double mid_block_scale_factor = 1.0;
  std::int64_t conv_in_kernel = 3;
  std::int64_t conv_out_kernel = 3;

  std::int64_t time_embed_dim() const { return block_out_channels.at(0) * 4; }

  // Validates every key it reads; errors name `file` and the key.
  static UNet2DConditionConfig from_json(const nlohmann::json& j, const std::string& file);
  // stabilityai/stable-diffusion-2-1-unclip (spec 4.4), for benchmarks with random weights.
  static UNet2DConditionConfig sd21_unclip();
};

}  // namespace seedcanvas::diffusion
