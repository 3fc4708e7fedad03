#include "nn/module.h"

#include <ATen/ATen.h>

namespace seedcanvas::nn {

at::Tensor& Module::register_parameter(const std::string& name, at::Tensor* slot, std::vector<std::int64_t> shape,
                                       bool keep_dtype) {
  params_.push_back({name, slot, std::move(shape), keep_dtype});
  return *slot;
}

void Module::register_module(const std::string& name, Module* child) { children_.emplace_back(name, child); }

std::vector<ParameterRef> Module::named_parameters(const std::string& prefix) const {
  std::vector<ParameterRef> out;
  for (const auto& p : params_) out.push_back({prefix + p.name, p.slot, p.shape, p.keep_dtype});
  for (const auto& [name, child] : children_) {
    auto sub = child->named_parameters(prefix + name + ".");
    out.insert(out.end(), std::make_move_iterator(sub.begin()), std::make_move_iterator(sub.end()));
  }
  return out;
}

std::int64_t Module::parameter_count() const {
  std::int64_t n = 0;
  for (const auto& p : named_parameters()) {
    std::int64_t c = 1;
    for (auto d : p.shape) c *= d;
    n += c;
  }
  return n;
}

void Module::to(c10::Device device, c10::optional<c10::ScalarType> dtype) {
  for (auto& p : named_parameters()) {
    if (!p.tensor->defined()) continue;
    if (dtype && !p.keep_dtype && at::isFloatingType(p.tensor->scalar_type()))
      *p.tensor = p.tensor->to(device, *dtype);
    else
      *p.tensor = p.tensor->to(device);
  }
}

}  // namespace seedcanvas::nn
