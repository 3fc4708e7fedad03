// seedcanvas-bench unet: one UNet call (batch 2, as classifier-free guidance runs it) and one
// VAE decode of the real stable-diffusion-2-1-unclip sizes (spec 4.4 / 4.6 presets) with random
// weights, at a chosen image size, plus peak RSS. (The fixture networks' numerics on a device:
// `seedcanvas-bench check --only diffusion`.)
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "common/command.h"
#include "measure.h"
#include "core/error.h"
#include "pipeline/model_pack.h"
#include "diffusion/unet.h"
#include "diffusion/vae.h"

namespace seedcanvas::tool {
namespace {

using Clock = std::chrono::steady_clock;

// Random weights of the module's own shapes, made one tensor at a time in the target dtype.
void randomize(nn::Module& module, c10::Device device, c10::ScalarType dtype) {
  for (auto& p : module.named_parameters())
    *p.tensor = (at::randn(p.shape) * 0.02).to(device, dtype);
}

template <typename F>
double time_ms(F&& f) {
  const auto t0 = Clock::now();
  f();
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

int run_unet_bench(std::vector<std::string> args) {
  CLI::App app{"Time one UNet call (batch 2) and one VAE decode of stable-diffusion-2-1-unclip with random weights"};
  std::int64_t size = 256;
  std::string dtype_name = "fp32", device_name = "cpu";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int warmup = 0, runs = 1;
  bool channels_last = false, skip_vae = false, tiled = false;
  bool no_tf32 = false;
  app.add_option("--size", size, "image size in pixels (latent = size / 8), e.g. 256 or 768");
  app.add_option("--dtype", dtype_name, "fp32 | bf16 | fp16");
  app.add_option("--device", device_name, "cpu | cuda");
  app.add_option("--threads", threads, "intra-op threads (CPU)");
  app.add_option("--warmup", warmup, "untimed calls before the timed ones");
  app.add_option("--runs", runs, "timed calls (the mean is reported)");
  app.add_flag("--channels-last", channels_last, "channels-last layout for convolutions");
  app.add_flag("--no-vae", skip_vae, "time the UNet only");
  app.add_flag("--tiled-vae", tiled, "tiled VAE decode (64-latent tiles, 16 overlap)");
  app.add_flag("--no-tf32", no_tf32, "CUDA fp32: no TF32 in convolutions/matmuls (exact fp32)");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  const auto dtype = pipeline::parse_dtype(dtype_name);
  const c10::Device device(device_name);
  if (size <= 0 || size % 8 != 0) throw_error(ErrorKind::Config, "--size must be a positive multiple of 8");
  at::set_num_threads(threads);
  if (no_tf32) {
    at::globalContext().setAllowTF32CuDNN(false);  // cuDNN convolutions default to TF32
    at::globalContext().setAllowTF32CuBLAS(false);
  }
  at::manual_seed(0);
  c10::NoGradGuard no_grad;

  const auto unet_config = diffusion::UNet2DConditionConfig::sd21_unclip();
  const auto vae_config = diffusion::AutoencoderKLConfig::sd21();
  const std::int64_t latent = size / vae_config.scale_factor();
  auto sync = [](const at::Tensor& t) { return t.to(at::kCPU); };  // waits for queued device work

  diffusion::UNet2DConditionModel unet(unet_config);
  randomize(unet, device, dtype);
  unet.set_channels_last(channels_last);
  const double unet_params = static_cast<double>(unet.parameter_count());
  auto sample = at::randn({2, unet_config.in_channels, latent, latent}).to(device, dtype);
  auto timestep = at::full({1}, 951, at::kLong);
  auto context = at::randn({2, 77, unet_config.cross_attention_dim[0]}).to(device, dtype);
  auto labels = at::randn({2, unet_config.projection_class_embeddings_input_dim}).to(device, dtype);
  for (int i = 0; i < warmup; ++i) sync(unet.forward(sample, timestep, context, labels));
  double unet_ms = 0;
  for (int i = 0; i < runs; ++i) unet_ms += time_ms([&] { sync(unet.forward(sample, timestep, context, labels)); });
  unet_ms /= runs;
  const double rss_after_unet = peak_rss_mib();
  std::printf("unet: %.0f M params, %s, %s, %d threads, image %lldx%lld (latent %lld), batch 2: %.1f ms/call\n",
              unet_params / 1e6, dtype_name.c_str(), device_name.c_str(), threads, static_cast<long long>(size),
              static_cast<long long>(size), static_cast<long long>(latent), unet_ms);
  std::printf("peak RSS after UNet: %.0f MiB\n", rss_after_unet);

  if (!skip_vae) {
    diffusion::AutoencoderKLDecoder vae(vae_config);
    randomize(vae, device, dtype);
    vae.set_channels_last(channels_last);
    vae.tiling.enabled = tiled;
    auto latents = at::randn({1, vae_config.latent_channels, latent, latent}).to(device, dtype);
    for (int i = 0; i < warmup; ++i) sync(vae.decode(latents));
    double vae_ms = 0;
    for (int i = 0; i < runs; ++i) vae_ms += time_ms([&] { sync(vae.decode(latents)); });
    vae_ms /= runs;
    std::printf("vae decode: %.1f M params, batch 1%s: %.1f ms\n", static_cast<double>(vae.parameter_count()) / 1e6,
                tiled ? " (tiled)" : "", vae_ms);
  }
  std::printf("peak RSS: %.0f MiB\n", peak_rss_mib());
  return kOk;
}

}  // namespace

SEEDCANVAS_COMMAND(unet, "unet", "time one unCLIP UNet call and one VAE decode (random weights)", run_unet_bench);

}  // namespace seedcanvas::tool
