// SeedTokenizer::StreamingDecoder: text deltas for a growing id sequence.
// Strategy: the text decoded so far is re-derived from all ids with SeedTokenizer::decode (so
// the LLaMA leading-space rule, the spaces around added tokens and byte fallback are exactly
// decode's), minus a tail that may still change:
//  - without skipping specials, the open run of pieces after the last special/added token
//    (legacy decode may still put a space in front of it);
//  - trailing byte pieces that are an unfinished UTF-8 character (decode would render them as
//    U+FFFD now but as the character once the rest arrives);
//  - with clean_up_tokenization_spaces, the last few bytes before the final space, because
//    " ." / " n't" / " ' " and friends may still form.
// Only text beyond what was already emitted is returned.
#include <algorithm>

#include "text/seed_tokenizer.h"
#include "text/spm_library.h"
#include "text/utf8.h"

namespace seedcanvas::text {

namespace {

// The byte value of a "<0xNN>" piece.
int byte_value(const std::string& piece) {
  if (piece.size() != 6 || piece.compare(0, 3, "<0x") != 0 || piece[5] != '>') return -1;
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -100;
  };
  const int v = hex(piece[3]) * 16 + hex(piece[4]);
  return v < 0 ? -1 : v;
}

std::size_t char_start_at_or_before(const std::string& s, std::size_t pos) {
  while (pos > 0 && pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

}  // namespace

SeedTokenizer::StreamingDecoder::StreamingDecoder(const SeedTokenizer& tokenizer, bool skip_special_tokens)
    : tok_(tokenizer), skip_special_(skip_special_tokens) {}

std::string SeedTokenizer::StreamingDecoder::stable_text() const {
  std::string text;
  if (!skip_special_) {
    // Legacy convert_tokens_to_string inserts " " before a run of pieces when a special token
    // follows it: only text up to the last special or added token is settled.
    std::size_t settled = 0;
    for (std::size_t i = ids_.size(); i-- > 0;)
      if (ids_[i] >= tok_.sp_piece_count() || tok_.is_special_id(ids_[i])) {
        settled = i + 1;
        break;
      }
    text = tok_.decode(std::vector<std::int64_t>(ids_.begin(), ids_.begin() + settled), false);
  } else {
    // Trailing byte pieces of the sequence decode sees (skipped specials do not separate bytes).
    std::vector<std::size_t> byte_positions;  // indices into ids_, last first
    std::string tail_bytes;
    for (std::size_t i = ids_.size(); i-- > 0;) {
      const std::int64_t id = ids_[i];
      if (tok_.is_special_id(id)) continue;
      if (id >= tok_.sp_piece_count() || !tok_.sentencepiece().is_byte(static_cast<std::int32_t>(id))) break;
      const int v = byte_value(tok_.sp_pieces_[static_cast<std::size_t>(id)]);
      if (v < 0) break;
      byte_positions.push_back(i);
      tail_bytes.insert(tail_bytes.begin(), static_cast<char>(v));
      if (byte_positions.size() == 4) break;  // a character has at most 4 bytes
    }
    const std::size_t pending = incomplete_utf8_tail(tail_bytes);
    std::vector<std::int64_t> ids = ids_;
    if (pending > 0) ids.resize(byte_positions[pending - 1]);  // drop the unfinished character's bytes
    text = tok_.decode(ids, true);
  }

  if (tok_.clean_up_spaces_) {
    const std::size_t space = text.rfind(' ');
    if (space != std::string::npos) text.resize(char_start_at_or_before(text, space >= 3 ? space - 3 : 0));
  }
  return text;
}

std::string SeedTokenizer::StreamingDecoder::advance_to(const std::string& text) {
  if (text.size() <= emitted_.size() || text.compare(0, emitted_.size(), emitted_) != 0) return {};
  std::string delta = text.substr(emitted_.size());
  emitted_ = text;
  return delta;
}

std::string SeedTokenizer::StreamingDecoder::push(std::int64_t id) {
  tok_.id_to_piece(id);  // rejects ids outside the vocabulary before they enter the stream
  ids_.push_back(id);
  return advance_to(stable_text());
}

std::string SeedTokenizer::StreamingDecoder::flush() {
  // At the end of the stream nothing can change any more: unfinished bytes become U+FFFD and
  // held-back spaces are final. (decode always extends what was emitted; should it ever not,
  // the text past the emitted length still comes out rather than being lost.)
  const std::string text = tok_.decode(ids_, skip_special_);
  std::string delta = text.substr(std::min(emitted_.size(), text.size()));
  emitted_ = text;
  return delta;
}

}  // namespace seedcanvas::text
