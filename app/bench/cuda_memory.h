// Peak memory of LibTorch's CUDA caching allocator, where the build can ask for it: the bench
// is also built against LibTorch without CUDA (Debian's), where this reports nothing.
#pragma once

#include <c10/core/Device.h>

#include <optional>

namespace seedcanvas::tool {

struct CudaMemoryStats {
  double allocated_mib = 0, allocated_peak_mib = 0;  // tensors
  double reserved_mib = 0, reserved_peak_mib = 0;    // what the allocator holds from the driver
};

// Current and peak (since the process started) for a CUDA device; nothing for other devices or
// when the bench was built without CUDA support.
std::optional<CudaMemoryStats> cuda_memory_stats(const c10::Device& device);

}  // namespace seedcanvas::tool
