// The kernels' stand-in for builds without a CUDA compiler: callers check kernels::built().
#include "llm/decode_kernels.h"

#if !defined(SEEDCANVAS_WITH_CUDA_KERNELS)

#include "core/error.h"

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
