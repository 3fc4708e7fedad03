// Strict loading of a checkpoint into a module tree.
#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <string>
#include <vector>

#include "io/tensor_source.h"
#include "nn/module.h"

namespace seedcanvas::nn {

struct LoadOptions {
  c10::Device device = c10::kCPU;
  // Target dtype of floating parameters; unset keeps the file's dtype.
  c10::optional<c10::ScalarType> dtype;
  // Prefix the source keys carry in front of the module's names (e.g. "model.").
  std::string source_prefix;
  // Source keys that are known and deliberately not loaded. '*' matches any run of
  // characters, e.g. "model.layers.*.self_attn.rotary_emb.inv_freq".
  std::vector<std::string> ignore;
  // Called after each tensor: (done, total). Returning false cancels with Error(Cancelled).
  std::function<bool(std::size_t, std::size_t)> progress;
  // To a CUDA device: through pinned staging buffers, reading the next chunk while the last one
  // copies (nn/staged_upload.h). Off: 5.3 GB/s against tensor.to()'s 6.7 on an H100; on with
  // true or SEEDCANVAS_STAGED_UPLOAD=1. Otherwise tensor.to(device).
  bool staged_upload = false;
};

struct LoadReport {
  std::size_t loaded = 0;
  std::uint64_t bytes = 0;
  std::vector<std::string> ignored;  // source keys skipped by the ignore list
};

// Loads every parameter of `module` from `source`. Missing keys, unexpected keys and shape
// mismatches are collected and reported together in one Error(Mismatch) naming each key.
// Tensors are converted one at a time, so peak memory is one model plus one tensor.
LoadReport load_state(Module& module, const io::TensorSource& source, const LoadOptions& options = {});

bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace seedcanvas::nn
