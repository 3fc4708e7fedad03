// torch.save zip archives: `<top>/data.pkl` (the pickled state dict), `<top>/data/<key>`
// (one entry per storage, stored uncompressed and 64-byte aligned), `<top>/version` and,
// since torch 2.x, `<top>/byteorder`. The top folder is named after the file at save time
// ("archive", "pytorch_model", ...), so it is read from the entry names.
#include "io/torch_checkpoint.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>

#include "core/error.h"
#include "io/unpickler.h"
#include "io/zip_reader.h"

namespace seedcanvas::io {
namespace {

constexpr std::uint64_t kMaxPickleBytes = 64ull << 20;      // real state-dict pickles are < 1 MB
constexpr std::uint64_t kMaxInflatedStorage = 4ull << 30;  // deflated tensor data (torch never writes it)

c10::ScalarType dtype_of_storage(const std::string& type) {
  using c10::ScalarType;
  static const std::map<std::string, ScalarType> kTypes = {
      {"FloatStorage", ScalarType::Float}, {"HalfStorage", ScalarType::Half},   {"BFloat16Storage", ScalarType::BFloat16},
      {"DoubleStorage", ScalarType::Double}, {"LongStorage", ScalarType::Long}, {"IntStorage", ScalarType::Int},
      {"ShortStorage", ScalarType::Short}, {"CharStorage", ScalarType::Char},   {"ByteStorage", ScalarType::Byte},
      {"BoolStorage", ScalarType::Bool}};
  return kTypes.at(type);  // the unpickler admits only these names
}

// The folder holding data.pkl: the one top-level folder with a `data.pkl` entry.
std::string find_top_folder(const ZipArchive& zip) {
  std::string top;
  for (const auto& e : zip.entries()) {
    const auto slash = e.name.find('/');
    if (slash == std::string::npos || e.name.compare(slash, std::string::npos, "/data.pkl") != 0) continue;
    if (!top.empty()) throw_format(zip.file(), "archive holds several data.pkl folders ('" + top + "', '" + e.name.substr(0, slash) + "')");
    top = e.name.substr(0, slash);
  }
  if (top.empty()) throw_format(zip.file(), "zip archive has no '<folder>/data.pkl' entry: not a torch.save checkpoint");
  if (zip.find(top + "/constants.pkl")) throw_error(ErrorKind::Unsupported, describe(zip.file(), "TorchScript archives are not supported; save a state_dict"));
  return top;
}

class TorchCheckpoint final : public TensorSource {
 public:
  explicit TorchCheckpoint(const std::filesystem::path& path);
  const std::vector<TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override;
  std::string origin() const override { return zip_->file(); }

 private:
  struct Item {
    PickledTensor pickled;
    c10::ScalarType dtype;
    const ZipEntry* entry;
  };
  std::shared_ptr<ZipArchive> zip_;
  std::vector<Item> items_;  // sorted by name, parallel to infos_
  std::vector<TensorInfo> infos_;
};

TorchCheckpoint::TorchCheckpoint(const std::filesystem::path& path) : zip_(ZipArchive::open(path)) {
  const std::string& file = zip_->file();
  const std::string top = find_top_folder(*zip_);
  if (const ZipEntry* order = zip_->find(top + "/byteorder")) {
    const ZipBytes b = zip_->read(*order, 64, true);
    if (std::string(reinterpret_cast<const char*>(b.data), b.size) != "little")
      throw_error(ErrorKind::Unsupported, describe(file, "only little-endian checkpoints are supported"));
  }
  const ZipBytes pickle = zip_->read(*zip_->find(top + "/data.pkl"), kMaxPickleBytes, true);
  if (pickle.size > kMaxPickleBytes) throw_format(file, "data.pkl is implausibly large (" + std::to_string(pickle.size) + " bytes)");
  PickledStateDict state = unpickle_state_dict(pickle.data, pickle.size, file);

  std::map<std::string, std::pair<std::string, std::uint64_t>> storages;  // key -> (type, numel) first seen
  for (auto& t : state.tensors) {
    const c10::ScalarType dtype = dtype_of_storage(t.storage_type);
    Item item{std::move(t), dtype, nullptr};
    const auto& p = item.pickled;
    auto [seen, fresh] = storages.emplace(p.storage_key, std::make_pair(p.storage_type, p.storage_numel));
    if (!fresh && seen->second != std::make_pair(p.storage_type, p.storage_numel))
      throw_format(file, "storage '" + p.storage_key + "' is declared with two different types or sizes", p.name);
    item.entry = zip_->find(top + "/data/" + p.storage_key);
    if (!item.entry)
      throw_format(file, "storage '" + p.storage_key + "' is missing from the archive (no entry '" + top + "/data/" +
                             p.storage_key + "')", p.name);
    const std::uint64_t esize = element_size(item.dtype);
    std::uint64_t need = 0;
    if (__builtin_mul_overflow(p.storage_numel, esize, &need))
      throw_format(file, "storage '" + p.storage_key + "' size overflows", p.name);
    if (item.entry->size != need)
      throw_format(file, "storage '" + p.storage_key + "' holds " + std::to_string(item.entry->size) + " bytes but a " +
                             p.storage_type + " of " + std::to_string(p.storage_numel) + " elements needs " + std::to_string(need),
                   p.name);
    items_.push_back(std::move(item));
  }
  std::sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) { return a.pickled.name < b.pickled.name; });
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const auto& p = items_[i].pickled;
    if (i > 0 && p.name == items_[i - 1].pickled.name) throw_format(file, "tensor name appears twice", p.name);
    TensorInfo info;
    info.name = p.name;
    info.dtype = items_[i].dtype;
    info.shape = p.size;
    info.file = file;
    std::uint64_t numel = 1;
    for (auto d : p.size) numel *= static_cast<std::uint64_t>(d);  // validated by the unpickler
    info.nbytes = numel * element_size(info.dtype);
    infos_.push_back(std::move(info));
  }
}

at::Tensor TorchCheckpoint::load(const std::string& name) const {
  auto it = std::lower_bound(items_.begin(), items_.end(), name, [](const Item& a, const std::string& n) { return a.pickled.name < n; });
  if (it == items_.end() || it->pickled.name != name) throw_error(ErrorKind::NotFound, describe(origin(), "no such tensor", name));
  const auto& p = it->pickled;
  const auto options = at::TensorOptions().dtype(it->dtype).device(at::kCPU);
  const ZipBytes bytes = zip_->read(*it->entry, kMaxInflatedStorage, false);
  const auto numel = static_cast<std::int64_t>(p.storage_numel);
  at::Tensor storage;
  if (numel == 0) {
    storage = at::empty({0}, options);
  } else if (reinterpret_cast<std::uintptr_t>(bytes.data) % element_size(it->dtype) == 0) {
    // Zero-copy: the tensor keeps the map (or inflated buffer) alive; it is read-only.
    auto keep = bytes.owner;
    storage = at::from_blob(const_cast<std::uint8_t*>(bytes.data), {numel}, [keep](void*) {}, options);
  } else {
    storage = at::empty({numel}, options);
    std::memcpy(storage.data_ptr(), bytes.data, bytes.size);
  }
  return storage.as_strided(p.size, p.stride, p.storage_offset);
}

}  // namespace

bool looks_like_zip(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;  // never open FIFOs or devices
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

std::unique_ptr<TensorSource> open_torch_checkpoint(const std::filesystem::path& path) {
  return std::make_unique<TorchCheckpoint>(path);
}

}  // namespace seedcanvas::io
