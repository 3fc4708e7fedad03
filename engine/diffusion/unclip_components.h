// Everything the unCLIP decoder needs from a stable-diffusion-2-1-unclip folder
// (diffusers StableUnCLIPImg2ImgPipeline.from_pretrained, minus the unused CLIP image encoder
// and feature extractor): UNet, VAE decoder, text encoder + tokenizer (for the cached empty
// prompt), noise augmentation, and the parsed configs the scheduler/pipeline read.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "diffusion/clip_bpe.h"
#include "diffusion/clip_text_encoder.h"
#include "diffusion/noise_augmentation.h"
#include "diffusion/unet.h"
#include "diffusion/vae.h"

namespace seedcanvas::diffusion {

struct UnclipLoadOptions {
  c10::Device device = c10::kCPU;
  c10::ScalarType dtype = c10::ScalarType::Float;  // UNet, VAE and text encoder weights
  // Convolution layout per network: on an H200 in fp16 at 768 px channels-last made a UNet call
  // 20.3 ms instead of 21.9 and a VAE decode 67.1 ms instead of 49.1 (BENCHMARKS.md), so the
  // pipeline asks for it on the UNet only, on CUDA.
  bool channels_last = false;      // UNet
  bool vae_channels_last = false;  // VAE decoder
  VaeTiling vae_tiling;
  // Keep the text encoder after caching the empty prompt (needed for encode_prompt of other
  // prompts); otherwise its weights are freed once the empty-prompt embedding is cached.
  bool keep_text_encoder = false;
  // (tensors loaded, total) over all components; returning false cancels with Error(Cancelled).
  std::function<bool(std::size_t, std::size_t)> progress;
};

struct UnclipConfigs {
  nlohmann::json model_index;
  nlohmann::json scheduler;                // scheduler/scheduler_config.json as written
  nlohmann::json image_noising_scheduler;  // image_noising_scheduler/scheduler_config.json
  UNet2DConditionConfig unet;
  AutoencoderKLConfig vae;
  CLIPTextConfig text_encoder;
  std::int64_t image_embedding_dim = 0;    // image_normalizer/config.json embedding_dim
};

class UnclipComponents {
 public:
  static std::unique_ptr<UnclipComponents> load(const std::filesystem::path& dir, c10::Device device,
                                                c10::ScalarType dtype);
  static std::unique_ptr<UnclipComponents> load(const std::filesystem::path& dir, const UnclipLoadOptions& options);
  UnclipComponents(const UnclipComponents&) = delete;
  UnclipComponents& operator=(const UnclipComponents&) = delete;

  // Empty-prompt encoder states [1,77,D] in the model dtype on the device, computed at load.
  const at::Tensor& empty_prompt_embeds() const { return empty_prompt_embeds_; }
  // [1,77,D] for any prompt ("" returns the cache). Needs keep_text_encoder for other prompts.
  at::Tensor encode_prompt(const std::string& prompt) const;
  // Image pixels per latent pixel (8 for SD).
  std::int64_t vae_scale_factor() const { return configs.vae.scale_factor(); }
  // Default output size: unet sample_size * vae_scale_factor (768 for the real model).
  std::int64_t default_image_size() const { return configs.unet.sample_size * vae_scale_factor(); }

  std::filesystem::path dir;
  c10::Device device;
  c10::ScalarType dtype;
  UnclipConfigs configs;
  UNet2DConditionModel unet;
  AutoencoderKLDecoder vae;
  NoiseAugmentor noise;
  CLIPTokenizer tokenizer;
  CLIPTextEncoder text_encoder;

 private:
  UnclipComponents(std::filesystem::path dir, UnclipConfigs configs, const UnclipLoadOptions& options);
  at::Tensor empty_prompt_embeds_;
};

}  // namespace seedcanvas::diffusion
