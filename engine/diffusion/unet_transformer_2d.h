// Spatial transformer as diffusers' models/transformer_2d.py `Transformer2DModel` (continuous
// input) with models/attention.py `BasicTransformerBlock` (layer_norm) and `FeedForward` (GEGLU).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "diffusion/unet_attention.h"
#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

class BasicTransformerBlock : public nn::Module {
 public:
  BasicTransformerBlock(std::int64_t dim, std::int64_t heads, std::int64_t dim_head, std::int64_t cross_attention_dim);
  // x [B,N,dim], context [B,M,cross_attention_dim] -> [B,N,dim]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context) const;

  nn::LayerNorm norm1;
  Attention attn1;  // self
  nn::LayerNorm norm2;
  Attention attn2;  // cross
  nn::LayerNorm norm3;
  nn::Linear ff_net_0_proj;  // "ff.net.0.proj": GEGLU projection dim -> 2 * 4 dim
  nn::Linear ff_net_2;       // "ff.net.2": 4 dim -> dim
};

class Transformer2DModel : public nn::Module {
 public:
  Transformer2DModel(std::int64_t heads, std::int64_t dim_head, std::int64_t in_channels, std::int64_t num_layers,
                     std::int64_t cross_attention_dim, std::int64_t norm_num_groups, bool use_linear_projection);
  // x [B,C,H,W], context [B,M,D] -> [B,C,H,W]
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context) const;

  nn::GroupNorm norm;  // eps 1e-6
  std::unique_ptr<nn::Linear> proj_in_linear, proj_out_linear;  // use_linear_projection
  std::unique_ptr<nn::Conv2d> proj_in_conv, proj_out_conv;      // 1x1 convolutions otherwise
  std::vector<std::unique_ptr<BasicTransformerBlock>> transformer_blocks;
};

}  // namespace seedcanvas::diffusion
