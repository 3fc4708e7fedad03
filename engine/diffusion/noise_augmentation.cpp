#include "diffusion/noise_augmentation.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/scheduler.h"
#include "diffusion/unet_embeddings.h"

namespace seedcanvas::diffusion {

at::Tensor ddpm_alphas_cumprod(const nlohmann::json& j, const std::string& file) {
  // The same schedule code the denoising schedulers use (scheduler.cpp), DDPM's defaults.
  const auto schedule = read_noise_schedule(j, NoiseScheduleConfig{}, file);
  return alphas_cumprod_from_betas(make_betas(schedule, file));  // [T] float32
}

StableUnCLIPImageNormalizer::StableUnCLIPImageNormalizer(std::int64_t dim) {
  // fp32 always: the conditioning vector is tiny and feeds the class embedding.
  register_parameter("mean", &mean, {1, dim}, /*keep_dtype=*/true);
  register_parameter("std", &std, {1, dim}, /*keep_dtype=*/true);
}

at::Tensor StableUnCLIPImageNormalizer::scale(const at::Tensor& x) const {
  // Upstream writes (x - mean) * 1.0 / std: a division, kept for bitwise agreement.
  return (x - mean.to(x.device(), x.scalar_type())) / std.to(x.device(), x.scalar_type());
}

at::Tensor StableUnCLIPImageNormalizer::unscale(const at::Tensor& x) const {
  return x * std.to(x.device(), x.scalar_type()) + mean.to(x.device(), x.scalar_type());
}

NoiseAugmentor::NoiseAugmentor(std::int64_t dim, at::Tensor table)
    : image_normalizer(dim), alphas_cumprod(std::move(table)), embedding_dim_(dim) {}

at::Tensor NoiseAugmentor::noise_image_embeddings(const at::Tensor& image_embeds, std::int64_t noise_level,
                                                  const at::Tensor& noise) const {
  if (image_embeds.dim() != 2 || image_embeds.size(1) != embedding_dim_)
    throw_error(ErrorKind::Config, "noise augmentation: image embeddings must be [B," + std::to_string(embedding_dim_) + "]");
  if (!noise.defined() || noise.sizes() != image_embeds.sizes())
    throw_error(ErrorKind::Config, "noise augmentation: noise must have the shape of the image embeddings");
  if (noise_level < 0 || noise_level >= num_train_timesteps())
    throw_error(ErrorKind::Config, "noise augmentation: noise_level " + std::to_string(noise_level) + " is outside [0, " +
                                       std::to_string(num_train_timesteps()) + ")");
  const auto device = image_embeds.device();
  auto x = image_normalizer.scale(image_embeds.to(at::kFloat));
  // DDPMScheduler.add_noise: sqrt(abar_t) x + sqrt(1 - abar_t) n, all float32.
  auto abar = alphas_cumprod.select(0, noise_level);
  auto sqrt_alpha = abar.pow(0.5).to(device);
  auto sqrt_one_minus = (1.0 - abar).pow(0.5).to(device);
  x = sqrt_alpha * x + sqrt_one_minus * noise.to(device, at::kFloat);
  x = image_normalizer.unscale(x);
  auto levels = at::full({image_embeds.size(0)}, noise_level, at::TensorOptions().dtype(at::kLong).device(device));
  auto level_emb = get_timestep_embedding(levels, embedding_dim_, /*flip_sin_to_cos=*/true, /*shift=*/0);
  return at::cat({x, level_emb}, 1);  // [B,2E]
}

}  // namespace seedcanvas::diffusion
