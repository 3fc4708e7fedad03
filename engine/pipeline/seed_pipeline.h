// SEED-LLaMA as users drive it: the language model, its text tokenizer, the SEED image
// tokenizer and the unCLIP decoder, loaded from one model pack. Understands images, answers
// with text and pictures, and edits over many turns (spec section 1). Every image in the
// conversation travels as its 32 codes; user images are tokenized once, generated images keep
// the codes they were drawn from. Owned and used by one thread (the engine service's worker).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/model_pack.h"
#include "pipeline/service_types.h"

namespace seedcanvas::llm {
class LlamaForCausalLM;
class KvCache;
struct SamplerSettings;
}  // namespace seedcanvas::llm
namespace seedcanvas::text {
class SeedTokenizer;
}
namespace seedcanvas::vision {
class SeedImageTokenizer;
}
namespace seedcanvas::diffusion {
class UnclipPipeline;
}

namespace seedcanvas::pipeline {

// The LLM sampler's settings for a request's sampling settings (validated: throws Error(Config)).
llm::SamplerSettings sampler_settings(const SamplingSettings& s);

class SeedPipeline {
 public:
  // (stage, step, total); returning false cancels loading with Error(Cancelled).
  using LoadProgress = std::function<bool(const std::string& stage, int step, int total)>;
  using EventFn = std::function<void(Event)>;
  // Called after each diffusion step with a preview (may be null); false cancels.
  using DrawProgress = std::function<bool(int step, int total, std::shared_ptr<const RgbImage> preview)>;

  // Validates the pack (headers, configs, vocabulary; no tensor data) and the memory estimate
  // before loading anything heavy.
  static std::unique_ptr<SeedPipeline> load(const LoadRequest& request, const LoadProgress& progress = {});
  ~SeedPipeline();

  // "SEED-LLaMA 8B pack 'x' on cpu, bf16 (reason)" and a warning for random-weight packs.
  std::string description() const;
  const ModelPack& pack() const { return pack_; }
  const DeviceChoice& device() const { return device_; }
  const text::SeedTokenizer& tokenizer() const { return *tokenizer_; }
  // False for a pack whose LLM has no image tokens: it answers in text and refuses images.
  bool images_supported() const { return images_supported_; }

  // Tokenizes the history's images that have no codes yet (emitting ImageTokenized and
  // storing the codes into `request`), answers the last user message with streamed text and
  // images, and ends with a Finished event. `cancel` is checked every decode step and UNet call.
  void chat(ChatRequest& request, const std::atomic<bool>& cancel, const EventFn& on_event);

  // Forgets the KV cache. Reusing a cached prefix computes the prompt's last positions in a
  // different batch shape, which moves low-order bits (visibly in bf16): the same seed gives
  // the same tokens only from the same cache state, so reproducible runs start fresh.
  void reset_session();

  Codes tokenize_image(const RgbImage& image) const;
  // Codes -> picture through the SEED de-tokenizer and the unCLIP decoder.
  RgbImage draw(const Codes& codes, const DiffusionSettings& settings, const std::atomic<bool>* cancel = nullptr,
                const DrawProgress& progress = {});
  // The prompt ids of a conversation as the loaded template assembles them (all images need codes).
  std::vector<std::int64_t> prompt_ids(const std::vector<Message>& history, bool force_image) const;
  // What the last chat() fed the model and what it generated (tests, diagnostics).
  const std::vector<std::int64_t>& last_prompt_ids() const { return last_prompt_; }
  const std::vector<std::int64_t>& last_generated_ids() const { return last_generated_; }

 private:
  SeedPipeline() = default;

  ModelPack pack_;
  DeviceChoice device_;
  std::unique_ptr<llm::LlamaForCausalLM> llm_;
  std::unique_ptr<llm::KvCache> cache_;
  std::unique_ptr<text::SeedTokenizer> tokenizer_;
  std::unique_ptr<vision::SeedImageTokenizer> image_tokenizer_;
  std::unique_ptr<diffusion::UnclipPipeline> decoder_;
  std::vector<std::int64_t> last_prompt_, last_generated_;
  bool images_supported_ = true;
};

}  // namespace seedcanvas::pipeline
