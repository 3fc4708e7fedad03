// Host side of the decode kernels that needs no CUDA compiler: the GEMV switch, and stand-ins
// for builds without the kernels (callers check kernels::built() / gemv_applies()).
#include "llm/decode_kernels.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace seedcanvas::llm::kernels {

namespace {
std::atomic<bool> gemv_on{[] {
  const char* env = std::getenv("SEEDCANVAS_DECODE_GEMV");
  return !(env && std::strcmp(env, "0") == 0);
}()};
std::atomic<int> gemv_kernel{[] {
  const char* env = std::getenv("SEEDCANVAS_DECODE_GEMV_VARIANT");
  return env && std::strcmp(env, "0") == 0 ? 0 : 1;
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

}  // namespace seedcanvas::llm::kernels

#if !defined(SEEDCANVAS_WITH_CUDA_KERNELS)

namespace seedcanvas::llm::kernels {

bool built() { return false; }

namespace {
[[noreturn]] void missing() { throw_error(ErrorKind::Unsupported, "this build has no CUDA decode kernels"); }
}  // namespace

void rms_norm(at::Tensor&, at::Tensor&, const at::Tensor*, const at::Tensor&, double) { missing(); }
void rope_and_cache(const at::Tensor&, const at::Tensor&, const at::Tensor&, const at::Tensor&, std::int64_t,
                    std::int64_t, at::Tensor&, at::Tensor&, at::Tensor&) {
  missing();
}
void silu_mul(at::Tensor&, const at::Tensor&) { missing(); }

}  // namespace seedcanvas::llm::kernels

#endif
