#include "diffusion/unet_resnet.h"

#include <ATen/ATen.h>

#include "core/error.h"

namespace seedcanvas::diffusion {
namespace {

thread_local GroupNormStats* t_stats = nullptr;

at::Tensor group_norm_with_stats(const nn::GroupNorm& norm, const at::Tensor& x, GroupNormStats& stats) {
  const auto b = x.size(0), g = norm.num_groups;
  auto xf = x.to(at::kFloat).reshape({b, g, -1});  // [B,G,C/G*H*W]
  if (stats.recording) {
    // Batch-averaged: the statistics describe the picture, whatever the tile.
    stats.mean.push_back(xf.mean(at::IntArrayRef{0, 2}));
    stats.var.push_back(at::var(xf, at::IntArrayRef{2}, /*unbiased=*/false).mean(0));
  } else if (stats.next >= stats.mean.size()) {
    throw_error(ErrorKind::Internal, "group norm statistics replayed past the recorded calls");
  }
  const auto& mean = stats.recording ? stats.mean.back() : stats.mean[stats.next];
  const auto& var = stats.recording ? stats.var.back() : stats.var[stats.next];
  if (!stats.recording) ++stats.next;
  auto y = (xf - mean.view({1, g, 1})) * at::rsqrt(var.view({1, g, 1}) + norm.eps);
  y = y.reshape(x.sizes());
  if (norm.weight.defined()) {
    std::vector<std::int64_t> shape(x.dim(), 1);
    shape[1] = x.size(1);
    y = y * norm.weight.to(at::kFloat).view(shape) + norm.bias.to(at::kFloat).view(shape);
  }
  return y.to(x.scalar_type()).contiguous(x.suggest_memory_format());
}

}  // namespace

GroupNormStatsScope::GroupNormStatsScope(GroupNormStats& stats) : previous_(t_stats) { t_stats = &stats; }
GroupNormStatsScope::~GroupNormStatsScope() { t_stats = previous_; }

at::Tensor group_norm(const nn::GroupNorm& norm, const at::Tensor& x) {
  if (t_stats) return group_norm_with_stats(norm, x, *t_stats);
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
