// The CUDA implementations behind llm/decode_kernels.h (same contracts; CUDA tensors only).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

#include "llm/decode_kernels.h"

namespace seedcanvas::llm::kernels::gpu {

void rms_norm(at::Tensor& out, at::Tensor& x, const at::Tensor* residual, const at::Tensor& weight, double eps);
void rope_and_cache(const at::Tensor& qkv, const at::Tensor& cos_table, const at::Tensor& sin_table,
                    const at::Tensor& position, std::int64_t num_heads, std::int64_t num_kv_heads, at::Tensor& q_out,
                    at::Tensor& key, at::Tensor& value);
void silu_mul(at::Tensor& out, const at::Tensor& gate_up);
// cuda/decode_attention.cu
bool attention_applies(const at::Tensor& q, const at::Tensor& key, std::int64_t num_heads, std::int64_t window);
void decode_attention(at::Tensor& out, const at::Tensor& q, const at::Tensor& key, const at::Tensor& value,
                      const at::Tensor& position, std::int64_t window);
// cuda/decode_gemv.cu (kernel: not Auto or Cublas)
void gemv(at::Tensor& out, const at::Tensor& x, const at::Tensor& w, GemvKernel kernel);
std::string device_name(int index);  // -1: the current device
// cuda/decode_fold.cu (built with the GEMV kernel; stand-ins in decode_kernels.cpp otherwise)
bool folded_applies(const at::Tensor& out, const FoldedInput& in, const at::Tensor& w);
void gemv_folded(at::Tensor& out, const FoldedInput& in, const at::Tensor& w, bool accumulate);

}  // namespace seedcanvas::llm::kernels::gpu
