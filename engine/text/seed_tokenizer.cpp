// Mirrors SEED models/seed_llama_tokenizer.py (SeedLlamaTokenizer) on top of transformers
// 4.30-4.33: tokenization_utils.py PreTrainedTokenizer.tokenize / _decode and
// models/llama/tokenization_llama.py LlamaTokenizer.convert_tokens_to_string (legacy mode).
#include "text/seed_tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "text/spm_library.h"
#include "text/tokenizer_files.h"
#include "text/utf8.h"

namespace seedcanvas::text {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kModelMaxBytes = 64u << 20;  // LLaMA's tokenizer.model is 500 kB
const std::string kSpaceMarker = "\xE2\x96\x81";        // '▁', SentencePiece's space
constexpr const char* kBoiToken = "<img>";              // SEED's image-span markers
constexpr const char* kEoiToken = "</img>";

std::string read_model_bytes(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw_error(ErrorKind::NotFound, describe(file.string(), "file not found"));
  const auto size = fs::file_size(file, ec);
  if (ec) throw_format(file.string(), "cannot read size: " + ec.message());
  if (size == 0) throw_format(file.string(), "empty SentencePiece model");
  if (size > kModelMaxBytes)
    throw_format(file.string(), "too large for a SentencePiece model (" + std::to_string(size) + " bytes)");
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw_format(file.string(), "read error");
  if (bytes.size() != size) throw_format(file.string(), "file changed while reading");
  return bytes;
}

// "<img_%05d>" of code c.
std::string image_token_name(std::int64_t c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "<img_%05lld>", static_cast<long long>(c));
  return buf;
}

// The code of "<img_DIGITS>", or -1 for any other name.
std::int64_t image_code_of(const std::string& token) {
  if (token.size() < 7 || token.compare(0, 5, "<img_") != 0 || token.back() != '>') return -1;
  std::int64_t c = 0;
  for (std::size_t i = 5; i + 1 < token.size(); ++i) {
    if (token[i] < '0' || token[i] > '9' || i > 14) return -1;
    c = c * 10 + (token[i] - '0');
  }
  return c;
}

}  // namespace

// transformers' clean_up_tokenization (applied in order, like the chained str.replace calls).
std::string SeedTokenizer::clean_up_tokenization(std::string s) {
  static const std::pair<const char*, const char*> kRules[] = {
      {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
      {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) {
    const std::string f(from), t(to);
    std::string out;
    std::size_t pos = 0;
    for (std::size_t hit; (hit = s.find(f, pos)) != std::string::npos; pos = hit + f.size()) {
      out.append(s, pos, hit - pos);
      out += t;
    }
    out.append(s, pos, std::string::npos);
    s = std::move(out);
  }
  return s;
}

SeedTokenizer::SeedTokenizer() = default;
SeedTokenizer::~SeedTokenizer() = default;

std::unique_ptr<SeedTokenizer> SeedTokenizer::load(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw_error(ErrorKind::NotFound, describe(dir.string(), "tokenizer folder not found"));
  const fs::path model_file = dir / "tokenizer.model";
  const fs::path added_file = dir / "added_tokens.json";
  std::unique_ptr<SeedTokenizer> t(new SeedTokenizer());

  const std::string bytes = read_model_bytes(model_file);
  t->sp_ = SentencePieceModel::load_bytes(bytes, model_file.string());
  const std::int32_t n_sp = t->sp_->piece_count();
  t->sp_pieces_.reserve(n_sp);
  for (std::int32_t i = 0; i < n_sp; ++i) t->sp_pieces_.push_back(t->sp_->id_to_piece(i));

  // Added tokens: consecutive ids after the SentencePiece pieces (checked by the reader).
  AddedTokens added = read_added_tokens(added_file, n_sp);
  const std::string added_name = added_file.string();
  t->added_tokens_ = std::move(added.by_offset);
  for (std::size_t i = 0; i < t->added_tokens_.size(); ++i) {
    const std::string& tok = t->added_tokens_[i];
    const std::int32_t sp_id = t->sp_->piece_to_id(tok);
    if (sp_id >= 0 && t->sp_pieces_[sp_id] == tok)
      throw_format(added_name, "added token '" + tok + "' is already SentencePiece piece " + std::to_string(sp_id));
    t->added_ids_[tok] = n_sp + static_cast<std::int64_t>(i);
  }

  // Image codes: <img_%05d> for codes 0..N-1 at ids shift..shift+N-1, in order.
  for (std::size_t i = 0; i < t->added_tokens_.size(); ++i)
    if (image_code_of(t->added_tokens_[i]) >= 0) ++t->image_code_count_;
  if (t->image_code_count_ == 0) throw_format(added_name, "no image tokens <img_00000>, <img_00001>, ...");
  auto first = t->added_ids_.find(image_token_name(0));
  if (first == t->added_ids_.end()) throw_format(added_name, "image token <img_00000> is missing");
  t->image_id_shift_ = first->second;
  for (std::size_t i = 0; i < t->added_tokens_.size(); ++i) {
    const std::string& tok = t->added_tokens_[i];
    const std::int64_t code = image_code_of(tok);
    if (code < 0) continue;
    const std::int64_t id = n_sp + static_cast<std::int64_t>(i);
    if (tok != image_token_name(code) || code >= t->image_code_count_ || id != t->image_id_shift_ + code)
      throw_format(added_name, "image token '" + tok + "' (id " + std::to_string(id) + ") breaks the layout <img_" +
                                   "%05d> = " + std::to_string(t->image_id_shift_) + " + code for codes 0.." +
                                   std::to_string(t->image_code_count_ - 1));
  }

  const TokenizerSettings settings = read_tokenizer_settings(dir);
  if (!settings.legacy)
    throw_error(ErrorKind::Unsupported,
                describe((dir / "tokenizer_config.json").string(),
                         "legacy=false LLaMA tokenization is not supported (SEED uses the legacy behaviour)"));
  t->add_bos_ = settings.add_bos_token;
  t->add_eos_ = settings.add_eos_token;
  t->clean_up_spaces_ = settings.clean_up_tokenization_spaces;

  // The split set: every added token (stripped on both sides) and every special token
  // (AddedToken objects strip only as flagged).
  for (std::size_t i = 0; i < t->added_tokens_.size(); ++i)
    t->no_split_[t->added_tokens_[i]] = NoSplit{n_sp + static_cast<std::int64_t>(i), true, true};
  for (const auto& s : settings.all_special()) {
    const std::int64_t id = t->token_to_id(s.content);
    if (id < 0)
      throw_error(ErrorKind::Config, describe(dir.string(), "special token '" + s.content +
                                                                "' is neither a SentencePiece piece nor an added token"));
    t->special_tokens_.insert(s.content);
    t->special_ids_.insert(id);
    // transformers strips by the AddedToken flags; a plain string strips both sides.
    t->no_split_[s.content] = s.added_token ? NoSplit{id, s.lstrip, s.rstrip} : NoSplit{id, true, true};
  }
  for (const auto& [tok, _] : t->no_split_)
    if (std::find(t->no_split_lengths_.begin(), t->no_split_lengths_.end(), tok.size()) == t->no_split_lengths_.end())
      t->no_split_lengths_.push_back(tok.size());
  std::sort(t->no_split_lengths_.rbegin(), t->no_split_lengths_.rend());

  auto id_of = [&](const std::optional<SpecialToken>& s) { return s ? t->token_to_id(s->content) : -1; };
  t->bos_id_ = id_of(settings.bos);
  t->eos_id_ = id_of(settings.eos);
  t->unk_id_ = id_of(settings.unk);
  t->boi_id_ = t->token_to_id(kBoiToken);
  t->eoi_id_ = t->token_to_id(kEoiToken);
  if (t->boi_id_ < 0 || t->eoi_id_ < 0)
    throw_format(added_name, std::string("the image span tokens ") + kBoiToken + " and " + kEoiToken +
                                 " must both be added tokens");
  return t;
}

std::int64_t SeedTokenizer::token_to_id(const std::string& token) const {
  if (auto it = added_ids_.find(token); it != added_ids_.end()) return it->second;
  const std::int32_t id = sp_->piece_to_id(token);
  return (id >= 0 && id < static_cast<std::int32_t>(sp_pieces_.size()) && sp_pieces_[id] == token) ? id : -1;
}

std::int64_t SeedTokenizer::sp_piece_count() const { return static_cast<std::int64_t>(sp_pieces_.size()); }
std::int64_t SeedTokenizer::vocab_size() const { return sp_piece_count() + static_cast<std::int64_t>(added_tokens_.size()); }

std::string SeedTokenizer::id_to_piece(std::int64_t id) const {
  if (id >= 0 && id < sp_piece_count()) return sp_pieces_[static_cast<std::size_t>(id)];
  if (id >= sp_piece_count() && id < vocab_size()) return added_tokens_[static_cast<std::size_t>(id - sp_piece_count())];
  throw_error(ErrorKind::Format, describe(sp_->name(), "token id " + std::to_string(id) + " is outside the vocabulary of " +
                                                            std::to_string(vocab_size()) + " tokens"));
}

// PreTrainedTokenizer.tokenize: split on no-split tokens, strip around them, SentencePiece the rest.
void SeedTokenizer::split(const std::string& text, std::vector<std::string>* pieces,
                          std::vector<std::int64_t>* ids) const {
  struct Part {
    std::string_view text;
    const NoSplit* token = nullptr;  // set when this part is a no-split token
  };
  std::vector<Part> parts;
  const std::string_view all(text);
  std::size_t chunk_start = 0;
  for (std::size_t i = 0; i < all.size();) {
    const NoSplit* hit = nullptr;
    std::size_t hit_len = 0;
    for (std::size_t len : no_split_lengths_) {  // longest match first at the leftmost position
      if (len > all.size() - i) continue;
      auto it = no_split_.find(std::string(all.substr(i, len)));
      if (it != no_split_.end()) {
        hit = &it->second, hit_len = len;
        break;
      }
    }
    if (!hit) {
      ++i;
      continue;
    }
    if (i > chunk_start) parts.push_back({all.substr(chunk_start, i - chunk_start)});
    parts.push_back({all.substr(i, hit_len), hit});
    i += hit_len;
    chunk_start = i;
  }
  if (chunk_start < all.size()) parts.push_back({all.substr(chunk_start)});

  // Whitespace next to a token is eaten as its flags say (neighbours may be tokens: a no-op).
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].token) continue;
    if (parts[i].token->rstrip && i + 1 < parts.size()) parts[i + 1].text = lstrip_python(parts[i + 1].text);
    if (parts[i].token->lstrip && i > 0) parts[i - 1].text = rstrip_python(parts[i - 1].text);
  }

  for (const auto& part : parts) {
    if (part.text.empty()) continue;  // fully stripped chunks vanish
    if (part.token) {
      if (pieces) pieces->emplace_back(part.text);
      if (ids) ids->push_back(part.token->id);
      continue;
    }
    auto enc = sp_->encode(part.text);  // each chunk gets its own dummy prefix
    if (pieces) pieces->insert(pieces->end(), enc.pieces.begin(), enc.pieces.end());
    if (ids) ids->insert(ids->end(), enc.ids.begin(), enc.ids.end());
  }
}

std::vector<std::string> SeedTokenizer::tokenize(const std::string& text) const {
  std::vector<std::string> pieces;
  split(text, &pieces, nullptr);
  return pieces;
}

std::vector<std::int64_t> SeedTokenizer::encode(const std::string& text) const {
  std::vector<std::int64_t> ids;
  split(text, nullptr, &ids);
  return ids;
}

std::vector<std::int64_t> SeedTokenizer::encode_with_bos(const std::string& text) const {
  std::vector<std::int64_t> ids;
  if (add_bos_ && bos_id_ >= 0) ids.push_back(bos_id_);
  split(text, nullptr, &ids);
  if (add_eos_ && eos_id_ >= 0) ids.push_back(eos_id_);
  return ids;
}

// LlamaTokenizer.convert_tokens_to_string (legacy): drop the first token's '▁', decode runs of
// pieces with SentencePiece, keep special tokens verbatim with a space before a special token
// that follows text.
std::string SeedTokenizer::convert_tokens_to_string(std::vector<std::string> tokens) const {
  if (!tokens.empty() && tokens[0].compare(0, kSpaceMarker.size(), kSpaceMarker) == 0)
    tokens[0].erase(0, kSpaceMarker.size());
  std::vector<std::string> run;
  std::string out;
  bool prev_special = false;
  auto flush_run = [&] {
    if (!run.empty()) out += sp_->decode_pieces(run);
    run.clear();
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (special_tokens_.count(tokens[i])) {
      if (!prev_special && i != 0) out += ' ';
      flush_run();
      out += tokens[i];
      prev_special = true;
    } else {
      run.push_back(std::move(tokens[i]));
      prev_special = false;
    }
  }
  flush_run();
  return out;
}

// PreTrainedTokenizer._decode: added tokens stand alone, text runs between them are converted,
// all joined with single spaces (spaces_between_special_tokens=True, the 4.33 decode default).
std::string SeedTokenizer::decode(const std::vector<std::int64_t>& ids, bool skip_special_tokens) const {
  return decode_range(ids.data(), ids.size(), skip_special_tokens, clean_up_spaces_);
}

std::string SeedTokenizer::decode_range(const std::int64_t* ids, std::size_t n, bool skip_special_tokens,
                                        bool clean_up) const {
  const std::int64_t n_sp = sp_piece_count();
  std::vector<std::string> sub_texts;
  std::vector<std::string> current;
  for (std::size_t k = 0; k < n; ++k) {
    const std::int64_t id = ids[k];
    if (id < 0 || id >= vocab_size()) id_to_piece(id);  // throws with the message
    if (skip_special_tokens && special_ids_.count(id)) continue;
    if (id >= n_sp) {
      if (!current.empty()) sub_texts.push_back(convert_tokens_to_string(std::move(current)));
      current.clear();
      sub_texts.push_back(added_tokens_[static_cast<std::size_t>(id - n_sp)]);
    } else {
      current.push_back(sp_pieces_[static_cast<std::size_t>(id)]);
    }
  }
  if (!current.empty()) sub_texts.push_back(convert_tokens_to_string(std::move(current)));
  std::string text;
  for (std::size_t i = 0; i < sub_texts.size(); ++i) {
    if (i) text += ' ';
    text += sub_texts[i];
  }
  return clean_up ? clean_up_tokenization(std::move(text)) : text;
}

}  // namespace seedcanvas::text
