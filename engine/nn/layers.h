// Basic layers mirroring torch.nn, with the same parameter names (weight, bias).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "nn/module.h"

namespace seedcanvas::nn {

class Linear : public Module {
 public:
  Linear(std::int64_t in_features, std::int64_t out_features, bool bias = true);
  at::Tensor forward(const at::Tensor& x) const;
  at::Tensor weight;  // [out, in]
  at::Tensor bias;    // [out] or undefined
  std::int64_t in_features, out_features;
};

class LayerNorm : public Module {
 public:
  LayerNorm(std::int64_t dim, double eps, bool affine = true);
  at::Tensor forward(const at::Tensor& x) const;
  at::Tensor weight, bias;
  std::int64_t dim;
  double eps;
};

class GroupNorm : public Module {
 public:
  GroupNorm(std::int64_t num_groups, std::int64_t num_channels, double eps, bool affine = true);
  at::Tensor forward(const at::Tensor& x) const;
  at::Tensor weight, bias;
  std::int64_t num_groups, num_channels;
  double eps;
};

class Embedding : public Module {
 public:
  Embedding(std::int64_t num_embeddings, std::int64_t embedding_dim);
  at::Tensor forward(const at::Tensor& ids) const;
  at::Tensor weight;  // [num, dim]
};

class Conv2d : public Module {
 public:
  Conv2d(std::int64_t in_channels, std::int64_t out_channels, std::int64_t kernel, std::int64_t stride = 1,
         std::int64_t padding = 0, bool bias = true);
  at::Tensor forward(const at::Tensor& x) const;
  at::Tensor weight, bias;
  std::int64_t stride, padding;
};

}  // namespace seedcanvas::nn
