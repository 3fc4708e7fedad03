#include "diffusion/unet_transformer_2d.h"

#include <ATen/ATen.h>

#include "diffusion/unet_resnet.h"

namespace seedcanvas::diffusion {
namespace {

Attention::Options attention_options(std::int64_t dim, std::int64_t heads, std::int64_t dim_head,
                                     std::int64_t cross_dim) {
  Attention::Options o;
  o.query_dim = dim;
  o.cross_attention_dim = cross_dim;
  o.heads = heads;
  o.dim_head = dim_head;
  o.bias = false;  // attention_bias is false in every SD UNet
  return o;
}

}  // namespace

BasicTransformerBlock::BasicTransformerBlock(std::int64_t dim, std::int64_t heads, std::int64_t dim_head,
                                             std::int64_t cross_attention_dim)
    : norm1(dim, 1e-5),
      attn1(attention_options(dim, heads, dim_head, 0)),
      norm2(dim, 1e-5),
      attn2(attention_options(dim, heads, dim_head, cross_attention_dim)),
      norm3(dim, 1e-5),
      ff_net_0_proj(dim, dim * 4 * 2),
      ff_net_2(dim * 4, dim) {
  register_module("norm1", &norm1);
  register_module("attn1", &attn1);
  register_module("norm2", &norm2);
  register_module("attn2", &attn2);
  register_module("norm3", &norm3);
  register_module("ff.net.0.proj", &ff_net_0_proj);
  register_module("ff.net.2", &ff_net_2);
}

at::Tensor BasicTransformerBlock::forward(const at::Tensor& x_in, const at::Tensor& context) const {
  auto x = attn1.forward(norm1.forward(x_in)) + x_in;
  x = attn2.forward(norm2.forward(x), context) + x;
  auto proj = ff_net_0_proj.forward(norm3.forward(x));  // [B,N,8*dim]
  auto parts = proj.chunk(2, -1);                       // GEGLU: value, gate
  auto ff = ff_net_2.forward(parts[0] * at::gelu(parts[1]));
  return ff + x;
}

Transformer2DModel::Transformer2DModel(std::int64_t heads, std::int64_t dim_head, std::int64_t in_channels,
                                       std::int64_t num_layers, std::int64_t cross_attention_dim,
                                       std::int64_t norm_num_groups, bool use_linear_projection)
    : norm(norm_num_groups, in_channels, 1e-6) {
  const std::int64_t inner = heads * dim_head;
  register_module("norm", &norm);
  if (use_linear_projection) {
    proj_in_linear = std::make_unique<nn::Linear>(in_channels, inner);
    register_module("proj_in", proj_in_linear.get());
  } else {
    proj_in_conv = std::make_unique<nn::Conv2d>(in_channels, inner, 1);
    register_module("proj_in", proj_in_conv.get());
  }
  for (std::int64_t i = 0; i < num_layers; ++i) {
    transformer_blocks.push_back(std::make_unique<BasicTransformerBlock>(inner, heads, dim_head, cross_attention_dim));
    register_module("transformer_blocks." + std::to_string(i), transformer_blocks.back().get());
  }
  if (use_linear_projection) {
    proj_out_linear = std::make_unique<nn::Linear>(inner, in_channels);
    register_module("proj_out", proj_out_linear.get());
  } else {
    proj_out_conv = std::make_unique<nn::Conv2d>(inner, in_channels, 1);
    register_module("proj_out", proj_out_conv.get());
  }
}

at::Tensor Transformer2DModel::forward(const at::Tensor& x, const at::Tensor& context) const {
  const auto b = x.size(0), h = x.size(2), w = x.size(3);
  auto y = group_norm(norm, x);
  auto to_seq = [&](const at::Tensor& t) { return t.permute({0, 2, 3, 1}).reshape({b, h * w, t.size(1)}); };
  if (proj_in_linear)
    y = proj_in_linear->forward(to_seq(y));  // [B,HW,inner]
  else
    y = to_seq(proj_in_conv->forward(y));
  for (const auto& block : transformer_blocks) y = block->forward(y, context);
  auto to_map = [&](const at::Tensor& t) { return t.reshape({b, h, w, t.size(2)}).permute({0, 3, 1, 2}); };
  if (proj_out_linear)
    y = to_map(proj_out_linear->forward(y)).contiguous(x.suggest_memory_format());  // [B,C,H,W]
  else
    y = proj_out_conv->forward(to_map(y).contiguous(x.suggest_memory_format()));
  return y + x;
}

}  // namespace seedcanvas::diffusion
