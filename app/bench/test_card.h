// A synthetic RGB test card (gradients and an XOR pattern) for the bench commands' image inputs.
#pragma once

#include <cstdint>

#include "core/image.h"

namespace seedcanvas::tool {

inline RgbImage test_card(int w, int h) {
  auto img = RgbImage::blank(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = img.at(x, y);
      p[0] = static_cast<std::uint8_t>(x), p[1] = static_cast<std::uint8_t>(y), p[2] = static_cast<std::uint8_t>(x ^ y);
    }
  return img;
}

}  // namespace seedcanvas::tool
