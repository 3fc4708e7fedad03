#include "diffusion/noise_augmentation.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/unet_embeddings.h"

namespace seedcanvas::diffusion {

at::Tensor ddpm_alphas_cumprod(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw_format(file, "scheduler config is not a JSON object");
  const auto steps = json_get<std::int64_t>(j, "num_train_timesteps", 1000, file);
  if (steps <= 0 || steps > 100000) throw_error(ErrorKind::Config, describe(file, "'num_train_timesteps' is out of range"));
  at::Tensor betas;
  if (auto it = j.find("trained_betas"); it != j.end() && !it->is_null()) {
    auto list = json_get<std::vector<double>>(j, "trained_betas", {}, file);
    if (static_cast<std::int64_t>(list.size()) != steps)
      throw_error(ErrorKind::Config, describe(file, "'trained_betas' must have num_train_timesteps entries"));
    betas = at::tensor(list, at::kDouble).to(at::kFloat);
  } else {
    const auto schedule = json_get<std::string>(j, "beta_schedule", "linear", file);
    const auto start = json_get<double>(j, "beta_start", 0.0001, file);
    const auto end = json_get<double>(j, "beta_end", 0.02, file);
    if (schedule == "linear") {
      betas = at::linspace(start, end, steps, at::kFloat);
    } else if (schedule == "scaled_linear") {
      betas = at::linspace(std::sqrt(start), std::sqrt(end), steps, at::kFloat).pow(2);
    } else if (schedule == "squaredcos_cap_v2") {
      // Glide cosine schedule, in double as Python computes it, then float32.
      auto alpha_bar = [](double t) {
        const double c = std::cos((t + 0.008) / 1.008 * M_PI / 2);
        return c * c;
      };
      std::vector<double> b(steps);
      for (std::int64_t i = 0; i < steps; ++i) {
        const double t1 = static_cast<double>(i) / steps, t2 = static_cast<double>(i + 1) / steps;
        b[i] = std::min(1 - alpha_bar(t2) / alpha_bar(t1), 0.999);
      }
      betas = at::tensor(b, at::kDouble).to(at::kFloat);
    } else {
      throw_error(ErrorKind::Unsupported, describe(file, "'beta_schedule' value \"" + schedule + "\" is not supported"));
    }
  }
  auto alphas = 1.0 - betas;          // float32
  return at::cumprod(alphas, 0);      // [T] float32
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
