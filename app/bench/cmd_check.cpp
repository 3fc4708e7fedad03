// seedcanvas-bench check: the conformance fixtures without Qt (the GPU machine has LibTorch
// alone): loads each component's fixture networks onto --device, compares their outputs with
// the recorded upstream ones, prints one line per comparison and exits non-zero if any fails.
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>
#include <c10/core/GradMode.h>
#include <torch/version.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "checks.h"
#include "common/command.h"
#include "core/error.h"

namespace seedcanvas::tool {
namespace {

namespace fs = std::filesystem;

struct Component {
  const char* name;  // also the fixture sub-folder
  void (*run)(const fs::path&, c10::Device, check::Report&);
};

constexpr Component kComponents[] = {
    {"llama", check::check_llama},
    {"seed_tokenizer", check::check_seed_tokenizer},
    {"diffusion", check::check_diffusion},
};

std::vector<const Component*> select(const std::string& only) {
  std::vector<const Component*> out;
  std::stringstream ss(only);
  for (std::string item; std::getline(ss, item, ',');) {
    if (item.empty()) continue;
    const Component* found = nullptr;
    for (const auto& c : kComponents)
      if (item == c.name) found = &c;
    if (!found) throw_error(ErrorKind::Config, "--only: unknown component '" + item + "' (llama, seed_tokenizer, diffusion)");
    out.push_back(found);
  }
  if (out.empty()) throw_error(ErrorKind::Config, "--only: no component named");
  return out;
}

int run_check(std::vector<std::string> args) {
  CLI::App app{"Run the conformance fixtures' networks on a device and compare with the recorded upstream outputs"};
  std::string fixtures, device_arg = "cpu", only = "llama,seed_tokenizer,diffusion";
  // The fixture networks are tiny: more threads only add barrier waits (seconds on a busy machine).
  int threads = 1;
  app.add_option("--fixtures", fixtures, "fixtures folder holding llama/, seed_tokenizer/, diffusion/")->required();
  app.add_option("--device", device_arg, "cpu or cuda[:N]");
  app.add_option("--only", only, "comma-separated components: llama, seed_tokenizer, diffusion");
  app.add_option("--threads", threads, "CPU intra-op threads")->check(CLI::Range(1, 1024));
  if (auto done = parse_command_line(app, std::move(args))) return *done;

  const auto components = select(only);
  c10::Device device(c10::kCPU);
  try {
    device = c10::Device(device_arg);
  } catch (const std::exception&) {
    throw_error(ErrorKind::Config, "--device: not a device: '" + device_arg + "'");
  }
  if (!device.is_cpu() && !device.is_cuda()) throw_error(ErrorKind::Config, "--device: cpu or cuda[:N]");
  if (device.is_cuda() && !at::hasCUDA())
    throw_error(ErrorKind::Unsupported, "--device " + device_arg + ": this LibTorch build has no CUDA (or no GPU)");
  for (const auto* c : components)
    if (!fs::is_directory(fs::path(fixtures) / c->name))
      throw_error(ErrorKind::NotFound, describe((fs::path(fixtures) / c->name).string(),
                                                "no such fixture folder (--only selects components)"));
  at::set_num_threads(threads);
  if (device.is_cuda()) {
    // The fp32 references are exact fp32: TF32 (cuBLAS matmuls, cuDNN convolutions) would
    // round products to 10 mantissa bits, far outside the 1e-4 tolerances.
    at::globalContext().setAllowTF32CuBLAS(false);
    at::globalContext().setAllowTF32CuDNN(false);
  }
  c10::NoGradGuard no_grad;

  std::printf("check: fixtures %s, device %s, LibTorch %s, %d CPU threads%s\n", fixtures.c_str(), device.str().c_str(),
              TORCH_VERSION, at::get_num_threads(), device.is_cuda() ? ", TF32 off" : "");
  check::Report report;
  std::vector<std::string> summary;
  for (const auto* c : components) {
    const int checks_before = report.checks(), failures_before = report.failures();
    const auto t0 = std::chrono::steady_clock::now();
    report.guarded(c->name, [&] { c->run(fs::path(fixtures) / c->name, device, report); });
    if (report.checks() == checks_before) report.line(c->name, "no comparisons", "-", false, "nothing found to compare");
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s: %d checks, %d FAILED, %.1f s", c->name, report.checks() - checks_before,
                  report.failures() - failures_before, s);
    summary.emplace_back(buf);
  }
  for (const auto& line : summary) std::printf("%s\n", line.c_str());
  std::printf("check: %s (%d checks, %d FAILED)\n", report.failures() == 0 ? "ok" : "FAILED", report.checks(),
              report.failures());
  return report.failures() == 0 ? kOk : kInternal;
}

}  // namespace

SEEDCANVAS_COMMAND(check, "check", "conformance fixtures on a device (no Qt): one line per comparison", run_check);

}  // namespace seedcanvas::tool
