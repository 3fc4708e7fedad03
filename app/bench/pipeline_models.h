// The whole SEED-LLaMA system for `seedcanvas-bench pipeline`, built in memory with random
// weights on one device: LLaMA (+ its KV cache), the SEED image tokenizer and the unCLIP
// decoder (UNet, VAE decoder, noise augmentation, a cached empty-prompt embedding). Real sizes
// (an HF LLaMA config, seed-tokenizer-2, stable-diffusion-2-1-unclip) or the demo pack's tiny ones.
// No files and no text tokenizer: the GPU build has no SentencePiece, and with random weights only
// the number of prompt tokens matters, so text becomes one synthetic id per word.
#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <memory>
#include <string>

#include "llm/kv_cache.h"
#include "llm/llama_config.h"
#include "llm/llama_model.h"
#include "llm/prompt.h"
#include "llm/token_ids.h"

namespace seedcanvas::vision {
class SeedImageTokenizer;
}
namespace seedcanvas::diffusion {
class UnclipPipeline;
}

namespace seedcanvas::tool {

struct PipelineModelOptions {
  bool tiny = false;            // the demo pack's sizes instead of the real ones
  std::string llm_config;       // HF config.json (real sizes only)
  c10::Device device = c10::kCPU;
  c10::ScalarType llm_dtype = c10::ScalarType::BFloat16;
  c10::ScalarType image_dtype = c10::ScalarType::Float;  // SEED tokenizer, UNet, VAE
  std::uint64_t seed = 1234;
};

// What one component holds and how long making it took.
struct ComponentInfo {
  std::int64_t params = 0;
  double bytes = 0;       // parameters (and, for the LLM, the KV cache separately)
  double init_s = 0;
};

struct PipelineModels {
  llm::LlamaConfig llm_config;
  llm::TokenIds ids;
  std::unique_ptr<llm::LlamaForCausalLM> llm;
  std::unique_ptr<llm::KvCache> cache;  // the model's whole context, as SeedPipeline allocates it
  std::unique_ptr<vision::SeedImageTokenizer> tokenizer;
  std::unique_ptr<diffusion::UnclipPipeline> decoder;
  ComponentInfo llm_info, tokenizer_info, unet_info, vae_info;
  double kv_cache_bytes = 0;

  PipelineModels();
  PipelineModels(PipelineModels&&) noexcept;
  ~PipelineModels();
};

PipelineModels build_pipeline_models(const PipelineModelOptions& options);

// SEED's vocabulary layout at the end of the config's vocab_size: 8192 <img_%05d>, then <img>,
// </img> (the 8B model: 32000.. / 40192 / 40193, spec 3.3); <s>, </s> from the config.
llm::TokenIds seed_token_ids(const llm::LlamaConfig& config);

// One id per whitespace-separated word, hashed into the text part of the vocabulary.
llm::TextEncoder synthetic_text_encoder(const llm::TokenIds& ids);

}  // namespace seedcanvas::tool
