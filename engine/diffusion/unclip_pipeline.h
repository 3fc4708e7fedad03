// The unCLIP denoising loop SEED decodes images with: SEED's copy of diffusers 0.20.2
// pipelines/stable_diffusion/pipeline_stable_unclip_img2img.py `StableUnCLIPImg2ImgPipeline.__call__`
// (image embeds given, prompt "", negative_image_embeds optional), with streaming previews and
// cancellation added.
//
// embedding [1,E] -> noise augmentation -> class labels [uncond; cond] (uncond = zeros, or the
// augmented negative embedding) -> per timestep: UNet on [x, x] with the empty-prompt states,
// guided = uncond + g (cond - uncond) -> scheduler.step -> VAE decode -> uint8 HWC.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/image.h"
#include "diffusion/latent_preview.h"
#include "diffusion/scheduler.h"

namespace seedcanvas::diffusion {

class UnclipComponents;
struct UnclipLoadOptions;

// Sizes the loop takes from the loaded configs.
struct UnclipGeometry {
  std::int64_t latent_channels = 4;
  std::int64_t sample_size = 96;        // unet sample_size (latent pixels)
  std::int64_t vae_scale_factor = 8;    // 2^(len(vae block_out_channels) - 1)
  std::int64_t embedding_dim = 1024;    // image embedding E (class labels are 2E)
  std::int64_t noise_train_timesteps = 1000;  // image_noising_scheduler
  c10::Device device = c10::kCPU;
  c10::ScalarType dtype = c10::ScalarType::Float;  // network dtype
};

// What the loop needs from the networks. UnclipComponents provides the real ones
// (networks_from_components); tests may substitute light fakes.
class UnclipNetworks {
 public:
  virtual ~UnclipNetworks() = default;
  virtual UnclipGeometry geometry() const = 0;
  // sample [B,C,h,w] (network dtype, device), encoder states [B,77,D], class labels [B,2E]
  // -> model output [B,C,h,w].
  virtual at::Tensor unet(const at::Tensor& sample, std::int64_t timestep, const at::Tensor& encoder_hidden_states,
                          const at::Tensor& class_labels) = 0;
  // Scaled latents [B,C,h,w] -> image [B,3,f*h,f*w] roughly in [-1,1].
  virtual at::Tensor vae_decode(const at::Tensor& latents) = 0;
  // embeds [B,E], noise [B,E] (float32, device) -> [B,2E] float32.
  virtual at::Tensor noise_image_embeddings(const at::Tensor& embeds, std::int64_t noise_level,
                                            const at::Tensor& noise) = 0;
  // Encoder states of the empty prompt [1,77,D] (network dtype, device).
  virtual at::Tensor empty_prompt_embeds() = 0;
  // scheduler/scheduler_config.json as written, and its path (for messages).
  virtual const nlohmann::json& scheduler_config() const = 0;
  virtual std::string scheduler_config_file() const = 0;
};

// Borrows `components` (which must outlive the result).
std::unique_ptr<UnclipNetworks> networks_from_components(UnclipComponents& components);

enum class PreviewMode { None, Latent, Vae };

struct StepInfo {
  std::int64_t index = 0;  // 0-based model call
  std::int64_t total = 0;  // model calls in this run (PNDM: steps + 1)
  std::int64_t timestep = 0;
  at::Tensor preview;      // uint8 [h,w,3] on the CPU, undefined when no preview this step
};

// One model call, recorded when DecodeOptions::record_steps is set (tests, debugging).
struct StepRecord {
  std::int64_t timestep = 0;
  at::Tensor unet_output;  // [B,C,h,w] float32 (B = 2 with guidance)
  at::Tensor guided;       // [1,C,h,w] float32
  at::Tensor latents_out;  // [1,C,h,w] float32
};

struct DecodeOptions {
  std::int64_t steps = 20;
  double guidance_scale = 10.0;  // <= 1: no classifier-free guidance (batch 1)
  std::optional<SchedulerKind> scheduler;  // unset: the class named in scheduler_config.json
  std::int64_t noise_level = 0;
  std::uint64_t seed = 0;  // CPU generator for everything not given below
  std::int64_t height = 0, width = 0;  // 0: from the fixed latents, else unet sample_size * vae factor
  at::Tensor latents;                  // fixed initial latents [1,C,h,w] (SEED reuses one)
  at::Tensor augmentation_noise;       // [1,E] noise for the embedding's augmentation
  at::Tensor negative_image_embeds;    // [1,E]; undefined: unconditional labels are zeros
  at::Tensor negative_augmentation_noise;  // [1,E]
  // Streaming: called after every model call; returning false cancels the run.
  std::function<bool(const StepInfo&)> on_step;
  PreviewMode preview = PreviewMode::None;
  std::int64_t preview_every = 1;  // Vae mode: decode every k calls (and never the last)
  // Checked before every model call and before the final decode.
  const std::atomic<bool>* cancel = nullptr;
  bool record_steps = false;
};

struct DecodeResult {
  at::Tensor image;       // uint8 [H,W,3] RGB, CPU
  at::Tensor image_unit;  // float32 [1,H,W,3] in [0,1], CPU (diffusers output_type "np")
  at::Tensor latents;     // final latents [1,C,h,w] float32, CPU
  at::Tensor decoded;     // VAE output [1,3,H,W] float32, CPU
  at::Tensor class_labels;  // [B,2E] float32 as fed to the UNet
  std::vector<std::int64_t> timesteps;
  std::vector<StepRecord> steps;  // with record_steps
  std::uint64_t seed = 0;
};

// A uint8 [H,W,3] picture (DecodeResult::image, StepInfo::preview) as the engine's RgbImage.
RgbImage to_rgb_image(const at::Tensor& hwc_uint8);

class UnclipPipeline {
 public:
  explicit UnclipPipeline(std::shared_ptr<UnclipNetworks> networks);
  // Loads a stable-diffusion-2-1-unclip-style folder (UnclipComponents) and wraps it.
  static std::unique_ptr<UnclipPipeline> load(const std::filesystem::path& dir, const UnclipLoadOptions& options);

  // Runs the loop. image_embeds [1,E] or [E]. A cancelled run throws Error(Cancelled) within
  // one model call; the pipeline stays usable. Not reentrant: one decode at a time.
  DecodeResult decode(const at::Tensor& image_embeds, const DecodeOptions& options = {});

  // A fresh scheduler from the folder's config (from_config when `kind` differs from it).
  std::unique_ptr<Scheduler> make_scheduler(std::optional<SchedulerKind> kind) const;
  // The fitted latent -> RGB preview map (fitted on first use).
  const LatentPreview& latent_preview();

  UnclipNetworks& networks() { return *networks_; }
  std::shared_ptr<UnclipComponents> components() const { return components_; }

 private:
  std::shared_ptr<UnclipComponents> components_;  // when loaded from a folder (outlives networks_)
  std::shared_ptr<UnclipNetworks> networks_;
  std::mutex preview_mutex_;
  LatentPreview preview_;
};

}  // namespace seedcanvas::diffusion
