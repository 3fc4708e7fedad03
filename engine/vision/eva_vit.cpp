// Mirrors SEED models/seed_qformer/eva_vit.py (VisionTransformer.forward_features).
#include "vision/eva_vit.h"

#include <ATen/ATen.h>

namespace seedcanvas::vision {

EvaAttention::EvaAttention(const EvaVitDims& d) : num_heads(d.heads) {
  qkv = std::make_unique<nn::Linear>(d.width, 3 * d.all_head_dim, /*bias=*/false);
  proj = std::make_unique<nn::Linear>(d.all_head_dim, d.width);
  register_module("qkv", qkv.get());
  register_parameter("q_bias", &q_bias, {d.all_head_dim});
  register_parameter("v_bias", &v_bias, {d.all_head_dim});
  register_module("proj", proj.get());
}

at::Tensor EvaAttention::forward(const at::Tensor& x) const {
  const auto B = x.size(0), N = x.size(1);
  // k has no bias: the fused bias is (q_bias, 0, v_bias).
  auto bias = at::cat({q_bias, at::zeros_like(v_bias), v_bias});
  auto qkv_out = at::linear(x, qkv->weight, bias);                            // [B, N, 3*A]
  qkv_out = qkv_out.reshape({B, N, 3, num_heads, -1}).permute({2, 0, 3, 1, 4});  // [3, B, H, N, hd]
  auto q = qkv_out[0], k = qkv_out[1], v = qkv_out[2];
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  q = q * scale;  // scaled before q.k like upstream
  auto attn = at::matmul(q, k.transpose(-2, -1));                             // [B, H, N, N]
  attn = at::softmax(attn, -1, at::kFloat).to(v.scalar_type());
  auto out = at::matmul(attn, v).transpose(1, 2).reshape({B, N, -1});         // [B, N, A]
  return proj->forward(out);                                                  // [B, N, width]
}

EvaMlp::EvaMlp(std::int64_t dim, std::int64_t hidden) {
  fc1 = std::make_unique<nn::Linear>(dim, hidden);
  fc2 = std::make_unique<nn::Linear>(hidden, dim);
  register_module("fc1", fc1.get());
  register_module("fc2", fc2.get());
}

at::Tensor EvaMlp::forward(const at::Tensor& x) const { return fc2->forward(at::gelu(fc1->forward(x))); }

EvaBlock::EvaBlock(const EvaVitDims& d) {
  norm1 = std::make_unique<nn::LayerNorm>(d.width, d.eps);
  attn = std::make_unique<EvaAttention>(d);
  norm2 = std::make_unique<nn::LayerNorm>(d.width, d.eps);
  mlp = std::make_unique<EvaMlp>(d.width, d.mlp_hidden);
  register_module("norm1", norm1.get());
  register_module("attn", attn.get());
  register_module("norm2", norm2.get());
  register_module("mlp", mlp.get());
}

at::Tensor EvaBlock::forward(const at::Tensor& x) const {
  auto h = x + attn->forward(norm1->forward(x));  // pre-LN, no layer scale (init_values None)
  return h + mlp->forward(norm2->forward(h));
}

PatchEmbed::PatchEmbed(const EvaVitDims& d) {
  proj = std::make_unique<nn::Conv2d>(d.in_chans, d.width, d.patch, /*stride=*/d.patch);
  register_module("proj", proj.get());
}

at::Tensor PatchEmbed::forward(const at::Tensor& x) const {
  return proj->forward(x).flatten(2).transpose(1, 2);  // [B, C, h, w] -> [B, h*w, C], row-major patches
}

EvaVisionTransformer::EvaVisionTransformer(const EvaVitDims& d) : dims(d) {
  register_parameter("cls_token", &cls_token, {1, 1, d.width});
  register_parameter("pos_embed", &pos_embed, {1, d.num_positions, d.width});
  patch_embed = std::make_unique<PatchEmbed>(d);
  register_module("patch_embed", patch_embed.get());
  blocks = std::make_unique<ModuleList<EvaBlock>>();
  for (std::int64_t i = 0; i < d.depth; ++i) blocks->add(std::make_unique<EvaBlock>(d));
  register_module("blocks", blocks.get());
}

at::Tensor EvaVisionTransformer::forward(const at::Tensor& pixels) const {
  auto x = patch_embed->forward(pixels.to(cls_token.scalar_type()));  // [B, P, C]
  auto cls = cls_token.expand({x.size(0), -1, -1});
  x = at::cat({cls, x}, 1) + pos_embed;                                // [B, 1 + P, C]
  for (const auto& blk : *blocks) x = blk->forward(x);
  return x;  // no final norm: BLIP-2 applies its own ln_vision
}

}  // namespace seedcanvas::vision
