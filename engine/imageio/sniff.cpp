#include "imageio/sniff.h"

#include <cstring>

namespace seedcanvas::imageio {
namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
std::uint32_t le16(const std::uint8_t* p) { return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8); }
std::uint32_t le24(const std::uint8_t* p) { return le16(p) | (std::uint32_t(p[2]) << 16); }
std::int32_t le32s(const std::uint8_t* p) { return static_cast<std::int32_t>(le24(p) | (std::uint32_t(p[3]) << 24)); }

bool starts(const std::uint8_t* d, std::size_t n, const char* magic, std::size_t len, std::size_t at = 0) {
  return n >= at + len && std::memcmp(d + at, magic, len) == 0;
}

}  // namespace

Sniffed sniff_image(const std::uint8_t* d, std::size_t n) {
  Sniffed s;
  if (starts(d, n, "\x89PNG\r\n\x1a\n", 8)) {
    s.format = "png", s.extension = "png";
    if (n >= 24 && starts(d, n, "IHDR", 4, 12)) s.width = be32(d + 16), s.height = be32(d + 20);
  } else if (starts(d, n, "\xff\xd8\xff", 3)) {
    s.format = "jpeg", s.extension = "jpg";  // SOF sizes are 16-bit; libjpeg reads only the header on open
  } else if (starts(d, n, "GIF87a", 6) || starts(d, n, "GIF89a", 6)) {
    s.format = "gif", s.extension = "gif";
    if (n >= 10) s.width = le16(d + 6), s.height = le16(d + 8);  // logical screen: the canvas OIIO allocates
  } else if (starts(d, n, "BM", 2)) {
    s.format = "bmp", s.extension = "bmp";
    if (n >= 26 && le32s(d + 14) >= 40) {  // BITMAPINFOHEADER or later
      const std::int64_t h = le32s(d + 22);
      s.width = le32s(d + 18), s.height = h < 0 ? -h : h;
    }
  } else if (starts(d, n, "II*\0", 4) || starts(d, n, "MM\0*", 4)) {
    s.format = "tiff", s.extension = "tif";
  } else if (starts(d, n, "RIFF", 4) && starts(d, n, "WEBP", 4, 8)) {
    s.format = "webp", s.extension = "webp";  // OIIO decodes WebP in open(): read the size here
    if (starts(d, n, "VP8X", 4, 12) && n >= 30) {
      s.width = le24(d + 24) + 1, s.height = le24(d + 27) + 1;
    } else if (starts(d, n, "VP8 ", 4, 12) && n >= 30) {
      s.width = le16(d + 26) & 0x3fff, s.height = le16(d + 28) & 0x3fff;
    } else if (starts(d, n, "VP8L", 4, 12) && n >= 25) {
      const std::uint32_t bits = le24(d + 21) | (std::uint32_t(d[24]) << 24);
      s.width = (bits & 0x3fff) + 1, s.height = ((bits >> 14) & 0x3fff) + 1;
    }
  } else if (starts(d, n, "\x76\x2f\x31\x01", 4)) {
    s.format = "openexr", s.extension = "exr";
  } else if (starts(d, n, "#?RADIANCE", 10) || starts(d, n, "#?RGBE", 6)) {
    s.format = "hdr", s.extension = "hdr";
  }
  return s;
}

}  // namespace seedcanvas::imageio
