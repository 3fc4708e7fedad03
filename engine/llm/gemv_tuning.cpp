#include "llm/gemv_tuning.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <utility>

#include "core/error.h"

namespace seedcanvas::llm {
namespace {

using kernels::GemvKernel;

std::mutex table_mutex;
std::map<std::pair<std::int64_t, std::int64_t>, GemvTuning>& table() {
  static std::map<std::pair<std::int64_t, std::int64_t>, GemvTuning> t;
  return t;
}

// A fixed input row (no random generator is touched): values spread over [-1, 1].
at::Tensor probe_row(std::int64_t k, const at::TensorOptions& options) {
  return at::sin(at::arange(k, options.dtype(at::kDouble)) * 0.37).to(options.dtype());
}

}  // namespace

GemvKernel pick_gemv(const std::vector<GemvTiming>& timings, GemvKernel fallback, double margin) {
  const GemvTiming* best = nullptr;
  const GemvTiming* base = nullptr;
  for (const auto& t : timings) {
    if (!t.accepted || !(t.seconds > 0) || !std::isfinite(t.seconds)) continue;
    if (t.kernel == fallback) base = &t;
    if (!best || t.seconds < best->seconds) best = &t;
  }
  if (!best) return fallback;
  if (base && best->seconds * (1.0 + margin) >= base->seconds) return fallback;
  return best->kernel;
}

GemvTuning tune_gemv_class(const std::string& name, const std::vector<const at::Tensor*>& weights,
                           const std::vector<GemvKernel>& candidates, const GemvRunner& run, const DeviceSync& sync,
                           const GemvTuneOptions& options) {
  if (weights.empty() || candidates.empty()) throw_error(ErrorKind::Internal, "tune_gemv_class: nothing to tune");
  const at::Tensor& w0 = *weights.front();
  GemvTuning tuning;
  tuning.name = name;
  tuning.rows = w0.size(0);
  tuning.k = w0.size(1);
  tuning.chosen = candidates.front();
  for (const auto* w : weights)
    if (w->sizes() != w0.sizes())
      throw_error(ErrorKind::Internal, "tune_gemv_class: " + name + " weights differ in shape");

  const auto x = probe_row(tuning.k, w0.options()).view({1, tuning.k});
  auto out = at::empty({1, tuning.rows}, w0.options());
  const std::int64_t checked = std::min(options.checked_rows, tuning.rows);
  const auto reference = at::mm(x.to(at::kDouble), w0.narrow(0, 0, checked).to(at::kDouble).t());
  const double scale = std::max(reference.abs().max().item<double>(), std::numeric_limits<double>::min());

  for (const auto kernel : candidates) {
    GemvTiming t;
    t.kernel = kernel;
    t.seconds = std::numeric_limits<double>::infinity();
    out.fill_(std::numeric_limits<float>::quiet_NaN());  // a kernel that writes nothing fails the check
    run(out, x, w0, kernel);  // also the warm-up of first-call setup (cuBLAS handles, module load)
    const double err =
        (out.narrow(1, 0, checked).to(at::kDouble) - reference).abs().max().item<double>() / scale;
    t.rel_error = std::isfinite(err) ? err : std::numeric_limits<double>::infinity();
    t.accepted = t.rel_error <= options.max_rel_error;
    tuning.timings.push_back(t);
  }
  // Passes alternate between candidates, so a drift of the clocks over the tuning hits them all.
  using Clock = std::chrono::steady_clock;
  for (int pass = 0; pass < options.passes; ++pass)
    for (auto& t : tuning.timings) {
      if (!t.accepted) continue;
      sync();
      const auto start = Clock::now();
      for (const auto* w : weights) run(out, x, *w, t.kernel);
      sync();
      const double s = std::chrono::duration<double>(Clock::now() - start).count() / weights.size();
      t.seconds = std::min(t.seconds, s);
    }
  tuning.chosen = pick_gemv(tuning.timings, candidates.front(), options.margin);
  return tuning;
}

void record_gemv_choice(const GemvTuning& tuning) {
  std::lock_guard lock(table_mutex);
  table()[{tuning.rows, tuning.k}] = tuning;
}

GemvKernel recorded_gemv_choice(std::int64_t rows, std::int64_t k) {
  std::lock_guard lock(table_mutex);
  const auto it = table().find({rows, k});
  return it == table().end() ? GemvKernel::Auto : it->second.chosen;
}

std::vector<GemvTuning> recorded_gemv_tunings() {
  std::lock_guard lock(table_mutex);
  std::vector<GemvTuning> out;
  for (const auto& [shape, tuning] : table()) out.push_back(tuning);
  return out;
}

void clear_gemv_choices() {
  std::lock_guard lock(table_mutex);
  table().clear();
}

}  // namespace seedcanvas::llm
