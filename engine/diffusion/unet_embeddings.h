// Timestep embeddings as diffusers' models/embeddings.py (get_timestep_embedding,
// TimestepEmbedding with linear_1 / SiLU / linear_2).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

// Sinusoidal embedding of timesteps [N] -> [N, dim] float32: exponent -ln(max_period) j /
// (half - shift); [sin, cos], or [cos, sin] when flip_sin_to_cos.
at::Tensor get_timestep_embedding(const at::Tensor& timesteps, std::int64_t dim, bool flip_sin_to_cos,
                                  double downscale_freq_shift, double scale = 1.0, double max_period = 10000.0);

class TimestepEmbedding : public nn::Module {
 public:
  TimestepEmbedding(std::int64_t in_channels, std::int64_t time_embed_dim);
  at::Tensor forward(const at::Tensor& x) const;  // [B,in] -> [B,time_embed_dim]
  nn::Linear linear_1, linear_2;
};

}  // namespace seedcanvas::diffusion
