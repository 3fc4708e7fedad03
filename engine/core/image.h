// A decoded picture as the engine exchanges it: 8-bit RGB, row-major, HWC, no padding.
#pragma once

#include <cstdint>
#include <vector>

namespace seedcanvas {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 3 bytes

  bool empty() const { return width <= 0 || height <= 0; }
  std::uint8_t* row(int y) { return pixels.data() + static_cast<std::size_t>(y) * width * 3; }
  const std::uint8_t* row(int y) const { return pixels.data() + static_cast<std::size_t>(y) * width * 3; }
};

}  // namespace seedcanvas
