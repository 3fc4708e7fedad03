// Cheap previews of the latents while the denoising loop runs.
//
// The latent -> RGB map is linear (rgb = z . W + b, per latent pixel). Its coefficients are not
// a constant table: they are fitted here, once per VAE, by least squares on a few random
// latents decoded by that VAE (average-pooled to latent resolution). That is the same idea as
// the widely used hand-made SD latent->RGB approximation, but it holds for whatever VAE (and
// latent channel count) is loaded, including the tiny test models.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>

namespace seedcanvas::diffusion {

class LatentPreview {
 public:
  LatentPreview() = default;
  // weight [C,3], bias [3] (float32): rgb in roughly [-1,1].
  LatentPreview(at::Tensor weight, at::Tensor bias);

  // Fits the map from `decode` (scaled latents [B,C,h,w] -> image [B,3,f*h,f*w] in [-1,1]) on
  // `batches` deterministic random latents of `side` x `side`. Throws on a non-square factor.
  static LatentPreview fit(const std::function<at::Tensor(const at::Tensor&)>& decode, std::int64_t latent_channels,
                           std::int64_t side = 16, std::int64_t batches = 2, std::uint64_t seed = 1234);

  bool valid() const { return weight_.defined(); }
  // latents [1,C,h,w] (any device/dtype) -> uint8 RGB [h,w,3] on the CPU.
  at::Tensor render(const at::Tensor& latents) const;

  const at::Tensor& weight() const { return weight_; }
  const at::Tensor& bias() const { return bias_; }

 private:
  at::Tensor weight_, bias_;
};

// An image in [-1,1] [B,3,H,W] -> uint8 [B,H,W,3] on the CPU, as diffusers' VaeImageProcessor
// postprocess: clamp(x/2 + 0.5, 0, 1), then round(x * 255) (half to even, like numpy).
at::Tensor to_uint8_hwc(const at::Tensor& image);
// The float form of the same: clamp(x/2 + 0.5, 0, 1), NHWC float32 on the CPU.
at::Tensor to_unit_nhwc(const at::Tensor& image);

}  // namespace seedcanvas::diffusion
