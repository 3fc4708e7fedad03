#include "io/zip_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#if SEEDCANVAS_HAVE_ZLIB
#include <zlib.h>
#endif

#include "core/error.h"
#include "io/mapped_file.h"

namespace seedcanvas::io {
namespace {

constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kEndOfCentralDirSig = 0x06054b50;
constexpr std::uint32_t kZip64EndSig = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSig = 0x07064b50;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kEndSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kZip64EndSize = 56;
constexpr std::uint16_t kZip64ExtraId = 0x0001;

std::uint16_t u16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t u64(const std::uint8_t* p) { return u32(p) | (static_cast<std::uint64_t>(u32(p + 4)) << 32); }

// Bounds-checked view of the archive: every read names what was being read when it fails.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size, const std::string& file) : data_(data), size_(size), file_(file) {}
  const std::uint8_t* at(std::uint64_t offset, std::uint64_t length, const char* what) const {
    if (offset > size_ || length > size_ - offset)
      throw_format(file_, std::string("truncated zip: ") + what + " at offset " + std::to_string(offset) +
                              " runs past the end of the file (" + std::to_string(size_) + " bytes)");
    return data_ + offset;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  const std::string& file_;
};

struct EndRecord {
  std::uint64_t entries = 0;
  std::uint64_t cd_size = 0;
  std::uint64_t cd_offset = 0;
  std::uint64_t limit = 0;  // the central directory must end before this offset
};

EndRecord find_end_record(const Reader& r, std::size_t size, const std::string& file) {
  if (size < kEndSize) throw_format(file, "not a zip archive: too small for an end-of-central-directory record");
  // The record sits at the end, followed by a comment of at most 65535 bytes.
  const std::size_t lowest = size > kEndSize + 0xffff ? size - kEndSize - 0xffff : 0;
  std::size_t pos = size - kEndSize;
  const std::uint8_t* eocd = nullptr;
  for (;; --pos) {
    const std::uint8_t* p = r.at(pos, kEndSize, "end record");
    if (u32(p) == kEndOfCentralDirSig && pos + kEndSize + u16(p + 20) == size) {
      eocd = p;
      break;
    }
    if (pos == lowest) break;
  }
  if (!eocd) {
    // A file that starts like a zip but lacks its end is a cut-off download, not another format.
    if (u32(r.at(0, 4, "local header")) == kLocalHeaderSig)
      throw_format(file, "truncated: the file starts as a zip archive but its end-of-central-directory record is "
                         "missing, so it is incomplete (an interrupted download?); download it again");
    throw_format(file, "not a zip archive: no end-of-central-directory record");
  }
  if (u16(eocd + 4) != 0 || u16(eocd + 6) != 0) throw_error(ErrorKind::Unsupported, describe(file, "multi-disk zip archives are not supported"));

  EndRecord end;
  end.entries = u16(eocd + 10);
  end.cd_size = u32(eocd + 12);
  end.cd_offset = u32(eocd + 16);
  end.limit = pos;
  const bool needs64 = end.entries == 0xffff || end.cd_size == 0xffffffffu || end.cd_offset == 0xffffffffu;
  if (pos >= kZip64LocatorSize) {
    const std::uint8_t* loc = r.at(pos - kZip64LocatorSize, kZip64LocatorSize, "zip64 locator");
    if (u32(loc) == kZip64LocatorSig) {
      const std::uint64_t rec_off = u64(loc + 8);
      const std::uint8_t* rec = r.at(rec_off, kZip64EndSize, "zip64 end record");
      if (u32(rec) != kZip64EndSig) throw_format(file, "zip64 locator points at something that is not a zip64 end record");
      if (rec_off + kZip64EndSize > pos - kZip64LocatorSize) throw_format(file, "zip64 end record overlaps its locator");
      if (u32(rec + 16) != 0 || u32(rec + 20) != 0)
        throw_error(ErrorKind::Unsupported, describe(file, "multi-disk zip archives are not supported"));
      end.entries = u64(rec + 32);
      end.cd_size = u64(rec + 40);
      end.cd_offset = u64(rec + 48);
      end.limit = rec_off;
      return end;
    }
  }
  if (needs64) throw_format(file, "zip end record needs zip64 values but the zip64 locator is missing");
  return end;
}

// Applies the zip64 extended-information extra field (APPNOTE 4.5.3): 8-byte values appear,
// in this order, only for the fields whose 32-bit value is 0xFFFFFFFF.
void apply_zip64_extra(const std::uint8_t* extra, std::size_t length, bool want_size, bool want_csize,
                       bool want_offset, std::uint64_t& size, std::uint64_t& csize, std::uint64_t& offset,
                       const std::string& file, const std::string& name) {
  std::size_t pos = 0;
  while (pos + 4 <= length) {
    const std::uint16_t id = u16(extra + pos);
    const std::uint16_t len = u16(extra + pos + 2);
    if (pos + 4 + len > length) throw_format(file, "zip extra field runs past its entry", name);
    if (id == kZip64ExtraId) {
      const std::uint8_t* p = extra + pos + 4;
      std::size_t left = len;
      auto take = [&](std::uint64_t& out) {
        if (left < 8) throw_format(file, "zip64 extra field is too short", name);
        out = u64(p);
        p += 8;
        left -= 8;
      };
      if (want_size) take(size);
      if (want_csize) take(csize);
      if (want_offset) take(offset);
      return;
    }
    pos += 4 + len;
  }
  if (want_size || want_csize || want_offset) throw_format(file, "entry needs zip64 sizes but has no zip64 extra field", name);
}

#if !SEEDCANVAS_HAVE_ZLIB
const std::array<std::uint32_t, 256>& crc_table() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}
#endif

}  // namespace

std::uint32_t crc32_of(const std::uint8_t* data, std::size_t size, std::uint32_t crc) {
#if SEEDCANVAS_HAVE_ZLIB
  while (size > 0) {  // zlib takes 32-bit lengths
    const auto n = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc = static_cast<std::uint32_t>(::crc32(crc, data, n));
    data += n;
    size -= n;
  }
  return crc;
#else
  const auto& table = crc_table();
  crc = ~crc;
  for (std::size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
#endif
}

bool is_safe_entry_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos || name.find('\0') != std::string::npos)
    return false;
  if (name.size() >= 2 && name[1] == ':') return false;  // "C:..."
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(start, end - start);
    if (part == "..") return false;
    start = end + 1;
  }
  return true;
}

std::shared_ptr<ZipArchive> ZipArchive::open(const std::filesystem::path& path) {
  auto map = MappedFile::open(path);
  return std::make_shared<ZipArchive>(map->data(), map->size(), map->path(), map);
}

ZipArchive::ZipArchive(const std::uint8_t* data, std::size_t size, std::string file, std::shared_ptr<const void> owner)
    : data_(data), size_(size), file_(std::move(file)), owner_(std::move(owner)) {
  parse();
}

void ZipArchive::parse() {
  const Reader r(data_, size_, file_);
  const EndRecord end = find_end_record(r, size_, file_);
  if (end.cd_offset > end.limit || end.cd_size > end.limit - end.cd_offset)
    throw_format(file_, "zip central directory [" + std::to_string(end.cd_offset) + ", +" + std::to_string(end.cd_size) +
                            ") runs past its end record");
  if (end.entries > end.cd_size / kCentralHeaderSize)
    throw_format(file_, "zip end record claims " + std::to_string(end.entries) + " entries, more than its central directory holds");

  entries_.reserve(static_cast<std::size_t>(end.entries));
  std::uint64_t pos = end.cd_offset;
  const std::uint64_t cd_end = end.cd_offset + end.cd_size;
  for (std::uint64_t i = 0; i < end.entries; ++i) {
    if (pos + kCentralHeaderSize > cd_end) throw_format(file_, "zip central directory is truncated");
    const std::uint8_t* h = r.at(pos, kCentralHeaderSize, "central directory entry");
    if (u32(h) != kCentralHeaderSig) throw_format(file_, "zip central directory entry " + std::to_string(i) + " has a bad signature");
    const std::uint16_t name_len = u16(h + 28), extra_len = u16(h + 30), comment_len = u16(h + 32);
    const std::uint64_t var_len = std::uint64_t{name_len} + extra_len + comment_len;
    if (pos + kCentralHeaderSize + var_len > cd_end) throw_format(file_, "zip central directory entry runs past the directory");
    ZipEntry e;
    e.flags = u16(h + 8);
    e.method = u16(h + 10);
    e.crc32 = u32(h + 16);
    e.compressed_size = u32(h + 20);
    e.size = u32(h + 24);
    std::uint64_t local = u32(h + 42);
    const std::uint8_t* name = h + kCentralHeaderSize;
    e.name.assign(reinterpret_cast<const char*>(name), name_len);
    if (!is_safe_entry_name(e.name)) throw_format(file_, "unsafe zip entry name '" + e.name + "' (absolute or with '..')");
    apply_zip64_extra(name + name_len, extra_len, e.size == 0xffffffffu, e.compressed_size == 0xffffffffu,
                      local == 0xffffffffu, e.size, e.compressed_size, local, file_, e.name);
    if (e.flags & 0x1) throw_error(ErrorKind::Unsupported, describe(file_, "encrypted zip entries are not supported", e.name));

    // The local header repeats the name and may carry its own (padding) extra field;
    // torch.save uses that padding to align each entry's data to 64 bytes.
    const std::uint8_t* lh = r.at(local, kLocalHeaderSize, "local file header");
    if (u32(lh) != kLocalHeaderSig) throw_format(file_, "zip local header has a bad signature", e.name);
    const std::uint16_t lname_len = u16(lh + 26), lextra_len = u16(lh + 28);
    const std::uint8_t* lname = r.at(local + kLocalHeaderSize, lname_len, "local file name");
    if (lname_len != name_len || std::memcmp(lname, name, name_len) != 0)
      throw_format(file_, "zip local header names a different file than the central directory", e.name);
    e.data_offset = local + kLocalHeaderSize + lname_len + lextra_len;
    r.at(e.data_offset, e.compressed_size, "entry data");
    if (e.method == 0 && e.compressed_size != e.size)
      throw_format(file_, "stored zip entry has different compressed and uncompressed sizes", e.name);
    entries_.push_back(std::move(e));
    pos += kCentralHeaderSize + var_len;
  }
  std::sort(entries_.begin(), entries_.end(), [](const ZipEntry& a, const ZipEntry& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < entries_.size(); ++i)
    if (entries_[i].name == entries_[i - 1].name) throw_format(file_, "zip archive holds the entry twice", entries_[i].name);
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                             [](const ZipEntry& e, const std::string& n) { return e.name < n; });
  return (it != entries_.end() && it->name == name) ? &*it : nullptr;
}

ZipBytes ZipArchive::read(const ZipEntry& e, std::uint64_t max_inflated, bool verify_crc) const {
  ZipBytes out;
  if (e.method == 0) {
    out.data = data_ + e.data_offset;  // bounds checked in parse()
    out.size = static_cast<std::size_t>(e.size);
    out.owner = owner_;
  } else if (e.method == 8) {
    if (e.size > max_inflated)
      throw_format(file_, "deflated entry would inflate to " + std::to_string(e.size) + " bytes, more than the limit of " +
                              std::to_string(max_inflated) + " (zip bomb?)", e.name);
#if SEEDCANVAS_HAVE_ZLIB
    auto buffer = std::make_shared<std::vector<std::uint8_t>>(static_cast<std::size_t>(e.size));
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw_error(ErrorKind::Resource, describe(file_, "cannot start zlib", e.name));
    const std::uint8_t* in = data_ + e.data_offset;
    std::uint64_t in_left = e.compressed_size;
    std::uint64_t produced = 0;
    int rc = Z_OK;
    std::uint8_t overflow[64];
    bool past_end = false;
    for (;;) {
      if (zs.avail_in == 0 && in_left > 0) {
        zs.next_in = const_cast<std::uint8_t*>(in);
        zs.avail_in = static_cast<uInt>(std::min<std::uint64_t>(in_left, 1u << 30));
        in += zs.avail_in;
        in_left -= zs.avail_in;
      }
      // Once the declared size is reached, inflate into a scratch buffer: any output there
      // means the entry is larger than it says.
      const bool full = produced == e.size;
      zs.next_out = full ? overflow : buffer->data() + produced;
      zs.avail_out = full ? sizeof(overflow) : static_cast<uInt>(std::min<std::uint64_t>(e.size - produced, 1u << 30));
      const uInt before = zs.avail_out;
      rc = inflate(&zs, Z_NO_FLUSH);
      const uInt wrote = before - zs.avail_out;
      if (full && wrote > 0) {
        past_end = true;
        break;
      }
      produced += wrote;
      if (rc != Z_OK) break;  // Z_STREAM_END, or an error (Z_BUF_ERROR: input ran out)
    }
    inflateEnd(&zs);
    if (past_end) throw_format(file_, "deflated entry inflates past its declared size of " + std::to_string(e.size) + " bytes (zip bomb?)", e.name);
    if (rc != Z_STREAM_END) throw_format(file_, "deflated entry is corrupt or truncated", e.name);
    if (produced != e.size)
      throw_format(file_, "deflated entry inflates to " + std::to_string(produced) + " bytes, not the declared " + std::to_string(e.size), e.name);
    out.data = buffer->data();
    out.size = buffer->size();
    out.owner = buffer;
    verify_crc = true;  // inflating touched every byte anyway
#else
    throw_error(ErrorKind::Unsupported, describe(file_, "deflated zip entries need zlib, which this build lacks", e.name));
#endif
  } else {
    throw_error(ErrorKind::Unsupported, describe(file_, "zip compression method " + std::to_string(e.method) + " is not supported", e.name));
  }
  if (verify_crc && crc32_of(out.data, out.size) != e.crc32) throw_format(file_, "zip entry fails its CRC-32 check", e.name);
  return out;
}

}  // namespace seedcanvas::io
