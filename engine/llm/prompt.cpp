#include "llm/prompt.h"

#include <cstdio>

#include "core/error.h"

namespace seedcanvas::llm {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string rstrip(const std::string& s) {
  std::size_t end = s.size();
  while (end > 0 && is_space(s[end - 1])) --end;
  return s.substr(0, end);
}

std::string lstrip(const std::string& s) {
  std::size_t b = 0;
  while (b < s.size() && is_space(s[b])) ++b;
  return s.substr(b);
}

}  // namespace

PromptTemplate parse_template(const std::string& name) {
  if (name == "8b" || name == "8B") return PromptTemplate::Seed8B;
  if (name == "14b" || name == "14B") return PromptTemplate::Seed14B;
  throw_error(ErrorKind::Config, "unknown prompt template '" + name + "' (expected 8b or 14b)");
}

PromptBuilder::PromptBuilder(PromptTemplate tmpl, TokenIds ids, TextEncoder encoder)
    : template_(tmpl), ids_(ids), encoder_(std::move(encoder)) {}

std::string PromptBuilder::image_string(const std::vector<std::int64_t>& codes) {
  std::string s = "<img>";
  char buf[16];
  for (auto c : codes) {
    std::snprintf(buf, sizeof buf, "<img_%05lld>", static_cast<long long>(c));
    s += buf;
  }
  return s + "</img>";
}

void PromptBuilder::check_codes(const std::vector<std::int64_t>& codes) const {
  if (static_cast<std::int64_t>(codes.size()) != TokenIds::kCodesPerImage)
    throw_error(ErrorKind::Format, "prompt image has " + std::to_string(codes.size()) + " codes, expected " +
                                       std::to_string(TokenIds::kCodesPerImage));
  for (auto c : codes)
    if (c < 0 || (ids_.image_count > 0 && c >= ids_.image_count))
      throw_error(ErrorKind::Format, "prompt image code " + std::to_string(c) + " is out of range");
}

std::vector<PromptBuilder::Piece> PromptBuilder::pieces(const std::vector<Message>& conversation,
                                                        bool force_image) const {
  std::vector<Piece> out;
  out.push_back({Piece::Bos, "<s>"});
  auto text = [&](std::string t) { out.push_back({Piece::Text, std::move(t)}); };
  auto body = [&](const Message& m) {
    for (const auto& seg : m.segments) {
      if (seg.is_image()) {
        check_codes(seg.image_codes);
        out.push_back({Piece::Image, image_string(seg.image_codes), &seg.image_codes});
      } else {
        text(seg.text);
      }
    }
  };
  for (const auto& m : conversation) {
    if (template_ == PromptTemplate::Seed8B) {
      // SeparatorStyle.SINGLE: ROLE + ": " + text + "\n"
      text(m.role == Role::User ? "USER: " : "ASSISTANT: ");
      body(m);
      text("\n");
    } else if (m.role == Role::User) {
      // LLAMA_2 without a system block: "[INST] " + text + " [/INST]" + "\n"
      text("[INST] ");
      body(m);
      text(" [/INST]\n");
    } else {
      body(m);
      text("\n");
    }
  }
  if (template_ == PromptTemplate::Seed8B) text("ASSISTANT:");
  if (force_image) out.push_back({Piece::Boi, "<img>"});
  return out;
}

std::string PromptBuilder::render(const std::vector<Message>& conversation, bool force_image) const {
  std::string s;
  for (const auto& p : pieces(conversation, force_image)) s += p.text;
  return s;
}

std::vector<std::int64_t> PromptBuilder::encode(const std::vector<Message>& conversation, bool force_image) const {
  if (!encoder_) throw_error(ErrorKind::Internal, "prompt builder: no text encoder");
  if (ids_.bos < 0) throw_error(ErrorKind::Config, "prompt builder: the tokenizer has no <s> id");
  const auto ps = pieces(conversation, force_image);
  for (const auto& p : ps)
    if ((p.kind == Piece::Image || p.kind == Piece::Boi) && !ids_.has_images())
      throw_error(ErrorKind::Config, "prompt builder: the tokenizer has no image tokens");

  std::vector<std::int64_t> ids;
  std::string chunk;          // text gathered since the last special token
  bool strip_left = false;    // the previous special token was an image token (lstrip what follows)
  auto flush = [&](bool strip_right) {
    std::string t = strip_left ? lstrip(chunk) : chunk;
    if (strip_right) t = rstrip(t);
    if (!t.empty()) {
      auto enc = encoder_(t);
      ids.insert(ids.end(), enc.begin(), enc.end());
    }
    chunk.clear();
  };
  for (const auto& p : ps) {
    switch (p.kind) {
      case Piece::Text: chunk += p.text; break;
      case Piece::Bos:
        flush(false);
        ids.push_back(ids_.bos);
        strip_left = false;  // <s> is an AddedToken without lstrip/rstrip
        break;
      case Piece::Image:
        flush(true);
        ids.push_back(ids_.boi);
        for (auto c : *p.codes) ids.push_back(ids_.image_shift + c);
        ids.push_back(ids_.eoi);
        strip_left = true;
        break;
      case Piece::Boi:
        flush(true);
        ids.push_back(ids_.boi);
        strip_left = true;
        break;
    }
  }
  flush(false);
  return ids;
}

}  // namespace seedcanvas::llm
