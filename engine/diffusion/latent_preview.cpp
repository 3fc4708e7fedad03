// Latent previews: a least-squares linear latent -> RGB map per VAE, and the postprocess.
#include "diffusion/latent_preview.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "core/error.h"

namespace seedcanvas::diffusion {

LatentPreview::LatentPreview(at::Tensor weight, at::Tensor bias)
    : weight_(weight.to(at::kCPU, at::kFloat).contiguous()), bias_(bias.to(at::kCPU, at::kFloat).contiguous()) {
  if (weight_.dim() != 2 || weight_.size(1) != 3 || bias_.numel() != 3)
    throw_error(ErrorKind::Internal, "LatentPreview: weight must be [C,3] and bias [3]");
}

LatentPreview LatentPreview::fit(const std::function<at::Tensor(const at::Tensor&)>& decode,
                                 std::int64_t latent_channels, std::int64_t side, std::int64_t batches,
                                 std::uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  std::vector<at::Tensor> xs, ys;
  for (std::int64_t b = 0; b < batches; ++b) {
    // Scaled latents have roughly unit variance, so standard normals cover their range.
    auto z = at::randn({1, latent_channels, side, side}, gen, at::TensorOptions().dtype(at::kFloat));
    auto img = decode(z).to(at::kCPU, at::kFloat);  // [1,3,f*side,f*side]
    if (img.dim() != 4 || img.size(1) != 3 || img.size(2) % side != 0 || img.size(2) / side != img.size(3) / side)
      throw_error(ErrorKind::Internal, "LatentPreview::fit: decoder output has an unexpected shape");
    const auto f = img.size(2) / side;
    auto pooled = at::avg_pool2d(img, {f, f});                    // [1,3,side,side]
    xs.push_back(z.permute({0, 2, 3, 1}).reshape({-1, latent_channels}));  // [side^2, C]
    ys.push_back(pooled.permute({0, 2, 3, 1}).reshape({-1, 3}));           // [side^2, 3]
  }
  auto x = at::cat(xs).to(at::kDouble);
  auto y = at::cat(ys).to(at::kDouble);
  auto xa = at::cat({x, at::ones({x.size(0), 1}, x.options())}, 1);  // [N, C+1] with a bias column
  // Normal equations with a tiny ridge (well conditioned: N >> C + 1).
  auto xtx = xa.t().mm(xa) + 1e-6 * at::eye(xa.size(1), xa.options());
  auto sol = at::linalg_solve(xtx, xa.t().mm(y));  // [C+1, 3]
  return LatentPreview(sol.narrow(0, 0, latent_channels).to(at::kFloat), sol[latent_channels].to(at::kFloat));
}

at::Tensor LatentPreview::render(const at::Tensor& latents) const {
  if (!valid()) throw_error(ErrorKind::Internal, "LatentPreview: not fitted");
  auto z = latents.detach().to(at::kCPU, at::kFloat);
  if (z.dim() != 4 || z.size(1) != weight_.size(0))
    throw_error(ErrorKind::Internal, "LatentPreview: latents do not match the fitted channel count");
  auto rgb = at::matmul(z[0].permute({1, 2, 0}), weight_) + bias_;  // [h,w,C] x [C,3] -> [h,w,3]
  return ((rgb / 2 + 0.5).clamp(0, 1) * 255).round().to(at::kByte).contiguous();
}

at::Tensor to_unit_nhwc(const at::Tensor& image) {
  return (image.detach().to(at::kCPU, at::kFloat) / 2 + 0.5).clamp(0, 1).permute({0, 2, 3, 1}).contiguous();
}

at::Tensor to_uint8_hwc(const at::Tensor& image) {
  return (to_unit_nhwc(image) * 255).round().to(at::kByte).contiguous();
}

}  // namespace seedcanvas::diffusion
