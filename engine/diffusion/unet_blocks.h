// UNet stages as diffusers' models/unet_2d_blocks.py: CrossAttnDownBlock2D / DownBlock2D,
// UNetMidBlock2DCrossAttn, CrossAttnUpBlock2D / UpBlock2D (one class each for down and up,
// with or without attentions).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "diffusion/unet_config.h"
#include "diffusion/unet_resnet.h"
#include "diffusion/unet_transformer_2d.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

struct BlockSpec {
  std::int64_t num_layers = 1;
  bool cross_attention = false;  // Transformer2DModel after each resnet
  std::int64_t heads = 1;
  std::int64_t cross_attention_dim = 0;
  std::int64_t transformer_layers = 1;
};

class UNetDownBlock : public nn::Module {
 public:
  UNetDownBlock(const UNet2DConditionConfig& config, const BlockSpec& spec, std::int64_t in_channels,
                std::int64_t out_channels, bool add_downsample);
  // Runs the block on h in place and appends each output to `skips`.
  void forward(at::Tensor& h, const at::Tensor& temb, const at::Tensor& context, std::vector<at::Tensor>& skips) const;

  std::vector<std::unique_ptr<ResnetBlock2D>> resnets;
  std::vector<std::unique_ptr<Transformer2DModel>> attentions;
  std::unique_ptr<Downsample2D> downsampler;  // "downsamplers.0"
};

class UNetMidBlock2DCrossAttn : public nn::Module {
 public:
  UNetMidBlock2DCrossAttn(const UNet2DConditionConfig& config, const BlockSpec& spec, std::int64_t channels,
                          std::int64_t temb_channels);
  at::Tensor forward(const at::Tensor& h, const at::Tensor& temb, const at::Tensor& context) const;

  std::vector<std::unique_ptr<ResnetBlock2D>> resnets;  // num_layers + 1
  std::vector<std::unique_ptr<Transformer2DModel>> attentions;
};

class UNetUpBlock : public nn::Module {
 public:
  UNetUpBlock(const UNet2DConditionConfig& config, const BlockSpec& spec, std::int64_t in_channels,
              std::int64_t prev_output_channels, std::int64_t out_channels, bool add_upsample);
  // Pops one skip per resnet from the back of `skips`; `upsample_size` [h,w] or empty.
  at::Tensor forward(at::Tensor h, const at::Tensor& temb, const at::Tensor& context, std::vector<at::Tensor>& skips,
                     const std::vector<std::int64_t>& upsample_size) const;

  std::vector<std::unique_ptr<ResnetBlock2D>> resnets;
  std::vector<std::unique_ptr<Transformer2DModel>> attentions;
  std::unique_ptr<Upsample2D> upsampler;  // "upsamplers.0"
};

}  // namespace seedcanvas::diffusion
