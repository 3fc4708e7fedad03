#include "diffusion/unet_resnet.h"

#include <ATen/ATen.h>

namespace seedcanvas::diffusion {

at::Tensor group_norm(const nn::GroupNorm& norm, const at::Tensor& x) {
  const auto type = x.scalar_type();
  if (x.is_cpu() && (type == at::kHalf || type == at::kBFloat16)) {
    auto w = norm.weight.defined() ? norm.weight.to(at::kFloat) : at::Tensor();
    auto b = norm.bias.defined() ? norm.bias.to(at::kFloat) : at::Tensor();
    return at::group_norm(x.to(at::kFloat), norm.num_groups, w, b, norm.eps).to(type);
  }
  return norm.forward(x);
}

ResnetBlock2D::ResnetBlock2D(std::int64_t in, std::int64_t out, std::int64_t temb_channels, std::int64_t groups,
                             double eps, double scale)
    : norm1(groups, in, eps),
      conv1(in, out, 3, 1, 1),
      norm2(groups, out, eps),
      conv2(out, out, 3, 1, 1),
      output_scale_factor(scale) {
  register_module("norm1", &norm1);
  register_module("conv1", &conv1);
  if (temb_channels > 0) {
    time_emb_proj = std::make_unique<nn::Linear>(temb_channels, out);
    register_module("time_emb_proj", time_emb_proj.get());
  }
  register_module("norm2", &norm2);
  register_module("conv2", &conv2);
  if (in != out) {
    conv_shortcut = std::make_unique<nn::Conv2d>(in, out, 1);
    register_module("conv_shortcut", conv_shortcut.get());
  }
}

at::Tensor ResnetBlock2D::forward(const at::Tensor& x, const at::Tensor& temb) const {
  auto h = conv1.forward(at::silu(group_norm(norm1, x)));
  if (time_emb_proj && temb.defined())
    h = h + time_emb_proj->forward(at::silu(temb)).unsqueeze(-1).unsqueeze(-1);  // [B,out,1,1]
  h = conv2.forward(at::silu(group_norm(norm2, h)));
  auto shortcut = conv_shortcut ? conv_shortcut->forward(x) : x;
  auto out = shortcut + h;
  return output_scale_factor == 1.0 ? out : out / output_scale_factor;
}

Downsample2D::Downsample2D(std::int64_t channels, std::int64_t out, std::int64_t pad)
    : conv(channels, out, 3, 2, pad), padding(pad) {
  register_module("conv", &conv);
}

at::Tensor Downsample2D::forward(const at::Tensor& x) const {
  // padding 0 means diffusers' asymmetric (0,1,0,1) pad before the stride-2 conv.
  if (padding == 0) return conv.forward(at::constant_pad_nd(x, {0, 1, 0, 1}, 0));
  return conv.forward(x);  // [B,C,H,W] -> [B,out,H/2,W/2]
}

Upsample2D::Upsample2D(std::int64_t channels, std::int64_t out) : conv(channels, out, 3, 1, 1) {
  register_module("conv", &conv);
}

at::Tensor Upsample2D::forward(const at::Tensor& x, std::optional<std::vector<std::int64_t>> size) const {
  // Older CPU kernels lack bf16 nearest upsampling; diffusers also upcasts bf16 here.
  const auto type = x.scalar_type();
  auto in = type == at::kBFloat16 ? x.to(at::kFloat) : x;
  at::Tensor up;
  if (size)
    up = at::upsample_nearest2d(in, *size);
  else
    up = at::upsample_nearest2d(in, {x.size(2) * 2, x.size(3) * 2});  // [B,C,2H,2W]
  if (type == at::kBFloat16) up = up.to(type);
  return conv.forward(up);
}

}  // namespace seedcanvas::diffusion
