// CUDA side of kernels::gemv_folded (llm/decode_kernels.h): the bf16 GEMV of decode_gemv.cu with
// the op before it folded into its input staging (RMSNorm of the residual stream, or the SwiGLU
// gate) and the skip add folded into its output (x += W a). Every block rebuilds the input row
// from L2 (16-56 KiB) instead of a separate kernel writing it once: on a decode step the launch
// and its ramp-up cost more than the re-reads. Rounding points as rms_norm / silu_mul / add_.
#include "llm/cuda/decode_kernels_gpu.h"

#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "llm/cuda/bf16_vec.cuh"

namespace seedcanvas::llm::kernels::gpu {
namespace {

constexpr int kWarps = 8;
constexpr int kThreads = kWarps * 32;
constexpr int kMaxK = 16384;  // shared-memory row: 32 KiB of bf16
constexpr int kMaxRowsPerWarp = 4;

enum : int { kRow = 0, kRmsNorm = 1, kSwiGlu = 2 };

template <int kOp, bool kAccumulate>
__global__ void __launch_bounds__(kThreads)
    gemv_folded_kernel(const uint4* __restrict__ w, const uint4* __restrict__ x, const uint4* __restrict__ norm_w,
                       float eps, std::uint16_t* out, int rows, int k_vectors, int rows_per_warp, int split) {
  __shared__ uint4 xs[kMaxK / 8];
  __shared__ float warp_sums[kWarps];  // the norm's sum of squares, then a row's partial sums
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if constexpr (kOp == kRmsNorm) {
    // Each thread normalises the vectors it staged itself, so only the sum needs a barrier.
    float sum = 0.f;
    for (int i = threadIdx.x; i < k_vectors; i += kThreads) {
      const uint4 v = x[i];
      xs[i] = v;
      const std::uint32_t words[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        const float a = bf16::lo(words[j]), b = bf16::hi(words[j]);
        sum = fmaf(a, a, sum);
        sum = fmaf(b, b, sum);
      }
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(0xffffffffu, sum, o);
    if (lane == 0) warp_sums[warp] = sum;
    __syncthreads();
    float total = 0.f;
#pragma unroll
    for (int i = 0; i < kWarps; ++i) total += warp_sums[i];
    const float inv = rsqrtf(total / static_cast<float>(k_vectors * 8) + eps);
    for (int i = threadIdx.x; i < k_vectors; i += kThreads)
      xs[i] = bf16::map_words(xs[i], norm_w[i], [inv](std::uint32_t v, std::uint32_t g) {
        // normed = (x * inv).to(bf16); weight * normed, rounded again
        const float n0 = bf16::widen(bf16::round(bf16::lo(v) * inv));
        const float n1 = bf16::widen(bf16::round(bf16::hi(v) * inv));
        return bf16::pack(bf16::lo(g) * n0, bf16::hi(g) * n1);
      });
  } else if constexpr (kOp == kSwiGlu) {
    for (int i = threadIdx.x; i < k_vectors; i += kThreads)
      xs[i] = bf16::map_words(x[i], x[k_vectors + i], [](std::uint32_t g, std::uint32_t u) {
        // silu(gate) rounded to bf16, times up, rounded again
        const float g0 = bf16::lo(g), g1 = bf16::hi(g);
        const float a0 = bf16::widen(bf16::round(g0 / (1.f + expf(-g0))));
        const float a1 = bf16::widen(bf16::round(g1 / (1.f + expf(-g1))));
        return bf16::pack(a0 * bf16::lo(u), a1 * bf16::hi(u));
      });
  } else {
    for (int i = threadIdx.x; i < k_vectors; i += kThreads) xs[i] = x[i];
  }
  __syncthreads();
  // `split` warps share a row (interleaved 512-byte runs of it), so a block covers kWarps / split
  // rows per pass; split = 1 gives every warp its own row.
  const int per_pass = kWarps / split, part = warp % split, slot = warp / split;
  for (int r = 0; r < rows_per_warp; ++r) {
    const int row = (blockIdx.x * rows_per_warp + r) * per_pass + slot;  // a block's warps read adjacent rows
    float acc = 0.f;
    if (row < rows) {
      const uint4* wr = w + static_cast<long long>(row) * k_vectors;
#pragma unroll 8
      for (int i = part * 32 + lane; i < k_vectors; i += 32 * split) acc += bf16::dot8(__ldg(wr + i), xs[i]);
#pragma unroll
      for (int o = 16; o > 0; o >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, o);
    }
    if (split > 1) {  // the same for the whole block: the barriers below are reached by every thread
      __syncthreads();  // the previous pass is done reading warp_sums
      if (lane == 0) warp_sums[warp] = acc;
      __syncthreads();
      if (part != 0) continue;
      acc = 0.f;
      for (int p = 0; p < split; ++p) acc += warp_sums[slot * split + p];
    }
    if (lane == 0 && row < rows) {
      std::uint16_t result = bf16::round(acc);
      if constexpr (kAccumulate) result = bf16::round(bf16::widen(out[row]) + bf16::widen(result));
      out[row] = result;
    }
  }
}

bool aligned16(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 16 == 0; }

bool bf16_cuda(const at::Tensor& t) { return t.is_cuda() && t.scalar_type() == at::kBFloat16 && t.is_contiguous(); }

std::int64_t input_width(const FoldedInput& in) {
  return in.op == FoldedInput::Op::SwiGlu ? in.x->size(-1) / 2 : in.x->size(-1);
}

int multiprocessors() {
  static const int count = [] {
    int n = 0;
    C10_CUDA_CHECK(cudaDeviceGetAttribute(&n, cudaDevAttrMultiProcessorCount, c10::cuda::current_device()));
    return std::max(n, 1);
  }();
  return count;
}

struct Launch {
  int blocks, rows_per_warp, split;
};

template <int kOp>
void launch(bool accumulate, const Launch& l, cudaStream_t stream, const uint4* w, const uint4* x, const uint4* norm_w,
            float eps, std::uint16_t* out, int rows, int k_vectors) {
  if (accumulate)
    gemv_folded_kernel<kOp, true><<<l.blocks, kThreads, 0, stream>>>(w, x, norm_w, eps, out, rows, k_vectors,
                                                                     l.rows_per_warp, l.split);
  else
    gemv_folded_kernel<kOp, false><<<l.blocks, kThreads, 0, stream>>>(w, x, norm_w, eps, out, rows, k_vectors,
                                                                      l.rows_per_warp, l.split);
}

}  // namespace

bool folded_applies(const at::Tensor& out, const FoldedInput& in, const at::Tensor& w) {
  if (!in.x || (in.op == FoldedInput::Op::RmsNorm && !in.norm_weight)) return false;  // gemv_folded calls this first
  if (!bf16_cuda(out) || !bf16_cuda(*in.x) || !bf16_cuda(w) || in.x->dim() != 2 || in.x->size(0) != 1 || w.dim() != 2)
    return false;
  if (in.x->device() != out.device() || w.device() != out.device()) return false;  // one kernel reads them all
  const std::int64_t k = input_width(in);
  if (in.op == FoldedInput::Op::SwiGlu && in.x->size(-1) != 2 * k) return false;
  if (in.op == FoldedInput::Op::RmsNorm &&
      (!bf16_cuda(*in.norm_weight) || in.norm_weight->device() != out.device() || in.norm_weight->numel() != k ||
       !aligned16(in.norm_weight->data_ptr())))
    return false;
  return w.size(1) == k && k % 8 == 0 && k <= kMaxK && out.numel() == w.size(0) && aligned16(in.x->data_ptr()) &&
         aligned16(w.data_ptr());
}

void gemv_folded(at::Tensor& out, const FoldedInput& in, const at::Tensor& w, bool accumulate) {
  if (!gpu::folded_applies(out, in, w)) throw std::invalid_argument("gemv_folded: shapes, dtypes or alignment");
  if (out.data_ptr() == in.x->data_ptr()) throw std::invalid_argument("gemv_folded: output aliases the input");
  const int rows = static_cast<int>(w.size(0)), k_vectors = static_cast<int>(input_width(in) / 8);
  // Large outputs (gate/up, lm_head) give each warp several rows so fewer blocks rebuild the input.
  const int forced_rows = fold_rows_per_warp(), forced_split = fold_split();
  Launch l{};
  l.rows_per_warp = forced_rows > 0 ? std::min(forced_rows, kMaxRowsPerWarp)
                                    : std::clamp(rows / (kWarps * 6 * multiprocessors()), 1, kMaxRowsPerWarp);
  l.split = forced_split == 2 || forced_split == 4 || forced_split == 8 ? forced_split : 1;
  const int per_block = kWarps / l.split * l.rows_per_warp;
  l.blocks = (rows + per_block - 1) / per_block;
  const auto stream = c10::cuda::getCurrentCUDAStream().stream();
  const auto* wp = static_cast<const uint4*>(w.data_ptr());
  const auto* xp = static_cast<const uint4*>(in.x->data_ptr());
  auto* op = static_cast<std::uint16_t*>(out.data_ptr());
  const auto eps = static_cast<float>(in.eps);
  switch (in.op) {
    case FoldedInput::Op::Row:
      launch<kRow>(accumulate, l, stream, wp, xp, nullptr, eps, op, rows, k_vectors);
      break;
    case FoldedInput::Op::RmsNorm:
      launch<kRmsNorm>(accumulate, l, stream, wp, xp, static_cast<const uint4*>(in.norm_weight->data_ptr()), eps, op,
                       rows, k_vectors);
      break;
    case FoldedInput::Op::SwiGlu:
      launch<kSwiGlu>(accumulate, l, stream, wp, xp, nullptr, eps, op, rows, k_vectors);
      break;
  }
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

}  // namespace seedcanvas::llm::kernels::gpu
