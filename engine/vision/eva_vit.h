// EVA-CLIP ViT-g as BLIP-2/SEED use it.
// Mirrors SEED models/seed_qformer/eva_vit.py: VisionTransformer, Block, Attention, Mlp,
// PatchEmbed (no relative position bias, no layer scale, no final norm; dropouts are no-ops).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>

#include "nn/layers.h"
#include "vision/module_list.h"

namespace seedcanvas::vision {

struct EvaVitDims {
  std::int64_t in_chans = 3, patch = 14, width = 1408, num_positions = 257;  // CLS + patches
  std::int64_t depth = 39, heads = 16, all_head_dim = 1408, mlp_hidden = 6144;
  double eps = 1e-6;
};

class EvaAttention : public nn::Module {
 public:
  explicit EvaAttention(const EvaVitDims& d);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::Linear> qkv, proj;  // qkv has no bias tensor of its own
  at::Tensor q_bias, v_bias;
  std::int64_t num_heads;
};

class EvaMlp : public nn::Module {
 public:
  EvaMlp(std::int64_t dim, std::int64_t hidden);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::Linear> fc1, fc2;
};

class EvaBlock : public nn::Module {
 public:
  explicit EvaBlock(const EvaVitDims& d);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::LayerNorm> norm1, norm2;
  std::unique_ptr<EvaAttention> attn;
  std::unique_ptr<EvaMlp> mlp;
};

class PatchEmbed : public nn::Module {
 public:
  explicit PatchEmbed(const EvaVitDims& d);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::Conv2d> proj;
};

class EvaVisionTransformer : public nn::Module {
 public:
  explicit EvaVisionTransformer(const EvaVitDims& d);
  // pixels [B, 3, H, W] -> all tokens after the last block [B, 1 + H/p * W/p, width]
  at::Tensor forward(const at::Tensor& pixels) const;
  EvaVitDims dims;
  at::Tensor cls_token, pos_embed;
  std::unique_ptr<PatchEmbed> patch_embed;
  std::unique_ptr<ModuleList<EvaBlock>> blocks;
};

}  // namespace seedcanvas::vision
