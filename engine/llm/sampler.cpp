#include "llm/sampler.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <unordered_set>

#include "core/error.h"

namespace seedcanvas::llm {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

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

void Sampler::apply_image_rule(at::Tensor& scores, const std::vector<std::int64_t>& context) const {
  if (!settings_.image_span_rule || !ids_.has_images()) return;
  const std::int64_t vocab = scores.size(0);
  const std::int64_t lo = std::min(ids_.image_shift, vocab), hi = std::min(ids_.image_shift + ids_.image_count, vocab);
  const std::int64_t pos = image_span_position(context);
  if (pos < 0) {
    if (hi > lo) scores.narrow(0, lo, hi - lo).fill_(kNegInf);  // codes only inside a span
    if (ids_.eoi < vocab) scores[ids_.eoi].fill_(kNegInf);       // no </img> without <img>
  } else if (pos < TokenIds::kCodesPerImage) {
    auto keep = scores.narrow(0, lo, hi - lo).clone();
    scores.fill_(kNegInf);
    scores.narrow(0, lo, hi - lo).copy_(keep);
  } else {
    const double eoi_score = 0.0;
    scores.fill_(kNegInf);
    if (ids_.eoi < vocab) scores[ids_.eoi].fill_(eoi_score);
  }
}

at::Tensor Sampler::process(const at::Tensor& logits, const std::vector<std::int64_t>& context) const {
  at::Tensor scores = logits.detach().to(at::kCPU, at::kFloat).reshape({-1}).clone();  // [V]
  const std::int64_t vocab = scores.size(0);

  if (settings_.repetition_penalty != 1.0 && !context.empty()) {
    // RepetitionPenaltyLogitsProcessor: every id seen once, positive scores divided.
    auto* s = scores.data_ptr<float>();
    const float p = static_cast<float>(settings_.repetition_penalty);
    std::unordered_set<std::int64_t> seen;
    for (auto id : context) {
      if (id < 0 || id >= vocab || !seen.insert(id).second) continue;
      s[id] = s[id] < 0 ? s[id] * p : s[id] / p;
    }
  }
  apply_image_rule(scores, context);
  if (is_greedy()) return scores;

  if (settings_.temperature != 1.0) scores = scores / settings_.temperature;  // TemperatureLogitsWarper
  if (settings_.top_k > 0) {                                                   // TopKLogitsWarper
    const std::int64_t k = std::min(settings_.top_k, vocab);
    auto kth = std::get<0>(at::topk(scores, k)).index({k - 1});
    scores = scores.masked_fill(scores < kth, kNegInf);
  }
  if (settings_.top_p < 1.0) {  // TopPLogitsWarper
    auto sorted = at::sort(scores, /*dim=*/0, /*descending=*/false);
    auto cumulative = at::softmax(std::get<0>(sorted), 0).cumsum(0);
    auto remove_sorted = cumulative <= (1.0 - settings_.top_p);
    remove_sorted.index_put_({vocab - 1}, false);  // min_tokens_to_keep = 1
    auto remove = at::zeros_like(remove_sorted).scatter(0, std::get<1>(sorted), remove_sorted);
    scores = scores.masked_fill(remove, kNegInf);
  }
  return scores;
}

std::int64_t Sampler::sample(const at::Tensor& logits, const std::vector<std::int64_t>& context) {
  const at::Tensor scores = process(logits, context).contiguous();
  const float* s = scores.data_ptr<float>();
  const std::int64_t vocab = scores.numel();
  std::int64_t best = 0;
  for (std::int64_t i = 1; i < vocab; ++i)
    if (s[i] > s[best] || (std::isnan(s[best]) && !std::isnan(s[i]))) best = i;  // first max, as torch.argmax
  if (is_greedy() || !(s[best] > -std::numeric_limits<float>::infinity())) return best;

  // Softmax and the multinomial draw in double.
  std::vector<double> p(static_cast<std::size_t>(vocab));
  double total = 0.0;
  for (std::int64_t i = 0; i < vocab; ++i) {
    const double v = std::isnan(s[i]) ? 0.0 : std::exp(static_cast<double>(s[i]) - s[best]);
    p[static_cast<std::size_t>(i)] = v;
    total += v;
  }
  const double target = uniform() * total;
  double acc = 0.0;
  std::int64_t last_nonzero = best;
  for (std::int64_t i = 0; i < vocab; ++i) {
    const double v = p[static_cast<std::size_t>(i)];
    if (v <= 0.0) continue;
    acc += v;
    last_nonzero = i;
    if (target < acc) return i;
  }
  return last_nonzero;  // rounding left target at the very top
}

}  // namespace seedcanvas::llm
