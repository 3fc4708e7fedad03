// Small UTF-8 helpers for the text tokenizer: Python's notion of whitespace (str.strip) and
// where a byte string stops being complete UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace seedcanvas::text {

// Python's str.isspace() for one code point (the set str.strip() removes).
bool is_python_space(char32_t c);

// str.lstrip() / str.rstrip() with no arguments, on UTF-8 text (invalid bytes are never spaces).
std::string_view lstrip_python(std::string_view s);
std::string_view rstrip_python(std::string_view s);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

// How many bytes at the end of `s` are a proper prefix of a well-formed UTF-8 sequence, i.e.
// bytes that could still become a character when more bytes follow (0..3).
std::size_t incomplete_utf8_tail(std::string_view s);

// Appends the UTF-8 encoding of `c` (which must be a valid scalar value).
void append_utf8(std::string& out, char32_t c);

}  // namespace seedcanvas::text
