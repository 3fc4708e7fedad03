// The Hugging Face files beside tokenizer.model, read the way transformers 4.30-4.33
// (slow LlamaTokenizer.from_pretrained) reads them: added_tokens.json, tokenizer_config.json,
// special_tokens_map.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seedcanvas::text {

// added_tokens.json: {"token": id, ...}. Validated: ids are unique and consecutive right after
// the SentencePiece vocabulary ([first_id, first_id + count)), names are non-empty UTF-8.
struct AddedTokens {
  std::vector<std::string> by_offset;  // token of id first_id + i
  std::int64_t first_id = 0;
};
inline constexpr std::size_t kAddedTokensMaxBytes = 16u << 20;
AddedTokens read_added_tokens(const std::filesystem::path& file, std::int64_t sp_piece_count);
// The same from JSON text already in memory (`name` is used in error messages).
AddedTokens parse_added_tokens(const std::string& json_text, const std::string& name, std::int64_t sp_piece_count);

// A special token as transformers holds it: an AddedToken (with strip flags) or a plain string.
// Plain strings make the tokenizer strip whitespace on both sides; AddedTokens only where
// lstrip/rstrip say so.
struct SpecialToken {
  std::string content;
  bool added_token = false;  // an AddedToken object (else a plain str)
  bool lstrip = false;
  bool rstrip = false;
};

struct TokenizerSettings {
  std::optional<SpecialToken> bos, eos, unk, pad, sep, cls, mask;
  std::vector<SpecialToken> additional;  // additional_special_tokens
  bool add_bos_token = true;
  bool add_eos_token = false;
  bool clean_up_tokenization_spaces = false;  // LlamaTokenizer's default when the key is absent
  bool legacy = true;                        // null / absent means legacy in 4.30-4.33

  // Every special token, in transformers' order, without repeats (all_special_tokens_extended).
  std::vector<SpecialToken> all_special() const;
};

// LlamaTokenizer defaults, then tokenizer_config.json, then special_tokens_map.json (which wins,
// as in from_pretrained). Both files are optional.
TokenizerSettings read_tokenizer_settings(const std::filesystem::path& dir);

}  // namespace seedcanvas::text
