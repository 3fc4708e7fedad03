// The real networks behind UnclipPipeline: an adapter over UnclipComponents (kept in its own
// file so the loop and its tests link without the network code).
#include <ATen/ATen.h>

#include "core/error.h"
#include "diffusion/unclip_components.h"
#include "diffusion/unclip_pipeline.h"

namespace seedcanvas::diffusion {

namespace {

class ComponentNetworks final : public UnclipNetworks {
 public:
  explicit ComponentNetworks(UnclipComponents& c) : c_(c), file_((c.dir / "scheduler" / "scheduler_config.json").string()) {}

  UnclipGeometry geometry() const override {
    UnclipGeometry g;
    g.latent_channels = c_.configs.unet.in_channels;
    g.sample_size = c_.configs.unet.sample_size;
    g.vae_scale_factor = c_.vae_scale_factor();
    g.embedding_dim = c_.configs.image_embedding_dim;
    g.noise_train_timesteps = c_.noise.num_train_timesteps();
    g.device = c_.device;
    g.dtype = c_.dtype;
    return g;
  }
  at::Tensor unet(const at::Tensor& sample, std::int64_t timestep, const at::Tensor& encoder_hidden_states,
                  const at::Tensor& class_labels) override {
    const auto t = at::full({1}, timestep, at::TensorOptions().dtype(at::kLong).device(c_.device));
    return c_.unet.forward(sample, t, encoder_hidden_states, class_labels);
  }
  at::Tensor vae_decode(const at::Tensor& latents) override { return c_.vae.decode(latents); }
  at::Tensor noise_image_embeddings(const at::Tensor& embeds, std::int64_t level, const at::Tensor& noise) override {
    return c_.noise.noise_image_embeddings(embeds, level, noise);
  }
  at::Tensor empty_prompt_embeds() override { return c_.empty_prompt_embeds(); }
  const nlohmann::json& scheduler_config() const override { return c_.configs.scheduler; }
  std::string scheduler_config_file() const override { return file_; }

 private:
  UnclipComponents& c_;
  std::string file_;
};

}  // namespace

std::unique_ptr<UnclipNetworks> networks_from_components(UnclipComponents& components) {
  return std::make_unique<ComponentNetworks>(components);
}

std::unique_ptr<UnclipPipeline> UnclipPipeline::load(const std::filesystem::path& dir, const UnclipLoadOptions& options) {
  std::shared_ptr<UnclipComponents> components = UnclipComponents::load(dir, options);
  auto pipeline = std::make_unique<UnclipPipeline>(networks_from_components(*components));
  pipeline->components_ = std::move(components);
  return pipeline;
}

}  // namespace seedcanvas::diffusion
