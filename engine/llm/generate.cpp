#include "llm/generate.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>

#include "core/error.h"

namespace seedcanvas::llm {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

const char* finish_reason_name(FinishReason r) {
  switch (r) {
    case FinishReason::Eos: return "eos";
    case FinishReason::Length: return "length";
    case FinishReason::Stop: return "stop";
    case FinishReason::Cancelled: return "cancelled";
  }
  return "?";
}

at::Tensor prefill_with_reuse(const LlamaForCausalLM& model, KvCache& cache, const std::vector<std::int64_t>& prompt,
                              std::int64_t* reused) {
  if (prompt.empty()) throw_error(ErrorKind::Config, "generate: empty prompt");
  if (static_cast<std::int64_t>(prompt.size()) > cache.capacity())
    throw_error(ErrorKind::Resource, "prompt of " + std::to_string(prompt.size()) +
                                         " tokens does not fit the context of " + std::to_string(cache.capacity()));
  // Keep at least the last prompt token to recompute: its logits start the generation.
  const std::int64_t keep = std::min(cache.common_prefix(prompt), static_cast<std::int64_t>(prompt.size()) - 1);
  cache.truncate(keep);
  if (reused) *reused = keep;
  return model.forward(std::vector<std::int64_t>(prompt.begin() + keep, prompt.end()), cache);
}

GenerationResult generate(const LlamaForCausalLM& model, KvCache& cache, const std::vector<std::int64_t>& prompt,
                          Sampler& sampler, const GenerationSettings& settings, const StepCallback& on_step,
                          const std::atomic<bool>* cancel) {
  c10::InferenceMode guard;
  GenerationResult result;
  result.prompt_tokens = static_cast<std::int64_t>(prompt.size());
  const auto start = Clock::now();
  auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };
  if (cancelled()) {
    result.finish = FinishReason::Cancelled;
    return result;
  }
  at::Tensor logits = prefill_with_reuse(model, cache, prompt, &result.reused_tokens);
  result.prefill_seconds = seconds_since(start);

  const TokenIds& ids = sampler.token_ids();
  std::vector<std::int64_t> context = prompt;
  context.reserve(prompt.size() + static_cast<std::size_t>(std::max<std::int64_t>(settings.max_new_tokens, 0)));
  Clock::time_point decode_start;
  result.finish = FinishReason::Length;
  for (std::int64_t i = 0; i < settings.max_new_tokens; ++i) {
    if (cancelled()) {
      result.finish = FinishReason::Cancelled;
      break;
    }
    const std::int64_t token = sampler.sample(logits[0], context);
    if (i == 0) {
      result.time_to_first_token = seconds_since(start);
      decode_start = Clock::now();
    }
    context.push_back(token);
    result.ids.push_back(token);

    GenerationStep step;
    step.token = token;
    step.index = i;
    const std::int64_t span_pos = sampler.image_span_position(context);
    step.in_image = span_pos >= 0 || (ids.has_images() && token == ids.eoi);
    step.image_progress = span_pos >= 0 ? span_pos : (step.in_image ? TokenIds::kCodesPerImage : 0);
    const bool eos = settings.stop_on_eos && token == ids.eos;
    const bool stop = std::find(settings.stop_ids.begin(), settings.stop_ids.end(), token) != settings.stop_ids.end();
    if (!step.in_image && !eos && !stop && settings.text_delta) step.text = settings.text_delta(token);
    if (eos || stop) {
      if (settings.text_flush) step.text += settings.text_flush();
      if (on_step) on_step(step);
      result.finish = eos ? FinishReason::Eos : FinishReason::Stop;
      break;
    }
    if (on_step && !on_step(step)) {
      result.finish = FinishReason::Cancelled;
      break;
    }
    if (i + 1 == settings.max_new_tokens) break;
    if (cache.length() + 1 > cache.capacity()) break;  // context full: finish as Length
    logits = model.forward(std::vector<std::int64_t>{token}, cache);
    ++result.decode_steps;
  }
  if (result.decode_steps > 0) result.decode_seconds = seconds_since(decode_start);
  if (result.finish != FinishReason::Eos && result.finish != FinishReason::Stop && settings.text_flush)
    result.trailing_text = settings.text_flush();
  return result;
}

}  // namespace seedcanvas::llm
