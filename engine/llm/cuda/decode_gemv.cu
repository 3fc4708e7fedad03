// CUDA side of kernels::gemv (llm/decode_kernels.h): one warp per output row, the input row
// staged in shared memory per block, the weight streamed in 16-byte vectors of 8 bf16 values.
// Several kernels, because which one streams fastest depends on the matrix shape and the card
// (kernels::tune_gemv times them on the loaded weights).
#include "llm/cuda/decode_kernels_gpu.h"

#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "llm/cuda/bf16_vec.cuh"

namespace seedcanvas::llm::kernels {
namespace {

constexpr int kWarps = 8;  // rows per block
constexpr int kMaxK = 16384;  // shared-memory row: 32 KiB of bf16

using bf16::dot8;

__device__ __forceinline__ std::uint16_t to_bf16(float v) { return bf16::round(v); }

// Variant 0: one row per warp, the input row staged in shared memory once per block.
__global__ void gemv_bf16_kernel(const uint4* __restrict__ w, const uint4* __restrict__ x, std::uint16_t* out,
                                 int rows, int k_vectors) {
  __shared__ uint4 xs[kMaxK / 8];
  for (int i = threadIdx.x; i < k_vectors; i += blockDim.x) xs[i] = x[i];
  __syncthreads();
  const int row = blockIdx.x * kWarps + threadIdx.x / 32, lane = threadIdx.x % 32;
  if (row >= rows) return;
  const uint4* wr = w + static_cast<long long>(row) * k_vectors;
  float acc = 0.f;
#pragma unroll 8
  for (int i = lane; i < k_vectors; i += 32) acc += dot8(__ldg(wr + i), xs[i]);
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
  if (lane == 0) out[row] = to_bf16(acc);
}

// Variant 1: two rows per warp, the input read straight from global memory (cached in L1 and
// shared by every warp of the SM), so a block issues weight loads from its first instruction.
constexpr int kRowsPerWarp = 2;

__global__ void gemv_bf16_rows2_kernel(const uint4* __restrict__ w, const uint4* __restrict__ x, std::uint16_t* out,
                                       int rows, int k_vectors) {
  const int row = (blockIdx.x * kWarps + threadIdx.x / 32) * kRowsPerWarp, lane = threadIdx.x % 32;
  if (row >= rows) return;
  const bool second = row + 1 < rows;
  const uint4* w0 = w + static_cast<long long>(row) * k_vectors;
  const uint4* w1 = second ? w0 + k_vectors : w0;
  float acc0 = 0.f, acc1 = 0.f;
#pragma unroll 4
  for (int i = lane; i < k_vectors; i += 32) {
    const uint4 xv = __ldg(x + i);
    acc0 += dot8(__ldg(w0 + i), xv);
    acc1 += dot8(__ldg(w1 + i), xv);
  }
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) {
    acc0 += __shfl_xor_sync(0xffffffffu, acc0, o);
    acc1 += __shfl_xor_sync(0xffffffffu, acc1, o);
  }
  if (lane == 0) {
    out[row] = to_bf16(acc0);
    if (second) out[row + 1] = to_bf16(acc1);
  }
}

// Variants 2 and 3: variant 0 with each lane's first kBatch weight loads issued before the input
// row is staged (the staging and its barrier no longer hold back the weight stream), then
// batches of kBatch loads in flight per lane. Variant 3 gives each row kSplit = 2 warps (halves
// of K), so a 4096-row output fills twice the blocks.
constexpr int kBatch = 8;

template <int kStride>
__device__ __forceinline__ void load_batch(uint4 (&v)[kBatch], const uint4* wr, bool live, int start, int k_vectors) {
#pragma unroll
  for (int j = 0; j < kBatch; ++j) {
    const int i = start + j * kStride;
    v[j] = live && i < k_vectors ? __ldg(wr + i) : make_uint4(0, 0, 0, 0);
  }
}

template <int kSplit>
__global__ void __launch_bounds__(kWarps * 32)
    gemv_bf16_batched_kernel(const uint4* __restrict__ w, const uint4* __restrict__ x, std::uint16_t* out, int rows,
                             int k_vectors) {
  __shared__ uint4 xs[kMaxK / 8];
  __shared__ float partial[kWarps];
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int row = blockIdx.x * (kWarps / kSplit) + warp / kSplit, part = warp % kSplit;
  const bool live = row < rows;  // no early return: every thread reaches the barriers
  const uint4* wr = w + static_cast<long long>(live ? row : 0) * k_vectors;
  constexpr int kStride = 32 * kSplit, kPerBatch = kBatch * kStride;
  const int first = part * 32 + lane;
  uint4 v[kBatch];
  load_batch<kStride>(v, wr, live, first, k_vectors);
  for (int i = threadIdx.x; i < k_vectors; i += blockDim.x) xs[i] = x[i];
  __syncthreads();
  float acc = 0.f;
  for (int base = 0;;) {  // base is the same for the whole warp
#pragma unroll
    for (int j = 0; j < kBatch; ++j) {
      const int i = base + first + j * kStride;
      if (i < k_vectors) acc += dot8(v[j], xs[i]);
    }
    base += kPerBatch;
    if (base >= k_vectors) break;
    load_batch<kStride>(v, wr, live, base + first, k_vectors);
  }
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
  if constexpr (kSplit > 1) {
    if (lane == 0) partial[warp] = acc;
    __syncthreads();
    if (part != 0) return;
    acc = 0.f;
#pragma unroll
    for (int p = 0; p < kSplit; ++p) acc += partial[warp + p];
  }
  if (lane == 0 && live) out[row] = to_bf16(acc);
}

bool aligned16(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 16 == 0; }

}  // namespace

bool gemv_applies(const at::Tensor& out, const at::Tensor& x, const at::Tensor& w) {
  return gemv_enabled() && x.is_cuda() && x.scalar_type() == at::kBFloat16 && w.scalar_type() == at::kBFloat16 &&
         out.scalar_type() == at::kBFloat16 && x.dim() == 2 && x.size(0) == 1 && w.dim() == 2 &&
         x.size(1) == w.size(1) && out.numel() == w.size(0) && w.size(1) % 8 == 0 && w.size(1) <= kMaxK &&
         x.is_contiguous() && w.is_contiguous() && out.is_contiguous() && aligned16(x.data_ptr()) &&
         aligned16(w.data_ptr()) && x.device() == w.device() && out.device() == w.device();
}

namespace gpu {

void gemv(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, GemvKernel kernel) {
  const int rows = static_cast<int>(w.size(0)), k_vectors = static_cast<int>(w.size(1) / 8);
  const auto stream = c10::cuda::getCurrentCUDAStream().stream();
  const auto* wp = static_cast<const uint4*>(w.data_ptr());
  const auto* xp = static_cast<const uint4*>(x.data_ptr());
  auto* op = static_cast<std::uint16_t*>(out.data_ptr());
  auto blocks = [rows](int rows_per_block) { return (rows + rows_per_block - 1) / rows_per_block; };
  switch (kernel) {
    case GemvKernel::Rows2:
      gemv_bf16_rows2_kernel<<<blocks(kWarps * kRowsPerWarp), kWarps * 32, 0, stream>>>(wp, xp, op, rows, k_vectors);
      break;
    case GemvKernel::Batched:
      gemv_bf16_batched_kernel<1><<<blocks(kWarps), kWarps * 32, 0, stream>>>(wp, xp, op, rows, k_vectors);
      break;
    case GemvKernel::Split2:
      gemv_bf16_batched_kernel<2><<<blocks(kWarps / 2), kWarps * 32, 0, stream>>>(wp, xp, op, rows, k_vectors);
      break;
    default:  // Staged; cuBLAS never reaches this file
      gemv_bf16_kernel<<<blocks(kWarps), kWarps * 32, 0, stream>>>(wp, xp, op, rows, k_vectors);
  }
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

std::string device_name(int index) {
  if (index < 0) C10_CUDA_CHECK(cudaGetDevice(&index));
  cudaDeviceProp prop{};
  C10_CUDA_CHECK(cudaGetDeviceProperties(&prop, index));
  return std::string(prop.name) + " sm_" + std::to_string(prop.major * 10 + prop.minor);
}

}  // namespace gpu
}  // namespace seedcanvas::llm::kernels
