// bf16 helpers shared by the GEMV kernels: 16-byte vectors of 8 bf16 values (uint4), exact
// bf16 -> fp32 widening (a 16-bit shift) and fp32 -> bf16 rounding as c10::BFloat16 does it.
#pragma once

#include <cstdint>

namespace seedcanvas::llm::kernels::bf16 {

__device__ __forceinline__ float lo(std::uint32_t word) { return __uint_as_float(word << 16); }  // first in memory
__device__ __forceinline__ float hi(std::uint32_t word) { return __uint_as_float(word & 0xffff0000u); }
__device__ __forceinline__ float widen(std::uint16_t bits) { return __uint_as_float(static_cast<std::uint32_t>(bits) << 16); }

// fp32 -> bf16, round to nearest even (NaN kept quiet).
__device__ __forceinline__ std::uint16_t round(float v) {
  const std::uint32_t bits = __float_as_uint(v);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return 0x7fc0;
  return static_cast<std::uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

__device__ __forceinline__ std::uint32_t pack(float first, float second) {
  return static_cast<std::uint32_t>(round(first)) | (static_cast<std::uint32_t>(round(second)) << 16);
}

// Dot product of two vectors of 8 bf16 values, fp32 accumulation in memory order.
__device__ __forceinline__ float dot8(const uint4 w, const uint4 x) {
  const std::uint32_t wv[4] = {w.x, w.y, w.z, w.w}, xv[4] = {x.x, x.y, x.z, x.w};
  float s = 0.f;
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    s = fmaf(lo(wv[i]), lo(xv[i]), s);
    s = fmaf(hi(wv[i]), hi(xv[i]), s);
  }
  return s;
}

// Applies f(first, second) -> packed word to each 32-bit word of a vector (and of a second one).
template <typename F>
__device__ __forceinline__ uint4 map_words(const uint4 a, const uint4 b, F f) {
  return make_uint4(f(a.x, b.x), f(a.y, b.y), f(a.z, b.z), f(a.w, b.w));
}

}  // namespace seedcanvas::llm::kernels::bf16
