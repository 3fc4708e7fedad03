#include "llm/cuda_graph.h"

#if defined(SEEDCANVAS_WITH_CUDA)
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

#include <exception>

namespace seedcanvas::llm {

#if defined(SEEDCANVAS_WITH_CUDA)

namespace {

class CudaGraphWork final : public CapturedWork {
 public:
  void replay() override { graph.replay(); }
  at::cuda::CUDAGraph graph;
};

}  // namespace

bool cuda_graphs_built() { return true; }

std::unique_ptr<CapturedWork> run_and_capture(const std::function<void()>& body, std::string* why_not) {
  // Work queued on the default stream (inputs written in place) must land before the side
  // stream reads it, and the capture's outputs before the default stream reads them.
  c10::cuda::device_synchronize();
  auto work = std::make_unique<CudaGraphWork>();
  auto stream = c10::cuda::getStreamFromPool();
  {
    c10::cuda::CUDAStreamGuard guard(stream);
    body();
    stream.synchronize();
    try {
      work->graph.capture_begin();
    } catch (const std::exception& e) {
      if (why_not) *why_not = e.what();
      return nullptr;
    }
    try {
      body();
      work->graph.capture_end();
    } catch (const std::exception& e) {
      if (why_not) *why_not = e.what();
      try {
        work->graph.capture_end();  // leaves capture mode so the stream stays usable
      } catch (...) {
      }
      c10::cuda::device_synchronize();
      return nullptr;
    }
  }
  c10::cuda::device_synchronize();
  return work;
}

#else

bool cuda_graphs_built() { return false; }

std::unique_ptr<CapturedWork> run_and_capture(const std::function<void()>& body, std::string* why_not) {
  body();
  if (why_not) *why_not = "this build's LibTorch has no CUDA";
  return nullptr;
}

#endif

}  // namespace seedcanvas::llm
