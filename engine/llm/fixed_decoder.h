// The one-token decode step with every shape fixed, so that CUDA can record it once and replay
// it for each new token (LibTorch otherwise spends more time launching a 7B model's ~1000 small
// kernels than the GPU spends reading its weights). The token and its position live in device
// tensors that are overwritten in place; attention covers a fixed window of cache rows with the
// rows past the position masked out. One recording per window size (256, 512, ... up to the
// cache's capacity). Without CUDA it runs the same fixed-shape step eagerly (tests use that).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "llm/cuda_graph.h"
#include "llm/llama_layers.h"

namespace seedcanvas::llm {

class KvCache;
class LlamaForCausalLM;

class FixedDecoder {
 public:
  // Binds to a model (which must outlive it) and to the buffers of the session cache that owns it.
  FixedDecoder(const LlamaForCausalLM& model, bool capture_graphs);
  ~FixedDecoder();

  // Whether its recordings still fit the model: the same model, decode kernels and folds.
  bool serves(const LlamaForCausalLM& model) const;
  // False when the next position falls outside what the fixed step covers (RoPE table, cache).
  bool can_step(const KvCache& cache) const;
  // Logits (fp32 [1, vocab], a fresh tensor) of `token` at position cache.length(); appends it.
  at::Tensor step(KvCache& cache, std::int64_t token);

  int graphs_captured() const { return static_cast<int>(graphs_.size()); }
  // Why the last capture failed ("" when none did); decoding then stays eager.
  const std::string& capture_error() const { return capture_error_; }
  // Keys attended for a token at `position`: the smallest window of 256 * 2^k rows holding it,
  // at most the cache's allocated rows.
  static std::int64_t window_for(std::int64_t position, std::int64_t rows);

 private:
  const LlamaForCausalLM* model_;
  bool capture_graphs_;
  bool kernels_;        // the model's decode kernels and folds when recorded
  DecodeFolds folds_;
  at::Tensor token_, position_;  // [1] long on the model's device, rewritten before each step
  at::Tensor logits_;            // [1, vocab] fp32, written by the step
  std::map<std::int64_t, std::unique_ptr<CapturedWork>> graphs_;
  std::string capture_error_;
};

}  // namespace seedcanvas::llm
