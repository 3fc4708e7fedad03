#include "text/tokenizer_files.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::text {

namespace {

constexpr std::size_t kMaxTokenBytes = 1024;         // an added token longer than this is not a token
constexpr std::size_t kConfigMaxBytes = 4u << 20;    // tokenizer_config.json / special_tokens_map.json

AddedTokens validate_added_tokens(const nlohmann::json& j, const std::string& name, std::int64_t sp_piece_count) {
  if (!j.is_object()) throw_format(name, "added tokens must be a JSON object of \"token\": id");
  const std::int64_t n = static_cast<std::int64_t>(j.size());
  AddedTokens out;
  out.first_id = sp_piece_count;
  out.by_offset.assign(static_cast<std::size_t>(n), std::string());
  std::vector<bool> seen(static_cast<std::size_t>(n), false);
  for (const auto& [token, value] : j.items()) {
    if (token.empty()) throw_format(name, "an added token is the empty string");
    if (token.size() > kMaxTokenBytes) throw_format(name, "added token '" + token.substr(0, 40) + "...' is too long");
    if (!value.is_number_integer())
      throw_format(name, "the id of added token '" + token + "' is not an integer");
    const std::int64_t id = value.get<std::int64_t>();
    const std::int64_t offset = id - sp_piece_count;
    if (offset < 0 || offset >= n)
      throw_format(name, "added token '" + token + "' has id " + std::to_string(id) + "; added tokens must take ids " +
                             std::to_string(sp_piece_count) + ".." + std::to_string(sp_piece_count + n - 1) +
                             " (right after the " + std::to_string(sp_piece_count) + " SentencePiece pieces)");
    if (seen[static_cast<std::size_t>(offset)])
      throw_format(name, "id " + std::to_string(id) + " is given to both '" + out.by_offset[offset] + "' and '" +
                             token + "'");
    seen[static_cast<std::size_t>(offset)] = true;
    out.by_offset[static_cast<std::size_t>(offset)] = token;
  }
  return out;
}

std::optional<SpecialToken> parse_special(const nlohmann::json& v, const std::string& file, const std::string& key,
                                          bool str_is_added_token) {
  if (v.is_null()) return std::nullopt;
  SpecialToken t;
  if (v.is_string()) {
    t.content = v.get<std::string>();
    t.added_token = str_is_added_token;  // LlamaTokenizer.__init__ wraps its str arguments
  } else if (v.is_object()) {
    t.content = json_require<std::string>(v, "content", file + " [" + key + "]");
    t.added_token = true;
    t.lstrip = json_get<bool>(v, "lstrip", false, file);
    t.rstrip = json_get<bool>(v, "rstrip", false, file);
  } else {
    throw_config_type(file, key);
  }
  if (t.content.empty() || t.content.size() > kMaxTokenBytes)
    throw_error(ErrorKind::Config, describe(file, "special token '" + key + "' is empty or too long"));
  return t;
}

void apply(TokenizerSettings& s, const nlohmann::json& j, const std::string& file, bool from_config) {
  if (!j.is_object()) throw_format(file, "not a JSON object");
  struct Slot {
    const char* key;
    std::optional<SpecialToken> TokenizerSettings::*member;
    bool llama_wraps;  // LlamaTokenizer.__init__ turns a str into AddedToken(lstrip=rstrip=False)
  };
  const Slot slots[] = {{"bos_token", &TokenizerSettings::bos, true},  {"eos_token", &TokenizerSettings::eos, true},
                        {"unk_token", &TokenizerSettings::unk, true},  {"pad_token", &TokenizerSettings::pad, true},
                        {"sep_token", &TokenizerSettings::sep, false}, {"cls_token", &TokenizerSettings::cls, false},
                        {"mask_token", &TokenizerSettings::mask, false}};
  for (const auto& slot : slots) {
    auto it = j.find(slot.key);
    if (it == j.end()) continue;
    // special_tokens_map.json sets attributes directly (setattr), so a str stays a str there.
    s.*slot.member = parse_special(*it, file, slot.key, from_config && slot.llama_wraps);
  }
  if (auto it = j.find("additional_special_tokens"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw_config_type(file, "additional_special_tokens");
    s.additional.clear();
    for (const auto& v : *it)
      if (auto t = parse_special(v, file, "additional_special_tokens", false)) s.additional.push_back(*t);
  }
  if (!from_config) return;
  s.add_bos_token = json_get<bool>(j, "add_bos_token", s.add_bos_token, file);
  s.add_eos_token = json_get<bool>(j, "add_eos_token", s.add_eos_token, file);
  // LlamaTokenizer.__init__ defaults clean_up_tokenization_spaces to False (not the base class's True).
  s.clean_up_tokenization_spaces =
      json_get<bool>(j, "clean_up_tokenization_spaces", s.clean_up_tokenization_spaces, file);
  s.legacy = json_get<bool>(j, "legacy", true, file);
}

}  // namespace

AddedTokens parse_added_tokens(const std::string& json_text, const std::string& name, std::int64_t sp_piece_count) {
  if (json_text.size() > kAddedTokensMaxBytes)
    throw_format(name, "too large for an added-tokens file (" + std::to_string(json_text.size()) + " bytes)");
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw_format(name, std::string("invalid JSON: ") + e.what());
  }
  return validate_added_tokens(j, name, sp_piece_count);
}

AddedTokens read_added_tokens(const std::filesystem::path& file, std::int64_t sp_piece_count) {
  return validate_added_tokens(read_json_file(file, kAddedTokensMaxBytes), file.string(), sp_piece_count);
}

std::vector<SpecialToken> TokenizerSettings::all_special() const {
  std::vector<SpecialToken> out;
  auto add = [&](const SpecialToken& t) {
    for (const auto& o : out)
      if (o.content == t.content) return;
    out.push_back(t);
  };
  for (const auto* slot : {&bos, &eos, &unk, &sep, &pad, &cls, &mask})
    if (*slot) add(**slot);
  for (const auto& t : additional) add(t);
  return out;
}

TokenizerSettings read_tokenizer_settings(const std::filesystem::path& dir) {
  TokenizerSettings s;
  s.bos = SpecialToken{"<s>", true, false, false};
  s.eos = SpecialToken{"</s>", true, false, false};
  s.unk = SpecialToken{"<unk>", true, false, false};
  std::error_code ec;
  if (const auto config = dir / "tokenizer_config.json"; std::filesystem::exists(config, ec))
    apply(s, read_json_file(config, kConfigMaxBytes), config.string(), true);
  if (const auto map = dir / "special_tokens_map.json"; std::filesystem::exists(map, ec))
    apply(s, read_json_file(map, kConfigMaxBytes), map.string(), false);
  return s;
}

}  // namespace seedcanvas::text
