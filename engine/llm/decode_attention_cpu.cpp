// CPU twin of the CUDA decode-attention kernel (cuda/decode_attention.cu): the same rounding
// points (HF 4.33's, as LibTorch's CPU ops take them: the divisor sqrt(hd) in the activation
// dtype, short probability @ value products accumulated in it) and a like split of the weighted
// sum over kWarps interleaved row sets, so tests on the CPU check the algorithm the GPU runs
// (only the order of the fp32 sums inside q.k and the softmax's total differs, and the GPU
// fuses the weighted sum's multiply-adds).
#include <ATen/ATen.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "llm/decode_kernels_cpu.h"

namespace seedcanvas::llm::kernels::cpu {
namespace {

// Rows t with t % kWarps == w are summed apart, as warp w of the CUDA block sums them.
constexpr std::int64_t kWarps = kAttentionWarps;
// Up to 16^3 multiply-adds (all heads of the batched product) LibTorch's CPU GEMM, which made
// the fixtures, accumulates bf16/fp16 in their own dtype, rounding each product and each sum;
// above, in fp32. A real model's heads always exceed it; tiny test models do not.
constexpr std::int64_t kSequentialProducts = 4096;

void require(bool ok, const char* what) {
  if (!ok) throw_error(ErrorKind::Internal, std::string("decode attention (cpu): ") + what);
}

template <typename T>
float round_to(float v) {
  return static_cast<float>(static_cast<T>(v));
}

template <typename T>
void attend(at::Tensor& out, const at::Tensor& q, const at::Tensor& key, const at::Tensor& value, std::int64_t p) {
  const std::int64_t nkv = key.size(0), rows = key.size(1), hd = key.size(2);
  const std::int64_t groups = q.numel() / hd / nkv, n = p + 1;
  const float root = round_to<T>(std::sqrt(static_cast<float>(hd)));
  // HF's probs @ values is one batched GEMM over every query head.
  const bool sequential = sizeof(T) == 2 && nkv * groups * hd * n <= kSequentialProducts;
  const T* qs = static_cast<const T*>(q.data_ptr());
  const T* ks = static_cast<const T*>(key.data_ptr());
  const T* vs = static_cast<const T*>(value.data_ptr());
  T* os = static_cast<T*>(out.data_ptr());
  std::vector<float> probs(static_cast<std::size_t>(n)), partial(static_cast<std::size_t>(kWarps));
  for (std::int64_t kv = 0; kv < nkv; ++kv)  // one CUDA block each
    for (std::int64_t g = 0; g < groups; ++g) {
      const T* qr = qs + (kv * groups + g) * hd;
      float top = -std::numeric_limits<float>::infinity();
      for (std::int64_t t = 0; t < n; ++t) {
        const T* kr = ks + (kv * rows + t) * hd;
        float dot = 0.f;
        for (std::int64_t d = 0; d < hd; ++d) dot += static_cast<float>(qr[d]) * static_cast<float>(kr[d]);
        const float s = round_to<T>(round_to<T>(dot) / root);  // matmul, then / sqrt(hd), each rounded
        probs[static_cast<std::size_t>(t)] = s;
        top = std::max(top, s);
      }
      float total = 0.f;
      for (auto& v : probs) {
        v = std::exp(v - top);
        total += v;
      }
      for (auto& v : probs) v = round_to<T>(v / total);  // softmax in fp32, cast back
      for (std::int64_t d = 0; d < hd; ++d) {
        if (sequential) {  // LibTorch's small-GEMM loop: each step rounded twice
          T acc = 0;
          for (std::int64_t t = 0; t < n; ++t)
            acc = static_cast<T>(static_cast<float>(acc) +
                                 round_to<T>(probs[static_cast<std::size_t>(t)] *
                                             static_cast<float>(vs[(kv * rows + t) * hd + d])));
          os[(kv * groups + g) * hd + d] = acc;
          continue;
        }
        std::fill(partial.begin(), partial.end(), 0.f);
        for (std::int64_t t = 0; t < n; ++t)
          partial[static_cast<std::size_t>(t % kWarps)] +=
              probs[static_cast<std::size_t>(t)] * static_cast<float>(vs[(kv * rows + t) * hd + d]);
        float acc = 0.f;
        for (float w : partial) acc += w;
        os[(kv * groups + g) * hd + d] = static_cast<T>(acc);
      }
    }
}

}  // namespace

void decode_attention(at::Tensor& out, const at::Tensor& q, const at::Tensor& key, const at::Tensor& value,
                      const at::Tensor& position, std::int64_t window) {
  require(q.is_contiguous() && key.is_contiguous() && value.is_contiguous() && out.is_contiguous() &&
              key.dim() == 3 && key.sizes() == value.sizes(),
          "layout");
  require(q.numel() % (key.size(2) * key.size(0)) == 0 && out.numel() == q.numel(), "head counts");
  require(q.scalar_type() == key.scalar_type() && value.scalar_type() == q.scalar_type() &&
              out.scalar_type() == q.scalar_type(),
          "dtypes");
  require(position.scalar_type() == at::kLong && position.numel() == 1, "position");
  const std::int64_t p = *static_cast<const std::int64_t*>(position.data_ptr());
  require(window > 0 && window <= key.size(1) && p >= 0 && p < window, "position outside the window");
  if (q.scalar_type() == at::kFloat)
    attend<float>(out, q, key, value, p);
  else if (q.scalar_type() == at::kBFloat16)
    attend<c10::BFloat16>(out, q, key, value, p);
  else if (q.scalar_type() == at::kHalf)
    attend<c10::Half>(out, q, key, value, p);
  else
    require(false, "dtype must be fp32, bf16 or fp16");
}

}  // namespace seedcanvas::llm::kernels::cpu
