#include "cuda_memory.h"

// Set by app/bench/CMakeLists.txt when LibTorch has CUDA and this header compiles and links.
#ifdef SEEDCANVAS_BENCH_CUDA_STATS
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace seedcanvas::tool {

std::optional<CudaMemoryStats> cuda_memory_stats(const c10::Device& device) {
#ifdef SEEDCANVAS_BENCH_CUDA_STATS
  if (!device.is_cuda()) return std::nullopt;
  const auto index = device.has_index() ? device.index() : c10::DeviceIndex(0);
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
  constexpr double kMiB = 1 << 20;
  const auto& allocated = stats.allocated_bytes[0];  // StatType::AGGREGATE
  const auto& reserved = stats.reserved_bytes[0];
  return CudaMemoryStats{allocated.current / kMiB, allocated.peak / kMiB, reserved.current / kMiB,
                         reserved.peak / kMiB};
#else
  (void)device;
  return std::nullopt;
#endif
}

}  // namespace seedcanvas::tool
