// Next-token selection with transformers 4.30 semantics (generation/logits_process.py):
// repetition penalty, then temperature, top-k (ties at the k-th value kept), top-p (ascending
// sort, drop tokens whose cumulative probability is <= 1 - top_p, keep at least one), softmax,
// multinomial draw. Plus an optional image-span rule (not in upstream; on by default) that keeps
// <img> ... </img> spans well formed: 32 image codes after <img>, then </img>; no codes (and no
// stray </img>) outside a span. The random generator is owned and seeded: the same seed and the
// same inputs give the same tokens on every platform.
// Cost: the vocabulary-wide rules run as loops over the positions the image-span rule leaves open
// (reading fp32 CPU logits in place; other logits are copied to the host once); only the
// candidates that survive top-k reach top-p and the draw (engine/llm/sampler_steps.h).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <random>
#include <vector>

#include "llm/sampler_steps.h"
#include "llm/token_ids.h"

namespace seedcanvas::llm {

struct SamplerSettings {
  bool greedy = false;         // argmax (also when temperature <= 0)
  double temperature = 1.0;
  std::int64_t top_k = 50;     // 0 disables
  double top_p = 1.0;          // >= 1 disables
  double repetition_penalty = 1.0;  // 1 disables (HF: divide positive, multiply negative scores)
  std::uint64_t seed = 0;
  bool image_span_rule = true;  // needs TokenIds with image tokens; ignored otherwise

  void validate() const;  // throws Error(Config) naming the setting
};

class Sampler {
 public:
  Sampler(SamplerSettings settings, TokenIds ids);

  // logits: [vocab] (any float dtype/device); context: every id so far (prompt + generated).
  std::int64_t sample(const at::Tensor& logits, const std::vector<std::int64_t>& context);

  // The fp32 CPU scores after every rule and warper (removed tokens are -inf): what `sample` draws from.
  at::Tensor process(const at::Tensor& logits, const std::vector<std::int64_t>& context) const;
  // Where the image-span rule stands for this context: -1 outside a span, else codes emitted since <img>.
  std::int64_t image_span_position(const std::vector<std::int64_t>& context) const;

  void reseed(std::uint64_t seed);
  const SamplerSettings& settings() const { return settings_; }
  const TokenIds& token_ids() const { return ids_; }
  bool is_greedy() const { return settings_.greedy || settings_.temperature <= 0.0; }

 private:
  double uniform();  // [0, 1) with 53 random bits

  SamplerSettings settings_;
  TokenIds ids_;
  std::mt19937_64 rng_;
  sampling::Scratch scratch_;  // sample()'s buffers, kept between steps
};

}  // namespace seedcanvas::llm
