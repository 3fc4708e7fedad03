// seedcanvas-bench load: weight upload speed, file -> device. Writes a safetensors file of
// random tensors (the shapes of LLaMA-7B layers, about --mib in all), then loads it with
// nn::load_state onto --device through the pinned staging buffers and with plain tensor.to()
// (alternating, median of --runs each), plus a host-only read of the same file as its ceiling.
#include <ATen/ATen.h>
#include <CLI/CLI.hpp>
#include <c10/core/InferenceMode.h>
#include <c10/util/accumulate.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/command.h"
#include "core/error.h"
#include "io/safetensors.h"
#include "io/tensor_source.h"
#include "measure.h"
#include "nn/load.h"
#include "nn/module.h"
#include "pipeline/model_pack.h"

namespace seedcanvas::tool {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Parameters named and shaped as in the file; loading fills them.
class Weights : public nn::Module {
 public:
  explicit Weights(const std::vector<io::TensorInfo>& plan) : slots_(plan.size()) {
    for (std::size_t i = 0; i < plan.size(); ++i) register_parameter(plan[i].name, &slots_[i], plan[i].shape);
  }

 private:
  std::vector<at::Tensor> slots_;
};

int run_load(std::vector<std::string> args) {
  CLI::App app{"Weight upload speed: a safetensors file onto a device, staged vs tensor.to()", "load"};
  std::string device_name = "cpu", file_dtype = "bf16", target_dtype = "bf16", dir = fs::temp_directory_path().string();
  int mib = 2048, runs = 3;
  bool json = false;
  app.add_option("--device", device_name, "cpu or cuda[:N]");
  app.add_option("--mib", mib, "file size, MiB (rounded to whole 4096 x 11008 tensors)")->check(CLI::Range(1, 1 << 20));
  app.add_option("--file-dtype", file_dtype, "dtype stored in the file: fp32, bf16, fp16");
  app.add_option("--dtype", target_dtype, "dtype to load as: fp32, bf16, fp16");
  app.add_option("--dir", dir, "where the temporary file goes");
  app.add_option("--runs", runs, "timed loads per path")->check(CLI::Range(1, 20));
  app.add_flag("--json", json, "print JSON");
  if (auto done = parse_command_line(app, std::move(args))) return *done;
  c10::InferenceMode guard;
  const c10::Device device(device_name);
  const auto stored = pipeline::parse_dtype(file_dtype), target = pipeline::parse_dtype(target_dtype);

  // LLaMA-7B MLP-sized tensors plus a norm vector each, until the size is reached.
  std::vector<io::TensorInfo> plan;
  const std::uint64_t want = static_cast<std::uint64_t>(mib) << 20;
  std::uint64_t total = 0;
  for (int i = 0; total < want || plan.empty(); ++i) {
    io::TensorInfo big{"layers." + std::to_string(i) + ".weight", stored, {11008, 4096}, 0, {}};
    io::TensorInfo norm{"layers." + std::to_string(i) + ".norm", stored, {4096}, 0, {}};
    for (auto* t : {&big, &norm}) {
      t->nbytes = static_cast<std::uint64_t>(c10::multiply_integers(t->shape)) * c10::elementSize(stored);
      total += t->nbytes;
      plan.push_back(*t);
    }
  }
  const fs::path path = fs::path(dir) / ("seedcanvas-load-bench-" + std::to_string(::getpid()) + ".safetensors");
  struct Remove {
    fs::path p;
    ~Remove() {
      std::error_code ec;
      fs::remove(p, ec);
    }
  } remove{path};
  io::write_safetensors_streaming(path, plan, [&](std::size_t i) {
    return at::randn(plan[i].shape).to(stored);
  });
  auto source = io::open_checkpoint(path);

  auto load_once = [&](bool staged, Weights& weights) {
    nn::LoadOptions options;
    options.device = device;
    options.dtype = target;
    options.staged_upload = staged;
    const auto t0 = Clock::now();
    nn::load_state(weights, *source, options);
    sync_device(device);
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  auto read_once = [&] {  // the file into host memory, nothing else: the host side's ceiling
    const auto t0 = Clock::now();
    for (const auto& info : plan) source->load(info.name).clone();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  read_once();  // page cache warm for every run alike
  std::vector<double> staged, plain, read;
  bool same = true;  // the staged tensors equal the plain ones, bit for bit
  for (int r = 0; r < runs; ++r) {
    Weights a(plan), b(plan);
    staged.push_back(load_once(true, a));
    plain.push_back(load_once(false, b));
    read.push_back(read_once());
    if (r == 0) {
      const auto pa = a.named_parameters(), pb = b.named_parameters();
      for (std::size_t i = 0; i < pa.size(); ++i) same = same && at::equal(*pa[i].tensor, *pb[i].tensor);
    }
  }
  const double gb = static_cast<double>(total) / 1e9;
  const double staged_s = median(staged), plain_s = median(plain), read_s = median(read);
  if (json) {
    nlohmann::json out = {{"device", device.str()}, {"file_bytes", total},       {"file_dtype", file_dtype},
                          {"dtype", target_dtype},  {"staged_s", staged_s},      {"staged_gbs", gb / staged_s},
                          {"plain_s", plain_s},     {"plain_gbs", gb / plain_s}, {"host_read_gbs", gb / read_s},
                          {"runs", runs},           {"staged_equals_plain", same}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("load %.2f GB (%s file -> %s on %s), median of %d:\n", gb, file_dtype.c_str(), target_dtype.c_str(),
                device.str().c_str(), runs);
    std::printf("  staged upload  %.3f s (%.1f GB/s)%s\n", staged_s, gb / staged_s,
                device.is_cuda() ? "" : "  [CPU: the staging path is for CUDA; both are tensor copies here]");
    std::printf("  tensor.to()    %.3f s (%.1f GB/s)\n", plain_s, gb / plain_s);
    std::printf("  host read only %.3f s (%.1f GB/s)\n", read_s, gb / read_s);
    std::printf("  staged tensors %s the plain ones\n", same ? "equal" : "DIFFER FROM");
  }
  return same ? kOk : kInternal;
}

}  // namespace
}  // namespace seedcanvas::tool

SEEDCANVAS_COMMAND(load, "load", "weight upload speed: file -> device, staged vs tensor.to()", seedcanvas::tool::run_load);
