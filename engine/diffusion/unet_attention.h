// Multi-head attention as diffusers' models/attention_processor.py `Attention` (with
// AttnProcessor / AttnProcessor2_0) and the scaled dot-product core shared by the UNet,
// the VAE mid block and the CLIP text encoder.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>

#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

// softmax(q k^T / sqrt(d)) v over `heads` heads. q [B,N,H*d], k/v [B,M,H*d] -> [B,N,H*d].
// LibTorch >= 2 uses at::scaled_dot_product_attention; 1.x uses baddbmm + softmax, in query
// slices when the score matrix would be large, with the softmax in fp32 for fp16/bf16.
at::Tensor multi_head_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, std::int64_t heads,
                                bool causal = false);

// Bytes of one score-matrix slice in the 1.x path (a setting for low-memory machines).
void set_attention_slice_bytes(std::int64_t bytes);

// diffusers Attention: to_q/to_k/to_v (bias optional), to_out.0 (with bias), an optional
// group_norm (VAE mid block) and optional residual connection.
class Attention : public nn::Module {
 public:
  struct Options {
    std::int64_t query_dim = 0;
    std::int64_t cross_attention_dim = 0;  // 0: self-attention (keys from the query input)
    std::int64_t heads = 1;
    std::int64_t dim_head = 64;
    bool bias = false;                     // on to_q/to_k/to_v
    std::int64_t norm_num_groups = 0;      // > 0: group_norm before the projections
    double norm_eps = 1e-5;
    bool residual_connection = false;
  };
  explicit Attention(const Options& options);

  // Sequence form: x [B,N,query_dim], context [B,M,cross_dim] (undefined: self) -> [B,N,query_dim].
  at::Tensor forward(const at::Tensor& x, const at::Tensor& context = {}) const;
  // Spatial form (VAE): x [B,C,H,W] -> [B,C,H,W], group_norm and residual as configured.
  at::Tensor forward_spatial(const at::Tensor& x) const;

  Options options;
  std::unique_ptr<nn::GroupNorm> group_norm;
  nn::Linear to_q, to_k, to_v;
  nn::Linear to_out_0;  // registered as "to_out.0"
};

}  // namespace seedcanvas::diffusion
