// Decoding through OpenImageIO, then PIL-compatible conversion to 8-bit RGB.
#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <new>

#include "core/error.h"
#include "imageio/image_io.h"
#include "imageio/orientation.h"
#include "imageio/sniff.h"

namespace seedcanvas::imageio {
namespace {

constexpr std::size_t kSniffBytes = 64;

// OIIO queues one line per layer (plugin, libpng, ...), often repeating itself; the user gets
// them as one line, each distinct text once.
std::string oiio_message(OIIO::ImageInput* in) {
  std::string raw = in ? in->geterror() : OIIO::geterror();
  if (raw.empty()) raw = OIIO::geterror();
  std::string msg;
  std::size_t begin = 0;
  while (begin < raw.size()) {
    std::size_t end = raw.find('\n', begin);
    if (end == std::string::npos) end = raw.size();
    std::string line = raw.substr(begin, end - begin);
    begin = end + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || msg.find(line) != std::string::npos) continue;
    msg += (msg.empty() ? "" : "; ") + line;
  }
  return msg.empty() ? "unknown decoder error" : msg;
}

void check_pixels(std::int64_t w, std::int64_t h, const std::string& name, const ReadOptions& options) {
  if (w <= 0 || h <= 0) return;  // the decoder judges zero/odd sizes
  const auto pixels = static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h);
  if (pixels > options.max_pixels)
    throw_error(ErrorKind::Resource, describe(name, "image of " + std::to_string(w) + "x" + std::to_string(h) +
                                                        " pixels exceeds the limit of " +
                                                        std::to_string(options.max_pixels) + " pixels"));
}

Sniffed sniff_or_throw(const std::uint8_t* head, std::size_t n, const std::string& name, const ReadOptions& options) {
  if (n == 0) throw_format(name, "empty file, not an image");
  Sniffed s = sniff_image(head, n);
  if (s.format.empty())
    throw_format(name, "not a recognised image format (PNG, JPEG, WebP, TIFF, BMP, GIF, EXR, HDR)");
  check_pixels(s.width, s.height, name, options);
  return s;
}

// Opens with the plugin chosen by sniffing, never by trying every reader OIIO has.
std::unique_ptr<OIIO::ImageInput> open_input(const Sniffed& s, const std::string& open_name, const std::string& name,
                                             OIIO::Filesystem::IOProxy* proxy) {
  OIIO::ImageSpec config;
  // PIL keeps colour values under alpha as stored; OIIO would premultiply them.
  config.attribute("oiio:UnassociatedAlpha", 1);
  if (proxy) config.attribute("oiio:ioproxy", OIIO::TypeDesc::PTR, &proxy);
  auto in = OIIO::ImageInput::create(s.format, false, &config, proxy);
  if (!in) throw_error(ErrorKind::Unsupported, describe(name, "no " + s.format + " reader: " + oiio_message(nullptr)));
  if (proxy && !in->set_ioproxy(proxy))
    throw_error(ErrorKind::Unsupported, describe(name, "the " + s.format + " reader cannot read from memory"));
  OIIO::ImageSpec spec;
  if (!in->open(open_name, spec, config)) throw_format(name, "cannot decode " + s.format + ": " + oiio_message(in.get()));
  return in;
}

std::uint8_t float_to_u8(float v) {
  if (!(v > 0.0f)) return 0;  // also NaN
  if (v >= 1.0f) return 255;
  return static_cast<std::uint8_t>(std::lround(v * 255.0f));
}

// Reads channel 0 (grey) or channels 0..2 (RGB) at the storage precision and converts the
// way PIL's convert('RGB') does; alpha and extra channels are not read at all.
RgbImage decode(OIIO::ImageInput& in, const std::string& name, const ReadOptions& options) {
  const OIIO::ImageSpec& spec = in.spec();
  check_pixels(spec.width, spec.height, name, options);
  if (spec.width <= 0 || spec.height <= 0 || spec.nchannels <= 0)
    throw_format(name, "image has no pixels (" + std::to_string(spec.width) + "x" + std::to_string(spec.height) + ")");
  if (spec.depth > 1) throw_error(ErrorKind::Unsupported, describe(name, "volume images are not supported"));
  const int w = spec.width, h = spec.height;
  const int nread = spec.nchannels >= 3 ? 3 : 1;  // 2 channels = grey + alpha
  const std::size_t samples = static_cast<std::size_t>(w) * h * nread;

  const OIIO::TypeDesc stored = spec.format;
  OIIO::TypeDesc as = OIIO::TypeDesc::UINT8;
  if (stored == OIIO::TypeDesc::UINT16) as = OIIO::TypeDesc::UINT16;
  else if (stored.is_floating_point()) as = OIIO::TypeDesc::FLOAT;

  std::vector<std::uint8_t> u8(samples);
  try {
    if (as == OIIO::TypeDesc::UINT8) {
      if (!in.read_image(0, 0, 0, nread, as, u8.data())) throw_format(name, "cannot decode: " + oiio_message(&in));
    } else if (as == OIIO::TypeDesc::UINT16) {
      std::vector<std::uint16_t> buf(samples);
      if (!in.read_image(0, 0, 0, nread, as, buf.data())) throw_format(name, "cannot decode: " + oiio_message(&in));
      for (std::size_t i = 0; i < samples; ++i) u8[i] = static_cast<std::uint8_t>(buf[i] >> 8);
    } else {
      std::vector<float> buf(samples);
      if (!in.read_image(0, 0, 0, nread, as, buf.data())) throw_format(name, "cannot decode: " + oiio_message(&in));
      for (std::size_t i = 0; i < samples; ++i) u8[i] = float_to_u8(buf[i]);
    }
  } catch (const std::bad_alloc&) {
    throw_error(ErrorKind::Resource, describe(name, "out of memory decoding the image"));
  }
  // Decoders such as libjpeg report a truncated stream as a warning and fill with grey.
  if (in.has_error()) throw_format(name, "corrupt or truncated image: " + oiio_message(&in));

  RgbImage img;
  img.width = w, img.height = h;
  if (nread == 3) {
    img.pixels = std::move(u8);
  } else {
    img.pixels.resize(samples * 3);
    for (std::size_t i = 0; i < samples; ++i) std::fill_n(img.pixels.data() + 3 * i, 3, u8[i]);
  }
  const int orientation = spec.get_int_attribute("Orientation", 1);
  if (options.apply_orientation && orientation != 1) img = apply_orientation(img, orientation);
  return img;
}

std::vector<std::uint8_t> read_head(const std::filesystem::path& path, const std::string& name) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw_error(ErrorKind::NotFound, describe(name, "file not found"));
  std::ifstream f(path, std::ios::binary);
  if (!f) throw_error(ErrorKind::NotFound, describe(name, "cannot open"));
  std::vector<std::uint8_t> head(kSniffBytes);
  f.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(f.gcount()));
  return head;
}

}  // namespace

RgbImage read_image(const std::filesystem::path& path, const ReadOptions& options) {
  const std::string name = path.string();
  const auto head = read_head(path, name);
  const Sniffed s = sniff_or_throw(head.data(), head.size(), name, options);
  auto in = open_input(s, name, name, nullptr);
  return decode(*in, name, options);
}

RgbImage read_image_from_memory(const void* data, std::size_t size, const std::string& name,
                                const ReadOptions& options) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  const Sniffed s = sniff_or_throw(bytes, size, name, options);
  OIIO::Filesystem::IOMemReader reader(data, size);
  auto in = open_input(s, "memory." + s.extension, name, &reader);
  return decode(*in, name, options);
}

ImageHeader read_image_header(const std::filesystem::path& path) {
  const std::string name = path.string();
  const auto head = read_head(path, name);
  ReadOptions unlimited;
  unlimited.max_pixels = ~std::uint64_t{0};
  const Sniffed s = sniff_or_throw(head.data(), head.size(), name, unlimited);
  if (s.width >= 0) {
    // Formats whose plugin decodes on open: answer from the sniffed header alone.
    if (s.format == "gif" || s.format == "webp") return {s.format, int(s.width), int(s.height), 0, 1};
  }
  auto in = open_input(s, name, name, nullptr);
  const auto& spec = in->spec();
  return {s.format, spec.width, spec.height, spec.nchannels, spec.get_int_attribute("Orientation", 1)};
}

}  // namespace seedcanvas::imageio
