// Host-to-GPU weight upload through pinned staging buffers: while the GPU copies one chunk
// (asynchronously, from page-locked memory), the loader thread already reads the next one out of
// the file (page faults on a memory map), and a dtype change runs on the GPU after the upload
// instead of on the CPU before it. Plain `.to(cuda)` does each step in turn from pageable memory.
// Uses LibTorch's device-generic stream/event API only, so it builds with a CPU-only LibTorch
// too; on a CPU "device" the same chunking runs with ordinary buffers and blocking copies (tests).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/Event.h>
#include <c10/core/ScalarType.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace seedcanvas::nn {

class StagedUpload {
 public:
  explicit StagedUpload(c10::Device device, std::size_t chunk_bytes = 32u << 20, int buffers = 2);
  ~StagedUpload();  // waits for the copies in flight
  StagedUpload(const StagedUpload&) = delete;
  StagedUpload& operator=(const StagedUpload&) = delete;

  // A new tensor on the device holding `src` (a host tensor, any layout) converted to `target`.
  // The copy may still be in flight: work queued on the device's current stream sees it done.
  at::Tensor upload(const at::Tensor& src, c10::ScalarType target);
  // Blocks until every copy has landed (the staging buffers are free again).
  void finish();

  bool asynchronous() const { return async_; }

 private:
  struct Slot {
    at::Tensor buffer;                 // chunk_bytes of (pinned, on CUDA) host memory
    std::unique_ptr<c10::Event> copied;  // recorded after the copy out of `buffer`
  };
  void wait(Slot& slot);

  c10::Device device_;
  std::size_t chunk_bytes_;
  bool async_;
  std::vector<Slot> slots_;
  std::size_t next_ = 0;
};

}  // namespace seedcanvas::nn
