// The CLIP byte-level BPE tokenizer as transformers' models/clip/tokenization_clip.py
// `CLIPTokenizer` (the slow one, without ftfy): BasicTokenizer clean-up and lower-casing,
// the CLIP pre-tokenisation regex, byte-to-unicode mapping, BPE with "</w>" word ends,
// SOT/EOT and padding to model_max_length with the configured pad token.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

namespace seedcanvas::diffusion {

class CLIPTokenizer {
 public:
  // Reads vocab.json, merges.txt, special_tokens_map.json and tokenizer_config.json from `dir`.
  static CLIPTokenizer load(const std::filesystem::path& dir);
  // From parts (tests): vocab, merges as "a b" lines in rank order.
  CLIPTokenizer(std::unordered_map<std::string, std::int64_t> vocab, const std::vector<std::string>& merges,
                const std::string& bos, const std::string& eos, const std::string& pad, const std::string& unk,
                std::int64_t model_max_length, const std::string& origin = "tokenizer");
  CLIPTokenizer() = default;

  // Clean-up, lower-casing and the CLIP regex: the words BPE sees (UTF-8).
  std::vector<std::string> pre_tokenize(const std::string& text) const;
  // BPE ids of `text` without SOT/EOT.
  std::vector<std::int64_t> encode(const std::string& text) const;
  // [SOT] + ids (truncated) + [EOT] + pad up to model_max_length: [1, model_max_length] int64.
  at::Tensor encode_padded(const std::string& text) const;

  std::int64_t bos_id = 0, eos_id = 0, pad_id = 0, unk_id = 0;
  std::int64_t model_max_length = 77;

 private:
  std::vector<std::string> bpe(const std::string& word) const;  // byte-mapped word -> pieces

  std::unordered_map<std::string, std::int64_t> vocab_;
  std::unordered_map<std::string, std::int64_t> merge_ranks_;  // "a b" -> rank
  std::string origin_;
};

}  // namespace seedcanvas::diffusion
