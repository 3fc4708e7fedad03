#include "cli/pack_session.h"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "core/error.h"
#include "core/user_dirs.h"
#ifdef SEEDCANVAS_HAVE_IMAGEIO
#include "imageio/image_io.h"
#endif

namespace seedcanvas::tool {
namespace fs = std::filesystem;

void PackFlags::add_to(CLI::App& app) {
  app.add_option("--pack", pack, "model pack folder (default: $SEEDCANVAS_PACK, else the bundled demo pack)");
  app.add_option("--device", device, "cpu, cuda or cuda:N (default: CUDA when available)");
  app.add_option("--dtype", dtype, "fp32, bf16 or fp16 (default: chosen for the device)");
  app.add_option("--threads", threads, "CPU threads (default: all cores)");
  auto& s = settings.sampling;
  app.add_option("--seed", s.seed, "random seed of the language model (images derive theirs from it)");
  app.add_option("--temperature", s.temperature, "sampling temperature (0: greedy)")->capture_default_str();
  app.add_option("--top-k", s.top_k, "keep the k most likely tokens (0: off)")->capture_default_str();
  app.add_option("--top-p", s.top_p, "nucleus sampling threshold")->capture_default_str();
  app.add_option("--repetition-penalty", s.repetition_penalty, "1: off")->capture_default_str();
  app.add_option("--max-new-tokens", s.max_new_tokens, "most tokens to generate")->capture_default_str();
  app.add_flag("!--no-image-constraint", s.constrain_image_spans, "let the model write malformed image spans");
  auto& d = settings.diffusion;
  app.add_option("--steps", d.steps, "diffusion steps")->capture_default_str();
  app.add_option("--guidance", d.guidance, "classifier-free guidance scale")->capture_default_str();
  app.add_option("--scheduler", d.scheduler, "pndm, ddim or dpmpp")->capture_default_str();
  app.add_option("--image-seed", d.seed, "diffusion seed (0: derived from --seed)");
  app.add_flag("-q,--quiet", quiet, "no progress on stderr");
}

fs::path PackFlags::resolve_pack() const {
  if (!pack.empty()) return pack;
  if (const char* env = std::getenv("SEEDCANVAS_PACK"); env && *env) return env;
  char buf[4096];
  const auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  fs::path exe_dir = n > 0 ? fs::path(std::string(buf, static_cast<std::size_t>(n))).parent_path() : fs::current_path();
  for (const auto& candidate : {exe_dir / "../../demo-pack", exe_dir / "../share/seedcanvas/demo-pack"}) {
    if (fs::is_regular_file(candidate / "seedcanvas-pack.json")) return fs::weakly_canonical(candidate);
  }
  throw Error(ErrorKind::NotFound, "no model pack given (--pack DIR or $SEEDCANVAS_PACK) and no demo pack found; "
                                   "create one with 'seedcanvas-cli make-demo-pack DIR'");
}

std::unique_ptr<pipeline::SeedPipeline> PackFlags::load() const {
  pipeline::LoadRequest request;
  request.pack_dir = resolve_pack().string();
  request.device = device;
  request.dtype = dtype;
  request.threads = threads;
  // The GPU's projection kernels, kept between runs as the app keeps them (a CUDA load only).
  if (const auto cache = user_cache_dir(); !cache.empty())
    request.gemv_choices = (cache / "seedcanvas" / "gpu-kernels.json").string();
  std::string last_stage;
  auto p = pipeline::SeedPipeline::load(request, [&](const std::string& stage, int, int) {
    if (!quiet && stage != last_stage) std::fprintf(stderr, "%s...\n", stage.c_str());
    last_stage = stage;
    return true;
  });
  if (!quiet) std::fprintf(stderr, "%s\n", p->description().c_str());
  return p;
}

void print_event(const pipeline::Event& e, bool quiet) {
  using K = pipeline::EventKind;
  switch (e.kind) {
    case K::TextDelta:
      std::fputs(e.text.c_str(), stdout);
      std::fflush(stdout);
      break;
    case K::ImageTokenized:
      if (!quiet) std::fprintf(stderr, "[image %d tokenized: %zu codes]\n", e.index + 1, e.codes.size());
      break;
    case K::ImageTokens:
      if (!quiet && (e.step == 1 || e.step == e.total)) std::fprintf(stderr, "\n[image %d: tokens %d/%d]", e.index + 1, e.step, e.total);
      break;
    case K::DiffusionStep:
      if (!quiet) std::fprintf(stderr, "\r[image %d: diffusion step %d/%d]", e.index + 1, e.step, e.total);
      if (!quiet && e.step == e.total) std::fputc('\n', stderr);
      break;
    case K::ImageReady:
      if (!quiet) std::fprintf(stderr, "[image %d ready: %dx%d, seed %llu]\n", e.index + 1, e.image->width, e.image->height,
                               static_cast<unsigned long long>(e.seed));
      break;
    case K::MalformedImage: std::fprintf(stderr, "[image %d not drawn: %s]\n", e.index + 1, e.text.c_str()); break;
    case K::Finished:
      std::fputc('\n', stdout);
      if (!quiet)
        std::fprintf(stderr, "[%s: %d tokens, %.1f tokens/s, first token after %.2f s, %d of %d prompt tokens cached]\n",
                     pipeline::finish_reason_name(e.reason), e.stats.new_tokens, e.stats.tokens_per_s,
                     e.stats.time_to_first_token_s, e.stats.reused_prompt_tokens, e.stats.prompt_tokens);
      break;
    case K::Failed: std::fprintf(stderr, "error: %s\n", e.text.c_str()); break;
    default: break;
  }
}

RgbImage read_image_file(const std::string& path) {
#ifdef SEEDCANVAS_HAVE_IMAGEIO
  return imageio::read_image(path);
#else
  throw Error(ErrorKind::Unsupported, path + ": this build has no image-I/O library (OpenImageIO)");
#endif
}

void write_image_file(const std::string& path, const RgbImage& image, const pipeline::Codes& codes, std::uint64_t seed,
                      const std::string& prompt, const pipeline::GenerationSettings& settings) {
#ifdef SEEDCANVAS_HAVE_IMAGEIO
  std::string code_text;
  for (auto c : codes) code_text += (code_text.empty() ? "" : " ") + std::to_string(c);
  imageio::WriteOptions options;
  options.metadata = {{"Software", std::string("SeedCanvas ") + SEEDCANVAS_VERSION},
                      {"seedcanvas:prompt", prompt},
                      {"seedcanvas:codes", code_text},
                      {"seedcanvas:seed", std::to_string(seed)},
                      {"seedcanvas:steps", std::to_string(settings.diffusion.steps)},
                      {"seedcanvas:guidance", std::to_string(settings.diffusion.guidance)},
                      {"seedcanvas:scheduler", settings.diffusion.scheduler}};
  imageio::write_image(path, image, options);
#else
  (void)image, (void)codes, (void)seed, (void)prompt, (void)settings;
  throw Error(ErrorKind::Unsupported, path + ": this build has no image-I/O library (OpenImageIO)");
#endif
}

std::string chat_command(const std::string& line) {
  if (line.size() < 2 || line[0] != '/') return {};
  const std::string word = line.substr(0, line.find_first_of(" \t"));
  return word.find('/', 1) == std::string::npos ? word : std::string();
}

}  // namespace seedcanvas::tool
