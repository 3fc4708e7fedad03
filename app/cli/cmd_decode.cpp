// seedcanvas-cli decode: an unCLIP image embedding (from a safetensors file, or from 32 SEED
// codes through the SEED tokenizer) -> the unCLIP diffusion decoder -> a PNG with text metadata.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "common/command.h"
#include "core/error.h"
#include "core/image.h"
#include "diffusion/unclip_components.h"
#include "diffusion/unclip_pipeline.h"
#include "io/safetensors.h"
#include "vision/seed_image_tokenizer.h"

#ifdef SEEDCANVAS_HAVE_IMAGEIO
#include "imageio/image_io.h"
#endif

namespace seedcanvas::tool {
namespace {

using TextPairs = std::vector<std::pair<std::string, std::string>>;

// PNG output goes through the OpenImageIO-based library when the tool was built with it.
void write_png(const std::filesystem::path& path, const at::Tensor& hwc, const TextPairs& text) {
#ifdef SEEDCANVAS_HAVE_IMAGEIO
  const auto out = diffusion::to_rgb_image(hwc);
  imageio::WriteOptions options;
  options.metadata = text;
  imageio::write_image(path, out, options);
#else
  (void)hwc;
  (void)text;
  throw_error(ErrorKind::Unsupported, describe(path.string(), "this build has no image writer (OpenImageIO)"));
#endif
}

// The embedding tensor of a safetensors file: `key`, else "image_embeds", else the only tensor.
at::Tensor read_embedding(const std::filesystem::path& path, const std::string& key) {
  auto file = io::SafetensorsFile::open(path);
  std::string name = key;
  if (name.empty()) {
    if (file->contains("image_embeds")) name = "image_embeds";
    else if (file->tensors().size() == 1) name = file->tensors().front().name;
    else throw_error(ErrorKind::NotFound, describe(path.string(), "several tensors and none named image_embeds; pick one with --embedding-key"));
  }
  if (!file->contains(name)) throw_error(ErrorKind::NotFound, describe(path.string(), "no such tensor", name));
  return file->load(name).to(at::kFloat);
}

std::string join_codes(const std::vector<int>& codes) {
  std::ostringstream s;
  for (std::size_t i = 0; i < codes.size(); ++i) s << (i ? " " : "") << codes[i];
  return s.str();
}

int run_decode(std::vector<std::string> args) {
  CLI::App app{"Decode an unCLIP image embedding (or SEED codes) into a picture", "seedcanvas-cli decode"};
  std::string unclip, embedding, embedding_key, tokenizer, output, scheduler, device = "cpu", dtype = "float32";
  std::vector<int> codes;
  std::int64_t steps = 20, noise_level = 0, height = 0, width = 0;
  double guidance = 10.0;
  std::uint64_t seed = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool quiet = false;
  app.add_option("--unclip", unclip, "stable-diffusion-2-1-unclip folder (diffusers layout)")->required();
  auto* emb = app.add_option("--embedding", embedding, "safetensors file holding the image embedding [1,E]");
  app.add_option("--embedding-key", embedding_key, "tensor name in --embedding (default: image_embeds)");
  auto* cds = app.add_option("--codes", codes, "SEED image codes (space or comma separated)")->delimiter(',');
  auto* tok = app.add_option("--tokenizer", tokenizer, "SEED tokenizer folder (with --codes)");
  emb->excludes(cds);
  cds->needs(tok);
  app.add_option("-o,--output", output, "output PNG")->required();
  app.add_option("--steps", steps, "inference steps (PNDM makes steps + 1 UNet calls)")->check(CLI::Range(1, 1000));
  app.add_option("--guidance", guidance, "classifier-free guidance scale (<= 1: off)");
  app.add_option("--scheduler", scheduler, "pndm | ddim | dpmpp (default: the folder's)")
      ->check(CLI::IsMember({"pndm", "ddim", "dpmpp"}));
  app.add_option("--seed", seed, "seed of the initial latents and augmentation noise");
  app.add_option("--noise-level", noise_level, "unCLIP embedding noise level");
  app.add_option("--height", height, "image height (default: UNet sample size x VAE factor)");
  app.add_option("--width", width, "image width");
  app.add_option("--device", device, "cpu, cuda, cuda:N");
  app.add_option("--dtype", dtype, "float32 | bfloat16 | float16")->check(CLI::IsMember({"float32", "bfloat16", "float16"}));
  app.add_option("--threads", threads, "CPU threads")->check(CLI::Range(1, 1024));
  app.add_flag("-q,--quiet", quiet, "no progress output");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  if (embedding.empty() && codes.empty()) {
    std::fprintf(stderr, "seedcanvas-cli decode: give --embedding FILE or --codes ... --tokenizer DIR\n");
    return kUsage;
  }
  at::set_num_threads(threads);
  c10::Device dev(device);
  const auto st = dtype == "bfloat16" ? at::kBFloat16 : dtype == "float16" ? at::kHalf : at::kFloat;
  auto say = [&](const char* fmt, auto... a) {
    if (!quiet) std::fprintf(stderr, fmt, a...);
  };

  // 1. The embedding.
  at::Tensor image_embeds;
  if (!codes.empty()) {
    say("loading SEED tokenizer %s\n", tokenizer.c_str());
    vision::SeedTokenizerOptions topt;
    auto tk = vision::SeedImageTokenizer::load(tokenizer, topt);
    if (static_cast<int>(codes.size()) != tk->num_codes())
      throw_error(ErrorKind::Format, "expected " + std::to_string(tk->num_codes()) + " codes, got " +
                                         std::to_string(codes.size()));
    image_embeds = tk->decode(codes);
  } else {
    image_embeds = read_embedding(embedding, embedding_key);
  }

  // 2. The decoder.
  say("loading unCLIP decoder %s\n", unclip.c_str());
  diffusion::UnclipLoadOptions lopt;
  lopt.device = dev;
  lopt.dtype = st;
  auto pipeline = diffusion::UnclipPipeline::load(unclip, lopt);

  diffusion::DecodeOptions o;
  o.steps = steps;
  o.guidance_scale = guidance;
  o.seed = seed;
  o.noise_level = noise_level;
  o.height = height;
  o.width = width;
  if (!scheduler.empty()) o.scheduler = diffusion::parse_scheduler_kind(scheduler);
  const auto t0 = std::chrono::steady_clock::now();
  o.on_step = [&](const diffusion::StepInfo& s) {
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    say("\rstep %lld/%lld (t=%lld) %.1fs", static_cast<long long>(s.index + 1), static_cast<long long>(s.total),
        static_cast<long long>(s.timestep), sec);
    return true;
  };
  auto r = pipeline->decode(image_embeds, o);
  say("\n");

  // 3. The picture, with what made it.
  nlohmann::json settings = {{"prompt", ""},
                             {"steps", steps},
                             {"guidance_scale", guidance},
                             {"scheduler", scheduler.empty() ? std::string("default") : scheduler},
                             {"noise_level", noise_level},
                             {"seed", seed},
                             {"width", r.image.size(1)},
                             {"height", r.image.size(0)},
                             {"unclip", unclip}};
  TextPairs text = {{"Software", std::string("SeedCanvas ") + SEEDCANVAS_VERSION},
                    {"seedcanvas.prompt", ""},
                    {"seedcanvas.seed", std::to_string(seed)},
                    {"seedcanvas.settings", settings.dump()}};
  if (!codes.empty()) text.emplace_back("seedcanvas.codes", join_codes(codes));
  else text.emplace_back("seedcanvas.embedding", embedding);
  write_png(output, r.image, text);
  say("wrote %s (%lldx%lld)\n", output.c_str(), static_cast<long long>(r.image.size(1)),
      static_cast<long long>(r.image.size(0)));
  return kOk;
}

}  // namespace

SEEDCANVAS_COMMAND(decode, "decode", "unCLIP image embedding or SEED codes -> PNG", run_decode);

}  // namespace seedcanvas::tool
