// unCLIP decoder part of `seedcanvas-bench check`: the tiny fixture pipeline's UNet, VAE and text
// encoder on the chosen device against the recorded upstream outputs (diffusion/MANIFEST.md),
// with the tolerances of tests/conformance/test_diffusion_models.cpp.
#include <ATen/ATen.h>

#include <algorithm>
#include <string>
#include <vector>

#include "checks.h"
#include "diffusion/unclip_components.h"
#include "io/safetensors.h"

namespace seedcanvas::tool::check {
namespace {

namespace fs = std::filesystem;

constexpr Tolerance kNet{1e-4, 1e-4};  // MANIFEST: UNet outputs, VAE decode

std::vector<std::string> names_with_prefix(const io::TensorSource& src, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& t : src.tensors())
    if (t.name.rfind(prefix, 0) == 0) out.push_back(t.name);
  return out;
}

// The recorded pipeline runs (run_pndm, run_ddim, ...): every UNet call with its inputs.
std::vector<fs::path> run_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind("run_", 0) == 0 && e.path().extension() == ".safetensors")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::unique_ptr<diffusion::UnclipComponents> load(const fs::path& dir, c10::Device device, c10::ScalarType dtype) {
  diffusion::UnclipLoadOptions options;
  options.device = device;
  options.dtype = dtype;
  return diffusion::UnclipComponents::load(dir / "pipeline", options);
}

void check_fp32(const fs::path& dir, c10::Device device, Report& r) {
  const std::string n = "diffusion fp32 ";
  auto c = load(dir, device, at::kFloat);
  {
    auto f = io::SafetensorsFile::open(dir / "unet_forward.safetensors");
    const auto sample = f->load("sample"), ehs = f->load("encoder_hidden_states"), labels = f->load("class_labels");
    for (const auto& name : names_with_prefix(*f, "out_t")) {
      const auto t = f->load("timestep_" + name.substr(5));
      r.close(n + "unet " + name, c->unet.forward(sample, t, ehs, labels), f->load(name), kNet);
    }
  }
  {
    auto f = io::SafetensorsFile::open(dir / "vae_decode.safetensors");
    r.close(n + "vae decoded", c->vae.decode(f->load("latents")), f->load("decoded"), kNet);
  }
  for (const auto& run : run_files(dir)) {
    auto f = io::SafetensorsFile::open(run);
    const auto tag = n + run.stem().string() + " ";
    r.close(tag + "empty prompt_embeds", c->empty_prompt_embeds(), f->load("prompt_embeds"), {1e-5, 0});
    const auto ehs = f->load("unet_encoder_hidden_states"), labels = f->load("unet_class_labels");
    TensorPairs calls;
    for (const auto& name : names_with_prefix(*f, "step")) {
      const auto dot = name.find('.');
      if (name.substr(dot + 1) != "unet_sample") continue;
      const auto step = name.substr(0, dot);
      calls.emplace_back(c->unet.forward(f->load(name), f->load(step + ".timestep"), ehs, labels),
                         f->load(step + ".unet_output"));
    }
    const auto expected_calls = f->load("timesteps").numel();
    if (static_cast<std::int64_t>(calls.size()) != expected_calls)
      r.line(tag + "unet calls", "found " + std::to_string(calls.size()), std::to_string(expected_calls), false);
    r.close(tag + "unet outputs (" + std::to_string(calls.size()) + " calls)", calls, kNet);
    r.close(tag + "vae_decode_output", c->vae.decode_unscaled(f->load("vae_decode_input")), f->load("vae_decode_output"),
            {2e-4, 0});
  }
}

// Reduced precision against the fp32 references, with the conformance test's bf16 bounds
// (relative L2 error of the UNet and VAE outputs, the empty prompt close).
void check_reduced(const fs::path& dir, c10::Device device, c10::ScalarType dtype, Report& r) {
  const std::string n = std::string("diffusion ") + (dtype == at::kHalf ? "fp16 " : "bf16 ");
  auto c = load(dir, device, dtype);
  auto f = io::SafetensorsFile::open(dir / "unet_forward.safetensors");
  const auto sample = f->load("sample"), ehs = f->load("encoder_hidden_states"), labels = f->load("class_labels");
  for (const auto& name : names_with_prefix(*f, "out_t")) {
    const auto t = f->load("timestep_" + name.substr(5));
    r.relative(n + "unet " + name, c->unet.forward(sample, t, ehs, labels).to(at::kFloat), f->load(name), 0.05);
  }
  auto v = io::SafetensorsFile::open(dir / "vae_decode.safetensors");
  r.relative(n + "vae decoded", c->vae.decode(v->load("latents")).to(at::kFloat), v->load("decoded"), 0.05);
  const auto runs = run_files(dir);
  if (!runs.empty())
    r.close(n + "empty prompt_embeds", c->empty_prompt_embeds().to(at::kFloat),
            io::SafetensorsFile::open(runs.front())->load("prompt_embeds"), {0.05, 0.05});
}

}  // namespace

void check_diffusion(const fs::path& dir, c10::Device device, Report& report) {
  report.guarded("diffusion fp32", [&] { check_fp32(dir, device, report); });
  report.guarded("diffusion bf16", [&] { check_reduced(dir, device, at::kBFloat16, report); });
  // CPU builds have no fp16 convolutions.
  if (device.is_cuda()) report.guarded("diffusion fp16", [&] { check_reduced(dir, device, at::kHalf, report); });
}

}  // namespace seedcanvas::tool::check
