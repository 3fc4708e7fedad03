// A decoded picture as the engine exchanges it: 8-bit RGB, row-major, HWC, no padding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace seedcanvas {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 3 bytes

  // A black image of the given size (kept a static function so the struct stays an aggregate).
  static RgbImage blank(int w, int h) {
    return RgbImage{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 3, 0)};
  }

  bool empty() const { return width <= 0 || height <= 0; }
  std::uint8_t* row(int y) { return pixels.data() + static_cast<std::size_t>(y) * width * 3; }
  const std::uint8_t* row(int y) const { return pixels.data() + static_cast<std::size_t>(y) * width * 3; }
  std::uint8_t* at(int x, int y) { return row(y) + static_cast<std::size_t>(x) * 3; }
  const std::uint8_t* at(int x, int y) const { return row(y) + static_cast<std::size_t>(x) * 3; }
};

}  // namespace seedcanvas
