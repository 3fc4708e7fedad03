#include "diffusion/unet_embeddings.h"

#include <ATen/ATen.h>

#include <cmath>

namespace seedcanvas::diffusion {

at::Tensor get_timestep_embedding(const at::Tensor& timesteps, std::int64_t dim, bool flip_sin_to_cos,
                                  double downscale_freq_shift, double scale, double max_period) {
  const std::int64_t half = dim / 2;
  // Same float32 operation order as diffusers, so embeddings match bit for bit.
  auto exponent = at::arange(half, timesteps.options().dtype(at::kFloat)) * (-std::log(max_period));
  exponent = exponent / (static_cast<double>(half) - downscale_freq_shift);
  auto freqs = at::exp(exponent);
  auto emb = timesteps.reshape({-1, 1}).to(at::kFloat) * freqs.unsqueeze(0);  // [N,half]
  emb = emb * scale;
  emb = flip_sin_to_cos ? at::cat({at::cos(emb), at::sin(emb)}, -1) : at::cat({at::sin(emb), at::cos(emb)}, -1);
  if (dim % 2 == 1) emb = at::constant_pad_nd(emb, {0, 1, 0, 0}, 0);
  return emb;  // [N,dim]
}

TimestepEmbedding::TimestepEmbedding(std::int64_t in, std::int64_t dim) : linear_1(in, dim), linear_2(dim, dim) {
  register_module("linear_1", &linear_1);
  register_module("linear_2", &linear_2);
}

at::Tensor TimestepEmbedding::forward(const at::Tensor& x) const {
  return linear_2.forward(at::silu(linear_1.forward(x)));
}

}  // namespace seedcanvas::diffusion
