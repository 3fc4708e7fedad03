#include "nn/layers.h"

#include <ATen/ATen.h>

namespace seedcanvas::nn {

Linear::Linear(std::int64_t in, std::int64_t out, bool has_bias) : in_features(in), out_features(out) {
  register_parameter("weight", &weight, {out, in});
  if (has_bias) register_parameter("bias", &bias, {out});
}

at::Tensor Linear::forward(const at::Tensor& x) const { return at::linear(x, weight, bias); }

LayerNorm::LayerNorm(std::int64_t d, double e, bool affine) : dim(d), eps(e) {
  if (affine) {
    register_parameter("weight", &weight, {d});
    register_parameter("bias", &bias, {d});
  }
}

at::Tensor LayerNorm::forward(const at::Tensor& x) const { return at::layer_norm(x, {dim}, weight, bias, eps); }

GroupNorm::GroupNorm(std::int64_t groups, std::int64_t channels, double e, bool affine)
    : num_groups(groups), num_channels(channels), eps(e) {
  if (affine) {
    register_parameter("weight", &weight, {channels});
    register_parameter("bias", &bias, {channels});
  }
}

at::Tensor GroupNorm::forward(const at::Tensor& x) const { return at::group_norm(x, num_groups, weight, bias, eps); }

Embedding::Embedding(std::int64_t num, std::int64_t dim) { register_parameter("weight", &weight, {num, dim}); }

at::Tensor Embedding::forward(const at::Tensor& ids) const { return at::embedding(weight, ids); }

Conv2d::Conv2d(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t s, std::int64_t p, bool has_bias)
    : stride(s), padding(p) {
  register_parameter("weight", &weight, {out, in, kernel, kernel});
  if (has_bias) register_parameter("bias", &bias, {out});
}

at::Tensor Conv2d::forward(const at::Tensor& x) const {
  return at::conv2d(x, weight, bias, {stride, stride}, {padding, padding});
}

}  // namespace seedcanvas::nn
