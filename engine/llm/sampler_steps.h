// The sampler's per-step work on host fp32 scores (engine-internal; llm::Sampler is the API).
// The vocabulary-wide part (repetition penalty, image-span rule, temperature, the top-k
// threshold) runs as plain loops over the positions the image-span rule leaves open, reading the
// logits in place when they are fp32 on the CPU; only the surviving candidates (finite or +inf
// scores, ascending ids: ~50 after top-k 50) go on to top-p and the draw. Every result equals the
// literal transformers-4.30 sequence of the first implementation (kept in tests/unit/test_sampler.cpp
// as the oracle): where float rounding matters (temperature, softmax, cumsum) the same ATen CPU
// ops run on the same values.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace seedcanvas::llm {
struct SamplerSettings;
struct TokenIds;
}  // namespace seedcanvas::llm

namespace seedcanvas::llm::sampling {

// Ascending, disjoint vocabulary ranges [begin, end) that the image-span rule leaves open; every
// other position scores -inf. At most three: [0, codes) and [codes end, vocab), split at </img>.
struct OpenRanges {
  struct Range {
    std::int64_t begin = 0, end = 0;
  };
  Range range[3];
  int count = 0;

  void add(std::int64_t begin, std::int64_t end, std::int64_t hole);  // [begin, end) without `hole`
  std::int64_t size() const;
  std::int64_t hull_begin() const { return count ? range[0].begin : 0; }
  std::int64_t hull_end() const { return count ? range[count - 1].end : 0; }
};

// Buffers reused from step to step, so that a warm sampler allocates nothing per step on the host.
struct Scratch {
  at::Tensor host;                     // fp32 host copy of logits that are not fp32 CPU contiguous
  std::vector<float> work;             // vocabulary-indexed scores where they differ from the logits
  std::vector<std::uint8_t> seen;      // repetition penalty: ids penalised this step (reset after)
  std::vector<float> select;           // top-k selection
  std::vector<float> group_max;        // top-k: maxima of groups of open scores
  std::vector<std::int64_t> index;     // candidates: ascending ids ...
  std::vector<float> value;            // ... and their scores
  std::vector<std::uint8_t> drop;      // top-p: candidates to remove
  std::vector<std::int64_t> removed;   // top-p: ids it removed (for process)
  std::vector<double> weight;          // the draw's unnormalised probabilities
};

// Scores after the repetition penalty, the image-span rule and (unless greedy) the temperature:
// data[i] for i in `open`, -inf elsewhere.
struct Scores {
  at::Tensor hold;  // keeps the tensor behind `data` alive
  const float* data = nullptr;
  std::int64_t vocab = 0;
  OpenRanges open;
};

// `span_pos`: Sampler::image_span_position of the context. Throws Error(Config) for empty logits.
Scores prepare(const at::Tensor& logits, const std::vector<std::int64_t>& context, const SamplerSettings& settings,
               const TokenIds& ids, std::int64_t span_pos, bool greedy, Scratch& scratch);

// HF TopKLogitsWarper's k-th value (NaN ranks highest, as in at::topk); top-k removes scores
// below it. -inf when it removes nothing (top_k 0, fewer open positions than k, or a NaN k-th).
float top_k_threshold(const Scores& scores, std::int64_t top_k, Scratch& scratch);

// The candidates: open scores that are not NaN, above -inf and not below `threshold`, ascending.
void gather_candidates(const Scores& scores, float threshold, Scratch& scratch);

// HF TopPLogitsWarper on the candidates (the only finite scores): removes them from
// scratch.index/value and lists their ids in scratch.removed.
void apply_top_p(double top_p, Scratch& scratch);

// Greedy: the first maximum, NaN skipped (see first_non_nan when nothing is above -inf).
std::int64_t argmax(const Scores& scores);

// The first id whose score is not NaN (closed positions count: they are -inf), else 0: what the
// first implementation's argmax loop returned when no score was above -inf.
std::int64_t first_non_nan(const Scores& scores);

// Softmax and the multinomial draw in double over the (non-empty) candidates; `u` in [0, 1).
std::int64_t draw(double u, Scratch& scratch);

}  // namespace seedcanvas::llm::sampling
