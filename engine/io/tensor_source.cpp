#include "io/tensor_source.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <fstream>

#include "core/error.h"
#include "io/safetensors.h"
#include "io/sharded_source.h"
#include "io/torch_checkpoint.h"

namespace seedcanvas::io {

bool TensorSource::contains(const std::string& name) const { return find(name) != nullptr; }

const TensorInfo* TensorSource::find(const std::string& name) const {
  const auto& all = tensors();
  auto it = std::lower_bound(all.begin(), all.end(), name, [](const TensorInfo& t, const std::string& n) { return t.name < n; });
  return (it != all.end() && it->name == name) ? &*it : nullptr;
}

std::uint64_t TensorSource::total_bytes() const {
  std::uint64_t total = 0;
  for (const auto& t : tensors()) total += t.nbytes;
  return total;
}

std::filesystem::path find_weights_in_folder(const std::filesystem::path& dir) {
  // Order: single safetensors, sharded safetensors, single pickle, sharded pickle.
  static const char* kCandidates[] = {
      "model.safetensors", "model.safetensors.index.json",
      "diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.safetensors.index.json",
      "pytorch_model.bin", "pytorch_model.bin.index.json",
      "diffusion_pytorch_model.bin", "diffusion_pytorch_model.bin.index.json",
  };
  for (const char* name : kCandidates) {
    auto p = dir / name;
    if (std::filesystem::is_regular_file(p)) return p;
  }
  return {};
}

std::unique_ptr<TensorSource> open_checkpoint(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    auto file = find_weights_in_folder(path);
    if (file.empty())
      throw_error(ErrorKind::NotFound, describe(path.string(), "folder holds no known weight file "
                                                               "(model.safetensors, pytorch_model.bin or an index)"));
    return open_checkpoint(file);
  }
  if (!std::filesystem::exists(path, ec)) throw_error(ErrorKind::NotFound, describe(path.string(), "file not found"));
  // Opening a FIFO or device would block or never end: only regular files are read.
  if (!std::filesystem::is_regular_file(path, ec)) throw_format(path.string(), "not a regular file");
  const std::string name = path.filename().string();
  auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".index.json")) return open_sharded(path);
  if (ends_with(".safetensors")) return SafetensorsFile::open(path);
  if (looks_like_zip(path)) return open_torch_checkpoint(path);
  // No recognised extension and no zip magic: try safetensors, whose header check is strict.
  if (ends_with(".bin") || ends_with(".pt") || ends_with(".pth") || ends_with(".ckpt"))
    throw_format(path.string(), "not a torch.save zip archive (legacy pre-1.6 pickles are not supported)");
  return SafetensorsFile::open(path);
}

std::map<std::string, at::Tensor> load_all(const TensorSource& source) {
  std::map<std::string, at::Tensor> out;
  for (const auto& t : source.tensors()) out.emplace(t.name, source.load(t.name));
  return out;
}

}  // namespace seedcanvas::io
