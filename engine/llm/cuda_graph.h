// A recorded sequence of device work that can be launched again with one call (a CUDA graph),
// kept behind a CUDA-free interface so the engine still builds with a CPU-only LibTorch.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace seedcanvas::llm {

class CapturedWork {
 public:
  virtual ~CapturedWork() = default;
  // Launches the recorded kernels again on the current stream; they read and write the very
  // tensors the capture saw, so callers change inputs in place before each replay.
  virtual void replay() = 0;
};

// True when this build can capture CUDA graphs (LibTorch with CUDA).
bool cuda_graphs_built();

// Runs `body` once for real on a side stream (which also creates the library handles and
// workspaces that must exist before a capture), then records it. Returns null and sets
// `why_not` when capture is unavailable or fails; the eager run has happened either way.
std::unique_ptr<CapturedWork> run_and_capture(const std::function<void()>& body, std::string* why_not);

}  // namespace seedcanvas::llm
