// SeedTokenizer::StreamingDecoder: text deltas for a growing id sequence.
// The text is always SeedTokenizer's own decode (so the LLaMA leading-space rule, the spaces
// around added tokens and byte fallback are exactly decode's), restricted to what can no longer
// change:
//  - with skipped specials: all ids but trailing byte pieces that are an unfinished UTF-8
//    character (decode renders them as U+FFFD now, as the character once the rest arrives);
//  - without skipping: ids up to the last special or added token (legacy decode puts a space in
//    front of a run of pieces once a special token follows it);
//  - with clean_up_tokenization_spaces, the last bytes before the final space (" .", " n't",
//    " ' "... may still form).
// To stay linear, only a window ids[context, end) is decoded per push and the text of its
// context part ids[context, anchor) is subtracted; anchors are placed where the decode of what
// follows no longer depends on what came before (see good_anchor).
#include <algorithm>

#include "text/seed_tokenizer.h"
#include "text/spm_library.h"
#include "text/utf8.h"

namespace seedcanvas::text {

namespace {

constexpr std::size_t kWindow = 32;   // re-anchor once the window holds twice this many ids
constexpr std::size_t kContext = 8;   // ids decoded before the anchor to absorb start effects

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

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

SeedTokenizer::StreamingDecoder::StreamingDecoder(const SeedTokenizer& tokenizer, bool skip_special_tokens)
    : tok_(tokenizer), skip_special_(skip_special_tokens) {}

std::string SeedTokenizer::StreamingDecoder::decode_ids(std::size_t first, std::size_t last) const {
  return tok_.decode_range(ids_.data() + first, last - first, skip_special_, false);
}

std::size_t SeedTokenizer::StreamingDecoder::settled_end() const {
  if (!skip_special_) {
    for (std::size_t i = ids_.size(); i-- > 0;)
      if (ids_[i] >= tok_.sp_piece_count() || tok_.is_special_id(ids_[i])) return i + 1;
    return 0;
  }
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
  return pending ? byte_positions[pending - 1] : ids_.size();
}

// Whether decoding from `context` renders ids from `anchor` on exactly as decoding from 0 does.
bool SeedTokenizer::StreamingDecoder::good_anchor(std::size_t context, std::size_t anchor) const {
  if (anchor == 0 || context >= anchor) return false;
  auto is_marker = [&](std::int64_t id) { return id >= tok_.sp_piece_count() || tok_.is_special_id(id); };
  if (!skip_special_) return is_marker(ids_[anchor - 1]);  // a new run / sub-text starts at anchor
  // Skipping: no byte run may cross the anchor, and a normal piece inside the context ends
  // the decode-start effects (dropped first '▁', SentencePiece's leading-space consumption).
  if (anchor >= ids_.size()) return false;
  const std::int64_t at = ids_[anchor];  // skipped specials would let a byte run pass through
  if (tok_.is_special_id(at)) return false;
  if (at < tok_.sp_piece_count() && tok_.sentencepiece().is_byte(static_cast<std::int32_t>(at))) return false;
  if (tok_.is_special_id(ids_[context])) return false;
  for (std::size_t j = context + 1; j < anchor; ++j) {
    const std::int64_t id = ids_[j];
    if (id < tok_.sp_piece_count() && !tok_.is_special_id(id) &&
        tok_.sentencepiece().type(static_cast<std::int32_t>(id)) == PieceType::Normal)
      return true;
  }
  return false;
}

std::string SeedTokenizer::StreamingDecoder::raw_text(std::size_t end) {
  std::string text;
  if (end >= anchor_) {
    const std::string window = decode_ids(context_, end);
    text = starts_with(window, anchor_text_) ? base_text_ + window.substr(anchor_text_.size())
                                             : decode_ids(0, end);  // not expected; stay exact
  } else {
    text = decode_ids(0, end);
  }
  // Move the anchor forward when the window has grown.
  if (end >= anchor_ + 2 * kWindow) {
    for (std::size_t a = end - (skip_special_ ? 1 : 0); a > end - kWindow; --a) {
      const std::size_t c = a > kContext ? a - kContext : 0;
      if (!good_anchor(c, a)) continue;
      std::string base = decode_ids(context_, a);
      if (!starts_with(base, anchor_text_)) break;
      base_text_ += base.substr(anchor_text_.size());
      anchor_text_ = decode_ids(c, a);
      anchor_ = a, context_ = c;
      break;
    }
  }
  return text;
}

std::string SeedTokenizer::StreamingDecoder::push(std::int64_t id) {
  tok_.id_to_piece(id);  // rejects ids outside the vocabulary before they enter the stream
  ids_.push_back(id);
  std::string text = raw_text(settled_end());
  if (tok_.clean_up_spaces_) {
    text = clean_up_tokenization(std::move(text));
    const std::size_t space = text.rfind(' ');
    if (space != std::string::npos) text.resize(char_start_at_or_before(text, space >= 3 ? space - 3 : 0));
  }
  if (text.size() <= emitted_.size() || !starts_with(text, emitted_)) return {};
  std::string delta = text.substr(emitted_.size());
  emitted_ = std::move(text);
  return delta;
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
