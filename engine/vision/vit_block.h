// The timm-style pre-LN transformer block of the de-tokenizer (`blocks_image`, and the unused
// reconstruction `blocks`). Mirrors SEED models/seed_qformer/vit.py: Block, Attention, Mlp.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>

#include "nn/layers.h"

namespace seedcanvas::vision {

struct VitBlockDims {
  std::int64_t dim = 768, heads = 12, mlp_hidden = 3072;
  double eps = 1e-6;
};

class VitAttention : public nn::Module {
 public:
  explicit VitAttention(const VitBlockDims& d);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::Linear> qkv, proj;
  std::int64_t num_heads;
};

class VitMlp : public nn::Module {
 public:
  VitMlp(std::int64_t dim, std::int64_t hidden);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::Linear> fc1, fc2;
};

class VitBlock : public nn::Module {
 public:
  explicit VitBlock(const VitBlockDims& d);
  at::Tensor forward(const at::Tensor& x) const;  // [B, N, dim] -> [B, N, dim]
  std::unique_ptr<nn::LayerNorm> norm1, norm2;
  std::unique_ptr<VitAttention> attn;
  std::unique_ptr<VitMlp> mlp;
};

}  // namespace seedcanvas::vision
