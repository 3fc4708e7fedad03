// Byte-level builders for weight-file tests: pickle opcodes, zip archives (stored, deflated,
// zip64, with lies in their headers) and whole torch.save-style checkpoints.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seedcanvas::test {

// Appends pickle opcodes (pickletools names) to `bytes`.
class PickleWriter {
 public:
  PickleWriter& proto(int version = 2);
  PickleWriter& op(char opcode);  // any one-byte opcode: '(' MARK, 't' TUPLE, 'R' REDUCE, ...
  PickleWriter& global(const std::string& module, const std::string& name);
  PickleWriter& str(const std::string& s);  // BINUNICODE
  PickleWriter& integer(std::int64_t v);    // BININT1/BININT2/BININT/LONG1
  PickleWriter& ints(const std::vector<std::int64_t>& v);  // a tuple of ints
  PickleWriter& binput(std::uint8_t index);
  PickleWriter& binget(std::uint8_t index);
  PickleWriter& raw(const std::string& b);
  std::string bytes;
};

struct PickleTensor {
  std::string name;
  std::string storage_type = "FloatStorage";
  std::string key;
  std::int64_t storage_numel = 0;
  std::int64_t offset = 0;
  std::vector<std::int64_t> size, stride;
  bool parameter = false;  // wrap in torch._utils._rebuild_parameter
};

// An OrderedDict state dict as torch.save pickles it; `nest` wraps it as {nest: sd}.
std::string state_dict_pickle(const std::vector<PickleTensor>& tensors, const std::string& nest = {});

struct ZipItem {
  std::string name;
  std::string data;
  bool deflate = false;
  std::optional<std::uint64_t> declared_size;  // lie about the uncompressed size
  std::optional<std::uint64_t> declared_csize;  // lie about the compressed size
};
// A zip archive; entry data is 64-byte aligned like torch.save's. `zip64` writes every size
// and offset through zip64 extra fields and a zip64 end record.
std::string build_zip(const std::vector<ZipItem>& items, bool zip64 = false);

// The raw bytes of a CPU tensor (contiguous).
std::string tensor_bytes(const at::Tensor& t);

// Writes `top/data.pkl`, `top/data/<key>` for each storage, and `top/version`.
void write_torch_checkpoint(const std::filesystem::path& path, const std::string& pickle,
                            const std::vector<std::pair<std::string, std::string>>& storages,
                            const std::string& top = "archive", bool zip64 = false);

void write_file(const std::filesystem::path& path, const std::string& bytes);
std::string read_file(const std::filesystem::path& path);

}  // namespace seedcanvas::test
