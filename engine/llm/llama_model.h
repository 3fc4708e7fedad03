// LlamaModel and LlamaForCausalLM of transformers 4.33 models/llama/modeling_llama.py, loaded
// strictly from HF checkpoints (parameter names = checkpoint keys). The model is read-only
// after loading; every forward runs against a session's KvCache.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "llm/gemv_tuning.h"
#include "llm/kv_cache.h"
#include "llm/llama_config.h"
#include "llm/llama_layers.h"
#include "llm/rope.h"
#include "nn/layers.h"
#include "nn/module.h"

namespace seedcanvas::llm {

class LlamaModel : public nn::Module {
 public:
  explicit LlamaModel(const LlamaConfig& config);
  nn::Embedding embed_tokens;
  std::vector<std::unique_ptr<LlamaDecoderLayer>> layers;  // registered as layers.N
  LlamaRMSNorm norm;
};

struct LlamaLoadOptions {
  c10::Device device = c10::kCPU;
  c10::ScalarType dtype = c10::ScalarType::Float;  // compute and weight dtype (fp32 or bf16 on CPU)
  int threads = 0;  // > 0: LibTorch intra-op threads (process-wide; LibTorch may start with 1)
  std::function<bool(std::size_t, std::size_t)> progress;  // (done, total); false cancels
  // Where the projection kernels chosen for this GPU are kept between runs (gemv_tuning.h);
  // empty: timed at every load and kept for the process only.
  std::filesystem::path gemv_choices;
};

// What a forward returns besides updating the cache.
struct ForwardOutput {
  at::Tensor logits;                       // fp32, [T, vocab] (all_logits) or [1, vocab] (last position)
  std::vector<at::Tensor> hidden_states;   // when requested: HF's hidden_states tuple, each [T, hidden]
};

// How one-token decode steps run. Eager: ATen ops as upstream orders them (the CPU default);
// Fused: the fused decode kernels (llm/decode_kernels.h) over exactly the cached keys; Fixed:
// FixedDecoder's fixed-shape step run as is; Graphs: that step recorded once per attention
// window as a CUDA graph and replayed (the CUDA default).
enum class DecodeMode { Eager, Fused, Fixed, Graphs };

class LlamaForCausalLM : public nn::Module {
 public:
  explicit LlamaForCausalLM(const LlamaConfig& config);

  // Reads config.json and the weights (safetensors, .bin, shards) from a folder; `weights`
  // may name one weight file inside or elsewhere. Throws seedcanvas::Error naming the file.
  static std::unique_ptr<LlamaForCausalLM> load(const std::filesystem::path& dir, const LlamaLoadOptions& options = {},
                                                const std::filesystem::path& weights = {});
  // A model of `config` with random weights (HF _init_weights: normal(0, std); norms 1), for benchmarks.
  // On CUDA the values are drawn on the device (seeded through the global generator).
  static std::unique_ptr<LlamaForCausalLM> random(const LlamaConfig& config, c10::ScalarType dtype, double std,
                                                  std::uint64_t seed, c10::Device device = c10::kCPU);

  // Runs `ids` at positions cache.length() .. + T and appends their keys/values to `cache`.
  at::Tensor forward(const std::vector<std::int64_t>& ids, KvCache& cache, bool all_logits = false) const;
  ForwardOutput forward_full(const std::vector<std::int64_t>& ids, KvCache& cache, bool all_logits,
                             bool hidden_states) const;
  // The decode step with fixed shapes (LayerStep::position): `token` and `position` are [1] long
  // device tensors, keys [0, window) are attended (the rows past `position` masked), logits go
  // into `logits` ([1, vocab] fp32). Writes the cache rows but does not record the token.
  // `mask_tail` false: the caller knows window == position + 1 (no rows to mask).
  void forward_fixed(const at::Tensor& token, const at::Tensor& position, std::int64_t window, KvCache& cache,
                     at::Tensor& logits, bool mask_tail = true) const;
  // Default: Graphs on CUDA (unless SEEDCANVAS_CUDA_GRAPHS=0), Eager on the CPU.
  void set_decode_mode(DecodeMode mode) { decode_mode_ = mode; }
  DecodeMode decode_mode() const { return decode_mode_; }
  // Fused/Fixed/Graphs steps use llm/decode_kernels.h where it serves the model's device and
  // dtype (default; SEEDCANVAS_DECODE_KERNELS=0 turns them off: ATen ops instead).
  void set_decode_kernels(bool on) { decode_kernels_ = on; }
  bool decode_kernels() const { return decode_kernels_; }
  // Which folds those steps use (llama_layers.h DecodeFolds; default none, or the list in
  // SEEDCANVAS_DECODE_FOLDS). Each applies where its kernel serves the tensors (on CUDA: bf16).
  void set_decode_folds(const DecodeFolds& folds) { decode_folds_ = folds; }
  const DecodeFolds& decode_folds() const { return decode_folds_; }
  // Positions whose RoPE rows are precomputed (the fixed step serves those only).
  std::int64_t rope_table_length() const;

  // A cache sized for this model's dtype/device; capacity 0 = max_position_embeddings.
  KvCache new_cache(std::int64_t capacity = 0) const;

  // Builds the fused QKV and gate/up matrices and the RoPE table once the weights, dtype and
  // device are set (load and random do it), then tunes the projections.
  void fuse();
  // On CUDA bf16 with the GEMV kernels: times each one-row projection kernel on every weight
  // class (gemv_tuning.h) and records the choices kernels::gemv reads. fuse() calls it unless a
  // kernel is forced (SEEDCANVAS_DECODE_GEMV_VARIANT) or SEEDCANVAS_DECODE_GEMV_TUNE=0; about
  // 0.1 s for the 8B model on an H100. Returns (and keeps) the measurements; empty elsewhere.
  // With a choices file (LlamaLoadOptions::gemv_choices), shapes it holds for this GPU and engine
  // version take the kept kernel without timing, and newly timed ones are added to it.
  const std::vector<GemvTuning>& tune_projections();
  void set_gemv_choices_file(std::filesystem::path file) { gemv_choices_file_ = std::move(file); }
  const std::vector<GemvTuning>& projection_tuning() const { return tuning_; }
  // The weights one decode step projects with, by class (qkv, o_proj, gate_up, down_proj: one per
  // layer; lm_head), in the order a step reads them.
  using WeightClass = std::pair<std::string, std::vector<const at::Tensor*>>;
  std::vector<WeightClass> projection_classes() const;

  const LlamaConfig& config() const { return config_; }
  c10::ScalarType dtype() const { return dtype_; }
  c10::Device device() const { return device_; }
  // Bytes of the weights one decode step reads (everything but the embedding table).
  std::uint64_t decode_weight_bytes() const;
  const at::Tensor& output_weight() const;  // lm_head.weight, or the embedding when tied

  LlamaModel model;
  nn::Linear lm_head;  // registered only when the embeddings are not tied

 private:
  LlamaConfig config_;
  LlamaRotaryEmbedding rotary_emb_;
  c10::ScalarType dtype_ = c10::ScalarType::Float;
  c10::Device device_ = c10::kCPU;
  DecodeMode decode_mode_ = DecodeMode::Eager;
  bool decode_kernels_ = false;
  DecodeFolds decode_folds_;
  std::vector<GemvTuning> tuning_;
  std::filesystem::path gemv_choices_file_;
};

}  // namespace seedcanvas::llm
