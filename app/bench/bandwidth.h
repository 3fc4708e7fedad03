// Memory read bandwidth probe shared by the bench commands (defined in cmd_bandwidth.cpp).
#pragma once

#include <c10/core/Device.h>

#include <cstdint>

namespace seedcanvas::tool {

struct Bandwidth {
  double reduction_gbs = 0;  // sum over a buffer far larger than the caches
  double gemv_gbs = 0;       // fp32 matrix-vector product streaming a matrix of the same size
  double best_gbs() const { return reduction_gbs > gemv_gbs ? reduction_gbs : gemv_gbs; }
};

// Best of `repeats` passes over `bytes` of fp32 data with the current intra-op thread count.
Bandwidth measure_read_bandwidth(std::uint64_t bytes = 256ull << 20, int repeats = 7);
// Same on an accelerator: a sum over a 4 GiB buffer, synchronised by reading the result back.
Bandwidth measure_device_bandwidth(const c10::Device& device, std::uint64_t bytes = 4ull << 30, int repeats = 10);

}  // namespace seedcanvas::tool
