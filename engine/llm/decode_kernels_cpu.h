// The CPU implementations behind llm/decode_kernels.h (same contracts; CPU tensors, fp32 or bf16).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace seedcanvas::llm::kernels::cpu {

void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps);
void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value);
void silu_mul(at::Tensor& out, const at::Tensor& gate_up);

}  // namespace seedcanvas::llm::kernels::cpu
