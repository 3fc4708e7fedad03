#include "llm/gemv_tuning.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <utility>

#include "core/error.h"
#include "core/json_file.h"
#include "io/atomic_file.h"

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

namespace {

std::string shape_key(std::int64_t rows, std::int64_t k) { return std::to_string(rows) + "x" + std::to_string(k); }

nlohmann::json read_or_empty(const std::filesystem::path& file) {
  try {
    auto j = read_json_file(file, 1u << 20);
    if (j.is_object() && j.value("format", 0) == 1 && j.contains("devices") && j["devices"].is_object()) return j;
  } catch (const std::exception&) {
  }
  return {{"format", 1}, {"devices", nlohmann::json::object()}};
}

}  // namespace

GemvChoices read_gemv_choices(const std::filesystem::path& file, const std::string& device) {
  GemvChoices out;
  const auto j = read_or_empty(file);
  const auto& devices = j["devices"];
  if (!devices.contains(device) || !devices[device].is_object()) return out;
  for (const auto& [key, value] : devices[device].items()) {
    long long rows = 0, k = 0;
    char x = 0, rest = 0;
    if (!value.is_string() || std::sscanf(key.c_str(), "%lld%c%lld%c", &rows, &x, &k, &rest) != 3 || x != 'x' ||
        rows < 1 || k < 1)
      continue;
    for (int n = 0; n < kernels::kGemvKernels; ++n)
      if (value.get<std::string>() == kernels::gemv_kernel_name(static_cast<GemvKernel>(n))) {
        out[{rows, k}] = static_cast<GemvKernel>(n);
        break;
      }
  }
  return out;
}

bool write_gemv_choices(const std::filesystem::path& file, const std::string& device,
                        const std::vector<GemvTuning>& tunings) {
  try {
    auto j = read_or_empty(file);
    auto& entry = j["devices"][device];
    if (!entry.is_object()) entry = nlohmann::json::object();
    for (const auto& t : tunings) entry[shape_key(t.rows, t.k)] = kernels::gemv_kernel_name(t.chosen);
    if (!file.parent_path().empty()) std::filesystem::create_directories(file.parent_path());
    const std::string text = j.dump(1);
    io::AtomicFile out(file);
    out.write(text.data(), text.size());
    out.commit();
    return true;
  } catch (const std::exception&) {
    return false;  // a cache: the next load times the kernels again
  }
}

std::string gemv_device_key(c10::Device device) {
  return kernels::device_name(device) + ", engine " + SEEDCANVAS_VERSION;
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
