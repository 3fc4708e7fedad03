// Rotary position embeddings as transformers 4.33 computes them
// (models/llama/modeling_llama.py: LlamaRotaryEmbedding, LlamaLinearScalingRotaryEmbedding,
// LlamaDynamicNTKScalingRotaryEmbedding, rotate_half, apply_rotary_pos_emb).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>

#include "llm/llama_config.h"

namespace seedcanvas::llm {

struct RopeRows {
  at::Tensor cos;  // [T, 1, head_dim], activation dtype (HF rounds the fp32 tables to it)
  at::Tensor sin;
};

class LlamaRotaryEmbedding {
 public:
  explicit LlamaRotaryEmbedding(const LlamaConfig& config);

  // cos/sin for positions [start, start + count) in a forward whose key length (cache plus
  // new tokens) is `seq_len`. Dynamic NTK: HF recomputes the base from `seq_len` once it
  // exceeds max_position_embeddings, and only for the rows computed in that call; keys already
  // cached keep the rotation they got, so cached decoding differs from a full forward there.
  RopeRows rows(std::int64_t start, std::int64_t count, std::int64_t seq_len, c10::ScalarType dtype,
                c10::Device device) const;

  // The base used for a forward of length `seq_len` (theta unless dynamic scaling kicks in).
  double base_for(std::int64_t seq_len) const;

  // Precomputes rows() for positions [0, length) at the configured base, so a decode step
  // slices a table instead of recomputing cos/sin (same values: the same fp32 arithmetic).
  void build_table(std::int64_t length, c10::ScalarType dtype, c10::Device device);
  // The table ([length, 1, head_dim] each; undefined before build_table).
  const RopeRows& table() const { return table_; }

  // x: [T, heads, head_dim]; returns x * cos + rotate_half(x) * sin in x's dtype.
  static at::Tensor apply(const at::Tensor& x, const RopeRows& rope);
  static at::Tensor rotate_half(const at::Tensor& x);

 private:
  at::Tensor inv_freq(double base) const;  // [head_dim / 2] fp32

  std::int64_t dim_;
  double base_;
  RopeScaling scaling_;
  double factor_;
  std::int64_t max_position_embeddings_;
  at::Tensor default_inv_freq_;
  RopeRows table_;
};

}  // namespace seedcanvas::llm
