// Fused kernels for the one-token decode step: C++ loops on the CPU (decode_kernels_cpu.cpp),
// CUDA kernels (cuda/*.cu) when the build has a CUDA compiler. Each keeps the rounding points of
// the ATen ops it replaces (HF 4.33 order), so the step gives the same numbers with a fraction
// of the op dispatches / kernel launches. Rows are contiguous; CUDA work runs on the current stream.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace seedcanvas::llm::kernels {

// True when this build carries the CUDA kernels.
bool built();
// Whether the kernels below serve tensors of this device and dtype (CPU: fp32 and bf16; CUDA:
// when built).
bool supports(c10::Device device, c10::ScalarType dtype);

// LlamaRMSNorm on each row of x [T, H]: out = weight * to_dtype(x_f32 * rsqrt(mean(x_f32^2) + eps)).
// With `residual`, first x += residual (in x's dtype, written back to x) as the layer's skip add.
void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps);

// From one qkv row [1, (nh + 2 nkv) * hd]: q and k rotated (x*cos + rotate_half(x)*sin, each
// product rounded) with the RoPE table rows [L, 1, hd] at *position; q into q_out [1, nh * hd],
// k and v into the cache rows `position` of key/value [nkv, capacity, hd].
void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value);

// SwiGLU gate: out [T, I] = to_dtype(silu(gate)) * up, from gate_up [T, 2I] = [gate | up].
void silu_mul(at::Tensor& out, const at::Tensor& gate_up);

// The input row of a folded projection: the op that would otherwise run as its own kernel
// before the projection, computed while the projection stages its input row.
struct FoldedInput {
  enum class Op { Row, RmsNorm, SwiGlu };
  Op op = Op::Row;
  const at::Tensor* x = nullptr;            // Row: [1, K]; RmsNorm: the residual stream [1, K]; SwiGlu: gate_up [1, 2K]
  const at::Tensor* norm_weight = nullptr;  // RmsNorm: [K]
  double eps = 0.0;
};

// out [1, N] = input @ w^T (w [N, K]), the input built as rms_norm / silu_mul above build it.
// With `accumulate`, out += that product (rounded to out's dtype first, then the add rounded:
// the skip connection's x.add_(o)); out must not alias the input. CPU: the unfolded ops in
// sequence (a twin for tests); CUDA: one kernel, bf16 only (folded_applies says whether it serves).
bool folded_applies(const at::Tensor& out, const FoldedInput& in, const at::Tensor& w);
void gemv_folded(at::Tensor& out, const FoldedInput& in, const at::Tensor& w, bool accumulate);
// Launch shape of the CUDA folded kernel (benchmarks sweep it): output rows per warp, 0 (default)
// picks 1-4 from the row count and the GPU's multiprocessors (more rows per block, fewer rebuilt
// inputs), 1-4 force it; warps sharing one row, 1 (default), 2, 4 or 8.
void set_fold_rows_per_warp(int rows);
int fold_rows_per_warp();
void set_fold_split(int warps_per_row);
int fold_split();

// Attention of the query row q [1, nh * hd] over cache rows [0, *position] of key/value
// [nkv, rows, hd] (query head h reads kv head h / (nh / nkv), HF repeat_kv), into out [1, nh * hd]
// (heads side by side, as o_proj reads them), rounded where HF 4.33 rounds: q.k^T and its
// division by sqrt(hd) in the activation dtype, softmax in fp32 cast back, probabilities @ v.
// One CUDA block per kv head holds the scores of the whole window, so it serves windows of at
// most kAttentionMaxWindow rows (the short contexts of most requests; longer ones use SDPA);
// rows past *position are never read, so a CUDA graph replays it for any position in the window.
constexpr std::int64_t kAttentionMaxWindow = 512;
constexpr std::int64_t kAttentionMaxGroups = 4;       // query heads per kv head
constexpr std::int64_t kAttentionMaxGroupDims = 512;  // query heads per kv head x head_dim
constexpr std::int64_t kAttentionMaxHeadDim = 256;
// Warps of that block; warp w sums the weighted value rows t = w (mod kAttentionWarps) in fp32,
// and the CPU twin groups its sums the same way.
constexpr std::int64_t kAttentionWarps = 16;
bool attention_applies(const at::Tensor& q, const at::Tensor& key, std::int64_t num_heads, std::int64_t window);
void decode_attention(at::Tensor& out, const at::Tensor& q, const at::Tensor& key, const at::Tensor& value,
                      const at::Tensor& position, std::int64_t window);

// One-row bf16 projection out [1, N] = x [1, K] @ w^T (w [N, K]), fp32 accumulation rounded once
// as cuBLAS does; streams the weight with 16-byte loads (cuBLAS's M = 1 kernels fall short of
// the memory bandwidth on some shapes). gemv_applies() says whether shapes, dtype and alignment
// suit it. The kernels, by number (SEEDCANVAS_DECODE_GEMV_VARIANT forces one):
enum class GemvKernel : int {
  Auto = -1,    // the choice tune_gemv recorded for this shape, else Staged
  Staged = 0,   // the input row staged in shared memory, one row per warp
  Rows2 = 1,    // the input read through L1, two rows per warp
  Batched = 2,  // Staged with the first weight loads issued before the staging, batches of 8
  Split2 = 3,   // Batched with two warps per row (halves of K)
  Cublas = 4,   // at::mm (cuBLAS)
};
constexpr int kGemvKernels = 5;
const char* gemv_kernel_name(GemvKernel kernel);
bool gemv_applies(const at::Tensor& out, const at::Tensor& x, const at::Tensor& w);
// Auto: the kernel gemv_kernel_for() names for w's shape.
void gemv(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, GemvKernel kernel = GemvKernel::Auto);
// Process-wide switch (on when built; SEEDCANVAS_DECODE_GEMV=0 or benchmarks turn it off).
void set_gemv_enabled(bool on);
bool gemv_enabled();
// A kernel forced for every shape (benchmarks, checks), or Auto (default): per shape, the
// choice tune_gemv (llm/gemv_tuning.h) recorded, else Staged.
void set_gemv_variant(GemvKernel kernel);
GemvKernel gemv_variant();
GemvKernel gemv_kernel_for(std::int64_t rows, std::int64_t k);
// The GPU's name and compute capability ("NVIDIA H100 80GB HBM3 sm_90"); empty without CUDA kernels.
std::string device_name(c10::Device device);

}  // namespace seedcanvas::llm::kernels
