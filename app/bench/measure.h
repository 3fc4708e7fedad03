// Small measuring helpers shared by the bench commands.
#pragma once

#include <ATen/ATen.h>
#include <sys/resource.h>

#include <algorithm>
#include <vector>

namespace seedcanvas::tool {

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Returns once the work queued on `device` is done (a host read of a fresh device tensor).
inline void sync_device(c10::Device device) {
  if (!device.is_cpu()) at::zeros({1}, at::TensorOptions().device(device)).cpu();
}

// Peak resident set of this process so far, MiB.
inline double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: KiB
}

}  // namespace seedcanvas::tool
