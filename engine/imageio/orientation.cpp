#include "imageio/orientation.h"

#include <algorithm>

namespace seedcanvas::imageio {

RgbImage apply_orientation(const RgbImage& in, int orientation) {
  if (orientation < 2 || orientation > 8) return in;
  const int W = in.width, H = in.height;
  const bool swap = orientation >= 5;
  RgbImage out = RgbImage::blank(swap ? H : W, swap ? W : H);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;  // stored pixel shown at (x, y)
      switch (orientation) {
        case 2: sx = W - 1 - x; break;                      // mirrored horizontally
        case 3: sx = W - 1 - x, sy = H - 1 - y; break;      // rotated 180
        case 4: sy = H - 1 - y; break;                      // mirrored vertically
        case 5: sx = y, sy = x; break;                      // transposed
        case 6: sx = y, sy = H - 1 - x; break;              // stored row 0 is the right edge: turn 90 clockwise
        case 7: sx = W - 1 - y, sy = H - 1 - x; break;      // transversed
        case 8: sx = W - 1 - y, sy = x; break;              // stored row 0 is the left edge: turn 90 counter-clockwise
      }
      std::copy_n(in.at(sx, sy), 3, out.at(x, y));
    }
  }
  return out;
}

}  // namespace seedcanvas::imageio
