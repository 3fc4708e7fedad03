// The generation loop (gpt-fast style: prefill, then one-token decode steps), streaming each
// step to a callback that may stop it, with a cancellation flag checked every step. The KV
// cache is reused across calls: only the part of the prompt after the longest prefix it
// already holds is computed, so a multi-turn chat pays for each new turn only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "llm/kv_cache.h"
#include "llm/llama_model.h"
#include "llm/sampler.h"

namespace seedcanvas::llm {

enum class FinishReason { Eos, Length, Stop, Cancelled };
const char* finish_reason_name(FinishReason r);

struct GenerationSettings {
  std::int64_t max_new_tokens = 512;
  bool stop_on_eos = true;                 // the sampler's TokenIds::eos (SEED: 2 for both models)
  std::vector<std::int64_t> stop_ids;      // further ids that end generation
  // Text of one generated (non-image) id, e.g. text::StreamingDecoder::push; optional.
  std::function<std::string(std::int64_t)> text_delta;
  std::function<std::string()> text_flush;  // what the decoder still holds at the end
};

struct GenerationStep {
  std::int64_t token = 0;
  std::int64_t index = 0;        // 0-based among the new tokens
  std::string text;              // decoded text delta (empty for image tokens)
  bool in_image = false;         // token belongs to an <img> ... </img> span
  std::int64_t image_progress = 0;  // codes of the current span so far (k of 32)
};

// Returns false to stop generation (finish reason Cancelled).
using StepCallback = std::function<bool(const GenerationStep&)>;

struct GenerationResult {
  std::vector<std::int64_t> ids;  // the new ids, the stop id included
  FinishReason finish = FinishReason::Length;
  std::int64_t prompt_tokens = 0;
  std::int64_t reused_tokens = 0;  // prompt tokens already in the cache
  double prefill_seconds = 0;      // computing the new part of the prompt
  double time_to_first_token = 0;  // from the call to the first sampled token
  double decode_seconds = 0;       // the one-token steps after the first token
  std::int64_t decode_steps = 0;
  std::string trailing_text;       // what text_flush returned when generation ended without a stop id
  double decode_tokens_per_second() const { return decode_seconds > 0 ? decode_steps / decode_seconds : 0.0; }
};

GenerationResult generate(const LlamaForCausalLM& model, KvCache& cache, const std::vector<std::int64_t>& prompt,
                          Sampler& sampler, const GenerationSettings& settings, const StepCallback& on_step = {},
                          const std::atomic<bool>* cancel = nullptr);

// Makes the cache hold a prefix of `prompt` and runs the rest; returns the logits of the last
// prompt position ([1, vocab] fp32) and how many tokens were reused.
at::Tensor prefill_with_reuse(const LlamaForCausalLM& model, KvCache& cache, const std::vector<std::int64_t>& prompt,
                              std::int64_t* reused = nullptr);

}  // namespace seedcanvas::llm
