// A multi-turn chat over one model: the conversation (text and image codes per message), the
// session's KV cache (reused across turns: each turn computes only the new suffix), the
// sampler, and the template. Text encoding/decoding come from the tokenizer as functions, so
// this stays independent of the tokenizer implementation.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "llm/generate.h"
#include "llm/kv_cache.h"
#include "llm/llama_model.h"
#include "llm/output_parser.h"
#include "llm/prompt.h"
#include "llm/sampler.h"

namespace seedcanvas::llm {

using TextDecoder = std::function<std::string(const std::vector<std::int64_t>&)>;  // skip special tokens

struct ChatOptions {
  PromptTemplate prompt_template = PromptTemplate::Seed8B;
  SamplerSettings sampling;        // defaults: SEED scripts use temperature 1, top-k 50, top-p 0.5
  std::int64_t max_new_tokens = 512;
  std::vector<std::int64_t> stop_ids;
  std::int64_t context = 0;        // KV cache capacity; 0 = max_position_embeddings
  bool force_image = false;        // append <img> to the prompt (text-to-image)
};

struct ChatTurn {
  GenerationResult generation;
  ParsedOutput parsed;
  Message reply;  // what was appended to the history (text and complete images)
};

class ChatSession {
 public:
  ChatSession(const LlamaForCausalLM& model, TokenIds ids, TextEncoder encode, TextDecoder decode, ChatOptions options);

  // Adds `user` to the conversation, generates the reply and appends it (also when cancelled:
  // the part generated so far, so the next turn can go on from it).
  ChatTurn send(Message user, const StepCallback& on_step = {}, const std::atomic<bool>* cancel = nullptr,
                std::function<std::string(std::int64_t)> text_delta = {}, std::function<std::string()> text_flush = {});

  void reset();  // forgets the conversation; the cache is kept for its memory
  const std::vector<Message>& history() const { return history_; }
  const KvCache& cache() const { return cache_; }
  const PromptBuilder& prompt_builder() const { return builder_; }
  Sampler& sampler() { return sampler_; }

 private:
  const LlamaForCausalLM& model_;
  TokenIds ids_;
  TextDecoder decode_;
  ChatOptions options_;
  PromptBuilder builder_;
  Sampler sampler_;
  KvCache cache_;
  std::vector<Message> history_;
};

}  // namespace seedcanvas::llm
