// seedcanvas-bench tokenizer: image -> SEED codes on a network of the released sizes
// (EVA ViT-g 1408 x 39, BERT-base Q-Former, 8192 x 32 codebook) with random weights:
// one warm-up, then the median of several runs, per dtype. Decoding (codes -> embedding)
// is timed the same way. (The fixture model's numerics on a device: `seedcanvas-bench check
// --only seed_tokenizer`.)
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/command.h"
#include "core/error.h"
#include "pipeline/model_pack.h"
#include "measure.h"
#include "test_card.h"
#include "vision/seed_image_tokenizer.h"

using namespace seedcanvas;

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
std::vector<double> time_runs(int iters, const c10::Device& device, F&& f) {
  f();  // warm-up: allocator, kernels, caches
  tool::sync_device(device);
  std::vector<double> ms;
  for (int i = 0; i < iters; ++i) {
    const auto t0 = Clock::now();
    f();
    tool::sync_device(device);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms;
}

int run_tokenizer_bench(std::vector<std::string> args) {
  CLI::App app{"Time image -> SEED codes (and codes -> embedding) on a random model of the released sizes."};
  std::string dtypes_arg = "fp32,bf16", device_arg = "cpu";
  int iters = 3, threads = 0, width = 512, height = 384;
  app.add_option("--dtypes", dtypes_arg, "comma-separated: fp32, bf16, fp16 (CUDA)");
  app.add_option("--device", device_arg, "cpu or cuda[:N]");
  app.add_option("--iters", iters, "timed runs after one warm-up (median reported)")->check(CLI::Range(1, 1000));
  app.add_option("--threads", threads, "CPU threads (default: all cores)");
  app.add_option("--width", width, "input image width (resized to 224 like upstream)")->check(CLI::Range(1, 8192));
  app.add_option("--height", height, "input image height")->check(CLI::Range(1, 8192));
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  at::set_num_threads(threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency()));
  c10::Device device(c10::kCPU);
  try {
    device = c10::Device(device_arg);
  } catch (const std::exception&) {
    throw_error(ErrorKind::Config, "--device: not a device: '" + device_arg + "'");
  }
  std::vector<c10::ScalarType> dtypes;
  std::stringstream ss(dtypes_arg);
  for (std::string item; std::getline(ss, item, ',');) dtypes.push_back(pipeline::parse_dtype(item));

  const auto dims = vision::seed_tokenizer_2_dims();
  const auto image = tool::test_card(width, height);
  std::printf("SEED tokenizer, released sizes (ViT %lldx%lld, Q-Former %lldx%lld, codebook %lldx%lld), %s, %d threads, "
              "image %dx%d, median of %d after 1 warm-up\n",
              static_cast<long long>(dims.vit.width), static_cast<long long>(dims.vit.depth),
              static_cast<long long>(dims.qformer.hidden), static_cast<long long>(dims.qformer.num_layers),
              static_cast<long long>(dims.n_embed), static_cast<long long>(dims.codebook_dim), device.str().c_str(),
              at::get_num_threads(), width, height, iters);
  for (auto dtype : dtypes) {
    vision::SeedTokenizerOptions o;
    o.device = device, o.dtype = dtype;
    const auto t0 = Clock::now();
    auto tok = vision::SeedImageTokenizer::random(dims, {}, o, 1234);
    const double init_s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::vector<int> codes;
    const auto enc = time_runs(iters, device, [&] { codes = tok->encode(image); });
    const auto pix = tok->preprocess(image);
    const auto pre = time_runs(iters, device, [&] { (void)tok->preprocess(image); });
    const auto dec = time_runs(iters, device, [&] { (void)tok->decode(codes); });
    auto median = [](const std::vector<double>& v) { return v[v.size() / 2]; };
    std::printf("%-9s params %.3f G, init %.1f s | image->codes median %.1f ms (min %.1f, max %.1f; preprocess %.2f ms)"
                " | codes->embedding median %.2f ms\n",
                c10::toString(dtype), tok->model().parameter_count() / 1e9, init_s, median(enc), enc.front(),
                enc.back(), median(pre), median(dec));
  }
  return tool::kOk;
}

}  // namespace

SEEDCANVAS_COMMAND(tokenizer, "tokenizer", "SEED image tokenizer: image->codes and codes->embedding timings",
                   run_tokenizer_bench);
