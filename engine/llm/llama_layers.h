// The decoder blocks of transformers 4.33 models/llama/modeling_llama.py: LlamaRMSNorm,
// LlamaAttention, LlamaMLP, LlamaDecoderLayer. Parameters carry the HF attribute names.
// Activations are [T, hidden] rows of one sequence (batch 1); T == 1 is the decode step,
// which runs on GEMV into the session's preallocated buffers.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

#include "llm/llama_config.h"
#include "llm/kv_cache.h"
#include "llm/rope.h"
#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::llm {

// out = x @ w^T, out: [T, N], x: [T, K], w: [N, K]. One row (a decode step) streams the weight
// through a GEMV: fp32 on the CPU through the engine's own (llm/gemv_cpu.h) or BLAS mv, bf16 on
// CUDA through the engine's kernel (llm/decode_kernels.h). bf16 on the CPU stays on GEMM:
// LibTorch 1.13's bf16 mv loses precision on some shapes (e.g. 64x64). Everything else is GEMM.
void project(at::Tensor& out, const at::Tensor& x, const at::Tensor& w);

class LlamaRMSNorm : public nn::Module {
 public:
  LlamaRMSNorm(std::int64_t hidden_size, double eps);
  // Variance in fp32, normalised value cast back to the input dtype, then times weight (as HF).
  at::Tensor forward(const at::Tensor& x) const;
  at::Tensor weight;  // [hidden]
  double variance_epsilon;
};

// Optional folds of the fused decode step (llm/decode_kernels.h), each switchable so that a GPU
// run can measure it alone: the RMSNorms into the projections reading them (norm), the skip adds
// into the projections producing them (residual), the SwiGLU gate into down_proj (swiglu), and
// attention as one kernel over the cache rows up to the position (attention).
struct DecodeFolds {
  bool norm = false, residual = false, swiglu = false, attention = false;
  static DecodeFolds all() { return {true, true, true, true}; }
  // "all" or "1", "none" or "0" or "", else a comma list of the names above; throws Error(Config).
  static DecodeFolds parse(const std::string& list);
  std::string name() const;  // "none", "all" or the comma list
  bool any() const { return norm || residual || swiglu || attention; }
  bool operator==(const DecodeFolds& o) const {
    return norm == o.norm && residual == o.residual && swiglu == o.swiglu && attention == o.attention;
  }
};

// The residual stream of a fused decode step and a skip add still to apply: without the
// residual fold the projection output waits in its buffer and the next RMSNorm kernel adds it.
struct ResidualStream {
  at::Tensor& x;
  const at::Tensor* pending = nullptr;
};

// Everything a layer needs about where this forward sits in the sequence.
struct LayerStep {
  std::int64_t past = 0;       // tokens already in the cache
  const RopeRows* rope = nullptr;
  const at::Tensor* mask = nullptr;  // additive mask [T, keys] (undefined: every key is visible)
  KvCache::DecodeBuffers* buffers = nullptr;  // set for T == 1
  // Fixed-shape decode step (CUDA graphs replay it with new values, so nothing may depend on
  // host integers): the position is read from this device tensor ([1], long) and attention
  // covers the first `window` cache rows, the rows past the position masked out.
  const at::Tensor* position = nullptr;
  std::int64_t window = 0;
  // Fused fixed step (LlamaDecoderLayer::forward_fused) only: RoPE + cache write read the whole
  // table at *position, and the folds it may use.
  const RopeRows* rope_table = nullptr;
  DecodeFolds folds;
};

// Fused decode step pieces, each folded when step.folds asks and the kernel serves the tensors:
// out = w @ norm(x) (settling any pending skip add first), and x += w @ input (input: a row, or
// the SwiGLU of gate_up [1, 2I] when `swiglu`; `act` takes the gate unfolded, `scratch` the
// product when the add stays pending).
void norm_project(at::Tensor& out, ResidualStream& stream, const LlamaRMSNorm& norm, const at::Tensor& w,
                  at::Tensor& normed, const DecodeFolds& folds);
void add_projection(ResidualStream& stream, const at::Tensor& input, bool swiglu, const at::Tensor& w, at::Tensor& act,
                    at::Tensor& scratch, const DecodeFolds& folds);

class LlamaAttention : public nn::Module {
 public:
  explicit LlamaAttention(const LlamaConfig& config);
  // h: [T, hidden] normalised input; writes this step's keys/values into `key`/`value`
  // ([n_kv, capacity, head_dim]) at [past, past + T); returns o_proj output [T, hidden].
  at::Tensor forward(const at::Tensor& h, at::Tensor& key, at::Tensor& value, const LayerStep& step) const;
  // Attention of rotated queries q [T, nh, hd] over the cache (keys already written); returns
  // the heads side by side, [T, nh * hd], as o_proj reads them.
  at::Tensor attend(const at::Tensor& q, const at::Tensor& key, const at::Tensor& value, const LayerStep& step) const;
  // Rebuilds qkv_weight from q/k/v_proj and makes those views into it (no extra memory).
  void fuse();

  nn::Linear q_proj, k_proj, v_proj, o_proj;
  at::Tensor qkv_weight;  // [(n_heads + 2 n_kv) * head_dim, hidden]
  std::int64_t num_heads, num_key_value_heads, head_dim;
};

class LlamaMLP : public nn::Module {
 public:
  explicit LlamaMLP(const LlamaConfig& config);
  // down_proj(silu(gate_proj(h)) * up_proj(h)); [T, hidden] -> [T, hidden]
  at::Tensor forward(const at::Tensor& h, const LayerStep& step) const;
  void fuse();

  nn::Linear gate_proj, up_proj, down_proj;
  at::Tensor gate_up_weight;  // [2 * intermediate, hidden]
  std::int64_t intermediate_size;
};

class LlamaDecoderLayer : public nn::Module {
 public:
  explicit LlamaDecoderLayer(const LlamaConfig& config);
  // x: [T, hidden] residual stream, updated in place for T == 1; returns the new stream.
  at::Tensor forward(at::Tensor x, at::Tensor& key, at::Tensor& value, const LayerStep& step) const;
  // The fused fixed step (CUDA decode kernels, T == 1) with the folds in step.folds; a skip add
  // may be left pending in `stream` for the next layer (or the final norm) to apply.
  void forward_fused(ResidualStream& stream, at::Tensor& key, at::Tensor& value, const LayerStep& step) const;

  LlamaAttention self_attn;
  LlamaMLP mlp;
  LlamaRMSNorm input_layernorm, post_attention_layernorm;
};

}  // namespace seedcanvas::llm
