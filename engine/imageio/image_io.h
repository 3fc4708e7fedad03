// Reading and writing images for the engine (OpenImageIO underneath; no Qt).
// Reading yields what PIL's Image.open(...).convert('RGB') yields for the same file, so the
// tokenizer sees the pixels the upstream Python saw:
//   grey -> replicated; grey+alpha / RGBA -> alpha dropped (not composited, like PIL);
//   CMYK -> RGB with PIL's formula (R = C*K/255 on the stored Adobe-inverted values);
//   16-bit -> high byte (PIL unpacks 16-bit PNG samples that way); float/half (EXR, HDR)
//   -> clamp to [0,1], *255, rounded. Unlike PIL, the EXIF orientation is applied.
// Only the header is read before the pixel limit is checked, so a hostile header that
// claims 100000x100000 pixels is refused without allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/image.h"

namespace seedcanvas::imageio {

struct ReadOptions {
  // Images with more pixels are refused with Error(Resource) before decoding.
  // Default: PIL's DecompressionBombError threshold (2 * 89478485).
  std::uint64_t max_pixels = 178956970;
  bool apply_orientation = true;  // EXIF/TIFF Orientation tag
};

struct ImageHeader {
  std::string format;  // OIIO plugin name: png, jpeg, tiff, bmp, gif, webp, openexr, hdr
  int width = 0;
  int height = 0;
  int channels = 0;
  int orientation = 1;  // 1..8 as in EXIF
};

using TextMetadata = std::vector<std::pair<std::string, std::string>>;

// Reads the first image (first frame of a GIF). Throws Error naming `path`:
// NotFound, Format (corrupt, truncated, unknown format), Resource (pixel limit).
RgbImage read_image(const std::filesystem::path& path, const ReadOptions& options = {});
// Same from bytes in memory (clipboard, drops); `name` is used in messages.
RgbImage read_image_from_memory(const void* data, std::size_t size, const std::string& name = "<memory>",
                                const ReadOptions& options = {});
// Header only (format, size, orientation); refuses unknown formats like read_image.
ImageHeader read_image_header(const std::filesystem::path& path);

struct WriteOptions {
  TextMetadata metadata;  // PNG: one tEXt chunk per pair; JPEG: a JSON object in ImageDescription
  int jpeg_quality = 95;
};

// Writes PNG or JPEG (chosen by the extension) atomically: readers see the old file or the
// complete new one. Throws Error(Unsupported) for other extensions, Error(Resource) on I/O errors.
void write_image(const std::filesystem::path& path, const RgbImage& image, const WriteOptions& options = {});
// The text pairs write_image stored (PNG tEXt/iTXt chunks, JPEG ImageDescription JSON).
TextMetadata read_text_metadata(const std::filesystem::path& path);

}  // namespace seedcanvas::imageio
