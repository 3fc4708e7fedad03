// A read-only zip reader for torch.save archives, written from PKWARE's APPNOTE.
// Central directory (with zip64), stored entries aliased zero-copy from the memory map,
// deflated entries inflated with zlib under a hard size cap. Every offset is bounds-checked
// and entry names are validated (no absolute paths, no `..`), so hostile archives fail
// with Error(Format) naming the file instead of reading out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace seedcanvas::io {

class MappedFile;

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0;  // 0 stored, 8 deflated
  std::uint16_t flags = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t size = 0;         // uncompressed
  std::uint64_t data_offset = 0;  // of the (compressed) bytes, from the start of the archive
};

// The bytes of one entry: aliasing the archive (stored) or an inflated buffer; `owner`
// keeps either alive, so tensors built on `data` can outlive the ZipArchive object.
struct ZipBytes {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  std::shared_ptr<const void> owner;
};

class ZipArchive {
 public:
  static std::shared_ptr<ZipArchive> open(const std::filesystem::path& path);
  // Parses an archive held in memory (fuzzing, tests); `owner` keeps `data` alive, and may
  // be null when the caller guarantees `data` outlives the archive and what it returns.
  ZipArchive(const std::uint8_t* data, std::size_t size, std::string file, std::shared_ptr<const void> owner);

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(const std::string& name) const;
  const std::string& file() const { return file_; }

  // An entry's bytes. Deflated entries whose declared size exceeds `max_inflated` are refused
  // before inflating, and inflating past the declared size is an error (zip bombs).
  // `verify_crc` checks the CRC-32 (it touches every byte, so big stored tensors skip it).
  ZipBytes read(const ZipEntry& entry, std::uint64_t max_inflated, bool verify_crc) const;

 private:
  void parse();
  const std::uint8_t* data_;
  std::size_t size_;
  std::string file_;
  std::shared_ptr<const void> owner_;
  std::vector<ZipEntry> entries_;  // sorted by name
};

// Whether a zip entry name is safe to use as a path below some folder: relative, no `..`
// component, no backslashes, drive letters or NUL bytes.
bool is_safe_entry_name(const std::string& name);

std::uint32_t crc32_of(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);

}  // namespace seedcanvas::io
