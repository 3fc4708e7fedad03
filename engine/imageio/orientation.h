// EXIF orientation (1..8) applied to an RGB image so it is shown upright.
#pragma once

#include "core/image.h"

namespace seedcanvas::imageio {

// Returns the upright image; 5..8 swap width and height. Values outside 1..8 are ignored.
RgbImage apply_orientation(const RgbImage& stored, int orientation);

}  // namespace seedcanvas::imageio
