// The unCLIP denoiser as diffusers' models/unet_2d_condition.py `UNet2DConditionModel`
// (positional time embedding, class_embed_type "projection", cross-attention blocks).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "diffusion/unet_blocks.h"
#include "diffusion/unet_config.h"
#include "diffusion/unet_embeddings.h"
#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

class UNet2DConditionModel : public nn::Module {
 public:
  explicit UNet2DConditionModel(const UNet2DConditionConfig& config);

  // sample [B,in,h,w] (h, w multiples of 2^(blocks-1) or not: odd sizes are handled),
  // timestep [1], [B] or a 0-dim tensor (integer or float),
  // encoder_hidden_states [B,77,cross_attention_dim], class_labels [B,2E] (undefined when the
  // config has no class embedding) -> model output [B,out,h,w] in the model dtype.
  at::Tensor forward(const at::Tensor& sample, const at::Tensor& timestep, const at::Tensor& encoder_hidden_states,
                     const at::Tensor& class_labels) const;

  // Puts 4-D weights into channels-last layout and runs forward in it (often faster on CPU/GPU).
  void set_channels_last(bool on);
  bool channels_last() const { return channels_last_; }
  c10::ScalarType dtype() const { return conv_in.weight.scalar_type(); }
  c10::Device device() const { return conv_in.weight.device(); }

  UNet2DConditionConfig config;
  TimestepEmbedding time_embedding;
  std::unique_ptr<TimestepEmbedding> class_embedding;  // class_embed_type "projection"
  nn::Conv2d conv_in;
  std::vector<std::unique_ptr<UNetDownBlock>> down_blocks;
  std::unique_ptr<UNetMidBlock2DCrossAttn> mid_block;
  std::vector<std::unique_ptr<UNetUpBlock>> up_blocks;
  nn::GroupNorm conv_norm_out;
  nn::Conv2d conv_out;

 private:
  bool channels_last_ = false;
};

}  // namespace seedcanvas::diffusion
