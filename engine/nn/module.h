// A minimal module tree on ATen. Children and parameters are registered under the Python
// attribute names, so a parameter's dotted path equals its checkpoint key
// (e.g. "model.layers.0.self_attn.q_proj.weight"). Modules are not copyable: they hold
// pointers to their own members.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seedcanvas::nn {

struct ParameterRef {
  std::string name;                  // full dotted name
  at::Tensor* tensor = nullptr;
  std::vector<std::int64_t> shape;   // expected shape
  bool keep_dtype = false;           // never cast on load (integer buffers, fp32-only params)
};

class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // Every parameter below this module, depth first in registration order.
  std::vector<ParameterRef> named_parameters(const std::string& prefix = {}) const;
  std::int64_t parameter_count() const;
  // Moves/casts floating parameters (those not marked keep_dtype).
  void to(c10::Device device, c10::optional<c10::ScalarType> dtype = c10::nullopt);

 protected:
  at::Tensor& register_parameter(const std::string& name, at::Tensor* slot, std::vector<std::int64_t> shape,
                                 bool keep_dtype = false);
  void register_module(const std::string& name, Module* child);

 private:
  struct Param {
    std::string name;
    at::Tensor* slot;
    std::vector<std::int64_t> shape;
    bool keep_dtype;
  };
  std::vector<Param> params_;
  std::vector<std::pair<std::string, Module*>> children_;
};

}  // namespace seedcanvas::nn
