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
  // Order: single safetensors, sharded safetensors, single pickle, sharded pickle; the full
  // precision files before diffusers' fp16 variants ("<name>.fp16.<ext>", indexes
  // "<name>.<ext>.index.fp16.json"), which a download may hold alone (variant="fp16").
  static const char* kCandidates[] = {
      "model.safetensors", "model.safetensors.index.json",
      "diffusion_pytorch_model.safetensors", "diffusion_pytorch_model.safetensors.index.json",
      "pytorch_model.bin", "pytorch_model.bin.index.json",
      "diffusion_pytorch_model.bin", "diffusion_pytorch_model.bin.index.json",
      "model.fp16.safetensors", "model.safetensors.index.fp16.json",
      "diffusion_pytorch_model.fp16.safetensors", "diffusion_pytorch_model.safetensors.index.fp16.json",
      "pytorch_model.fp16.bin", "pytorch_model.bin.index.fp16.json",
      "diffusion_pytorch_model.fp16.bin", "diffusion_pytorch_model.bin.index.fp16.json",
  };
  std::error_code ec;
  for (const char* name : kCandidates) {
    auto p = dir / name;
    // A dangling link (a cache whose blob is gone) is returned too, so opening it says so.
    if (std::filesystem::is_regular_file(p, ec) || std::filesystem::is_symlink(std::filesystem::symlink_status(p, ec)))
      return p;
  }
  return {};
}

bool looks_like_legacy_torch_save(const std::filesystem::path& path) {
  // torch.save before 1.6 (or with _use_new_zipfile_serialization=False) starts with a pickled
  // magic number: PROTO 2, LONG1 of 10 bytes 0x1950a86a20f9469cfc6c.
  static const unsigned char kMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                         0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  unsigned char head[sizeof kMagic] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  return in.gcount() == static_cast<std::streamsize>(sizeof head) && std::equal(head, head + sizeof head, kMagic);
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
  if (!std::filesystem::exists(path, ec)) {
    // A symlink whose target is gone (a Hugging Face cache whose blob was deleted) is not "no file".
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec)))
      throw_error(ErrorKind::NotFound, describe(path.string(), "is a link to a file that is missing (" +
                                                                   std::filesystem::read_symlink(path, ec).string() +
                                                                   "); download it again"));
    throw_error(ErrorKind::NotFound, describe(path.string(), "file not found"));
  }
  // Opening a FIFO or device would block or never end: only regular files are read.
  if (!std::filesystem::is_regular_file(path, ec)) throw_format(path.string(), "not a regular file");
  const std::string name = path.filename().string();
  auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  // "x.index.json", and diffusers' variant indexes "x.safetensors.index.fp16.json".
  if (ends_with(".index.json") || (ends_with(".json") && name.find(".index.") != std::string::npos))
    return open_sharded(path);
  if (ends_with(".safetensors")) return SafetensorsFile::open(path);
  if (looks_like_zip(path)) return open_torch_checkpoint(path);
  // Never unpickled: the old format needs arbitrary pickle execution to read.
  if (looks_like_legacy_torch_save(path))
    throw_error(ErrorKind::Unsupported,
                describe(path.string(), "is in the legacy torch.save format (PyTorch < 1.6 or "
                                        "_use_new_zipfile_serialization=False), which is not read because loading it "
                                        "would run code from the file; re-save it with PyTorch >= 1.6 "
                                        "(torch.save(torch.load(f), f)) or convert it to safetensors"));
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
