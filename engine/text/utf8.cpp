#include "text/utf8.h"

namespace seedcanvas::text {

namespace {

// Length of the well-formed sequence starting at s[i] (1..4), or 0 if none starts there.
// `complete` is false when the bytes present are a valid but unfinished prefix.
std::size_t sequence_at(std::string_view s, std::size_t i, bool& complete, char32_t* value = nullptr) {
  complete = true;
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    if (value) *value = b0;
    return 1;
  }
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte (Unicode table 3-7)
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3, cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4, cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k < need; ++k) {
    if (i + k >= s.size()) {
      complete = false;
      return k;  // a valid prefix of k bytes
    }
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (value) *value = cp;
  return need;
}

char32_t decode_at(std::string_view s, std::size_t i, std::size_t& len) {
  bool complete = false;
  char32_t cp = 0;
  len = sequence_at(s, i, complete, &cp);
  if (len == 0 || !complete) {
    len = 1;
    return 0xFFFD;  // not a space, whatever it is
  }
  return cp;
}

}  // namespace

bool is_python_space(char32_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D:
    case 0x1C: case 0x1D: case 0x1E: case 0x1F: case 0x20:
    case 0x85: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

std::string_view lstrip_python(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 0;
    if (!is_python_space(decode_at(s, i, len))) break;
    i += len;
  }
  return s.substr(i);
}

std::string_view rstrip_python(std::string_view s) {
  // Walk forward remembering where the trailing run of spaces begins (UTF-8 is not
  // safely decodable backwards when it may be invalid).
  std::size_t i = 0, keep = 0;
  while (i < s.size()) {
    std::size_t len = 0;
    const bool space = is_python_space(decode_at(s, i, len));
    i += len;
    if (!space) keep = i;
  }
  return s.substr(0, keep);
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    bool complete = false;
    const std::size_t len = sequence_at(s, i, complete);
    if (len == 0 || !complete) return false;
    i += len;
  }
  return true;
}

std::size_t incomplete_utf8_tail(std::string_view s) {
  // A lead byte at most 3 bytes from the end whose sequence is valid but unfinished.
  const std::size_t n = s.size();
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    const std::size_t i = n - back;
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x80 && b <= 0xBF) continue;  // a continuation byte: look further back
    bool complete = true;
    const std::size_t len = sequence_at(s, i, complete);
    return (len != 0 && !complete) ? back : 0;
  }
  return 0;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace seedcanvas::text
