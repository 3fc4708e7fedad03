#include "llm/decode_kernels_cpu.h"

#include <ATen/ATen.h>
#include <c10/util/BFloat16.h>

#include <cmath>
#include <type_traits>

#include "core/error.h"
#include "llm/gemv_cpu.h"

namespace seedcanvas::llm::kernels::cpu {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw_error(ErrorKind::Internal, std::string("decode kernel (cpu): ") + what);
}

// Calls f with a zero value of the element type (float or c10::BFloat16).
template <typename F>
void dispatch(const at::Tensor& t, F&& f) {
  if (t.scalar_type() == at::kFloat)
    f(float{});
  else if (t.scalar_type() == at::kBFloat16)
    f(c10::BFloat16{});
  else
    require(false, "dtype must be fp32 or bf16");
}

template <typename T>
T* ptr(const at::Tensor& t) {
  return static_cast<T*>(t.data_ptr());
}

}  // namespace

void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps) {
  require(x.is_contiguous() && out.is_contiguous() && weight.is_contiguous(), "rms_norm layout");
  require(!residual || (residual->is_contiguous() && residual->sizes() == x.sizes()), "rms_norm residual");
  const std::int64_t hidden = x.size(-1), rows = x.numel() / hidden;
  dispatch(x, [&](auto zero) {
    using T = decltype(zero);
    T* xs = ptr<T>(x);
    T* dst = ptr<T>(out);
    const T* w = ptr<T>(weight);
    const T* res = residual ? ptr<T>(*residual) : nullptr;
    for (std::int64_t r = 0; r < rows; ++r) {
      T* row = xs + r * hidden;
      float sum = 0.f;
      for (std::int64_t i = 0; i < hidden; ++i) {
        if (res) row[i] = static_cast<T>(static_cast<float>(row[i]) + static_cast<float>(res[r * hidden + i]));
        const float v = static_cast<float>(row[i]);
        sum += v * v;
      }
      const float inv = 1.f / std::sqrt(sum / static_cast<float>(hidden) + static_cast<float>(eps));
      for (std::int64_t i = 0; i < hidden; ++i) {
        const T normed = static_cast<T>(static_cast<float>(row[i]) * inv);  // .to(input_dtype)
        dst[r * hidden + i] = static_cast<T>(static_cast<float>(w[i]) * static_cast<float>(normed));
      }
    }
  });
}

void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value) {
  const std::int64_t head_dim = key.size(2), capacity = key.size(1), half = head_dim / 2;
  require(qkv.is_contiguous() && q_out.is_contiguous() && key.is_contiguous() && value.is_contiguous() &&
              cos_table.is_contiguous() && sin_table.is_contiguous(),
          "rope_and_cache layout");
  require(qkv.numel() == (num_heads + 2 * num_kv_heads) * head_dim && head_dim % 2 == 0, "rope_and_cache shapes");
  require(position.scalar_type() == at::kLong && position.numel() == 1, "rope_and_cache position");
  const std::int64_t p = *static_cast<const std::int64_t*>(position.data_ptr());
  require(p >= 0 && p < capacity && p < cos_table.size(0), "rope_and_cache position out of range");
  dispatch(qkv, [&](auto zero) {
    using T = decltype(zero);
    const T* src = ptr<T>(qkv);
    const T* c = ptr<T>(cos_table) + p * head_dim;
    const T* s = ptr<T>(sin_table) + p * head_dim;
    for (std::int64_t head = 0; head < num_heads + num_kv_heads; ++head) {
      const T* x = src + head * head_dim;
      T* dst = head < num_heads ? ptr<T>(q_out) + head * head_dim
                                : ptr<T>(key) + ((head - num_heads) * capacity + p) * head_dim;
      for (std::int64_t j = 0; j < head_dim; ++j) {
        const float rotated = j < half ? -static_cast<float>(x[j + half]) : static_cast<float>(x[j - half]);
        const T a = static_cast<T>(static_cast<float>(x[j]) * static_cast<float>(c[j]));
        const T b = static_cast<T>(rotated * static_cast<float>(s[j]));
        dst[j] = static_cast<T>(static_cast<float>(a) + static_cast<float>(b));
      }
    }
    for (std::int64_t kv = 0; kv < num_kv_heads; ++kv) {
      const T* v = src + (num_heads + num_kv_heads + kv) * head_dim;
      T* dst = ptr<T>(value) + (kv * capacity + p) * head_dim;
      for (std::int64_t j = 0; j < head_dim; ++j) dst[j] = v[j];
    }
  });
}

void silu_mul(at::Tensor& out, const at::Tensor& gate_up) {
  require(out.is_contiguous() && gate_up.is_contiguous() && gate_up.size(-1) == 2 * out.size(-1), "silu_mul shapes");
  const std::int64_t inter = out.size(-1), rows = out.numel() / inter;
  if (out.scalar_type() == at::kBFloat16) {
    // LibTorch 1.13's CPU silu rounds exp, 1 + exp and the quotient to bf16 one by one (the
    // upstream fixtures were made that way; 2.x computes in fp32): let ATen do the gate itself.
    at::silu_out(out, gate_up.narrow(-1, 0, inter));
  }
  dispatch(out, [&](auto zero) {
    using T = decltype(zero);
    const T* gu = ptr<T>(gate_up);
    T* dst = ptr<T>(out);
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t i = 0; i < inter; ++i) {
        T act = dst[r * inter + i];
        if constexpr (std::is_same_v<T, float>) {
          const float g = gu[r * 2 * inter + i];
          act = g / (1.f + std::exp(-g));
        }
        dst[r * inter + i] = static_cast<T>(static_cast<float>(act) * static_cast<float>(gu[r * 2 * inter + inter + i]));
      }
  });
}

void gemv_folded(at::Tensor& out, const FoldedInput& in, const at::Tensor& w, bool accumulate) {
  // The unfolded sequence: build the input row with the kernels above, then the projection.
  require(in.x && out.dim() == 2 && out.size(0) == 1 && out.size(1) == w.size(0), "gemv_folded shapes");
  at::Tensor row = *in.x;
  if (in.op == FoldedInput::Op::RmsNorm) {
    require(in.norm_weight != nullptr, "gemv_folded norm weight");
    row = at::empty_like(*in.x);
    at::Tensor source = *in.x;  // read only: no residual is passed
    rms_norm(row, source, nullptr, *in.norm_weight, in.eps);
  } else if (in.op == FoldedInput::Op::SwiGlu) {
    row = at::empty({1, in.x->size(-1) / 2}, in.x->options());
    silu_mul(row, *in.x);
  }
  require(row.size(-1) == w.size(1), "gemv_folded input width");
  at::Tensor product = accumulate ? at::empty_like(out) : out;
  if (cpu_gemv::applies(product, row, w))
    cpu_gemv::run(product, row, w);  // as project() does for one fp32 row
  else
    at::mm_out(product, row, w.t());  // rounded to the dtype once
  if (accumulate) out.add_(product);
}

}  // namespace seedcanvas::llm::kernels::cpu
