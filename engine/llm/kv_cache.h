// Per-session state of a LLaMA model (the model itself stays read-only and shareable, like
// llama.cpp's model/context split): keys and values preallocated for the whole context and
// written in place, the token ids they were computed from (for prefix reuse across turns), and
// the scratch buffers of the one-token decode step.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "llm/llama_config.h"

namespace seedcanvas::llm {

class FixedDecoder;

class KvCache {
 public:
  // capacity: most tokens the session can hold (prompt + generated).
  KvCache(const LlamaConfig& config, std::int64_t capacity, c10::ScalarType dtype, c10::Device device);
  KvCache(KvCache&&) noexcept;
  KvCache& operator=(KvCache&&) noexcept;
  ~KvCache();

  std::int64_t capacity() const { return capacity_; }
  // Rows allocated per head: the capacity rounded up to 64, so attention windows over the whole
  // buffer keep the row alignment fused attention kernels want.
  std::int64_t storage_rows() const { return keys_.empty() ? 0 : keys_.front().size(1); }
  std::int64_t length() const { return static_cast<std::int64_t>(tokens_.size()); }
  c10::ScalarType dtype() const { return dtype_; }
  c10::Device device() const { return device_; }
  std::int64_t layers() const { return static_cast<std::int64_t>(keys_.size()); }
  const std::vector<std::int64_t>& tokens() const { return tokens_; }

  // Keys (RoPE applied) and values of one layer for the held tokens: [n_kv_heads, length, head_dim].
  at::Tensor key(std::int64_t layer) const;
  at::Tensor value(std::int64_t layer) const;
  // Whole preallocated buffers [n_kv_heads, capacity, head_dim] (the model writes into them).
  at::Tensor& key_storage(std::int64_t layer) { return keys_.at(layer); }
  at::Tensor& value_storage(std::int64_t layer) { return values_.at(layer); }

  // Forgets everything past the first `n` tokens (the buffers stay allocated).
  void truncate(std::int64_t n);
  void clear() { truncate(0); }
  // Length of the longest common prefix of the held tokens and `ids`.
  std::int64_t common_prefix(const std::vector<std::int64_t>& ids) const;
  // Records tokens whose keys/values the model has just written at [length, length + n).
  void append_tokens(const std::int64_t* ids, std::int64_t n);

  // Scratch of the decode step, allocated once (one row each).
  struct DecodeBuffers {
    at::Tensor qkv, attn, o, gate_up, act, down, logits;
    at::Tensor normed, q;  // fused kernels: a normalised row, the rotated queries
  };
  DecodeBuffers& decode_buffers() { return buffers_; }

  // The fixed-shape decode step bound to these buffers (and its CUDA graphs), made by the model.
  FixedDecoder* fixed_decoder() { return fixed_.get(); }
  void set_fixed_decoder(std::unique_ptr<FixedDecoder> decoder);

 private:
  std::int64_t capacity_;
  c10::ScalarType dtype_;
  c10::Device device_;
  std::vector<at::Tensor> keys_, values_;
  std::vector<std::int64_t> tokens_;
  DecodeBuffers buffers_;
  std::unique_ptr<FixedDecoder> fixed_;
};

}  // namespace seedcanvas::llm
