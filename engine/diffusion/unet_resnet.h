// ResNet blocks and resampling as diffusers' models/resnet.py (ResnetBlock2D with
// time_embedding_norm "default", Downsample2D and Upsample2D with use_conv=True).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::diffusion {

// GroupNorm that runs in fp32 where reduced-precision CPU kernels are missing or lossy.
// Inside a GroupNormStatsScope it records, or replays, per-group statistics in call order.
at::Tensor group_norm(const nn::GroupNorm& norm, const at::Tensor& x);

// Tiled decoding normalises every tile with statistics of the whole image (estimated on a
// downscaled decode), not of the tile, so tiles agree in brightness and contrast.
struct GroupNormStats {
  std::vector<at::Tensor> mean, var;  // per group_norm call: [G] float32
  std::size_t next = 0;
  bool recording = true;
};

class GroupNormStatsScope {
 public:
  explicit GroupNormStatsScope(GroupNormStats& stats);
  ~GroupNormStatsScope();
  GroupNormStatsScope(const GroupNormStatsScope&) = delete;
  GroupNormStatsScope& operator=(const GroupNormStatsScope&) = delete;

 private:
  GroupNormStats* previous_;
};

class ResnetBlock2D : public nn::Module {
 public:
  // temb_channels 0: no time embedding (VAE).
  ResnetBlock2D(std::int64_t in_channels, std::int64_t out_channels, std::int64_t temb_channels, std::int64_t groups,
                double eps, double output_scale_factor = 1.0);
  at::Tensor forward(const at::Tensor& x, const at::Tensor& temb = {}) const;

  nn::GroupNorm norm1;
  nn::Conv2d conv1;
  std::unique_ptr<nn::Linear> time_emb_proj;
  nn::GroupNorm norm2;
  nn::Conv2d conv2;
  std::unique_ptr<nn::Conv2d> conv_shortcut;  // 1x1 when in != out
  double output_scale_factor;
};

class Downsample2D : public nn::Module {
 public:
  Downsample2D(std::int64_t channels, std::int64_t out_channels, std::int64_t padding);
  at::Tensor forward(const at::Tensor& x) const;
  nn::Conv2d conv;
  std::int64_t padding;
};

class Upsample2D : public nn::Module {
 public:
  Upsample2D(std::int64_t channels, std::int64_t out_channels);
  // Nearest x2 (or to `size` [h,w] when given, for odd skip sizes), then conv 3x3.
  at::Tensor forward(const at::Tensor& x, std::optional<std::vector<std::int64_t>> size = std::nullopt) const;
  nn::Conv2d conv;
};

}  // namespace seedcanvas::diffusion
