// The SEED-LLaMA text tokenizer: SentencePiece (through the plugin) plus the added image tokens.
// Mirrors SEED's models/seed_llama_tokenizer.py (SeedLlamaTokenizer, a slow
// transformers.LlamaTokenizer) as transformers 4.30-4.33 run it:
//  - the text is split on added and special tokens, longest match first;
//  - whitespace next to tokens that are not AddedToken objects (<img_xxxxx>, <img>, </img>) is
//    stripped on both sides, next to <s>, </s>, <unk> only as their lstrip/rstrip flags say;
//  - every remaining chunk is encoded by SentencePiece on its own (its own dummy-prefix '▁');
//  - decoding joins added tokens and decoded text chunks with single spaces.
// Every id, the image-token shift and the code count come from the files, never constants.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace seedcanvas::text {

class SentencePieceModel;

class SeedTokenizer {
 public:
  // A folder with tokenizer.model + added_tokens.json (+ special_tokens_map.json /
  // tokenizer_config.json if present). Throws Error naming the file at fault.
  static std::unique_ptr<SeedTokenizer> load(const std::filesystem::path& dir);
  ~SeedTokenizer();
  SeedTokenizer(const SeedTokenizer&) = delete;
  SeedTokenizer& operator=(const SeedTokenizer&) = delete;

  // tokenizer(text, add_special_tokens=False).input_ids, as SEED calls it.
  std::vector<std::int64_t> encode(const std::string& text) const;
  // tokenizer(text).input_ids: add_bos_token / add_eos_token from tokenizer_config.json.
  std::vector<std::int64_t> encode_with_bos(const std::string& text) const;
  // tokenizer.decode(ids, skip_special_tokens). Skipping drops the special tokens of the files
  // (<s>, </s>, <unk>, and additional_special_tokens such as <img>, </img>) but keeps
  // <img_xxxxx>. Ids outside the vocabulary throw Error(Format).
  std::string decode(const std::vector<std::int64_t>& ids, bool skip_special_tokens) const;
  // tokenizer.tokenize(text): SentencePiece pieces and added tokens as strings.
  std::vector<std::string> tokenize(const std::string& text) const;

  std::int64_t bos_id() const { return bos_id_; }  // -1 when the files name no such token
  std::int64_t eos_id() const { return eos_id_; }
  std::int64_t unk_id() const { return unk_id_; }
  std::int64_t boi_id() const { return boi_id_; }  // <img>
  std::int64_t eoi_id() const { return eoi_id_; }  // </img>
  std::int64_t image_id_shift() const { return image_id_shift_; }  // id of <img_00000>
  std::int64_t image_code_count() const { return image_code_count_; }
  std::int64_t vocab_size() const;  // SentencePiece pieces + added tokens (len(tokenizer))
  std::int64_t sp_piece_count() const;
  std::string id_to_piece(std::int64_t id) const;  // throws Error(Format) outside the vocabulary
  bool is_special_id(std::int64_t id) const { return special_ids_.count(id) != 0; }
  const SentencePieceModel& sentencepiece() const { return *sp_; }

  // Turns a growing id sequence into text deltas. The concatenated deltas (after flush()) equal
  // decode(all ids, skip_special_tokens); a delta never ends inside a UTF-8 character: byte
  // pieces (<0xNN>) are held until their character completes, and become U+FFFD (as decode
  // renders them) once they can no longer complete.
  // skip_special_tokens=true (the default, for display) streams text as it comes. With false,
  // transformers' legacy decode puts a space in front of a text run once a special token
  // (<s>, </s>, <unk>) follows it, so a run is only released when the next special or added
  // token (or flush) settles it.
  class StreamingDecoder {
   public:
    explicit StreamingDecoder(const SeedTokenizer& tokenizer, bool skip_special_tokens = true);
    std::string push(std::int64_t id);  // the new text this id makes final ("" if none yet)
    std::string flush();                // whatever was held back; the stream may continue after it
    const std::vector<std::int64_t>& ids() const { return ids_; }

   private:
    std::size_t settled_end() const;                 // ids_[0, end) decode to final text
    std::string raw_text(std::size_t end);           // decode of ids_[0, end) without clean-up
    std::string decode_ids(std::size_t first, std::size_t last) const;
    bool good_anchor(std::size_t context, std::size_t anchor) const;
    const SeedTokenizer& tok_;
    bool skip_special_;
    std::vector<std::int64_t> ids_;
    std::string emitted_;
    // Re-decoding everything per id is quadratic; instead decode a window ids_[context_, end)
    // and subtract what ids_[context_, anchor_) gave (anchor_text_): the start-of-decode
    // effects (dropped '▁', split byte runs) stay inside the context.
    std::size_t anchor_ = 0, context_ = 0;
    std::string base_text_;    // decode of ids_[0, anchor_)
    std::string anchor_text_;  // decode of ids_[context_, anchor_)
  };

 private:
  SeedTokenizer();
  void split(const std::string& text, std::vector<std::string>* pieces, std::vector<std::int64_t>* ids) const;
  std::string convert_tokens_to_string(std::vector<std::string> tokens) const;
  static std::string clean_up_tokenization(std::string text);  // transformers' clean_up_tokenization
  std::string decode_range(const std::int64_t* ids, std::size_t n, bool skip_special_tokens, bool clean_up) const;
  std::int64_t token_to_id(const std::string& token) const;  // added first, then SentencePiece; -1 if unknown

  std::unique_ptr<SentencePieceModel> sp_;
  std::vector<std::string> sp_pieces_;     // id -> piece, cached from the model
  std::vector<std::string> added_tokens_;  // id - sp count -> token
  std::unordered_map<std::string, std::int64_t> added_ids_;
  // Tokens the text is split on (added + special), with their strip behaviour.
  struct NoSplit {
    std::int64_t id;
    bool lstrip, rstrip;  // strip whitespace left / right of the token
  };
  std::unordered_map<std::string, NoSplit> no_split_;
  std::vector<std::size_t> no_split_lengths_;  // distinct byte lengths, longest first
  std::unordered_set<std::string> special_tokens_;  // all_special_tokens (strings)
  std::unordered_set<std::int64_t> special_ids_;
  bool add_bos_ = true, add_eos_ = false, clean_up_spaces_ = true;
  std::int64_t bos_id_ = -1, eos_id_ = -1, unk_id_ = -1, boi_id_ = -1, eoi_id_ = -1;
  std::int64_t image_id_shift_ = -1, image_code_count_ = 0;
};

}  // namespace seedcanvas::text
