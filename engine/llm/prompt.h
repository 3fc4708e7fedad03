// SEED-LLaMA chat prompts (spec 3.4; SEED gradio_demo/conversation.py and
// scripts/seed_llama_inference_{8B,14B}.py): one <s> for the whole conversation, images as
// <img> + 32 <img_%05d> + </img>, and the 8B (USER:/ASSISTANT:) or 14B ([INST]) layout.
// Token ids are built the way transformers 4.30's slow tokenizer splits the prompt string:
// text next to an image token loses its adjacent whitespace (rstrip before, lstrip after),
// text next to <s> keeps it, and every remaining text chunk is encoded on its own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "llm/token_ids.h"

namespace seedcanvas::llm {

enum class PromptTemplate { Seed8B, Seed14B };

enum class Role { User, Assistant };

struct Segment {
  std::string text;                       // used when codes is empty
  std::vector<std::int64_t> image_codes;  // 32 codes in [0, image_count): one image

  static Segment of_text(std::string t) { return {std::move(t), {}}; }
  static Segment of_image(std::vector<std::int64_t> codes) { return {{}, std::move(codes)}; }
  bool is_image() const { return !image_codes.empty(); }
};

struct Message {
  Role role = Role::User;
  std::vector<Segment> segments;
};

// Encodes plain text (no special tokens inside) as SentencePiece would with add_special_tokens=False.
using TextEncoder = std::function<std::vector<std::int64_t>(const std::string&)>;

class PromptBuilder {
 public:
  PromptBuilder(PromptTemplate tmpl, TokenIds ids, TextEncoder encoder);

  // The exact prompt string (images spelled <img><img_00042>...</img>), generation cue last;
  // force_image appends <img> so the model must answer with a picture.
  std::string render(const std::vector<Message>& conversation, bool force_image = false) const;
  // The prompt's token ids.
  std::vector<std::int64_t> encode(const std::vector<Message>& conversation, bool force_image = false) const;

  // The string of one image: <img><img_00000>...</img>.
  static std::string image_string(const std::vector<std::int64_t>& codes);

 private:
  struct Piece {
    enum Kind { Bos, Text, Image, Boi } kind;
    std::string text;
    const std::vector<std::int64_t>* codes = nullptr;
  };
  std::vector<Piece> pieces(const std::vector<Message>& conversation, bool force_image) const;
  void check_codes(const std::vector<std::int64_t>& codes) const;

  PromptTemplate template_;
  TokenIds ids_;
  TextEncoder encoder_;
};

PromptTemplate parse_template(const std::string& name);  // "8b" | "14b"; Error(Config) otherwise

}  // namespace seedcanvas::llm
