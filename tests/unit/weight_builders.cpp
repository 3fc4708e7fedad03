#include "weight_builders.h"

#include <ATen/ATen.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace seedcanvas::test {
namespace {

void put(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string raw_deflate(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

PickleWriter& PickleWriter::proto(int version) {
  bytes.push_back(static_cast<char>(0x80));
  bytes.push_back(static_cast<char>(version));
  return *this;
}
PickleWriter& PickleWriter::op(char opcode) {
  bytes.push_back(opcode);
  return *this;
}
PickleWriter& PickleWriter::global(const std::string& module, const std::string& name) {
  bytes += "c" + module + "\n" + name + "\n";
  return *this;
}
PickleWriter& PickleWriter::str(const std::string& s) {
  bytes.push_back('X');
  put(bytes, s.size(), 4);
  bytes += s;
  return *this;
}
PickleWriter& PickleWriter::integer(std::int64_t v) {
  if (v >= 0 && v < 256) {
    bytes.push_back('K');
    put(bytes, static_cast<std::uint64_t>(v), 1);
  } else if (v >= 0 && v < 65536) {
    bytes.push_back('M');
    put(bytes, static_cast<std::uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    bytes.push_back('J');
    put(bytes, static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4);
  } else {
    bytes.push_back(static_cast<char>(0x8a));
    bytes.push_back(8);
    put(bytes, static_cast<std::uint64_t>(v), 8);
  }
  return *this;
}
PickleWriter& PickleWriter::ints(const std::vector<std::int64_t>& v) {
  op('(');
  for (auto x : v) integer(x);
  return op('t');
}
PickleWriter& PickleWriter::binput(std::uint8_t index) {
  bytes.push_back('q');
  bytes.push_back(static_cast<char>(index));
  return *this;
}
PickleWriter& PickleWriter::binget(std::uint8_t index) {
  bytes.push_back('h');
  bytes.push_back(static_cast<char>(index));
  return *this;
}
PickleWriter& PickleWriter::raw(const std::string& b) {
  bytes += b;
  return *this;
}

std::string state_dict_pickle(const std::vector<PickleTensor>& tensors, const std::string& nest) {
  PickleWriter w;
  w.proto(2);
  if (!nest.empty()) w.op('}').str(nest);
  w.global("collections", "OrderedDict").op(')').op('R').op('(');
  for (const auto& t : tensors) {
    w.str(t.name);
    if (t.parameter) w.global("torch._utils", "_rebuild_parameter").op('(');
    w.global("torch._utils", "_rebuild_tensor_v2").op('(');
    w.op('(').str("storage").global("torch", t.storage_type).str(t.key).str("cpu").integer(t.storage_numel).op('t').op('Q');
    w.integer(t.offset).ints(t.size).ints(t.stride).op(static_cast<char>(0x89));
    w.global("collections", "OrderedDict").op(')').op('R');
    w.op('t').op('R');
    if (t.parameter) w.op(static_cast<char>(0x89)).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
  }
  w.op('u');
  if (!nest.empty()) w.op('s');
  w.op('.');
  return w.bytes;
}

std::string build_zip(const std::vector<ZipItem>& items, bool zip64) {
  std::string out, central;
  for (const auto& item : items) {
    const std::string data = item.deflate ? raw_deflate(item.data) : item.data;
    const std::uint32_t crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(item.data.data()), static_cast<uInt>(item.data.size())));
    const std::uint64_t size = item.declared_size.value_or(item.data.size());
    const std::uint64_t csize = item.declared_csize.value_or(data.size());
    const std::uint64_t offset = out.size();
    const std::uint16_t method = item.deflate ? 8 : 0;
    // Local header, padded through its extra field so the data starts 64-byte aligned.
    std::size_t header = 30 + item.name.size();
    std::size_t pad = (64 - (offset + header + 4) % 64) % 64;
    put(out, 0x04034b50, 4);
    put(out, zip64 ? 45 : 20, 2);
    put(out, 0, 2);
    put(out, method, 2);
    put(out, 0, 4);  // time, date
    put(out, crc, 4);
    put(out, zip64 ? 0xffffffffu : csize, 4);
    put(out, zip64 ? 0xffffffffu : size, 4);
    put(out, item.name.size(), 2);
    put(out, 4 + pad, 2);
    out += item.name;
    put(out, 0xcafe, 2);  // a private padding block, as PyTorch's writer uses ("FB" there)
    put(out, pad, 2);
    out.append(pad, 'Z');
    out += data;

    std::string extra;
    if (zip64) {
      put(extra, 0x0001, 2);
      put(extra, 24, 2);
      put(extra, size, 8);
      put(extra, csize, 8);
      put(extra, offset, 8);
    }
    put(central, 0x02014b50, 4);
    put(central, zip64 ? 45 : 20, 2);
    put(central, zip64 ? 45 : 20, 2);
    put(central, 0, 2);
    put(central, method, 2);
    put(central, 0, 4);
    put(central, crc, 4);
    put(central, zip64 ? 0xffffffffu : csize, 4);
    put(central, zip64 ? 0xffffffffu : size, 4);
    put(central, item.name.size(), 2);
    put(central, extra.size(), 2);
    put(central, 0, 2);   // comment
    put(central, 0, 2);   // disk
    put(central, 0, 2);   // internal attributes
    put(central, 0, 4);   // external attributes
    put(central, zip64 ? 0xffffffffu : offset, 4);
    central += item.name + extra;
  }
  const std::uint64_t cd_offset = out.size();
  out += central;
  if (zip64) {
    const std::uint64_t rec = out.size();
    put(out, 0x06064b50, 4);
    put(out, 44, 8);
    put(out, 45, 2);
    put(out, 45, 2);
    put(out, 0, 4);
    put(out, 0, 4);
    put(out, items.size(), 8);
    put(out, items.size(), 8);
    put(out, central.size(), 8);
    put(out, cd_offset, 8);
    put(out, 0x07064b50, 4);
    put(out, 0, 4);
    put(out, rec, 8);
    put(out, 1, 4);
  }
  put(out, 0x06054b50, 4);
  put(out, 0, 2);
  put(out, 0, 2);
  put(out, zip64 ? 0xffff : items.size(), 2);
  put(out, zip64 ? 0xffff : items.size(), 2);
  put(out, zip64 ? 0xffffffffu : central.size(), 4);
  put(out, zip64 ? 0xffffffffu : cd_offset, 4);
  put(out, 0, 2);
  return out;
}

std::string tensor_bytes(const at::Tensor& t) {
  auto c = t.contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), c.numel() * c.element_size());
}

void write_torch_checkpoint(const std::filesystem::path& path, const std::string& pickle,
                            const std::vector<std::pair<std::string, std::string>>& storages, const std::string& top,
                            bool zip64) {
  std::vector<ZipItem> items;
  items.push_back({top + "/data.pkl", pickle});
  for (const auto& [key, data] : storages) items.push_back({top + "/data/" + key, data});
  items.push_back({top + "/version", "3\n"});
  write_file(path, build_zip(items, zip64));
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace seedcanvas::test
