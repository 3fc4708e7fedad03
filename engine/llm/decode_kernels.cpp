// Host side of the decode kernels: dispatch by device, the GEMV switches, and stand-ins for
// builds without a CUDA compiler (callers check kernels::supports() / gemv_applies()).
#include "llm/decode_kernels.h"

#include <ATen/ATen.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.h"
#include "llm/decode_kernels_cpu.h"
#include "llm/gemv_tuning.h"
#include "llm/cuda/decode_kernels_gpu.h"

namespace seedcanvas::llm::kernels {

namespace {
std::atomic<bool> gemv_on{[] {
  const char* env = std::getenv("SEEDCANVAS_DECODE_GEMV");
  return !(env && std::strcmp(env, "0") == 0);
}()};
std::atomic<int> gemv_kernel{[] {
  const char* env = std::getenv("SEEDCANVAS_DECODE_GEMV_VARIANT");
  for (int k = 0; env && k < kGemvKernels; ++k)
    if (std::strcmp(env, std::to_string(k).c_str()) == 0) return k;
  return static_cast<int>(GemvKernel::Auto);
}()};
std::atomic<int> fold_rows{0};
std::atomic<int> fold_warps_per_row{1};
}  // namespace

void set_fold_split(int warps_per_row) { fold_warps_per_row = warps_per_row; }
int fold_split() { return fold_warps_per_row; }

void set_fold_rows_per_warp(int rows) { fold_rows = rows; }
int fold_rows_per_warp() { return fold_rows; }
void set_gemv_variant(GemvKernel kernel) { gemv_kernel = static_cast<int>(kernel); }
GemvKernel gemv_variant() { return static_cast<GemvKernel>(gemv_kernel.load()); }

const char* gemv_kernel_name(GemvKernel kernel) {
  switch (kernel) {
    case GemvKernel::Auto: return "auto";
    case GemvKernel::Staged: return "staged";
    case GemvKernel::Rows2: return "rows2";
    case GemvKernel::Batched: return "batched";
    case GemvKernel::Split2: return "split2";
    case GemvKernel::Cublas: return "cublas";
  }
  return "?";
}

GemvKernel gemv_kernel_for(std::int64_t rows, std::int64_t k) {
  if (const auto forced = gemv_variant(); forced != GemvKernel::Auto) return forced;
  const auto chosen = recorded_gemv_choice(rows, k);
  return chosen == GemvKernel::Auto ? GemvKernel::Staged : chosen;
}

std::string device_name(c10::Device device) {
#if defined(SEEDCANVAS_WITH_CUDA_GEMV)
  if (device.is_cuda()) return gpu::device_name(device.has_index() ? device.index() : -1);
#endif
  (void)device;
  return {};
}

void gemv(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, GemvKernel kernel) {
  if (kernel == GemvKernel::Auto) kernel = gemv_kernel_for(w.size(0), w.size(1));  // may be cuBLAS
  if (kernel == GemvKernel::Cublas) {
    auto row = out.view({1, w.size(0)});
    at::mm_out(row, x, w.t());
    return;
  }
#if defined(SEEDCANVAS_WITH_CUDA_GEMV)
  gpu::gemv(out, x, w, kernel);
#else
  throw_error(ErrorKind::Unsupported, "this build has no CUDA GEMV kernel");
#endif
}
void set_gemv_enabled(bool on) { gemv_on = on; }
bool gemv_enabled() {
#if defined(SEEDCANVAS_WITH_CUDA_GEMV)
  return gemv_on;
#else
  return false;
#endif
}

#if !defined(SEEDCANVAS_WITH_CUDA_GEMV)
bool gemv_applies(const at::Tensor&, const at::Tensor&, const at::Tensor&) { return false; }
namespace gpu {
bool folded_applies(const at::Tensor&, const FoldedInput&, const at::Tensor&) { return false; }
void gemv_folded(at::Tensor&, const FoldedInput&, const at::Tensor&, bool) {
  throw_error(ErrorKind::Unsupported, "this build has no CUDA GEMV kernel");
}
}  // namespace gpu
#endif


#if defined(SEEDCANVAS_WITH_CUDA_KERNELS)
bool built() { return true; }
#define SEEDCANVAS_GPU(call) gpu::call
#else
bool built() { return false; }
#define SEEDCANVAS_GPU(call) throw_error(ErrorKind::Unsupported, "this build has no CUDA decode kernels")
#endif

bool supports(c10::Device device, c10::ScalarType dtype) {
  if (device.is_cpu()) return dtype == at::kFloat || dtype == at::kBFloat16;
  return device.is_cuda() && built();
}

void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps) {
  if (x.is_cpu()) return cpu::rms_norm(out, x, residual, weight, eps);
  SEEDCANVAS_GPU(rms_norm(out, x, residual, weight, eps));
}

void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value) {
  if (qkv.is_cpu())
    return cpu::rope_and_cache(qkv, cos_table, sin_table, position, num_heads, num_kv_heads, q_out, key, value);
  SEEDCANVAS_GPU(rope_and_cache(qkv, cos_table, sin_table, position, num_heads, num_kv_heads, q_out, key, value));
}

void silu_mul(at::Tensor& out, const at::Tensor& gate_up) {
  if (out.is_cpu()) return cpu::silu_mul(out, gate_up);
  SEEDCANVAS_GPU(silu_mul(out, gate_up));
}

namespace {

bool cpu_dtype(const at::Tensor& t) { return t.scalar_type() == at::kFloat || t.scalar_type() == at::kBFloat16; }

}  // namespace

bool folded_applies(const at::Tensor& out, const FoldedInput& in, const at::Tensor& w) {
  if (!in.x || !in.x->defined() || (in.op == FoldedInput::Op::RmsNorm && !in.norm_weight)) return false;
  if (!out.is_cpu()) return gemv_enabled() && gpu::folded_applies(out, in, w);
  const std::int64_t k = in.op == FoldedInput::Op::SwiGlu ? in.x->size(-1) / 2 : in.x->size(-1);
  return in.x->is_cpu() && w.is_cpu() && cpu_dtype(out) && in.x->scalar_type() == out.scalar_type() &&
         w.scalar_type() == out.scalar_type() && in.x->dim() == 2 && in.x->size(0) == 1 && w.dim() == 2 &&
         w.size(1) == k && out.numel() == w.size(0) && out.is_contiguous() && in.x->is_contiguous();
}

void gemv_folded(at::Tensor& out, const FoldedInput& in, const at::Tensor& w, bool accumulate) {
  if (out.is_cpu()) return cpu::gemv_folded(out, in, w, accumulate);
  gpu::gemv_folded(out, in, w, accumulate);
}

bool attention_applies(const at::Tensor& q, const at::Tensor& key, std::int64_t num_heads, std::int64_t window) {
  if (key.dim() != 3 || num_heads % key.size(0) != 0 || q.numel() != num_heads * key.size(2)) return false;
  // Both implementations index q and the cache rows as dense arrays (and refuse other layouts).
  if (!q.is_contiguous() || !key.is_contiguous()) return false;
  // The limits of the CUDA kernel's shared memory hold on the CPU too, so both take the same path.
  const std::int64_t groups = num_heads / key.size(0), head_dim = key.size(2);
  if (window < 1 || window > kAttentionMaxWindow || window > key.size(1) || groups > kAttentionMaxGroups ||
      groups * head_dim > kAttentionMaxGroupDims || head_dim > kAttentionMaxHeadDim)
    return false;
  if (q.is_cpu()) return cpu_dtype(q) || q.scalar_type() == at::kHalf;
#if defined(SEEDCANVAS_WITH_CUDA_KERNELS)
  return q.is_cuda() && gpu::attention_applies(q, key, num_heads, window);
#else
  return false;
#endif
}

void decode_attention(at::Tensor& out, const at::Tensor& q, const at::Tensor& key, const at::Tensor& value,
                      const at::Tensor& position, std::int64_t window) {
  if (q.is_cpu()) return cpu::decode_attention(out, q, key, value, position, window);
  SEEDCANVAS_GPU(decode_attention(out, q, key, value, position, window));
}

}  // namespace seedcanvas::llm::kernels
