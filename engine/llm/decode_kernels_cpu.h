// The CPU implementations behind llm/decode_kernels.h (same contracts; CPU tensors, fp32 or bf16).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "llm/decode_kernels.h"

namespace seedcanvas::llm::kernels::cpu {

void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps);
void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value);
void silu_mul(at::Tensor& out, const at::Tensor& gate_up);
void gemv_folded(at::Tensor& out, const FoldedInput& in, const at::Tensor& w, bool accumulate);
// decode_attention_cpu.cpp: the CUDA kernel's algorithm, step for step.
void decode_attention(at::Tensor& out, const at::Tensor& q, const at::Tensor& key, const at::Tensor& value,
                      const at::Tensor& position, std::int64_t window);

}  // namespace seedcanvas::llm::kernels::cpu
