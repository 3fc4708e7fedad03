// The unCLIP denoising loop (SEED's StableUnCLIPImg2ImgPipeline.__call__, diffusers 0.20.2).
#include "diffusion/unclip_pipeline.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "core/error.h"

namespace seedcanvas::diffusion {

namespace {

void check_cancel(const DecodeOptions& o) {
  if (o.cancel && o.cancel->load(std::memory_order_relaxed))
    throw_error(ErrorKind::Cancelled, "image decoding cancelled");
}

// [E] or [1,E] float embedding with the expected width; anything else is bad input.
at::Tensor as_embedding(const at::Tensor& t, std::int64_t dim, const char* what) {
  if (!t.defined()) throw_error(ErrorKind::Format, std::string(what) + ": no tensor given");
  if (!at::isFloatingType(t.scalar_type()))
    throw_error(ErrorKind::Format, std::string(what) + ": must be a floating-point tensor");
  auto e = t.dim() == 1 ? t.unsqueeze(0) : t;
  if (e.dim() != 2 || e.size(0) != 1 || e.size(1) != dim)
    throw_error(ErrorKind::Format, std::string(what) + ": expected shape [1, " + std::to_string(dim) + "], got " +
                                       std::to_string(t.dim()) + "-D with " + std::to_string(t.numel()) + " values");
  e = e.to(at::kFloat);
  if (!at::isfinite(e).all().item<bool>())
    throw_error(ErrorKind::Format, std::string(what) + ": contains NaN or infinite values");
  return e;
}

}  // namespace

UnclipPipeline::UnclipPipeline(std::shared_ptr<UnclipNetworks> networks) : networks_(std::move(networks)) {
  if (!networks_) throw_error(ErrorKind::Internal, "UnclipPipeline: no networks");
}

std::unique_ptr<Scheduler> UnclipPipeline::make_scheduler(std::optional<SchedulerKind> kind) const {
  return diffusion::make_scheduler(networks_->scheduler_config(), networks_->scheduler_config_file(), kind);
}

const LatentPreview& UnclipPipeline::latent_preview() {
  std::lock_guard<std::mutex> lock(preview_mutex_);
  if (!preview_.valid()) {
    const auto g = networks_->geometry();
    preview_ = LatentPreview::fit(
        [&](const at::Tensor& z) { return networks_->vae_decode(z.to(g.device, g.dtype)).to(at::kCPU, at::kFloat); },
        g.latent_channels);
  }
  return preview_;
}

DecodeResult UnclipPipeline::decode(const at::Tensor& image_embeds, const DecodeOptions& o) {
  const auto g = networks_->geometry();
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  const auto on_device = at::TensorOptions().dtype(at::kFloat).device(g.device);
  if (o.steps < 1 || o.steps > 1000) throw_error(ErrorKind::Config, "steps must be between 1 and 1000");
  if (!std::isfinite(o.guidance_scale)) throw_error(ErrorKind::Config, "guidance scale must be finite");
  if (o.noise_level < 0 || o.noise_level >= g.noise_train_timesteps)
    throw_error(ErrorKind::Config, "noise level must be in [0, " + std::to_string(g.noise_train_timesteps) + ")");
  if (o.preview_every < 1) throw_error(ErrorKind::Config, "preview interval must be at least 1");

  const auto embeds = as_embedding(image_embeds, g.embedding_dim, "image embedding");
  const bool has_negative = o.negative_image_embeds.defined();
  const auto negative = has_negative ? as_embedding(o.negative_image_embeds, g.embedding_dim, "negative image embedding")
                                     : at::Tensor();

  // Output size: from the fixed latents, the options, or the UNet's native sample size.
  std::int64_t h = 0, w = 0;
  if (o.latents.defined()) {
    if (o.latents.dim() != 4 || o.latents.size(0) != 1 || o.latents.size(1) != g.latent_channels)
      throw_error(ErrorKind::Format, "initial latents: expected [1, " + std::to_string(g.latent_channels) + ", h, w]");
    h = o.latents.size(2);
    w = o.latents.size(3);
    if ((o.height && o.height != h * g.vae_scale_factor) || (o.width && o.width != w * g.vae_scale_factor))
      throw_error(ErrorKind::Config, "height/width do not match the given initial latents");
  } else {
    const auto H = o.height ? o.height : g.sample_size * g.vae_scale_factor;
    const auto W = o.width ? o.width : g.sample_size * g.vae_scale_factor;
    if (H <= 0 || W <= 0 || H % g.vae_scale_factor || W % g.vae_scale_factor)
      throw_error(ErrorKind::Config, "height and width must be positive multiples of " +
                                         std::to_string(g.vae_scale_factor));
    if (H > 8192 || W > 8192) throw_error(ErrorKind::Resource, "image size over the 8192-pixel limit");
    h = H / g.vae_scale_factor;
    w = W / g.vae_scale_factor;
  }

  // Random draws in diffusers' order (embedding noise, negative noise, latents) from one
  // seeded CPU generator, then moved to the device: same seed + embedding -> same picture.
  auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
  auto draw = [&](const at::Tensor& given, std::vector<std::int64_t> shape, const char* what) {
    if (given.defined()) {
      if (given.sizes().vec() != shape) throw_error(ErrorKind::Format, std::string(what) + ": wrong shape");
      return given.to(on_device);
    }
    return at::randn(shape, gen, f32).to(on_device);
  };
  const auto noise = draw(o.augmentation_noise, {1, g.embedding_dim}, "augmentation noise");
  const auto neg_noise =
      has_negative ? draw(o.negative_augmentation_noise, {1, g.embedding_dim}, "negative augmentation noise") : at::Tensor();
  at::Tensor latents = draw(o.latents, {1, g.latent_channels, h, w}, "initial latents");

  // Class labels: [uncond; cond] with guidance. Unconditional = all zeros (the level half too),
  // as the model saw it under embedding dropout, unless a negative embedding is given; that
  // one is augmented at noise level 0 with its own noise.
  const bool cfg = o.guidance_scale > 1.0;
  const auto cond = networks_->noise_image_embeddings(embeds.to(g.device), o.noise_level, noise).to(on_device);
  at::Tensor class_labels = cond;  // [1,2E]
  if (cfg) {
    const auto uncond = has_negative
                            ? networks_->noise_image_embeddings(negative.to(g.device), 0, neg_noise).to(on_device)
                            : at::zeros_like(cond);
    class_labels = at::cat({uncond, cond});  // [2,2E]
  }
  const auto prompt = networks_->empty_prompt_embeds();  // [1,77,D]
  const auto text = cfg ? at::cat({prompt, prompt}) : prompt;
  const auto labels_net = class_labels.to(g.dtype);

  auto scheduler = make_scheduler(o.scheduler);
  scheduler->set_timesteps(o.steps);
  latents = latents * scheduler->init_noise_sigma();  // latents live in float32 for the scheduler

  DecodeResult result;
  result.seed = o.seed;
  result.timesteps = scheduler->timesteps();
  result.class_labels = class_labels.to(at::kCPU);
  const auto total = static_cast<std::int64_t>(result.timesteps.size());
  const LatentPreview* lp = o.preview == PreviewMode::Latent && o.on_step ? &latent_preview() : nullptr;

  for (std::int64_t i = 0; i < total; ++i) {
    check_cancel(o);
    const auto t = result.timesteps[static_cast<std::size_t>(i)];
    auto x = cfg ? at::cat({latents, latents}) : latents;  // [B,C,h,w]
    x = scheduler->scale_model_input(x, t);
    const auto out = networks_->unet(x.to(g.dtype), t, text, labels_net).to(at::kFloat);
    at::Tensor guided = out;
    if (cfg) {
      auto parts = out.chunk(2);
      guided = parts[0] + o.guidance_scale * (parts[1] - parts[0]);  // [1,C,h,w]
    }
    latents = scheduler->step(guided, t, latents);
    if (o.record_steps) result.steps.push_back({t, out.to(at::kCPU), guided.to(at::kCPU), latents.to(at::kCPU)});

    if (o.on_step) {
      StepInfo info{i, total, t, {}};
      if (lp) {
        info.preview = lp->render(latents);
      } else if (o.preview == PreviewMode::Vae && i + 1 < total && (i + 1) % o.preview_every == 0) {
        check_cancel(o);
        info.preview = to_uint8_hwc(networks_->vae_decode(latents.to(g.dtype)))[0];
      }
      if (!o.on_step(info)) throw_error(ErrorKind::Cancelled, "image decoding cancelled");
    }
  }
  check_cancel(o);

  const auto decoded = networks_->vae_decode(latents.to(g.dtype)).to(at::kCPU, at::kFloat);  // [1,3,H,W]
  result.decoded = decoded;
  result.image_unit = to_unit_nhwc(decoded);
  result.image = (result.image_unit * 255).round().to(at::kByte)[0].contiguous();  // [H,W,3]
  result.latents = latents.to(at::kCPU);
  return result;
}

RgbImage to_rgb_image(const at::Tensor& hwc_uint8) {
  const auto t = hwc_uint8.to(at::kCPU, at::kByte).contiguous();
  RgbImage img;
  img.height = static_cast<int>(t.size(0));
  img.width = static_cast<int>(t.size(1));
  img.pixels.assign(t.data_ptr<std::uint8_t>(), t.data_ptr<std::uint8_t>() + t.numel());
  return img;
}

}  // namespace seedcanvas::diffusion
