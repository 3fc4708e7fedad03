#include "llm/output_parser.h"

namespace seedcanvas::llm {

std::size_t ParsedOutput::image_count() const {
  std::size_t n = 0;
  for (const auto& s : segments) n += s.kind == OutputSegment::Image;
  return n;
}

std::size_t ParsedOutput::malformed_count() const {
  std::size_t n = 0;
  for (const auto& s : segments) n += s.kind == OutputSegment::Malformed;
  return n;
}

ParsedOutput parse_output(const std::vector<std::int64_t>& ids, const TokenIds& t) {
  ParsedOutput out;
  OutputSegment text;     // pending text
  OutputSegment span;     // pending <img> span
  bool in_span = false;
  std::string span_problem;

  auto flush_text = [&] {
    if (!text.ids.empty()) out.segments.push_back(std::move(text));
    text = {};
  };
  auto malformed = [&](std::vector<std::int64_t> raw, std::string why) {
    flush_text();
    OutputSegment m;
    m.kind = OutputSegment::Malformed;
    m.ids = std::move(raw);
    m.problem = std::move(why);
    out.segments.push_back(std::move(m));
  };
  auto close_span = [&](bool closed) {
    const auto n = static_cast<std::int64_t>(span.codes.size());
    if (!closed)
      malformed(span.ids, "image span not closed by </img> (" + std::to_string(n) + " codes)");
    else if (!span_problem.empty())
      malformed(span.ids, span_problem);
    else if (n != TokenIds::kCodesPerImage)
      malformed(span.ids, "image span has " + std::to_string(n) + " codes, expected " +
                              std::to_string(TokenIds::kCodesPerImage));
    else {
      flush_text();
      OutputSegment img;
      img.kind = OutputSegment::Image;
      img.codes = std::move(span.codes);
      out.segments.push_back(std::move(img));
    }
    span = {};
    span_problem.clear();
    in_span = false;
  };

  for (auto id : ids) {
    if (id == t.eos) {
      out.ended_with_eos = true;
      break;
    }
    const bool boi = t.has_images() && id == t.boi, eoi = t.has_images() && id == t.eoi;
    if (in_span) {
      if (eoi) {
        span.ids.push_back(id);
        close_span(true);
      } else if (boi) {
        close_span(false);  // a new <img> before </img>: the open span is cut off
        in_span = true;
        span.ids.push_back(id);
      } else {
        span.ids.push_back(id);
        if (t.is_image_code(id))
          span.codes.push_back(id - t.image_shift);
        else if (span_problem.empty())
          span_problem = "image span holds non-image token " + std::to_string(id);
      }
      continue;
    }
    if (boi) {
      in_span = true;
      span.ids.push_back(id);
    } else if (eoi) {
      malformed({id}, "</img> without <img>");
    } else if (t.is_image_code(id)) {
      static const std::string kStray = "image code outside <img> ... </img>";
      if (text.ids.empty() && !out.segments.empty() && out.segments.back().problem == kStray)
        out.segments.back().ids.push_back(id);  // one segment per run of stray codes
      else
        malformed({id}, kStray);
    } else {
      text.ids.push_back(id);
    }
  }
  if (in_span) close_span(false);
  flush_text();
  return out;
}

}  // namespace seedcanvas::llm
