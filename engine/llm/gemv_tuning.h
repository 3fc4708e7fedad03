// Which one-row projection kernel serves each weight shape on this GPU. No kernel wins every
// shape on every card (an H100 run: the engine's kernel streamed the 4096 x 4096 o_proj 28 %
// faster than cuBLAS, cuBLAS the 4096 x 11008 down_proj 6 % faster than it), so at load each
// candidate is timed on the loaded weights themselves, cycling through the layers as decoding
// reads them, after an output check against a double-precision product. The choice is kept per
// (rows, K) for the process and read by kernels::gemv.
#pragma once

#include <ATen/core/Tensor.h>

#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "llm/decode_kernels.h"

namespace seedcanvas::llm {

struct GemvTiming {
  kernels::GemvKernel kernel = kernels::GemvKernel::Staged;
  double seconds = 0;     // per call, the best of the timed passes
  double rel_error = 0;   // max |out - reference| / max |reference| on the checked rows
  bool accepted = false;  // within TuneOptions::max_rel_error and finite
};

struct GemvTuning {
  std::string name;  // the weight class: qkv, o_proj, gate_up, down_proj, lm_head
  std::int64_t rows = 0, k = 0;
  kernels::GemvKernel chosen = kernels::GemvKernel::Staged;
  std::vector<GemvTiming> timings;  // in candidate order
};

struct GemvTuneOptions {
  // A candidate replaces the first (the default kernel) only when it is this much faster, so
  // near-ties do not flip between runs (and with them the low bits of the logits).
  double margin = 0.02;
  double max_rel_error = 1.0 / 64;  // bf16 rounding is 1/256; a wrong kernel is off by O(1)
  int passes = 3;                   // timed passes over all the weights, per candidate
  std::int64_t checked_rows = 256;  // rows of the first weight compared with the reference
};

// Runs one candidate: out [1, N] = x [1, K] @ w^T. Sync waits for the device's queued work.
using GemvRunner =
    std::function<void(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, kernels::GemvKernel kernel)>;
using DeviceSync = std::function<void()>;

// The fastest accepted timing; `fallback` (the default kernel, if accepted) unless another beats
// it by more than `margin`. Fallback when nothing is accepted.
kernels::GemvKernel pick_gemv(const std::vector<GemvTiming>& timings, kernels::GemvKernel fallback, double margin);

// Times and checks the candidates on one class of equally shaped weights (candidates[0] is the
// default) and returns the measurements with the pick; records nothing.
GemvTuning tune_gemv_class(const std::string& name, const std::vector<const at::Tensor*>& weights,
                           const std::vector<kernels::GemvKernel>& candidates, const GemvRunner& run,
                           const DeviceSync& sync, const GemvTuneOptions& options = {});

// Choices kept between runs, so that a model decodes with the same kernels (and so the same low
// bits of the logits) at every launch on one GPU, and loads without timing them again. A JSON
// file: {"format": 1, "devices": {"<device>": {"<rows>x<K>": "<kernel name>"}}}, where <device>
// names the GPU and the engine version (gemv_device_key). Reading: a missing, unreadable or
// malformed file, and names it does not know, count as no entry. Writing merges into what the file
// holds (other devices and shapes stay) and replaces it atomically; returns false if it cannot.
using GemvChoices = std::map<std::pair<std::int64_t, std::int64_t>, kernels::GemvKernel>;
GemvChoices read_gemv_choices(const std::filesystem::path& file, const std::string& device);
bool write_gemv_choices(const std::filesystem::path& file, const std::string& device,
                        const std::vector<GemvTuning>& tunings);
std::string gemv_device_key(c10::Device device);  // "<GPU name> sm_<cc>, engine <version>"

// The process-wide table kernels::gemv reads. recorded_gemv_choice gives Auto for an unknown shape.
void record_gemv_choice(const GemvTuning& tuning);
kernels::GemvKernel recorded_gemv_choice(std::int64_t rows, std::int64_t k);
std::vector<GemvTuning> recorded_gemv_tunings();  // the last tuning of each shape
void clear_gemv_choices();

}  // namespace seedcanvas::llm
