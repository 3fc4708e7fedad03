#include "pipeline_models.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/noise_augmentation.h"
#include "diffusion/unclip_pipeline.h"
#include "diffusion/unet.h"
#include "diffusion/vae.h"
#include "measure.h"
#include "pipeline/demo_pack.h"
#include "vision/qformer_quantizer.h"
#include "vision/seed_image_tokenizer.h"

namespace seedcanvas::tool {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t kImageCodes = 8192;  // SEED's codebook = the LLM's image vocabulary

double seconds_since(Clock::time_point t0, c10::Device device) {
  sync_device(device);
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double parameter_bytes(const nn::Module& m) {
  double total = 0;
  for (const auto& p : m.named_parameters()) total += static_cast<double>(p.tensor->nbytes());
  return total;
}

// The released tokenizer keeps its ViT out of the quantizer checkpoint (a separate BLIP-2 file),
// so the model's own parameter list may not include it.
ComponentInfo tokenizer_info(const vision::Blip2QformerQuantizer& q, double init_s) {
  ComponentInfo info{q.parameter_count(), parameter_bytes(q), init_s};
  if (!q.dims.vit_in_checkpoint) {
    info.params += q.visual_encoder->parameter_count();
    info.bytes += parameter_bytes(*q.visual_encoder);
  }
  return info;
}

// diffusers-style init (biases 0, norm gains 1, the rest N(0, 0.02)) in the target dtype. On an
// accelerator the values are drawn there: the UNet alone is 1.7 GB in fp16.
void randomize(nn::Module& m, c10::Device device, c10::ScalarType dtype, std::uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  if (!device.is_cpu()) at::manual_seed(seed);
  for (auto& p : m.named_parameters()) {
    const auto options = at::TensorOptions().dtype(p.keep_dtype ? at::kFloat : dtype).device(device);
    const auto& name = p.name;
    const bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (is_bias)
      *p.tensor = at::zeros(p.shape, options);
    else if (p.shape.size() == 1)
      *p.tensor = at::ones(p.shape, options);
    else if (device.is_cpu())
      *p.tensor = at::normal(0.0, 0.02, p.shape, gen).to(options.dtype());
    else
      *p.tensor = at::empty(p.shape, options).normal_(0.0, 0.02);
  }
}

// The unCLIP networks of UnclipPipeline, random instead of loaded from a diffusers folder.
class RandomUnclipNetworks final : public diffusion::UnclipNetworks {
 public:
  RandomUnclipNetworks(const diffusion::UNet2DConditionConfig& unet_config,
                       const diffusion::AutoencoderKLConfig& vae_config, std::int64_t embedding_dim,
                       const PipelineModelOptions& o, ComponentInfo& unet_info, ComponentInfo& vae_info)
      : unet_config_(unet_config),
        vae_config_(vae_config),
        unet_(unet_config_),
        vae_(vae_config_),
        noise_(embedding_dim, diffusion::ddpm_alphas_cumprod(pipeline::unclip_noising_scheduler_config(), kNoisingFile)),
        scheduler_(pipeline::unclip_scheduler_config()),
        device_(o.device),
        dtype_(o.image_dtype) {
    if (unet_config.projection_class_embeddings_input_dim != 2 * embedding_dim)
      throw_error(ErrorKind::Internal, "bench pipeline: UNet class input " +
                                           std::to_string(unet_config.projection_class_embeddings_input_dim) +
                                           " is not twice the SEED embedding " + std::to_string(embedding_dim));
    auto t0 = Clock::now();
    randomize(unet_, device_, dtype_, o.seed + 2);
    unet_.set_channels_last(device_.is_cuda());  // as SeedPipeline loads it
    unet_info = {unet_.parameter_count(), parameter_bytes(unet_), seconds_since(t0, device_)};
    t0 = Clock::now();
    randomize(vae_, device_, dtype_, o.seed + 3);
    vae_info = {vae_.parameter_count(), parameter_bytes(vae_), seconds_since(t0, device_)};
    // Identity statistics (as the demo pack's normaliser); fp32 like the loaded one.
    noise_.image_normalizer.mean = at::zeros({1, embedding_dim}, at::TensorOptions().device(device_));
    noise_.image_normalizer.std = at::ones({1, embedding_dim}, at::TensorOptions().device(device_));
    // What the CLIP text encoder makes of "" is cached at load and the encoder freed
    // (UnclipComponents): only this [1,77,D] tensor stays resident.
    empty_prompt_ = at::randn({1, 77, unet_config.cross_attention_dim.at(0)},
                              at::TensorOptions().dtype(dtype_).device(device_));
  }

  diffusion::UnclipGeometry geometry() const override {
    diffusion::UnclipGeometry g;
    g.latent_channels = unet_config_.in_channels;
    g.sample_size = unet_config_.sample_size;
    g.vae_scale_factor = vae_config_.scale_factor();
    g.embedding_dim = noise_.embedding_dim();
    g.noise_train_timesteps = noise_.num_train_timesteps();
    g.device = device_;
    g.dtype = dtype_;
    return g;
  }
  at::Tensor unet(const at::Tensor& sample, std::int64_t timestep, const at::Tensor& encoder_hidden_states,
                  const at::Tensor& class_labels) override {
    const auto t = at::full({1}, timestep, at::TensorOptions().dtype(at::kLong).device(device_));
    return unet_.forward(sample, t, encoder_hidden_states, class_labels);
  }
  at::Tensor vae_decode(const at::Tensor& latents) override { return vae_.decode(latents); }
  at::Tensor noise_image_embeddings(const at::Tensor& embeds, std::int64_t level, const at::Tensor& noise) override {
    return noise_.noise_image_embeddings(embeds, level, noise);
  }
  at::Tensor empty_prompt_embeds() override { return empty_prompt_; }
  const nlohmann::json& scheduler_config() const override { return scheduler_; }
  std::string scheduler_config_file() const override { return "built-in stable-diffusion-2-1-unclip scheduler"; }

 private:
  static constexpr const char* kNoisingFile = "built-in stable-diffusion-2-1-unclip image_noising_scheduler";
  diffusion::UNet2DConditionConfig unet_config_;
  diffusion::AutoencoderKLConfig vae_config_;
  diffusion::UNet2DConditionModel unet_;
  diffusion::AutoencoderKLDecoder vae_;
  diffusion::NoiseAugmentor noise_;
  nlohmann::json scheduler_;
  at::Tensor empty_prompt_;
  c10::Device device_;
  c10::ScalarType dtype_;
};

}  // namespace

PipelineModels::PipelineModels() = default;
PipelineModels::PipelineModels(PipelineModels&&) noexcept = default;
PipelineModels::~PipelineModels() = default;

llm::TokenIds seed_token_ids(const llm::LlamaConfig& config) {
  const auto vocab = config.vocab_size;
  if (vocab < kImageCodes + 2 + 3)
    throw_error(ErrorKind::Config, describe(config.source, "vocab_size " + std::to_string(vocab) +
                                                               " has no room for SEED's 8192 image tokens, <img> and </img>"));
  llm::TokenIds ids;
  ids.bos = config.bos_token_id;
  ids.eos = config.eos_token_ids.empty() ? -1 : config.eos_token_ids.front();
  ids.image_shift = vocab - kImageCodes - 2;
  ids.image_count = kImageCodes;
  ids.boi = vocab - 2;
  ids.eoi = vocab - 1;
  return ids;
}

llm::TextEncoder synthetic_text_encoder(const llm::TokenIds& ids) {
  const std::int64_t first = 3;  // after <unk>, <s>, </s>
  const std::int64_t span = ids.image_shift - first;
  return [first, span](const std::string& text) {
    std::vector<std::int64_t> out;
    std::istringstream words(text);
    for (std::string w; words >> w;) {
      std::uint64_t h = 1469598103934665603ull;  // FNV-1a
      for (unsigned char c : w) h = (h ^ c) * 1099511628211ull;
      out.push_back(first + static_cast<std::int64_t>(h % static_cast<std::uint64_t>(span)));
    }
    return out;
  };
}

PipelineModels build_pipeline_models(const PipelineModelOptions& o) {
  PipelineModels m;
  // 1. Language model and the KV cache of its whole context.
  nlohmann::json llm_json;
  std::string llm_source = "demo pack preset";
  if (o.tiny) {
    llm_json = pipeline::demo_llama_config(pipeline::DemoPackOptions{}.text_vocab + kImageCodes + 2);
  } else {
    llm_source = o.llm_config;
    llm_json = read_json_file(o.llm_config);
  }
  m.llm_config = llm::LlamaConfig::from_json(llm_json, llm_source);
  m.ids = seed_token_ids(m.llm_config);
  const double init_std = json_get<double>(llm_json, "initializer_range", 0.02, llm_source);
  auto t0 = Clock::now();
  m.llm = llm::LlamaForCausalLM::random(m.llm_config, o.llm_dtype, init_std, o.seed, o.device);
  m.cache = std::make_unique<llm::KvCache>(m.llm->new_cache());
  m.llm_info = {m.llm->parameter_count(), parameter_bytes(*m.llm), seconds_since(t0, o.device)};
  for (std::int64_t l = 0; l < m.cache->layers(); ++l)
    m.kv_cache_bytes += static_cast<double>(m.cache->key_storage(l).nbytes() + m.cache->value_storage(l).nbytes());

  // 2. SEED image tokenizer.
  const auto dims = o.tiny ? pipeline::demo_seed_tokenizer_dims() : vision::seed_tokenizer_2_dims();
  vision::SeedTokenizerConfig tok_config;  // released defaults; the tiny sizes state their heads
  if (o.tiny) {
    tok_config.vit_heads = static_cast<int>(dims.vit.heads);
    tok_config.qf_heads = static_cast<int>(dims.qformer.heads);
    tok_config.decode_block_heads = static_cast<int>(dims.decode_block.heads);
  }
  vision::SeedTokenizerOptions tok_options;
  tok_options.device = o.device;
  tok_options.dtype = o.image_dtype;
  t0 = Clock::now();
  m.tokenizer = vision::SeedImageTokenizer::random(dims, tok_config, tok_options, o.seed + 1);
  m.tokenizer_info = tokenizer_info(m.tokenizer->model(), seconds_since(t0, o.device));

  // 3. unCLIP decoder.
  const auto unet_config = o.tiny ? diffusion::UNet2DConditionConfig::from_json(pipeline::demo_unet_config(), "demo pack preset")
                                  : diffusion::UNet2DConditionConfig::sd21_unclip();
  const auto vae_config = o.tiny ? diffusion::AutoencoderKLConfig::from_json(pipeline::demo_vae_config(), "demo pack preset")
                                 : diffusion::AutoencoderKLConfig::sd21();
  m.decoder = std::make_unique<diffusion::UnclipPipeline>(std::make_shared<RandomUnclipNetworks>(
      unet_config, vae_config, dims.image_features_dim, o, m.unet_info, m.vae_info));
  return m;
}

}  // namespace seedcanvas::tool
