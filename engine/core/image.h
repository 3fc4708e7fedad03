// A plain 8-bit RGB image as the engine passes it around: row-major, interleaved (HWC).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace seedcanvas {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // width * height * 3 bytes, row after row

  RgbImage() = default;
  RgbImage(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w) * h * 3, 0) {}

  bool empty() const { return width <= 0 || height <= 0; }
  std::size_t index(int x, int y) const { return (static_cast<std::size_t>(y) * width + x) * 3; }
  std::uint8_t* at(int x, int y) { return pixels.data() + index(x, y); }
  const std::uint8_t* at(int x, int y) const { return pixels.data() + index(x, y); }
};

}  // namespace seedcanvas
