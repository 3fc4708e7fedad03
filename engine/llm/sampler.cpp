#include "llm/sampler.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

#include "core/error.h"

namespace seedcanvas::llm {
namespace {

[[noreturn]] void bad_setting(const std::string& what) { throw_error(ErrorKind::Config, "sampler: " + what); }

}  // namespace

void SamplerSettings::validate() const {
  if (!std::isfinite(temperature)) bad_setting("temperature must be finite");
  if (top_k < 0) bad_setting("top_k must be >= 0");
  if (!(top_p > 0.0)) bad_setting("top_p must be > 0");
  if (!(repetition_penalty > 0.0) || !std::isfinite(repetition_penalty))
    bad_setting("repetition_penalty must be positive");
}

Sampler::Sampler(SamplerSettings settings, TokenIds ids) : settings_(settings), ids_(ids), rng_(settings.seed) {
  settings_.validate();
}

void Sampler::reseed(std::uint64_t seed) {
  settings_.seed = seed;
  rng_.seed(seed);
}

double Sampler::uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

std::int64_t Sampler::image_span_position(const std::vector<std::int64_t>& context) const {
  if (!ids_.has_images()) return -1;
  for (std::size_t i = context.size(); i-- > 0;) {
    if (context[i] == ids_.eoi) return -1;
    if (context[i] == ids_.boi) return static_cast<std::int64_t>(context.size() - i - 1);
  }
  return -1;
}

at::Tensor Sampler::process(const at::Tensor& logits, const std::vector<std::int64_t>& context) const {
  sampling::Scratch scratch;
  const bool greedy = is_greedy();
  const auto scores = sampling::prepare(logits, context, settings_, ids_, image_span_position(context), greedy, scratch);
  at::Tensor out = at::full({scores.vocab}, -std::numeric_limits<float>::infinity(), at::kFloat);  // [V]
  float* o = out.data_ptr<float>();
  const float* d = scores.data;
  // TopKLogitsWarper: scores below the k-th value become -inf (-inf: nothing removed).
  const float kth = greedy ? -std::numeric_limits<float>::infinity()
                           : sampling::top_k_threshold(scores, settings_.top_k, scratch);
  for (int r = 0; r < scores.open.count; ++r)
    for (std::int64_t i = scores.open.range[r].begin; i < scores.open.range[r].end; ++i)
      o[i] = d[i] < kth ? -std::numeric_limits<float>::infinity() : d[i];
  if (!greedy && settings_.top_p < 1.0) {  // TopPLogitsWarper
    sampling::gather_candidates(scores, kth, scratch);
    sampling::apply_top_p(settings_.top_p, scratch);
    for (auto id : scratch.removed) o[id] = -std::numeric_limits<float>::infinity();
  }
  return out;
}

std::int64_t Sampler::sample(const at::Tensor& logits, const std::vector<std::int64_t>& context) {
  const bool greedy = is_greedy();
  const auto scores = sampling::prepare(logits, context, settings_, ids_, image_span_position(context), greedy, scratch_);
  if (greedy) return sampling::argmax(scores);
  sampling::gather_candidates(scores, sampling::top_k_threshold(scores, settings_.top_k, scratch_), scratch_);
  if (scratch_.index.empty()) return sampling::first_non_nan(scores);  // nothing above -inf: no draw
  if (settings_.top_p < 1.0) sampling::apply_top_p(settings_.top_p, scratch_);
  return sampling::draw(uniform(), scratch_);
}

}  // namespace seedcanvas::llm
