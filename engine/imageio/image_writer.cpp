// PNG/JPEG encoding into memory through OpenImageIO, then an atomic replace of the target.
#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "imageio/image_io.h"
#include "io/atomic_file.h"

namespace seedcanvas::imageio {
namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext;
}

// Attributes OIIO sets itself on read; everything else a PNG carries as text is ours.
bool is_reader_attribute(const std::string& key) {
  return key.rfind("oiio:", 0) == 0 || key.rfind("png:", 0) == 0 || key == "ResolutionUnit" ||
         key == "XResolution" || key == "YResolution" || key == "PixelAspectRatio" || key == "DateTime" ||
         key == "ICCProfile" || key == "Orientation";
}

}  // namespace

void write_image(const std::filesystem::path& path, const RgbImage& image, const WriteOptions& options) {
  const std::string name = path.string();
  const std::string ext = lower_extension(path);
  const bool png = ext == ".png";
  if (!png && ext != ".jpg" && ext != ".jpeg")
    throw_error(ErrorKind::Unsupported, describe(name, "can only write .png or .jpg/.jpeg files"));
  if (image.empty() || image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3)
    throw_error(ErrorKind::Internal, describe(name, "image buffer does not match its size"));

  OIIO::ImageSpec spec(image.width, image.height, 3, OIIO::TypeDesc::UINT8);
  if (png) {
    for (const auto& [key, value] : options.metadata) spec.attribute(key, value);
  } else {
    // JPEG has no key/value text chunks; one JSON object in the description keeps them apart.
    if (!options.metadata.empty()) {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& [key, value] : options.metadata) j[key] = value;
      spec.attribute("ImageDescription", j.dump());
    }
    spec.attribute("CompressionQuality", std::clamp(options.jpeg_quality, 1, 100));
  }

  std::vector<unsigned char> encoded;
  OIIO::Filesystem::IOVecOutput sink(encoded);
  auto out = OIIO::ImageOutput::create(png ? "png" : "jpeg");
  if (!out) throw_error(ErrorKind::Unsupported, describe(name, "no encoder: " + OIIO::geterror()));
  if (!out->set_ioproxy(&sink) || !out->open(name, spec) ||
      !out->write_image(OIIO::TypeDesc::UINT8, image.pixels.data()) || !out->close())
    throw_error(ErrorKind::Internal, describe(name, "encoding failed: " + out->geterror()));

  io::AtomicFile file(path);
  file.write(encoded.data(), encoded.size());
  file.commit();
}

TextMetadata read_text_metadata(const std::filesystem::path& path) {
  const std::string name = path.string();
  const ImageHeader header = read_image_header(path);  // validates the format first
  auto in = OIIO::ImageInput::open(name);
  if (!in) throw_format(name, "cannot open: " + OIIO::geterror());
  TextMetadata out;
  const auto& spec = in->spec();
  if (header.format == "png") {
    for (const auto& p : spec.extra_attribs) {
      const std::string key = p.name().string();
      if (p.type() == OIIO::TypeDesc::STRING && !is_reader_attribute(key)) out.emplace_back(key, p.get_string());
    }
  } else if (header.format == "jpeg") {
    const std::string desc = spec.get_string_attribute("ImageDescription");
    auto j = nlohmann::json::parse(desc, nullptr, false);
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it)
        if (it->is_string()) out.emplace_back(it.key(), it->get<std::string>());
    } else if (!desc.empty()) {
      out.emplace_back("ImageDescription", desc);
    }
  }
  return out;
}

}  // namespace seedcanvas::imageio
