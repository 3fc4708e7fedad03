// Host side of the decode kernels: dispatch by device, the GEMV switches, and stand-ins for
// builds without a CUDA compiler (callers check kernels::supports() / gemv_applies()).
#include "llm/decode_kernels.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "llm/decode_kernels_cpu.h"
#if defined(SEEDCANVAS_WITH_CUDA_KERNELS)
#include "llm/cuda/decode_kernels_gpu.h"
#endif

namespace seedcanvas::llm::kernels {

namespace {
std::atomic<bool> gemv_on{[] {
  const char* env = std::getenv("SEEDCANVAS_DECODE_GEMV");
  return !(env && std::strcmp(env, "0") == 0);
}()};
std::atomic<int> gemv_kernel{[] {
  const char* env = std::getenv("SEEDCANVAS_DECODE_GEMV_VARIANT");
  return env && std::strcmp(env, "1") == 0 ? 1 : 0;
}()};
}  // namespace

void set_gemv_variant(int variant) { gemv_kernel = variant; }
int gemv_variant() { return gemv_kernel; }
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
void gemv(at::Tensor&, const at::Tensor&, const at::Tensor&) {
  throw_error(ErrorKind::Unsupported, "this build has no CUDA GEMV kernel");
}
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

}  // namespace seedcanvas::llm::kernels
