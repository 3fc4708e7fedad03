// The decoding half of diffusers' models/autoencoder_kl.py `AutoencoderKL`: post_quant_conv
// and models/vae.py `Decoder` (UNetMidBlock2D with one attention, UpDecoderBlock2D stages).
// The encoder and quant_conv are never loaded.
#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "diffusion/unet_attention.h"
#include "diffusion/unet_resnet.h"
#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

struct AutoencoderKLConfig {
  std::int64_t in_channels = 3;   // image channels (encoder side)
  std::int64_t out_channels = 3;  // decoded image channels
  std::int64_t latent_channels = 4;
  std::vector<std::int64_t> block_out_channels;
  std::vector<std::string> up_block_types;  // UpDecoderBlock2D
  std::int64_t layers_per_block = 2;
  std::int64_t norm_num_groups = 32;
  std::int64_t sample_size = 768;
  double scaling_factor = 0.18215;

  // 2^(len(block_out_channels) - 1): image pixels per latent pixel.
  std::int64_t scale_factor() const { return std::int64_t{1} << (block_out_channels.size() - 1); }
  static AutoencoderKLConfig from_json(const nlohmann::json& j, const std::string& file);
  static AutoencoderKLConfig sd21();  // spec 4.6
};

// Tiled decoding for low memory: latent tiles of `tile` pixels overlapping by `overlap`,
// decoded one at a time and blended with linear ramps across the overlaps. Off by default.
struct VaeTiling {
  bool enabled = false;
  std::int64_t tile = 64;     // latent pixels per tile side
  std::int64_t overlap = 16;  // latent pixels shared by neighbouring tiles
};

class UpDecoderBlock2D : public nn::Module {
 public:
  UpDecoderBlock2D(std::int64_t in_channels, std::int64_t out_channels, std::int64_t num_layers, std::int64_t groups,
                   bool add_upsample);
  at::Tensor forward(at::Tensor h) const;
  std::vector<std::unique_ptr<ResnetBlock2D>> resnets;
  std::unique_ptr<Upsample2D> upsampler;  // "upsamplers.0"
};

class UNetMidBlock2D : public nn::Module {
 public:
  UNetMidBlock2D(std::int64_t channels, std::int64_t groups);
  at::Tensor forward(const at::Tensor& h) const;
  std::vector<std::unique_ptr<ResnetBlock2D>> resnets;  // 2
  std::unique_ptr<Attention> attention;                 // "attentions.0", one head of all channels
};

class AutoencoderKLDecoder : public nn::Module {
 public:
  explicit AutoencoderKLDecoder(const AutoencoderKLConfig& config);

  // latents [B,latent,h,w] scaled as the pipeline holds them -> image [B,3,8h,8w] in [-1,1]
  // (roughly; not clamped), in the model dtype. Divides by scaling_factor, applies
  // post_quant_conv, then the decoder; tiled when `tiling` is enabled and the latent is larger
  // than one tile.
  at::Tensor decode(const at::Tensor& latents) const;
  // The decoder without scaling or tiling: z [B,latent,h,w] already divided by scaling_factor.
  at::Tensor decode_unscaled(const at::Tensor& z) const;

  void set_channels_last(bool on);
  c10::ScalarType dtype() const { return post_quant_conv.weight.scalar_type(); }
  c10::Device device() const { return post_quant_conv.weight.device(); }

  AutoencoderKLConfig config;
  VaeTiling tiling;
  nn::Conv2d post_quant_conv;
  // decoder.*
  nn::Conv2d conv_in;
  UNetMidBlock2D mid_block;
  std::vector<std::unique_ptr<UpDecoderBlock2D>> up_blocks;
  nn::GroupNorm conv_norm_out;
  nn::Conv2d conv_out;

 private:
  at::Tensor decode_tiled(const at::Tensor& z) const;
  bool channels_last_ = false;
};

}  // namespace seedcanvas::diffusion
