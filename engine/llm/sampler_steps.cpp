#include "llm/sampler_steps.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/error.h"
#include "llm/sampler.h"
#include "llm/token_ids.h"

namespace seedcanvas::llm::sampling {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Block filters: whether any of d[0..16) passes a test, 16 compares at a time, so that the scans
// below visit single scores only in the few blocks that can change their state.
constexpr std::int64_t kBlock = 16;
enum class Test { Above, AboveOrNan, AtLeast };  // v > x; v > x or NaN; v >= x (NaN fails)

template <Test T>
bool block_has(const float* d, float x) {
#if defined(__SSE2__)
  const __m128 t = _mm_set1_ps(x);
  __m128 hit = _mm_setzero_ps();
  for (int j = 0; j < kBlock; j += 4) {
    const __m128 v = _mm_loadu_ps(d + j);
    if constexpr (T == Test::Above) hit = _mm_or_ps(hit, _mm_cmpgt_ps(v, t));
    if constexpr (T == Test::AboveOrNan) hit = _mm_or_ps(hit, _mm_or_ps(_mm_cmpgt_ps(v, t), _mm_cmpunord_ps(v, v)));
    if constexpr (T == Test::AtLeast) hit = _mm_or_ps(hit, _mm_cmpge_ps(v, t));
  }
  return _mm_movemask_ps(hit) != 0;
#else
  bool hit = false;
  for (int j = 0; j < kBlock; ++j) {
    if constexpr (T == Test::Above) hit |= d[j] > x;
    if constexpr (T == Test::AboveOrNan) hit |= d[j] > x || std::isnan(d[j]);
    if constexpr (T == Test::AtLeast) hit |= d[j] >= x;
  }
  return hit;
#endif
}

// The largest non-NaN score of d[0..n) (n a multiple of kBlock); -inf if none.
float group_max(const float* d, std::int64_t n) {
#if defined(__SSE2__)
  __m128 m[4];
  for (auto& x : m) x = _mm_set1_ps(-std::numeric_limits<float>::infinity());
  for (std::int64_t i = 0; i < n; i += kBlock)
    for (int j = 0; j < 4; ++j) m[j] = _mm_max_ps(_mm_loadu_ps(d + i + 4 * j), m[j]);  // a NaN in the first operand yields the second
  float lanes[4];
  _mm_storeu_ps(lanes, _mm_max_ps(_mm_max_ps(m[0], m[1]), _mm_max_ps(m[2], m[3])));
  return std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
#else
  float m = -std::numeric_limits<float>::infinity();
  for (std::int64_t i = 0; i < n; ++i) m = d[i] > m ? d[i] : m;
  return m;
#endif
}

// A lower bound of the k-th largest non-NaN open score, cheap to find: split the open scores into
// at least k groups; k of them each hold a score >= the k-th largest group maximum. -inf when there
// are too few groups.
float top_k_floor(const OpenRanges& open, const float* d, std::int64_t k, std::vector<float>& maxima) {
  // ~2.5k groups of a multiple of kBlock scores: large enough groups for a fast maximum pass,
  // enough of them for a bound near the k-th score.
  const std::int64_t group = std::max<std::int64_t>(kBlock, open.size() / (5 * k / 2 + 1) / kBlock * kBlock);
  maxima.clear();
  for (int r = 0; r < open.count; ++r)
    for (std::int64_t i = open.range[r].begin; i + group <= open.range[r].end; i += group)
      maxima.push_back(group_max(d + i, group));
  if (static_cast<std::int64_t>(maxima.size()) < k) return -std::numeric_limits<float>::infinity();
  std::nth_element(maxima.begin(), maxima.begin() + (k - 1), maxima.end(), std::greater<float>());
  return maxima[static_cast<std::size_t>(k - 1)];
}

// Calls f(i) for the open positions in ascending order, skipping whole blocks where no score
// passes test T against the current value of *x (f may change it).
template <Test T, typename F>
void scan_open(const OpenRanges& open, const float* d, const float* x, F&& f) {
  for (int r = 0; r < open.count; ++r) {
    std::int64_t i = open.range[r].begin;
    const std::int64_t end = open.range[r].end;
    for (; i + kBlock <= end; i += kBlock)
      if (block_has<T>(d + i, *x))
        for (std::int64_t j = i; j < i + kBlock; ++j) f(j);
    for (; i < end; ++i) f(i);
  }
}

// Copies the open hull of `src` into `work` (vocabulary-indexed) so it can be changed in place.
float* make_writable(const float* src, std::int64_t vocab, const OpenRanges& open, Scratch& s) {
  if (s.work.size() < static_cast<std::size_t>(vocab)) s.work.resize(static_cast<std::size_t>(vocab));
  float* w = s.work.data();
  if (src != w && open.count)
    std::memcpy(w + open.hull_begin(), src + open.hull_begin(),
                static_cast<std::size_t>(open.hull_end() - open.hull_begin()) * sizeof(float));
  return w;
}

}  // namespace

void OpenRanges::add(std::int64_t begin, std::int64_t end, std::int64_t hole) {
  if (hole >= begin && hole < end) {
    add(begin, hole, -1);
    add(hole + 1, end, -1);
    return;
  }
  if (end > begin) range[count++] = {begin, end};
}

std::int64_t OpenRanges::size() const {
  std::int64_t n = 0;
  for (int r = 0; r < count; ++r) n += range[r].end - range[r].begin;
  return n;
}

Scores prepare(const at::Tensor& logits, const std::vector<std::int64_t>& context, const SamplerSettings& settings,
               const TokenIds& ids, std::int64_t span_pos, bool greedy, Scratch& s) {
  Scores out;
  at::Tensor flat = logits.detach().reshape({-1});  // [V]
  const std::int64_t vocab = flat.numel();
  if (vocab == 0) throw_error(ErrorKind::Config, "sampler: the logits are empty");
  out.vocab = vocab;
  const float* src = nullptr;
  if (flat.device().is_cpu() && flat.scalar_type() == at::kFloat && flat.is_contiguous()) {
    src = flat.data_ptr<float>();  // read in place: no copy of the vocabulary
    out.hold = flat;
  } else {
    // One transfer of the raw logits (pinned for a CUDA source), then host work as for CPU logits.
    if (!s.host.defined() || s.host.numel() != vocab)
      s.host = at::empty({vocab}, at::TensorOptions().dtype(at::kFloat).pinned_memory(flat.device().is_cuda()));
    s.host.copy_(flat);
    src = s.host.data_ptr<float>();
  }

  // The image-span rule decides which positions stay open (the rest are -inf).
  OpenRanges& open = out.open;
  const bool rule = settings.image_span_rule && ids.has_images();
  const float* data = src;
  if (rule && span_pos >= TokenIds::kCodesPerImage) {
    // 32 codes emitted: only </img>, at score 0 (whatever the model and the penalty said).
    if (ids.eoi < vocab) {
      data = make_writable(src, vocab, open, s);
      s.work[static_cast<std::size_t>(ids.eoi)] = 0.0f;
      open.add(ids.eoi, ids.eoi + 1, -1);
    }
  } else {
    if (!rule) {
      open.add(0, vocab, -1);
    } else {
      const std::int64_t lo = std::min(ids.image_shift, vocab), hi = std::min(ids.image_shift + ids.image_count, vocab);
      if (span_pos < 0) {  // outside a span: no codes, no </img>
        const std::int64_t hole = ids.eoi < vocab ? ids.eoi : -1;
        open.add(0, lo, hole);
        open.add(hi, vocab, hole);
      } else {  // inside: codes only
        open.add(lo, hi, -1);
      }
    }
    if (settings.repetition_penalty != 1.0 && !context.empty() && open.count) {
      // RepetitionPenaltyLogitsProcessor: every id seen once, positive scores divided.
      float* w = make_writable(src, vocab, open, s);
      data = w;
      if (s.seen.size() < static_cast<std::size_t>(vocab)) s.seen.resize(static_cast<std::size_t>(vocab), 0);
      const float p = static_cast<float>(settings.repetition_penalty);
      const std::int64_t h0 = open.hull_begin(), h1 = open.hull_end();  // ids outside are -inf anyway
      for (auto id : context) {
        if (id < h0 || id >= h1 || s.seen[static_cast<std::size_t>(id)]) continue;
        s.seen[static_cast<std::size_t>(id)] = 1;
        w[id] = w[id] < 0 ? w[id] * p : w[id] / p;
      }
      for (auto id : context)
        if (id >= h0 && id < h1) s.seen[static_cast<std::size_t>(id)] = 0;
    }
  }
  if (!greedy && settings.temperature != 1.0 && open.count) {
    // TemperatureLogitsWarper through ATen's CPU division (scores / T), the rounding of the original.
    float* w = make_writable(data, vocab, open, s);
    data = w;
    const std::int64_t h0 = open.hull_begin(), h1 = open.hull_end();
    at::from_blob(w + h0, {h1 - h0}, at::TensorOptions().dtype(at::kFloat)).div_(settings.temperature);
  }
  out.data = data;
  return out;
}

float top_k_threshold(const Scores& sc, std::int64_t top_k, Scratch& s) {
  if (top_k <= 0) return kNegInf;
  const std::int64_t k = std::min(top_k, sc.vocab);
  if (k > sc.open.size()) return kNegInf;  // the k-th largest is a closed -inf
  const float* d = sc.data;
  // Scores above a floor go to a buffer; when it holds 2k, nth_element keeps the k largest and the
  // floor rises to the k-th. Blocks with nothing above the floor and no NaN are skipped. NaN ranks
  // above everything in at::topk: count them apart (their blocks are always visited).
  std::int64_t nans = 0;
  auto& sel = s.select;
  sel.clear();
  const std::size_t cap = static_cast<std::size_t>(2 * k);
  // Start just below the group bound, so that scores equal to it still come in.
  float floor = std::nextafter(top_k_floor(sc.open, d, k, s.group_max), kNegInf);
  scan_open<Test::AboveOrNan>(sc.open, d, &floor, [&](std::int64_t i) {
    const float v = d[i];
    if (v > floor) {
      sel.push_back(v);
      if (sel.size() == cap) {
        std::nth_element(sel.begin(), sel.begin() + (k - 1), sel.end(), std::greater<float>());
        sel.resize(static_cast<std::size_t>(k));
        floor = sel.back();  // the k-th largest
      }
    } else if (std::isnan(v)) {
      ++nans;
    }
  });
  if (nans >= k) return kNegInf;  // a NaN k-th value removes nothing
  // `sel` holds the k largest non-NaN scores above -inf (or all of them): with a finite start floor
  // at least k came in; fewer than the rank needed means the rest of the open scores are -inf.
  const std::int64_t rank = k - nans;  // among the non-NaN scores
  if (static_cast<std::int64_t>(sel.size()) < rank) return kNegInf;
  std::nth_element(sel.begin(), sel.begin() + (rank - 1), sel.end(), std::greater<float>());
  return sel[static_cast<std::size_t>(rank - 1)];
}

void gather_candidates(const Scores& sc, float threshold, Scratch& s) {
  // Not below the threshold and above -inf: v >= max(threshold, lowest float); NaN fails it.
  const float lo = std::max(threshold, std::numeric_limits<float>::lowest());
  const float* d = sc.data;
  s.index.clear();
  s.value.clear();
  scan_open<Test::AtLeast>(sc.open, d, &lo, [&](std::int64_t i) {
    if (d[i] >= lo) {
      s.index.push_back(i);
      s.value.push_back(d[i]);
    }
  });
}

void apply_top_p(double top_p, Scratch& s) {
  s.removed.clear();
  const auto n = static_cast<std::int64_t>(s.value.size());
  if (n <= 1) return;  // the most probable candidate always stays
  // The original's ATen ops on the same [n] values in the same order, so ties and rounding match.
  const at::Tensor sub = at::from_blob(s.value.data(), {n}, at::TensorOptions().dtype(at::kFloat));
  const auto sorted = at::sort(sub, /*dim=*/0, /*descending=*/false);
  const at::Tensor cumulative = at::softmax(std::get<0>(sorted), 0).cumsum(0);
  const at::Tensor remove = cumulative <= (1.0 - top_p);  // [n] bool, ascending order
  const bool* r = remove.data_ptr<bool>();
  const std::int64_t* order = std::get<1>(sorted).data_ptr<std::int64_t>();
  s.drop.assign(static_cast<std::size_t>(n), 0);
  for (std::int64_t j = 0; j + 1 < n; ++j)  // the most probable one always stays
    if (r[j]) s.drop[static_cast<std::size_t>(order[j])] = 1;
  std::size_t kept = 0;
  for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j) {
    if (s.drop[j]) {
      s.removed.push_back(s.index[j]);
      continue;
    }
    s.index[kept] = s.index[j];
    s.value[kept] = s.value[j];
    ++kept;
  }
  s.index.resize(kept);
  s.value.resize(kept);
}

std::int64_t argmax(const Scores& sc) {
  const float* d = sc.data;
  std::int64_t best = -1;
  float top = kNegInf;
  scan_open<Test::Above>(sc.open, d, &top, [&](std::int64_t i) {
    if (d[i] > top) {  // strictly: the first maximum; NaN never wins
      top = d[i];
      best = i;
    }
  });
  return best >= 0 ? best : first_non_nan(sc);
}

std::int64_t first_non_nan(const Scores& sc) {
  std::int64_t i = 0;
  for (int r = 0; r < sc.open.count; ++r) {
    if (i < sc.open.range[r].begin) return i;  // a closed position: -inf
    for (std::int64_t j = sc.open.range[r].begin; j < sc.open.range[r].end; ++j)
      if (!std::isnan(sc.data[j])) return j;
    i = sc.open.range[r].end;
  }
  return i < sc.vocab ? i : 0;
}

std::int64_t draw(double u, Scratch& s) {
  // The original summed exp(s_i - max) over the whole vocabulary in id order; every other id added
  // an exact 0 (exp(-inf) or a NaN score), which leaves a double sum unchanged.
  const std::size_t n = s.value.size();
  std::size_t best = 0;
  for (std::size_t j = 1; j < n; ++j)
    if (s.value[j] > s.value[best]) best = j;  // first maximum
  const double top = s.value[best];
  s.weight.resize(n);
  double total = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const double v = std::exp(static_cast<double>(s.value[j]) - top);
    s.weight[j] = v;
    total += v;
  }
  const double target = u * total;
  double acc = 0.0;
  std::int64_t last_nonzero = s.index[best];
  for (std::size_t j = 0; j < n; ++j) {
    const double v = s.weight[j];
    if (v <= 0.0) continue;
    acc += v;
    last_nonzero = s.index[j];
    if (target < acc) return s.index[j];
  }
  return last_nonzero;  // rounding left target at the very top
}

}  // namespace seedcanvas::llm::sampling
