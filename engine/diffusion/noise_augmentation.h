// unCLIP image-embedding noise augmentation as diffusers'
// pipelines/stable_diffusion/pipeline_stable_unclip_img2img.py `noise_image_embeddings`, with
// stable_unclip_image_normalizer.py `StableUnCLIPImageNormalizer` (mean/std) and the
// DDPMScheduler (image_noising_scheduler) alphas_cumprod table used by its add_noise.
#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>

#include "nn/module.h"

namespace seedcanvas::diffusion {

// alphas_cumprod of a DDPM-style schedule from a scheduler_config.json (beta_schedule linear |
// scaled_linear | squaredcos_cap_v2, or trained_betas): betas in double, then float32 as diffusers.
at::Tensor ddpm_alphas_cumprod(const nlohmann::json& scheduler_config, const std::string& file);

// The learned normaliser: image_normalizer/ weights `mean`, `std` [1,E].
class StableUnCLIPImageNormalizer : public nn::Module {
 public:
  explicit StableUnCLIPImageNormalizer(std::int64_t embedding_dim);
  at::Tensor scale(const at::Tensor& embeds) const;    // (x - mean) / std
  at::Tensor unscale(const at::Tensor& embeds) const;  // x * std + mean
  at::Tensor mean, std;
};

class NoiseAugmentor {
 public:
  // image_normalizer/config.json gives embedding_dim; image_noising_scheduler gives the table.
  NoiseAugmentor(std::int64_t embedding_dim, at::Tensor alphas_cumprod);

  // image_embeds [B,E], noise [B,E] -> [B,2E] float32 = cat(unscale(add_noise(scale(x), noise,
  // level)), timestep_embedding(level, E, cos first)). Runs in float32 on the inputs' device.
  at::Tensor noise_image_embeddings(const at::Tensor& image_embeds, std::int64_t noise_level,
                                    const at::Tensor& noise) const;

  std::int64_t embedding_dim() const { return embedding_dim_; }
  std::int64_t num_train_timesteps() const { return alphas_cumprod.size(0); }

  StableUnCLIPImageNormalizer image_normalizer;
  at::Tensor alphas_cumprod;  // [T] float32, CPU

 private:
  std::int64_t embedding_dim_;
};

}  // namespace seedcanvas::diffusion
