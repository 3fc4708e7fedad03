#include "llm/gemv_cpu.h"

#include <ATen/Config.h>
#include <ATen/Parallel.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define SEEDCANVAS_CPU_GEMV_X86 1
#endif

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace seedcanvas::llm::cpu_gemv {
namespace {

std::atomic<bool> g_enabled{[] {
  const char* env = std::getenv("SEEDCANVAS_CPU_GEMV");
  return !(env && std::strcmp(env, "0") == 0);
}()};

bool cpu_has_avx2_fma() {
#if defined(SEEDCANVAS_CPU_GEMV_X86) && defined(_OPENMP) && AT_PARALLEL_OPENMP
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;  // at::parallel_for would run this file's loops on one thread: BLAS is faster
#endif
}

#if defined(SEEDCANVAS_CPU_GEMV_X86)
__attribute__((target("avx2,fma"))) float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_hadd_ps(s, s);
  s = _mm_hadd_ps(s, s);
  return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) float dot(const float* w, const float* x, std::int64_t k_total) {
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
  std::int64_t k = 0;
  for (; k + 32 <= k_total; k += 32) {
    a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k), _mm256_loadu_ps(x + k), a0);
    a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k + 8), _mm256_loadu_ps(x + k + 8), a1);
    a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k + 16), _mm256_loadu_ps(x + k + 16), a2);
    a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k + 24), _mm256_loadu_ps(x + k + 24), a3);
  }
  for (; k + 8 <= k_total; k += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + k), _mm256_loadu_ps(x + k), a0);
  float sum = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  for (; k < k_total; ++k) sum += w[k] * x[k];
  return sum;
}

#endif

// Rows per task: enough work per thread hand-off, several tasks per thread for balance.
constexpr std::int64_t kGrainRows = 64;

}  // namespace

void set_enabled(bool on) { g_enabled = on; }
bool enabled() { return g_enabled && cpu_has_avx2_fma(); }

bool applies(const at::Tensor& out, const at::Tensor& x, const at::Tensor& w) {
  return enabled() && x.is_cpu() && w.is_cpu() && out.is_cpu() && w.scalar_type() == at::kFloat &&
         x.scalar_type() == at::kFloat && out.scalar_type() == at::kFloat && x.dim() == 2 && x.size(0) == 1 && w.dim() == 2 &&
         x.size(1) == w.size(1) && out.numel() == w.size(0) && x.is_contiguous() && w.is_contiguous() &&
         out.is_contiguous();
}

void run(at::Tensor& out, const at::Tensor& x, const at::Tensor& w) {
  const std::int64_t rows = w.size(0), k = w.size(1);
  const float* wp = w.data_ptr<float>();
  const float* xp = x.data_ptr<float>();
  float* op = out.data_ptr<float>();
#if defined(SEEDCANVAS_CPU_GEMV_X86)
  at::parallel_for(0, rows, kGrainRows, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) op[r] = dot(wp + r * k, xp, k);
  });
#else
  (void)rows, (void)k, (void)wp, (void)xp, (void)op;  // applies() is false here
#endif
}

}  // namespace seedcanvas::llm::cpu_gemv
