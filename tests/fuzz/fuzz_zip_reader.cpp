// libFuzzer target: the zip reader parses any bytes (central directory, zip64 fields, local
// headers) and reads every entry (inflating under a 1 MiB cap) without leaving its buffer.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "io/zip_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    seedcanvas::io::ZipArchive zip(data, size, "fuzz.zip", nullptr);
    for (const auto& e : zip.entries()) {
      try {
        auto bytes = zip.read(e, 1u << 20, true);
        if (bytes.size != e.size) __builtin_trap();
      } catch (const seedcanvas::Error&) {
      }
    }
  } catch (const seedcanvas::Error&) {
  }
  return 0;
}
