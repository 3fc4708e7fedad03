// safetensors reader/writer. Format: u64 little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets:[begin,end]}, "__metadata__": {...}}, then the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/tensor_source.h"

namespace seedcanvas::io {

class MappedFile;

struct SafetensorsEntry {
  TensorInfo info;
  std::uint64_t begin = 0;  // relative to the data section
  std::uint64_t end = 0;
};

struct SafetensorsHeader {
  std::uint64_t data_start = 0;  // 8 + header length
  std::vector<SafetensorsEntry> entries;  // sorted by name
  std::map<std::string, std::string> metadata;
};

// Validates the whole header against the file size; throws Error(Format) naming `file`.
SafetensorsHeader parse_safetensors_header(const std::uint8_t* data, std::size_t size,
                                           const std::string& file);

c10::ScalarType dtype_from_safetensors(const std::string& name, const std::string& file,
                                       const std::string& tensor);

class SafetensorsFile final : public TensorSource {
 public:
  static std::unique_ptr<SafetensorsFile> open(const std::filesystem::path& path);
  const std::vector<TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override;
  std::string origin() const override;
  const std::map<std::string, std::string>& metadata() const { return header_.metadata; }

 private:
  std::shared_ptr<MappedFile> file_;
  SafetensorsHeader header_;
  std::vector<TensorInfo> infos_;
};

// Writes tensors (any device/dtype; made contiguous on CPU) atomically: a temporary file
// beside `path` is renamed into place only after everything was written and flushed.
void write_safetensors(const std::filesystem::path& path,
                       const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

// The same, one tensor at a time: the header is written from `plan` (name, dtype, shape),
// then `produce(i)` is called in order and must return a tensor of exactly that dtype and
// shape. Peak memory is one tensor, so checkpoints larger than RAM can be converted.
void write_safetensors_streaming(const std::filesystem::path& path, const std::vector<TensorInfo>& plan,
                                 const std::function<at::Tensor(std::size_t)>& produce,
                                 const std::map<std::string, std::string>& metadata = {});

}  // namespace seedcanvas::io
