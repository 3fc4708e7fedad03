#include "image_samples.h"

#include <fstream>
#include <stdexcept>

#ifdef SEEDCANVAS_TEST_LIBJPEG
#include <cstdio>
#include <jpeglib.h>
#endif

namespace seedcanvas::test {
namespace {

void put_be32(Bytes& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

void put_chunk(Bytes& out, const char* type, const Bytes& data) {
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  Bytes body(type, type + 4);
  body.insert(body.end(), data.begin(), data.end());
  out.insert(out.end(), body.begin(), body.end());
  put_be32(out, crc32(body.data(), body.size()));
}

Bytes ihdr(std::uint32_t w, std::uint32_t h, int depth, int color_type) {
  Bytes d;
  put_be32(d, w);
  put_be32(d, h);
  d.push_back(static_cast<std::uint8_t>(depth));
  d.push_back(static_cast<std::uint8_t>(color_type));
  d.push_back(0), d.push_back(0), d.push_back(0);  // deflate, adaptive filters, no interlace
  return d;
}

// zlib stream of stored blocks (no compression), which any inflater accepts.
Bytes zlib_stored(const Bytes& raw) {
  Bytes out = {0x78, 0x01};
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min<std::size_t>(65535, raw.size() - pos);
    out.push_back(pos + n == raw.size() ? 1 : 0);
    out.push_back(n & 0xff), out.push_back(n >> 8);
    out.push_back(~n & 0xff), out.push_back((~n >> 8) & 0xff);
    out.insert(out.end(), raw.begin() + pos, raw.begin() + pos + n);
    pos += n;
  } while (pos < raw.size());
  std::uint32_t a = 1, b = 0;
  for (auto c : raw) a = (a + c) % 65521, b = (b + a) % 65521;
  put_be32(out, (b << 16) | a);
  return out;
}

}  // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t c = 0xffffffffu;
  for (std::size_t i = 0; i < size; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return c ^ 0xffffffffu;
}

Bytes make_png(int width, int height, int bit_depth, int color_type, const Bytes& samples, const Bytes& palette) {
  const std::size_t row = samples.size() / height;
  Bytes raw;
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);  // filter: none
    raw.insert(raw.end(), samples.begin() + y * row, samples.begin() + (y + 1) * row);
  }
  Bytes out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  put_chunk(out, "IHDR", ihdr(width, height, bit_depth, color_type));
  if (!palette.empty()) put_chunk(out, "PLTE", palette);
  put_chunk(out, "IDAT", zlib_stored(raw));
  put_chunk(out, "IEND", {});
  return out;
}

Bytes png_header_only(std::uint32_t width, std::uint32_t height) {
  Bytes out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  put_chunk(out, "IHDR", ihdr(width, height, 8, 2));
  put_chunk(out, "IDAT", zlib_stored({0, 1, 2, 3}));  // far too little data for the size claimed
  put_chunk(out, "IEND", {});
  return out;
}

void write_file(const std::string& path, const Bytes& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

#ifdef SEEDCANVAS_TEST_LIBJPEG
namespace {

Bytes compress(int w, int h, int components, J_COLOR_SPACE space, const Bytes& px, int orientation) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* mem = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &mem, &size);
  c.image_width = w, c.image_height = h, c.input_components = components, c.in_color_space = space;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 100, TRUE);
  for (int i = 0; i < c.num_components; ++i) c.comp_info[i].h_samp_factor = c.comp_info[i].v_samp_factor = 1;
  jpeg_start_compress(&c, TRUE);
  if (orientation > 0) {
    // "Exif\0\0", little-endian TIFF header, one IFD entry: 0x0112 SHORT x1 = orientation.
    const unsigned char exif[] = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0,
                                  1, 0, 0, 0, static_cast<unsigned char>(orientation), 0, 0, 0, 0, 0, 0, 0};
    jpeg_write_marker(&c, JPEG_APP0 + 1, exif, sizeof exif);
  }
  for (int y = 0; y < h; ++y) {
    JSAMPROW r = const_cast<unsigned char*>(px.data() + static_cast<std::size_t>(y) * w * components);
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  Bytes out(mem, mem + size);
  jpeg_destroy_compress(&c);
  std::free(mem);
  return out;
}

}  // namespace

bool have_libjpeg() { return true; }
Bytes make_cmyk_jpeg(int w, int h, const Bytes& cmyk) { return compress(w, h, 4, JCS_CMYK, cmyk, 0); }
Bytes make_rgb_jpeg(int w, int h, const Bytes& rgb, int orientation) { return compress(w, h, 3, JCS_RGB, rgb, orientation); }
#else
bool have_libjpeg() { return false; }
Bytes make_cmyk_jpeg(int, int, const Bytes&) { return {}; }
Bytes make_rgb_jpeg(int, int, const Bytes&, int) { return {}; }
#endif

}  // namespace seedcanvas::test
