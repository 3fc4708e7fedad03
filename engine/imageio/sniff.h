// Recognises an image format from its first bytes and, where the format makes it cheap,
// reads the declared size, so the pixel limit can be applied before any decoder runs
// (some OIIO plugins decode the whole picture when opened).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace seedcanvas::imageio {

struct Sniffed {
  std::string format;     // OIIO plugin name; empty if not recognised
  std::string extension;  // for the name handed to OIIO
  std::int64_t width = -1, height = -1;  // -1 where not read here
};

Sniffed sniff_image(const std::uint8_t* data, std::size_t size);

}  // namespace seedcanvas::imageio
