#include "diffusion/unclip_components.h"

#include <ATen/ATen.h>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/diffusers_folder.h"
#include "nn/load.h"

namespace seedcanvas::diffusion {
namespace {

void expect_class(const DiffusersFolder& folder, const std::string& component, const std::vector<std::string>& allowed) {
  const auto cls = folder.component_class(component);
  const auto file = (folder.dir() / "model_index.json").string();
  if (cls.empty()) throw_error(ErrorKind::Config, describe(file, "'" + component + "' is missing"));
  if (std::find(allowed.begin(), allowed.end(), cls) == allowed.end())
    throw_error(ErrorKind::Unsupported, describe(file, "'" + component + "' class " + cls + " is not supported"));
}

[[noreturn]] void mismatch(const std::string& what) { throw_error(ErrorKind::Config, what); }

UnclipConfigs read_configs(const DiffusersFolder& folder) {
  expect_class(folder, "unet", {"UNet2DConditionModel"});
  expect_class(folder, "vae", {"AutoencoderKL"});
  expect_class(folder, "text_encoder", {"CLIPTextModel"});
  expect_class(folder, "tokenizer", {"CLIPTokenizer", "CLIPTokenizerFast"});
  UnclipConfigs c;
  c.model_index = folder.model_index();
  const auto unet_file = folder.component_file("unet", "config.json").string();
  c.unet = UNet2DConditionConfig::from_json(read_json_file(unet_file), unet_file);
  const auto vae_file = folder.component_file("vae", "config.json").string();
  c.vae = AutoencoderKLConfig::from_json(read_json_file(vae_file), vae_file);
  const auto text_file = folder.component_file("text_encoder", "config.json").string();
  c.text_encoder = CLIPTextConfig::from_json(read_json_file(text_file), text_file);
  c.scheduler = folder.config("scheduler", "scheduler_config.json");
  c.image_noising_scheduler = folder.config("image_noising_scheduler", "scheduler_config.json");
  const auto norm_file = folder.component_file("image_normalizer", "config.json").string();
  c.image_embedding_dim = json_get<std::int64_t>(read_json_file(norm_file), "embedding_dim", 768, norm_file);
  if (c.image_embedding_dim <= 0) mismatch(describe(norm_file, "'embedding_dim' must be positive"));

  // The pieces must fit each other; say which keys disagree.
  if (c.unet.class_embed_type != "projection")
    mismatch(describe(unet_file, "'class_embed_type' must be \"projection\" for unCLIP"));
  if (c.unet.projection_class_embeddings_input_dim != 2 * c.image_embedding_dim)
    mismatch(describe(unet_file, "'projection_class_embeddings_input_dim' (" +
                                     std::to_string(c.unet.projection_class_embeddings_input_dim) +
                                     ") must be twice image_normalizer 'embedding_dim' (" +
                                     std::to_string(c.image_embedding_dim) + ")"));
  for (auto d : c.unet.cross_attention_dim)
    if (d != c.text_encoder.hidden_size)
      mismatch(describe(unet_file, "'cross_attention_dim' (" + std::to_string(d) + ") must equal text_encoder 'hidden_size' (" +
                                       std::to_string(c.text_encoder.hidden_size) + ")"));
  if (c.unet.in_channels != c.vae.latent_channels || c.unet.out_channels != c.vae.latent_channels)
    mismatch(describe(unet_file, "'in_channels'/'out_channels' must equal vae 'latent_channels' (" +
                                     std::to_string(c.vae.latent_channels) + ")"));
  return c;
}

}  // namespace

std::unique_ptr<UnclipComponents> UnclipComponents::load(const std::filesystem::path& dir, c10::Device device,
                                                         c10::ScalarType dtype) {
  UnclipLoadOptions options;
  options.device = device;
  options.dtype = dtype;
  return load(dir, options);
}

std::unique_ptr<UnclipComponents> UnclipComponents::load(const std::filesystem::path& dir,
                                                         const UnclipLoadOptions& options) {
  DiffusersFolder folder(dir);
  auto configs = read_configs(folder);
  return std::unique_ptr<UnclipComponents>(new UnclipComponents(dir, std::move(configs), options));
}

UnclipComponents::UnclipComponents(std::filesystem::path d, UnclipConfigs c, const UnclipLoadOptions& options)
    : dir(std::move(d)),
      device(options.device),
      dtype(options.dtype),
      configs(std::move(c)),
      unet(configs.unet),
      vae(configs.vae),
      noise(configs.image_embedding_dim,
            ddpm_alphas_cumprod(configs.image_noising_scheduler,
                                (dir / "image_noising_scheduler" / "scheduler_config.json").string())),
      tokenizer(CLIPTokenizer::load(dir / "tokenizer")),
      text_encoder(configs.text_encoder) {
  if (noise.num_train_timesteps() < 1) throw_error(ErrorKind::Config, "image_noising_scheduler: empty schedule");
  DiffusersFolder folder(dir);
  // One progress range over every tensor of every component.
  const std::size_t total = unet.named_parameters().size() + vae.named_parameters().size() +
                            text_encoder.named_parameters().size() + noise.image_normalizer.named_parameters().size();
  std::size_t offset = 0;
  auto load = [&](nn::Module& module, std::unique_ptr<io::TensorSource> source, std::vector<std::string> ignore,
                  bool cast) {
    nn::LoadOptions lo;
    lo.device = device;
    if (cast) lo.dtype = dtype;
    lo.ignore = std::move(ignore);
    if (options.progress)
      lo.progress = [&, base = offset](std::size_t done, std::size_t) { return options.progress(base + done, total); };
    nn::load_state(module, *source, lo);
    offset += module.named_parameters().size();
  };
  load(unet, folder.weights("unet"), {}, true);
  // Only the decoder half of the autoencoder is used: its encoder is skipped on purpose.
  load(vae, rename_keys(folder.weights("vae"), vae_attention_renames()), {"encoder.*", "quant_conv.*"}, true);
  load(noise.image_normalizer, folder.weights("image_normalizer"), {}, false);
  // position_ids is a buffer older transformers versions saved.
  load(text_encoder, folder.weights("text_encoder"), {"text_model.embeddings.position_ids"}, true);

  noise.alphas_cumprod = noise.alphas_cumprod.contiguous();
  vae.tiling = options.vae_tiling;
  unet.set_channels_last(options.channels_last);
  vae.set_channels_last(options.vae_channels_last);
  empty_prompt_embeds_ = text_encoder.forward(tokenizer.encode_padded("")).to(dtype);  // [1,77,D]
  if (!options.keep_text_encoder) text_encoder.release();
}

at::Tensor UnclipComponents::encode_prompt(const std::string& prompt) const {
  if (prompt.empty()) return empty_prompt_embeds_;
  if (text_encoder.released())
    throw_error(ErrorKind::Unsupported, dir.string() + ": the text encoder was released after caching the empty prompt "
                                                       "(load with keep_text_encoder to encode other prompts)");
  return text_encoder.forward(tokenizer.encode_padded(prompt)).to(dtype);
}

}  // namespace seedcanvas::diffusion
