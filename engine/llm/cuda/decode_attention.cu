// CUDA side of kernels::decode_attention (llm/decode_kernels.h): one block per kv head serves
// every query head of it (each key and value row is read once), holds the window's scores in
// shared memory and rounds where HF 4.33 rounds (as LibTorch's CPU ops, which made the fixtures). It replaces the masked SDPA call, the mask
// it needs and the copy that regroups its output. decode_attention_cpu.cpp is the CPU twin.
#include "llm/cuda/decode_kernels_gpu.h"

#include <ATen/Dispatch.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace seedcanvas::llm::kernels::gpu {
namespace {

// 16 warps, each with kRowsInFlight rows' loads issued before it computes any of them: at 32 kv
// heads (8B) only 32 blocks run, so the loads in flight per block set the speed at long windows.
constexpr int kWarps = static_cast<int>(kAttentionWarps);
constexpr int kThreads = kWarps * 32;
constexpr int kRowsInFlight = 4;
constexpr int kMaxWindow = static_cast<int>(kAttentionMaxWindow);
constexpr int kMaxGroups = static_cast<int>(kAttentionMaxGroups);        // SEED-LLaMA: 1
constexpr int kMaxGroupDims = static_cast<int>(kAttentionMaxGroupDims);
constexpr int kMaxPerLane = static_cast<int>(kAttentionMaxHeadDim / 32);  // head dims per lane
constexpr long long kSequentialProducts = 4096;  // see decode_attention_cpu.cpp
static_assert((kMaxGroups * kMaxWindow + kWarps * kMaxGroupDims) * sizeof(float) <= 48 * 1024,
              "probs and partial must fit the 48 KiB of static shared memory");

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

template <typename T>
__device__ __forceinline__ float round_to(float v) {
  return static_cast<float>(static_cast<T>(v));
}

// Rows t0, t0 + kWarps, ... (kRowsInFlight of them) of one head's keys or values, this lane's
// dims of each, all loads issued before any is used; rows at or past n are not read (zeros).
template <typename T>
__device__ __forceinline__ void load_rows(const T* __restrict__ rows, int t0, int n, int head_dim, int lane,
                                          float (&out)[kRowsInFlight][kMaxPerLane]) {
#pragma unroll
  for (int u = 0; u < kRowsInFlight; ++u) {
    const int t = t0 + u * kWarps;
#pragma unroll
    for (int j = 0; j < kMaxPerLane; ++j) {
      const int d = lane + 32 * j;
      out[u][j] = t < n && d < head_dim ? static_cast<float>(rows[static_cast<long long>(t) * head_dim + d]) : 0.f;
    }
  }
}

template <typename T>
__global__ void __launch_bounds__(kThreads)
    decode_attention_kernel(const T* __restrict__ q, const T* __restrict__ key, const T* __restrict__ value,
                            const long long* __restrict__ position, long long rows, int head_dim, int groups,
                            int window, T* out) {
  __shared__ float probs[kMaxGroups][kMaxWindow];
  __shared__ float partial[kWarps][kMaxGroupDims];
  const int kv = blockIdx.x, warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  const int n = static_cast<int>(min(*position + 1, static_cast<long long>(window)));  // window <= kMaxWindow
  const float root = round_to<T>(sqrtf(static_cast<float>(head_dim)));  // HF's divisor, in T as LibTorch casts it
  const T* keys = key + kv * rows * head_dim;
  const T* values = value + kv * rows * head_dim;

  float qr[kMaxGroups][kMaxPerLane];
#pragma unroll
  for (int g = 0; g < kMaxGroups; ++g)
#pragma unroll
    for (int j = 0; j < kMaxPerLane; ++j) {
      const int d = lane + 32 * j;
      qr[g][j] = g < groups && d < head_dim ? static_cast<float>(q[(kv * groups + g) * head_dim + d]) : 0.f;
    }
  // Scores: a warp per key row; q.k rounded, then / sqrt(hd) rounded (HF's matmul and division).
  // Warp w takes rows w, w + kWarps, ...: the loads of kRowsInFlight of them first, then their
  // dot products (rows past the window are neither read nor scored; t is the same in every lane).
  for (int t0 = warp; t0 < n; t0 += kWarps * kRowsInFlight) {
    float kd[kRowsInFlight][kMaxPerLane];
    load_rows(keys, t0, n, head_dim, lane, kd);
#pragma unroll
    for (int u = 0; u < kRowsInFlight; ++u) {
      const int t = t0 + u * kWarps;
      if (t >= n) break;
#pragma unroll
      for (int g = 0; g < kMaxGroups; ++g) {
        if (g >= groups) break;
        float s = 0.f;
#pragma unroll
        for (int j = 0; j < kMaxPerLane; ++j) s = fmaf(qr[g][j], kd[u][j], s);
        s = warp_sum(s);
        if (lane == 0) probs[g][t] = round_to<T>(round_to<T>(s) / root);
      }
    }
  }
  __syncthreads();
  // Softmax in fp32 over the window, a warp per query head, cast back to the activation dtype.
  for (int g = warp; g < groups; g += kWarps) {
    float top = -INFINITY;
    for (int t = lane; t < n; t += 32) top = fmaxf(top, probs[g][t]);
    top = warp_max(top);
    float total = 0.f;
    for (int t = lane; t < n; t += 32) {
      const float e = expf(probs[g][t] - top);
      probs[g][t] = e;
      total += e;
    }
    total = warp_sum(total);
    for (int t = lane; t < n; t += 32) probs[g][t] = round_to<T>(probs[g][t] / total);
  }
  __syncthreads();
  // probabilities @ values. A product of at most kSequentialProducts multiply-adds over all
  // heads (tiny test models only) accumulates in the activation dtype, as the CPU GEMM that made
  // the fixtures does; otherwise warp w sums the rows t = w (mod kWarps) in fp32, then the warps'
  // sums add up.
  if (sizeof(T) == 2 && static_cast<long long>(gridDim.x) * groups * head_dim * n <= kSequentialProducts) {
    for (int i = threadIdx.x; i < groups * head_dim; i += kThreads) {
      const int g = i / head_dim, d = i % head_dim;
      T acc = static_cast<T>(0.f);
      for (int t = 0; t < n; ++t)
        acc = static_cast<T>(static_cast<float>(acc) +
                             round_to<T>(probs[g][t] * static_cast<float>(values[static_cast<long long>(t) * head_dim + d])));
      out[kv * groups * head_dim + i] = acc;
    }
    return;
  }
  // As for the scores: kRowsInFlight value rows loaded, then added in row order.
  float acc[kMaxGroups][kMaxPerLane] = {};
  for (int t0 = warp; t0 < n; t0 += kWarps * kRowsInFlight) {
    float vd[kRowsInFlight][kMaxPerLane];
    load_rows(values, t0, n, head_dim, lane, vd);
#pragma unroll
    for (int u = 0; u < kRowsInFlight; ++u) {
      const int t = t0 + u * kWarps;
      if (t >= n) break;
#pragma unroll
      for (int g = 0; g < kMaxGroups; ++g)
#pragma unroll
        for (int j = 0; j < kMaxPerLane; ++j) acc[g][j] = fmaf(g < groups ? probs[g][t] : 0.f, vd[u][j], acc[g][j]);
    }
  }
#pragma unroll
  for (int g = 0; g < kMaxGroups; ++g)
#pragma unroll
    for (int j = 0; j < kMaxPerLane; ++j) {
      const int d = lane + 32 * j;
      if (g < groups && d < head_dim) partial[warp][g * head_dim + d] = acc[g][j];
    }
  __syncthreads();
  for (int i = threadIdx.x; i < groups * head_dim; i += kThreads) {
    float sum = 0.f;
#pragma unroll
    for (int w = 0; w < kWarps; ++w) sum += partial[w][i];
    out[kv * groups * head_dim + i] = static_cast<T>(sum);
  }
}

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("decode attention: ") + what);
}

}  // namespace

// kernels::attention_applies checked the shapes against the kernel's limits; here the rest.
bool attention_applies(const at::Tensor& q, const at::Tensor& key, std::int64_t, std::int64_t) {
  return q.is_cuda() && key.is_cuda() &&
         (q.scalar_type() == at::kFloat || q.scalar_type() == at::kBFloat16 || q.scalar_type() == at::kHalf);
}

void decode_attention(at::Tensor& out, const at::Tensor& q, const at::Tensor& key, const at::Tensor& value,
                      const at::Tensor& position, std::int64_t window) {
  require(q.is_contiguous() && key.is_contiguous() && value.is_contiguous() && out.is_contiguous() &&
              key.sizes() == value.sizes() && key.dim() == 3,
          "layout");
  const std::int64_t nkv = key.size(0), hd = key.size(2), nh = q.numel() / hd;
  require(kernels::attention_applies(q, key, nh, window) && out.numel() == q.numel() &&
              out.scalar_type() == q.scalar_type() && key.scalar_type() == q.scalar_type() &&
              value.scalar_type() == q.scalar_type(),
          "shapes, dtypes or window");
  // The kernel reads the position on the device: a host tensor there is an illegal address.
  require(position.is_cuda() && position.scalar_type() == at::kLong && position.numel() == 1, "position");
  require(value.is_cuda() && out.is_cuda() && key.device() == q.device() && value.device() == q.device() &&
              out.device() == q.device() && position.device() == q.device(),
          "tensors on one CUDA device");
  auto stream = c10::cuda::getCurrentCUDAStream();
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, q.scalar_type(), "decode_attention", [&] {
    decode_attention_kernel<scalar_t><<<static_cast<unsigned>(nkv), kThreads, 0, stream.stream()>>>(
        q.data_ptr<scalar_t>(), key.data_ptr<scalar_t>(), value.data_ptr<scalar_t>(),
        reinterpret_cast<const long long*>(position.data_ptr<std::int64_t>()), key.size(1), static_cast<int>(hd),
        static_cast<int>(nh / nkv), static_cast<int>(window), out.data_ptr<scalar_t>());
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

}  // namespace seedcanvas::llm::kernels::gpu
