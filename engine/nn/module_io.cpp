#include "nn/module_io.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "io/safetensors.h"

namespace seedcanvas::nn {

void randomize(Module& module, std::uint64_t seed, double std) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  for (auto& p : module.named_parameters()) {
    const auto& name = p.name;
    const bool is_bias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    const bool is_gain = p.shape.size() == 1 && !is_bias;
    auto dtype = p.tensor->defined() ? p.tensor->scalar_type() : at::kFloat;
    at::Tensor t;
    if (is_bias)
      t = at::zeros(p.shape, at::kFloat);
    else if (is_gain)
      t = at::ones(p.shape, at::kFloat);
    else
      t = at::normal(0.0, std, p.shape, gen);
    if (!at::isFloatingType(dtype)) dtype = at::kFloat;
    *p.tensor = t.to(dtype);
  }
}

void save_safetensors(const Module& module, const std::filesystem::path& path, c10::optional<c10::ScalarType> dtype,
                      const std::string& prefix, const std::map<std::string, std::string>& metadata) {
  std::vector<std::pair<std::string, at::Tensor>> tensors;
  for (const auto& p : module.named_parameters()) {
    at::Tensor t = *p.tensor;
    if (dtype && !p.keep_dtype && at::isFloatingType(t.scalar_type())) t = t.to(*dtype);
    tensors.emplace_back(prefix + p.name, t);
  }
  io::write_safetensors(path, tensors, metadata);
}

}  // namespace seedcanvas::nn
