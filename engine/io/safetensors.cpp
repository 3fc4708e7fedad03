#include "io/safetensors.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <unistd.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/mapped_file.h"

namespace seedcanvas::io {

std::unique_ptr<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  auto out = std::unique_ptr<SafetensorsFile>(new SafetensorsFile());
  out->file_ = MappedFile::open(path);
  out->header_ = parse_safetensors_header(out->file_->data(), out->file_->size(), out->file_->path());
  for (const auto& e : out->header_.entries) out->infos_.push_back(e.info);
  return out;
}

std::string SafetensorsFile::origin() const { return file_->path(); }

at::Tensor SafetensorsFile::load(const std::string& name) const {
  auto it = std::lower_bound(header_.entries.begin(), header_.entries.end(), name,
                             [](const SafetensorsEntry& e, const std::string& n) { return e.info.name < n; });
  if (it == header_.entries.end() || it->info.name != name)
    throw_error(ErrorKind::NotFound, describe(file_->path(), "no such tensor", name));
  const auto& info = it->info;
  const std::uint8_t* ptr = file_->data() + header_.data_start + it->begin;
  auto options = at::TensorOptions().dtype(info.dtype).device(at::kCPU);
  const auto esize = element_size(info.dtype);
  if (info.nbytes == 0) return at::empty(info.shape, options);
  if (reinterpret_cast<std::uintptr_t>(ptr) % esize == 0) {
    // Zero-copy: the tensor keeps the mapping alive. The map is read-only, so callers
    // convert or clone before writing (every model load does).
    auto keep = file_;
    return at::from_blob(const_cast<std::uint8_t*>(ptr), info.shape, [keep](void*) {}, options);
  }
  auto t = at::empty(info.shape, options);
  std::memcpy(t.data_ptr(), ptr, info.nbytes);
  return t;
}

void write_safetensors_streaming(const std::filesystem::path& path, const std::vector<TensorInfo>& plan,
                                 const std::function<at::Tensor(std::size_t)>& produce,
                                 const std::map<std::string, std::string>& metadata) {
  const std::string file = path.string();
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  std::vector<std::uint64_t> sizes;
  for (const auto& info : plan) {
    std::uint64_t n = element_size(info.dtype);
    for (auto d : info.shape) n *= static_cast<std::uint64_t>(d);
    if (header.contains(info.name)) throw_format(file, "tensor name is used twice", info.name);
    header[info.name] = {{"dtype", dtype_name(info.dtype)}, {"shape", info.shape}, {"data_offsets", {offset, offset + n}}};
    offset += n;
    sizes.push_back(n);
  }
  std::string text = header.dump();
  while ((text.size() + 8) % 8 != 0) text.push_back(' ');  // keep the data section 8-byte aligned
  AtomicFile out(path);
  std::uint8_t len[8];
  std::uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(n >> (8 * i));
  out.write(len, 8);
  out.write(text.data(), text.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    auto t = produce(i).to(at::kCPU).contiguous();
    // The header is already written: a tensor that does not match its plan would corrupt the file.
    if (t.scalar_type() != plan[i].dtype || t.sizes() != at::IntArrayRef(plan[i].shape))
      throw_error(ErrorKind::Internal, describe(file, "tensor does not match the planned dtype/shape", plan[i].name));
    if (sizes[i] > 0) out.write(t.data_ptr(), sizes[i]);
  }
  out.commit();
}

void write_safetensors(const std::filesystem::path& path,
                       const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<TensorInfo> plan;
  for (const auto& [name, tensor] : tensors) {
    TensorInfo info;
    info.name = name;
    info.dtype = tensor.scalar_type();
    info.shape.assign(tensor.sizes().begin(), tensor.sizes().end());
    plan.push_back(std::move(info));
  }
  write_safetensors_streaming(path, plan, [&](std::size_t i) { return tensors[i].second; }, metadata);
}

}  // namespace seedcanvas::io
