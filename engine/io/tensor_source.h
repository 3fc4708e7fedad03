// A named collection of tensors read from a checkpoint: one file, or a folder of shards.
// Loaders validate everything up front; `load` returns a CPU tensor that may alias a
// memory map (treat it as read-only; copy or convert before writing into it).
#pragma once

#include <ATen/core/TensorBody.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace seedcanvas::io {

struct TensorInfo {
  std::string name;
  c10::ScalarType dtype = c10::ScalarType::Float;
  std::vector<std::int64_t> shape;
  std::uint64_t nbytes = 0;
  std::string file;  // which file holds it (shards differ)
};

class TensorSource {
 public:
  virtual ~TensorSource() = default;
  // Sorted by name.
  virtual const std::vector<TensorInfo>& tensors() const = 0;
  virtual at::Tensor load(const std::string& name) const = 0;
  // What was opened (a file or folder), for messages.
  virtual std::string origin() const = 0;

  bool contains(const std::string& name) const;
  const TensorInfo* find(const std::string& name) const;
  std::uint64_t total_bytes() const;
};

// Opens a weight file by its format (safetensors, torch zip pickle, *.index.json) or a
// Hugging Face-style folder (model.safetensors, pytorch_model.bin, their indexes, and the
// diffusers names). Throws seedcanvas::Error naming the file on any problem.
std::unique_ptr<TensorSource> open_checkpoint(const std::filesystem::path& path);

// Finds the weight file (or index) inside a model folder, preferring safetensors and the full
// precision files over diffusers' `.fp16.` variants; empty if none.
std::filesystem::path find_weights_in_folder(const std::filesystem::path& dir);

// True when the file starts with the magic number of the legacy (pre-1.6, non-zip) torch.save
// format, which is refused without being unpickled.
bool looks_like_legacy_torch_save(const std::filesystem::path& path);

// Bytes per element of the dtypes we read; throws Unsupported for others.
std::size_t element_size(c10::ScalarType dtype);
std::string dtype_name(c10::ScalarType dtype);  // safetensors spelling: F32, BF16...

// Convenience: every tensor loaded eagerly (small models, tests).
std::map<std::string, at::Tensor> load_all(const TensorSource& source);

}  // namespace seedcanvas::io
