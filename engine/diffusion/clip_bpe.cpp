#include "diffusion/clip_bpe.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstring>
#include <fstream>
#include <locale>
#include <sstream>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::diffusion {
namespace {

// transformers caps the merges it reads at 49152 - 256 - 2 (the CLIP vocabulary's budget).
constexpr std::size_t kMaxMerges = 49152 - 256 - 2;

std::vector<char32_t> decode_utf8(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    bool ok = len > 0 && i + len <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      ok = (cc & 0xc0) == 0x80;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (!ok) {
      out.push_back(0xFFFD);  // invalid byte: replaced, then dropped by the clean-up
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// GPT-2/CLIP byte-to-unicode table: printable Latin-1 bytes map to themselves, the rest to
// 256 + n in byte order, so every byte is one visible character.
const std::vector<std::string>& byte_encoder() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(256);
    auto printable = [](int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF); };
    int n = 0;
    for (int b = 0; b < 256; ++b) append_utf8(t[b], printable(b) ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++));
    return t;
  }();
  return table;
}

// Unicode classes via the C.UTF-8 locale (glibc's tables); ASCII rules if it is missing.
struct CharClasses {
  const std::ctype<wchar_t>* ctype = nullptr;
  std::locale locale;
  CharClasses() {
    try {
      locale = std::locale("C.UTF-8");
      ctype = &std::use_facet<std::ctype<wchar_t>>(locale);
    } catch (const std::exception&) {
      ctype = nullptr;
    }
  }
  bool whitespace(char32_t c) const {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x202F || c == 0x205F || c == 0x3000;
  }
  bool control(char32_t c) const { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F); }
  bool number(char32_t c) const { return c >= '0' && c <= '9'; }
  bool letter(char32_t c) const {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return ctype && !number(c) && ctype->is(std::ctype_base::alpha, static_cast<wchar_t>(c));
  }
  char32_t lower(char32_t c) const {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return ctype ? static_cast<char32_t>(ctype->tolower(static_cast<wchar_t>(c))) : c;
  }
  bool cjk(char32_t c) const {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x2F800 && c <= 0x2FA1F);
  }
};

const CharClasses& classes() {
  static const CharClasses c;
  return c;
}

const char* const kSpecials[] = {"<|startoftext|>", "<|endoftext|>"};

// A special token's content: a plain string or {"content": ...}.
std::string token_content(const nlohmann::json& j, const std::string& key, const std::string& fallback,
                          const std::string& file) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("content") && (*it)["content"].is_string()) return (*it)["content"].get<std::string>();
  throw_config_type(file, key);
}

}  // namespace

CLIPTokenizer::CLIPTokenizer(std::unordered_map<std::string, std::int64_t> vocab, const std::vector<std::string>& merges,
                             const std::string& bos, const std::string& eos, const std::string& pad,
                             const std::string& unk, std::int64_t max_length, const std::string& origin)
    : model_max_length(max_length), vocab_(std::move(vocab)), origin_(origin) {
  for (std::size_t i = 0; i < merges.size() && i < kMaxMerges; ++i) merge_ranks_.emplace(merges[i], static_cast<std::int64_t>(i));
  auto id = [&](const std::string& token, const char* role) {
    auto it = vocab_.find(token);
    if (it == vocab_.end())
      throw_error(ErrorKind::Config, describe(origin_, std::string(role) + " token \"" + token + "\" is not in the vocabulary"));
    return it->second;
  };
  bos_id = id(bos, "bos");
  eos_id = id(eos, "eos");
  pad_id = id(pad, "pad");
  unk_id = id(unk, "unk");
  if (model_max_length < 2) throw_error(ErrorKind::Config, describe(origin_, "'model_max_length' must be at least 2"));
}

CLIPTokenizer CLIPTokenizer::load(const std::filesystem::path& dir) {
  const auto vocab_file = (dir / "vocab.json").string();
  const auto vocab_json = read_json_file(dir / "vocab.json");
  if (!vocab_json.is_object()) throw_format(vocab_file, "vocabulary is not a JSON object");
  std::unordered_map<std::string, std::int64_t> vocab;
  for (auto it = vocab_json.begin(); it != vocab_json.end(); ++it) {
    if (!it->is_number_integer()) throw_format(vocab_file, "id of \"" + it.key() + "\" is not an integer");
    vocab.emplace(it.key(), it->get<std::int64_t>());
  }

  const auto merges_path = dir / "merges.txt";
  std::ifstream in(merges_path, std::ios::binary);
  if (!in) throw_error(ErrorKind::NotFound, describe(merges_path.string(), "file not found"));
  std::vector<std::string> merges;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (first) {  // "#version: ..." header
      first = false;
      if (line.rfind("#version", 0) == 0) continue;
    }
    if (line.empty()) continue;
    if (std::count(line.begin(), line.end(), ' ') != 1)
      throw_format(merges_path.string(), "line " + std::to_string(merges.size() + 2) + " is not a pair \"a b\"");
    merges.push_back(line);
  }

  // special_tokens_map.json wins over tokenizer_config.json, as in transformers.
  nlohmann::json config = nlohmann::json::object(), specials = nlohmann::json::object();
  std::string config_file = (dir / "tokenizer_config.json").string(), specials_file = (dir / "special_tokens_map.json").string();
  if (std::filesystem::exists(config_file)) config = read_json_file(config_file);
  if (std::filesystem::exists(specials_file)) specials = read_json_file(specials_file);
  auto special = [&](const std::string& key, const std::string& fallback) {
    return token_content(specials, key, token_content(config, key, fallback, config_file), specials_file);
  };
  std::int64_t max_length = 77;
  if (auto it = config.find("model_max_length"); it != config.end() && it->is_number()) {
    const double v = it->get<double>();
    if (v >= 2 && v <= 1e6) max_length = static_cast<std::int64_t>(v);  // 1e30 means "unset" upstream
  }
  return CLIPTokenizer(std::move(vocab), merges, special("bos_token", "<|startoftext|>"),
                       special("eos_token", "<|endoftext|>"), special("pad_token", "<|endoftext|>"),
                       special("unk_token", "<|endoftext|>"), max_length, dir.string());
}

std::vector<std::string> CLIPTokenizer::pre_tokenize(const std::string& text) const {
  const auto& cc = classes();
  // BasicTokenizer: drop NUL/U+FFFD/control characters, whitespace -> ' ', spaces around CJK
  // ideographs, lower-case (no accent stripping, no punctuation split).
  std::vector<char32_t> s;
  for (char32_t c : decode_utf8(text)) {
    if (c == 0 || c == 0xFFFD || cc.control(c)) continue;
    if (cc.whitespace(c)) {
      s.push_back(' ');
    } else if (cc.cjk(c)) {
      s.push_back(' ');
      s.push_back(c);
      s.push_back(' ');
    } else {
      s.push_back(cc.lower(c));
    }
  }
  // The CLIP pattern: specials | 's|'t|'re|'ve|'m|'ll|'d | letters+ | one digit | other+.
  std::vector<std::string> words;
  auto emit = [&](std::size_t a, std::size_t b) {
    std::string w;
    for (std::size_t k = a; k < b; ++k) append_utf8(w, s[k]);
    words.push_back(std::move(w));
  };
  auto starts_with = [&](std::size_t i, const char* lit) {
    for (std::size_t k = 0; lit[k]; ++k)
      if (i + k >= s.size() || s[i + k] != static_cast<unsigned char>(lit[k])) return false;
    return true;
  };
  for (std::size_t i = 0; i < s.size();) {
    if (cc.whitespace(s[i])) {
      ++i;
      continue;
    }
    bool matched = false;
    for (const char* sp : kSpecials)
      if (!matched && starts_with(i, sp)) {
        emit(i, i + std::strlen(sp));
        i += std::strlen(sp);
        matched = true;
      }
    if (matched) continue;
    if (s[i] == '\'') {
      for (const char* c : {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"})
        if (!matched && starts_with(i, c)) {
          emit(i, i + std::strlen(c));
          i += std::strlen(c);
          matched = true;
        }
      if (matched) continue;
    }
    std::size_t j = i + 1;
    if (cc.letter(s[i])) {
      while (j < s.size() && cc.letter(s[j])) ++j;
    } else if (!cc.number(s[i])) {
      while (j < s.size() && !cc.whitespace(s[j]) && !cc.letter(s[j]) && !cc.number(s[j])) ++j;
    }
    emit(i, j);
    i = j;
  }
  return words;
}

std::vector<std::string> CLIPTokenizer::bpe(const std::string& word) const {
  // Split into characters (UTF-8 sequences); the last one carries the end-of-word mark.
  std::vector<std::string> parts;
  for (char32_t c : decode_utf8(word)) {
    std::string p;
    append_utf8(p, c);
    parts.push_back(std::move(p));
  }
  if (parts.empty()) return parts;
  parts.back() += "</w>";
  while (parts.size() > 1) {
    std::int64_t best = LLONG_MAX;
    std::size_t at = 0;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      auto it = merge_ranks_.find(parts[i] + " " + parts[i + 1]);
      if (it != merge_ranks_.end() && it->second < best) best = it->second, at = i;
    }
    if (best == LLONG_MAX) break;
    // Merge every occurrence of the best pair, left to right, as the reference does.
    const std::string first = parts[at], second = parts[at + 1];
    std::vector<std::string> merged;
    for (std::size_t i = 0; i < parts.size();) {
      if (i + 1 < parts.size() && parts[i] == first && parts[i + 1] == second) {
        merged.push_back(first + second);
        i += 2;
      } else {
        merged.push_back(parts[i++]);
      }
    }
    parts.swap(merged);
  }
  return parts;
}

std::vector<std::int64_t> CLIPTokenizer::encode(const std::string& text) const {
  std::vector<std::int64_t> ids;
  const auto& bytes = byte_encoder();
  for (const auto& word : pre_tokenize(text)) {
    if (word == kSpecials[0] || word == kSpecials[1]) {  // kept whole, never split by BPE
      ids.push_back(word == kSpecials[0] ? bos_id : eos_id);
      continue;
    }
    std::string mapped;
    for (unsigned char b : word) mapped += bytes[b];
    for (const auto& piece : bpe(mapped)) {
      auto it = vocab_.find(piece);
      ids.push_back(it == vocab_.end() ? unk_id : it->second);
    }
  }
  return ids;
}

at::Tensor CLIPTokenizer::encode_padded(const std::string& text) const {
  auto ids = encode(text);
  const auto room = static_cast<std::size_t>(model_max_length - 2);
  if (ids.size() > room) ids.resize(room);  // truncation=True
  std::vector<std::int64_t> row;
  row.reserve(model_max_length);
  row.push_back(bos_id);
  row.insert(row.end(), ids.begin(), ids.end());
  row.push_back(eos_id);
  row.resize(model_max_length, pad_id);
  return at::tensor(row, at::kLong).reshape({1, model_max_length});
}

}  // namespace seedcanvas::diffusion
