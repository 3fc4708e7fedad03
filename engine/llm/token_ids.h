// The special ids the LLM side needs, taken from the tokenizer (never constants): the prompt
// builder, the image-span sampling rule and the output parser work on these alone, so they are
// testable without a tokenizer.
#pragma once

#include <cstdint>

namespace seedcanvas::llm {

struct TokenIds {
  std::int64_t bos = -1;
  std::int64_t eos = -1;
  std::int64_t boi = -1;          // <img>
  std::int64_t eoi = -1;          // </img>
  std::int64_t image_shift = -1;  // id of <img_00000>
  std::int64_t image_count = 0;   // number of image codes (8192 for SEED)

  static constexpr std::int64_t kCodesPerImage = 32;  // SEED tokenizer: 32 codes per image

  bool has_images() const { return boi >= 0 && eoi >= 0 && image_shift >= 0 && image_count > 0; }
  bool is_image_code(std::int64_t id) const { return image_count > 0 && id >= image_shift && id < image_shift + image_count; }
};

}  // namespace seedcanvas::llm
