// Image files built byte by byte for the image-I/O tests: PNGs with stored (uncompressed)
// deflate blocks in any colour type and bit depth, and JPEGs through libjpeg (CMYK, EXIF).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seedcanvas::test {

using Bytes = std::vector<std::uint8_t>;

std::uint32_t crc32(const std::uint8_t* data, std::size_t size);

// color_type as in the PNG spec (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA);
// `samples` are the unfiltered rows, big-endian for 16-bit depth.
Bytes make_png(int width, int height, int bit_depth, int color_type, const Bytes& samples, const Bytes& palette = {});
// A well-formed PNG (valid CRCs) whose IHDR declares the given size, with a few bytes of data.
Bytes png_header_only(std::uint32_t width, std::uint32_t height);

bool have_libjpeg();
// 4-component JPEG (Adobe marker, as Photoshop writes: samples stored inverted).
Bytes make_cmyk_jpeg(int width, int height, const Bytes& cmyk);
// RGB JPEG, 4:4:4, quality 100, with an EXIF APP1 carrying `orientation` (0: no EXIF).
Bytes make_rgb_jpeg(int width, int height, const Bytes& rgb, int orientation);

void write_file(const std::string& path, const Bytes& bytes);

}  // namespace seedcanvas::test
