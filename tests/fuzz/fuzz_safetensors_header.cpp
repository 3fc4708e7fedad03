// libFuzzer target: safetensors header validation must reject any input with Error, never
// read out of bounds or crash.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto header = seedcanvas::io::parse_safetensors_header(data, size, "fuzz.safetensors");
    // Accepted headers must describe ranges inside the input.
    for (const auto& e : header.entries)
      if (e.end > size - header.data_start || e.end - e.begin != e.info.nbytes) __builtin_trap();
  } catch (const seedcanvas::Error&) {
  }
  return 0;
}
