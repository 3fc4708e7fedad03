// Containers that register children under torch's names: ModuleList / nn.Sequential index
// their children "0", "1", ... (Sequential skips the indices of parameter-free layers).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nn/module.h"

namespace seedcanvas::vision {

template <typename T>
class ModuleList : public nn::Module {
 public:
  T& add(std::unique_ptr<T> child) { return add_at(items_.size(), std::move(child)); }
  // Sequential-style: the index in the Python container (ReLU/Tanh hold none).
  T& add_at(std::size_t python_index, std::unique_ptr<T> child) {
    register_module(std::to_string(python_index), child.get());
    items_.push_back(std::move(child));
    return *items_.back();
  }
  std::size_t size() const { return items_.size(); }
  T& operator[](std::size_t i) const { return *items_[i]; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<std::unique_ptr<T>> items_;
};

// A module that only groups named children (e.g. BERT's "attention", "self", "output").
class Group : public nn::Module {
 public:
  template <typename T>
  T& add(const std::string& name, std::unique_ptr<T> child) {
    T& ref = *child;
    register_module(name, child.get());
    owned_.push_back(std::move(child));
    return ref;
  }

 private:
  std::vector<std::unique_ptr<nn::Module>> owned_;
};

}  // namespace seedcanvas::vision
