// The CUDA implementations behind llm/decode_kernels.h (same contracts; CUDA tensors only).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace seedcanvas::llm::kernels::gpu {

void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps);
void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value);
void silu_mul(at::Tensor& out, const at::Tensor& gate_up);

}  // namespace seedcanvas::llm::kernels::gpu
