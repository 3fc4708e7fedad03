// Splits generated ids into text and images (spec 3.6, SEED seed_llama_flask.py): every
// <img> ... </img> span with exactly 32 image codes is an image; anything else that involves
// image tokens is reported as a malformed span instead of being decoded. Ids after the first
// end-of-sequence id are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "llm/token_ids.h"

namespace seedcanvas::llm {

struct OutputSegment {
  enum Kind { Text, Image, Malformed } kind = Text;
  std::vector<std::int64_t> ids;    // Text: the text ids; Malformed: the raw ids of the span
  std::vector<std::int64_t> codes;  // Image: 32 codes in [0, image_count)
  std::string problem;              // Malformed: what is wrong
};

struct ParsedOutput {
  std::vector<OutputSegment> segments;
  bool ended_with_eos = false;
  std::size_t image_count() const;
  std::size_t malformed_count() const;
};

ParsedOutput parse_output(const std::vector<std::int64_t>& ids, const TokenIds& token_ids);

}  // namespace seedcanvas::llm
