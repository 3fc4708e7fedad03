// Saving a module tree under its checkpoint keys, and deterministic random weights (demo pack,
// benchmarks): the same seed gives the same weights on every machine.
#pragma once

#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "nn/module.h"

namespace seedcanvas::nn {

// 1-D parameters named "weight" (norm gains) become 1, "bias" 0, everything else N(0, std).
void randomize(Module& module, std::uint64_t seed, double std = 0.02);

// Writes every parameter as `prefix + name` into one safetensors file (atomically).
void save_safetensors(const Module& module, const std::filesystem::path& path,
                      c10::optional<c10::ScalarType> dtype = c10::nullopt, const std::string& prefix = {},
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace seedcanvas::nn
