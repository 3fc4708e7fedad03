// seedcanvas-bench bandwidth: the memory read bandwidth that bounds batch-1 decoding.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "bandwidth.h"
#include "common/command.h"

namespace seedcanvas::tool {

Bandwidth measure_read_bandwidth(std::uint64_t bytes, int repeats) {
  c10::InferenceMode guard;
  using Clock = std::chrono::steady_clock;
  auto best_seconds = [&](auto&& fn) {
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
      const auto t0 = Clock::now();
      fn();
      best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best;
  };
  const auto n = static_cast<std::int64_t>(bytes / sizeof(float));
  Bandwidth bw;
  {
    auto buffer = at::ones({n});
    auto out = at::empty({}, buffer.options());
    at::sum_out(out, buffer);  // touch every page once
    bw.reduction_gbs = static_cast<double>(buffer.nbytes()) / best_seconds([&] { at::sum_out(out, buffer); }) / 1e9;
  }
  {
    const std::int64_t cols = 4096, rows = n / cols;
    auto matrix = at::ones({rows, cols});
    auto x = at::ones({cols}), y = at::empty({rows});
    at::mv_out(y, matrix, x);
    bw.gemv_gbs = static_cast<double>(matrix.nbytes()) / best_seconds([&] { at::mv_out(y, matrix, x); }) / 1e9;
  }
  return bw;
}

Bandwidth measure_device_bandwidth(const c10::Device& device, std::uint64_t bytes, int repeats) {
  c10::InferenceMode guard;
  using Clock = std::chrono::steady_clock;
  auto buffer = at::ones({static_cast<std::int64_t>(bytes / sizeof(float))}, at::TensorOptions().device(device));
  buffer.sum().item<float>();  // warm-up; item() waits for the device
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    buffer.sum().item<float>();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  Bandwidth bw;
  bw.reduction_gbs = static_cast<double>(buffer.nbytes()) / best / 1e9;
  return bw;
}

namespace {

int run_bandwidth(std::vector<std::string> args) {
  CLI::App app{"Measures memory read bandwidth (reduction and fp32 GEMV over a large buffer)", "bandwidth"};
  int threads = 2;
  int mib = 256;
  app.add_option("--threads", threads, "intra-op threads")->check(CLI::Range(1, 256));
  app.add_option("--mib", mib, "buffer size in MiB")->check(CLI::Range(16, 16384));
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  at::set_num_threads(threads);
  const auto bw = measure_read_bandwidth(static_cast<std::uint64_t>(mib) << 20);
  std::printf("threads %d, buffer %d MiB: reduction %.1f GB/s, fp32 GEMV %.1f GB/s\n", threads, mib, bw.reduction_gbs,
              bw.gemv_gbs);
  return kOk;
}

}  // namespace
}  // namespace seedcanvas::tool

SEEDCANVAS_COMMAND(bandwidth, "bandwidth", "memory read bandwidth (the decode roofline)", seedcanvas::tool::run_bandwidth);
