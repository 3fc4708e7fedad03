// CUDA side of llm/decode_kernels.h (dispatched there by device). Arithmetic in fp32, results rounded to the activation
// dtype exactly where the ATen op sequence rounds (c10::BFloat16/Half convert to nearest even).
#include "llm/cuda/decode_kernels_gpu.h"

#include <ATen/Dispatch.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>

#include <stdexcept>
#include <string>

namespace seedcanvas::llm::kernels::gpu {
namespace {

constexpr int kNormThreads = 1024;  // one block per row: more threads, shorter loops (decode has one row)

__device__ float block_sum(float v) {
  __shared__ float warp_sums[kNormThreads / 32];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) warp_sums[warp] = v;
  __syncthreads();
  float total = 0.f;
  for (int w = 0; w < kNormThreads / 32; ++w) total += warp_sums[w];
  return total;
}

// Rows of up to kNormHeld * kNormThreads values are held in registers: every load of the row, the
// residual and the weight is issued before the first store. (A loop that stores x before loading
// its next elements waits out one memory round trip per iteration, since the pointers may alias:
// 6.5 us per 4096-wide norm on an H100, twice per layer.)
constexpr int kNormHeld = 8;

template <typename T>
__global__ void rms_norm_kernel(T* out, T* x, const T* residual, const T* weight, int hidden, float eps) {
  T* row = x + static_cast<long long>(blockIdx.x) * hidden;
  const T* res = residual ? residual + static_cast<long long>(blockIdx.x) * hidden : nullptr;
  T* dst = out + static_cast<long long>(blockIdx.x) * hidden;
  float sum = 0.f;
  if (hidden <= kNormHeld * kNormThreads) {  // the same for the whole block
    float v[kNormHeld], g[kNormHeld];
#pragma unroll
    for (int k = 0; k < kNormHeld; ++k) {
      const int i = threadIdx.x + k * kNormThreads;
      v[k] = i < hidden ? static_cast<float>(row[i]) : 0.f;
      g[k] = i < hidden ? static_cast<float>(weight[i]) : 0.f;
      if (res && i < hidden) v[k] = static_cast<float>(static_cast<T>(v[k] + static_cast<float>(res[i])));
    }
#pragma unroll
    for (int k = 0; k < kNormHeld; ++k) {
      const int i = threadIdx.x + k * kNormThreads;
      if (i >= hidden) break;
      if (res) row[i] = static_cast<T>(v[k]);  // x.add_(o) in x's dtype (v[k] is already rounded)
      sum += v[k] * v[k];
    }
    const float inv = rsqrtf(block_sum(sum) / static_cast<float>(hidden) + eps);
#pragma unroll
    for (int k = 0; k < kNormHeld; ++k) {
      const int i = threadIdx.x + k * kNormThreads;
      if (i >= hidden) break;
      const T normed = static_cast<T>(v[k] * inv);  // .to(input_dtype)
      dst[i] = static_cast<T>(g[k] * static_cast<float>(normed));
    }
    return;
  }
  for (int i = threadIdx.x; i < hidden; i += kNormThreads) {
    float v = static_cast<float>(row[i]);
    if (res) {
      const T added = static_cast<T>(v + static_cast<float>(res[i]));  // x.add_(o) in x's dtype
      row[i] = added;
      v = static_cast<float>(added);
    }
    sum += v * v;
  }
  const float inv = rsqrtf(block_sum(sum) / static_cast<float>(hidden) + eps);
  for (int i = threadIdx.x; i < hidden; i += kNormThreads) {
    const T normed = static_cast<T>(static_cast<float>(row[i]) * inv);  // .to(input_dtype)
    dst[i] = static_cast<T>(static_cast<float>(weight[i]) * static_cast<float>(normed));
  }
}

template <typename T>
__global__ void rope_cache_kernel(const T* qkv, const T* cos_table, const T* sin_table, const long long* position,
                                  int num_heads, int num_kv_heads, int head_dim, long long capacity, T* q_out, T* key,
                                  T* value) {
  const int head = blockIdx.x, j = threadIdx.x, half = head_dim / 2;
  const long long p = *position;
  const T* src = qkv + static_cast<long long>(head) * head_dim;
  if (head >= num_heads + num_kv_heads) {  // values are stored as computed
    const int kv = head - num_heads - num_kv_heads;
    value[(kv * capacity + p) * head_dim + j] = src[j];
    return;
  }
  const float c = static_cast<float>(cos_table[p * head_dim + j]), s = static_cast<float>(sin_table[p * head_dim + j]);
  const float rotated = j < half ? -static_cast<float>(src[j + half]) : static_cast<float>(src[j - half]);
  const T a = static_cast<T>(static_cast<float>(src[j]) * c);
  const T b = static_cast<T>(rotated * s);
  const T r = static_cast<T>(static_cast<float>(a) + static_cast<float>(b));
  if (head < num_heads)
    q_out[static_cast<long long>(head) * head_dim + j] = r;
  else
    key[((head - num_heads) * capacity + p) * head_dim + j] = r;
}

template <typename T>
__global__ void silu_mul_kernel(T* out, const T* gate_up, long long inter, long long total) {
  const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= total) return;
  const long long row = i / inter, col = i % inter;
  const float g = static_cast<float>(gate_up[row * 2 * inter + col]);
  const T act = static_cast<T>(g / (1.f + expf(-g)));  // silu in the activation dtype
  out[i] = static_cast<T>(static_cast<float>(act) * static_cast<float>(gate_up[row * 2 * inter + inter + col]));
}

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(std::string("decode kernel: ") + what);
}

}  // namespace

void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps) {
  require(x.is_cuda() && x.is_contiguous() && out.is_contiguous() && weight.is_contiguous(), "rms_norm layout");
  require(!residual || (residual->is_contiguous() && residual->sizes() == x.sizes()), "rms_norm residual");
  const int hidden = static_cast<int>(x.size(-1));
  const int rows = static_cast<int>(x.numel() / hidden);
  auto stream = c10::cuda::getCurrentCUDAStream();
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, x.scalar_type(), "rms_norm", [&] {
    rms_norm_kernel<scalar_t><<<rows, kNormThreads, 0, stream.stream()>>>(
        out.data_ptr<scalar_t>(), x.data_ptr<scalar_t>(), residual ? residual->data_ptr<scalar_t>() : nullptr,
        weight.data_ptr<scalar_t>(), hidden, static_cast<float>(eps));
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value) {
  const std::int64_t head_dim = key.size(2);
  require(qkv.is_contiguous() && q_out.is_contiguous() && key.is_contiguous() && value.is_contiguous() &&
              cos_table.is_contiguous() && sin_table.is_contiguous(),
          "rope_and_cache layout");
  require(qkv.numel() == (num_heads + 2 * num_kv_heads) * head_dim && head_dim % 2 == 0 && head_dim <= 1024,
          "rope_and_cache shapes");
  require(position.scalar_type() == at::kLong && position.numel() == 1, "rope_and_cache position");
  auto stream = c10::cuda::getCurrentCUDAStream();
  const int blocks = static_cast<int>(num_heads + 2 * num_kv_heads);
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, qkv.scalar_type(), "rope_and_cache", [&] {
    rope_cache_kernel<scalar_t><<<blocks, static_cast<int>(head_dim), 0, stream.stream()>>>(
        qkv.data_ptr<scalar_t>(), cos_table.data_ptr<scalar_t>(), sin_table.data_ptr<scalar_t>(),
        reinterpret_cast<const long long*>(position.data_ptr<std::int64_t>()), static_cast<int>(num_heads),
        static_cast<int>(num_kv_heads), static_cast<int>(head_dim), key.size(1), q_out.data_ptr<scalar_t>(),
        key.data_ptr<scalar_t>(), value.data_ptr<scalar_t>());
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

void silu_mul(at::Tensor& out, const at::Tensor& gate_up) {
  require(out.is_contiguous() && gate_up.is_contiguous() && gate_up.size(-1) == 2 * out.size(-1), "silu_mul shapes");
  const long long inter = out.size(-1), total = out.numel();
  constexpr int threads = 256;
  const int blocks = static_cast<int>((total + threads - 1) / threads);
  auto stream = c10::cuda::getCurrentCUDAStream();
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, out.scalar_type(), "silu_mul", [&] {
    silu_mul_kernel<scalar_t><<<blocks, threads, 0, stream.stream()>>>(out.data_ptr<scalar_t>(),
                                                                       gate_up.data_ptr<scalar_t>(), inter, total);
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

}  // namespace seedcanvas::llm::kernels::gpu
