// One-row fp32 projections on the CPU, out [1, N] = x [1, K] @ w^T (w [N, K]): rows split over
// LibTorch's intra-op threads (the pool the rest of the step runs on, so no second BLAS thread
// pool competes for the cores between calls), AVX2 + FMA dot products. The fp32 decode of the
// 168 M bench model went from 31-32 to 27-28 ms/token on the 2-core project machine. (A bf16
// variant was slower than LibTorch's bf16 GEMM there, so bf16 stays on GEMM.) Only on processors with AVX2 and FMA, in builds
// where LibTorch's intra-op pool is OpenMP (engine/CMakeLists.txt).
#pragma once

#include <ATen/core/Tensor.h>

namespace seedcanvas::llm::cpu_gemv {

// Whether run() serves these tensors (CPU, contiguous, fp32 throughout, AVX2 + FMA here,
// and not switched off by set_enabled(false) or SEEDCANVAS_CPU_GEMV=0).
bool applies(const at::Tensor& out, const at::Tensor& x, const at::Tensor& w);
void run(at::Tensor& out, const at::Tensor& x, const at::Tensor& w);

void set_enabled(bool on);
bool enabled();

}  // namespace seedcanvas::llm::cpu_gemv
