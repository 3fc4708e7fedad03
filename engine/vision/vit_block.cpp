// Mirrors SEED models/seed_qformer/vit.py (Block with qkv_bias=True, no mask).
#include "vision/vit_block.h"

#include <ATen/ATen.h>

#include <cmath>

namespace seedcanvas::vision {

VitAttention::VitAttention(const VitBlockDims& d) : num_heads(d.heads) {
  qkv = std::make_unique<nn::Linear>(d.dim, 3 * d.dim);
  proj = std::make_unique<nn::Linear>(d.dim, d.dim);
  register_module("qkv", qkv.get());
  register_module("proj", proj.get());
}

at::Tensor VitAttention::forward(const at::Tensor& x) const {
  const auto B = x.size(0), N = x.size(1), C = x.size(2);
  auto qkv_out = qkv->forward(x).reshape({B, N, 3, num_heads, C / num_heads}).permute({2, 0, 3, 1, 4});  // [3, B, H, N, hd]
  auto q = qkv_out[0], k = qkv_out[1], v = qkv_out[2];
  const double scale = 1.0 / std::sqrt(static_cast<double>(C / num_heads));
  auto attn = at::matmul(q, k.transpose(-2, -1)) * scale;  // scaled after q.k like upstream
  attn = at::softmax(attn, -1, at::kFloat).to(v.scalar_type());
  return proj->forward(at::matmul(attn, v).transpose(1, 2).reshape({B, N, C}));
}

VitMlp::VitMlp(std::int64_t dim, std::int64_t hidden) {
  fc1 = std::make_unique<nn::Linear>(dim, hidden);
  fc2 = std::make_unique<nn::Linear>(hidden, dim);
  register_module("fc1", fc1.get());
  register_module("fc2", fc2.get());
}

at::Tensor VitMlp::forward(const at::Tensor& x) const { return fc2->forward(at::gelu(fc1->forward(x))); }

VitBlock::VitBlock(const VitBlockDims& d) {
  norm1 = std::make_unique<nn::LayerNorm>(d.dim, d.eps);
  attn = std::make_unique<VitAttention>(d);
  norm2 = std::make_unique<nn::LayerNorm>(d.dim, d.eps);
  mlp = std::make_unique<VitMlp>(d.dim, d.mlp_hidden);
  register_module("norm1", norm1.get());
  register_module("attn", attn.get());
  register_module("norm2", norm2.get());
  register_module("mlp", mlp.get());
}

at::Tensor VitBlock::forward(const at::Tensor& x) const {
  auto h = x + attn->forward(norm1->forward(x));
  return h + mlp->forward(norm2->forward(h));
}

}  // namespace seedcanvas::vision
