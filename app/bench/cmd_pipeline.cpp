// seedcanvas-bench pipeline: the whole SEED-LLaMA system resident at once (LLaMA + its KV cache,
// SEED tokenizer, unCLIP UNet + VAE) with random weights of the real sizes, timing the two requests
// users make, as SeedPipeline runs them:
//   understanding: test card -> 32 codes -> 64-token prompt holding them -> first token;
//   text -> image: prompt ending in the forced <img> -> 32 sampled codes + </img> -> de-tokenizer
//                  -> unCLIP (PNDM, guidance on: batch 2) -> VAE -> uint8 picture.
// One untimed warm-up request of each kind, then the median of --runs per stage; peak RSS, and
// the CUDA caching allocator's peaks where the build has them. --tiny: the demo pack's sizes.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common/command.h"
#include "measure.h"
#include "core/error.h"
#include "cuda_memory.h"
#include "diffusion/unclip_pipeline.h"
#include "llm/generate.h"
#include "llm/output_parser.h"
#include "llm/sampler.h"
#include "pipeline/model_pack.h"
#include "pipeline/service_types.h"
#include "pipeline_models.h"
#include "test_card.h"
#include "vision/seed_image_tokenizer.h"

namespace seedcanvas::tool {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kMiB = 1 << 20;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Stage times of one request, in ms.
struct Understanding {
  double tokenize = 0, prefill = 0, ttft = 0, total = 0;
};
struct TextToImage {
  double llm = 0, llm_prefill = 0, llm_decode_per_token = 0, detokenize = 0, diffusion = 0, vae = 0, total = 0;
  std::int64_t generated_tokens = 0, codes = 0, unet_calls = 0;
  int width = 0, height = 0;
};

class Requests {
 public:
  Requests(PipelineModels& m, c10::Device device, std::int64_t prompt_tokens, std::int64_t size, std::int64_t steps,
           std::uint64_t seed)
      : m_(m),
        device_(device),
        builder_(llm::PromptTemplate::Seed8B, m.ids, synthetic_text_encoder(m.ids)),
        size_(size),
        steps_(steps),
        seed_(seed) {
    // The question is padded to make the understanding prompt exactly `prompt_tokens` long.
    const std::vector<std::int64_t> no_codes(llm::TokenIds::kCodesPerImage, 0);
    const auto overhead = static_cast<std::int64_t>(builder_.encode({question(no_codes, 0)}).size());
    question_words_ = prompt_tokens - overhead;
    if (question_words_ < 1)
      throw_error(ErrorKind::Config, "--prompt-tokens must be at least " + std::to_string(overhead + 1) +
                                         " (the template and the image take " + std::to_string(overhead) + ")");
    draw_prompt_ = builder_.encode({draw_request()}, /*force_image=*/true);
  }

  std::int64_t draw_prompt_tokens() const { return static_cast<std::int64_t>(draw_prompt_.size()); }
  std::int64_t understanding_prompt_tokens() const { return understanding_prompt_tokens_; }

  Understanding understand(const RgbImage& image) {
    Understanding r;
    sync_device(device_);
    const auto t0 = Clock::now();
    const auto codes = m_.tokenizer->encode(image);  // on the CPU when it returns
    const auto t1 = Clock::now();
    const auto prompt = builder_.encode({question(std::vector<std::int64_t>(codes.begin(), codes.end()), question_words_)});
    understanding_prompt_tokens_ = static_cast<std::int64_t>(prompt.size());
    m_.cache->clear();  // a fresh conversation: no prefix reuse
    llm::Sampler sampler(app_sampling(), m_.ids);
    llm::GenerationSettings gs;
    gs.max_new_tokens = 1;
    const auto result = llm::generate(*m_.llm, *m_.cache, prompt, sampler, gs);
    sync_device(device_);
    const auto t2 = Clock::now();
    r.tokenize = ms_between(t0, t1);
    r.prefill = result.prefill_seconds * 1e3;
    r.ttft = result.time_to_first_token * 1e3;
    r.total = ms_between(t0, t2);
    return r;
  }

  TextToImage text_to_image() {
    TextToImage r;
    sync_device(device_);
    const auto t0 = Clock::now();
    m_.cache->clear();
    llm::Sampler sampler(app_sampling(), m_.ids);
    llm::GenerationSettings gs;
    gs.max_new_tokens = llm::TokenIds::kCodesPerImage + 1;  // the span's codes and </img>
    gs.stop_ids = {m_.ids.eoi};
    const auto result = llm::generate(*m_.llm, *m_.cache, draw_prompt_, sampler, gs);
    sync_device(device_);
    const auto t1 = Clock::now();

    // As SeedPipeline::chat: the span opened in the prompt, so the parser sees <img> first.
    std::vector<std::int64_t> answer{m_.ids.boi};
    answer.insert(answer.end(), result.ids.begin(), result.ids.end());
    const auto parsed = llm::parse_output(answer, m_.ids);
    if (parsed.image_count() != 1 || parsed.segments.size() != 1)
      throw_error(ErrorKind::Internal, "text -> image: the model's answer is not one well-formed image span (" +
                                           std::to_string(result.ids.size()) + " tokens)");
    const auto& codes = parsed.segments.front().codes;
    const auto embedding = m_.tokenizer->decode(std::vector<int>(codes.begin(), codes.end()));  // [1, E], CPU
    const auto t2 = Clock::now();

    diffusion::DecodeOptions options;  // the app's defaults: PNDM from the config, guidance 10
    options.steps = steps_;
    options.seed = seed_;
    options.height = options.width = size_;
    Clock::time_point loop_end;
    options.on_step = [&](const diffusion::StepInfo& step) {
      r.unet_calls = step.total;
      if (step.index + 1 == step.total) {
        sync_device(device_);
        loop_end = Clock::now();
      }
      return true;
    };
    const auto decoded = m_.decoder->decode(embedding, options);
    const auto picture = diffusion::to_rgb_image(decoded.image);
    const auto t3 = Clock::now();

    r.llm = ms_between(t0, t1);
    r.llm_prefill = result.prefill_seconds * 1e3;
    r.llm_decode_per_token = result.decode_steps ? result.decode_seconds * 1e3 / static_cast<double>(result.decode_steps) : 0;
    r.generated_tokens = static_cast<std::int64_t>(result.ids.size());
    r.codes = static_cast<std::int64_t>(codes.size());
    r.detokenize = ms_between(t1, t2);
    r.diffusion = ms_between(t2, loop_end);
    r.vae = ms_between(loop_end, t3);
    r.total = ms_between(t0, t3);
    r.width = picture.width;
    r.height = picture.height;
    return r;
  }

 private:
  // The app's sampling defaults (pipeline::SamplingSettings), image spans constrained.
  static llm::SamplerSettings app_sampling() {
    const pipeline::SamplingSettings app;
    llm::SamplerSettings s;
    s.temperature = app.temperature;
    s.top_k = app.top_k;
    s.top_p = app.top_p;
    s.repetition_penalty = app.repetition_penalty;
    s.seed = 7;
    s.image_span_rule = app.constrain_image_spans;
    return s;
  }

  static llm::Message question(std::vector<std::int64_t> codes, std::int64_t words) {
    static const char* kWords[] = {"what", "is", "shown", "in", "this", "picture", "and", "why"};
    std::string text;
    for (std::int64_t i = 0; i < words; ++i) text += std::string(i ? " " : "") + kWords[i % 8];
    llm::Message msg;
    msg.segments.push_back(llm::Segment::of_image(std::move(codes)));
    if (!text.empty()) msg.segments.push_back(llm::Segment::of_text(text));
    return msg;
  }

  static llm::Message draw_request() {
    llm::Message msg;
    msg.segments.push_back(llm::Segment::of_text("Draw a red fox sitting in fresh snow at sunrise."));
    return msg;
  }

  PipelineModels& m_;
  c10::Device device_;
  llm::PromptBuilder builder_;
  std::int64_t size_, steps_;
  std::uint64_t seed_;
  std::int64_t question_words_ = 0, understanding_prompt_tokens_ = 0;
  std::vector<std::int64_t> draw_prompt_;
};

template <typename T, typename F>
double median_of(const std::vector<T>& runs, F&& field) {
  std::vector<double> v;
  for (const auto& r : runs) v.push_back(field(r));
  return median(v);
}

nlohmann::json component_json(const ComponentInfo& c) {
  return {{"params", c.params}, {"weights_mib", c.bytes / kMiB}, {"init_s", c.init_s}};
}

int run_pipeline_bench(std::vector<std::string> args) {
  CLI::App app{"Time a full SEED-LLaMA request (understanding and text -> image) with every component resident, "
               "random weights"};
  std::string device_name = "cpu", llm_config, llm_dtype_name = "bf16", image_dtype_name;
  std::int64_t size = 768, steps = 20, prompt_tokens = 64;
  int runs = 3, threads = 0;
  std::uint64_t seed = 1234;
  bool tiny = false, json = false;
  app.add_option("--device", device_name, "cpu or cuda[:N]");
  app.add_option("--llm-config", llm_config, "HF LLaMA config (default: resources/configs/seed-llama-8b.json)");
  app.add_option("--llm-dtype", llm_dtype_name, "LLaMA weights: bf16 (default), fp16 (CUDA) or fp32");
  app.add_option("--image-dtype", image_dtype_name, "SEED tokenizer, UNet, VAE: default fp16 on CUDA, fp32 on the CPU");
  app.add_option("--size", size, "picture size in pixels (a multiple of 8)")->check(CLI::Range(8, 2048));
  app.add_option("--steps", steps, "diffusion steps (PNDM makes steps + 1 UNet calls)")->check(CLI::Range(1, 1000));
  app.add_option("--prompt-tokens", prompt_tokens, "length of the understanding prompt")->check(CLI::Range(1, 100000));
  app.add_option("--runs", runs, "timed requests of each kind after one warm-up (medians reported)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--threads", threads, "intra-op threads (CPU; default: all cores)")->check(CLI::Range(1, 256));
  app.add_option("--seed", seed, "weights and sampling seed");
  app.add_flag("--tiny", tiny, "the demo pack's tiny sizes instead of the real ones (tests, CPU)");
  app.add_flag("--json", json, "print one JSON object");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;

  c10::Device device(c10::kCPU);
  try {
    device = c10::Device(device_name);
  } catch (const std::exception&) {
    throw_error(ErrorKind::Config, "--device: not a device: '" + device_name + "'");
  }
  if (size % 8 != 0) throw_error(ErrorKind::Config, "--size must be a multiple of 8");
  if (image_dtype_name.empty()) image_dtype_name = device.is_cuda() ? "fp16" : "fp32";
  PipelineModelOptions o;
  o.tiny = tiny;
  o.device = device;
  o.llm_dtype = pipeline::parse_dtype(llm_dtype_name);
  o.image_dtype = pipeline::parse_dtype(image_dtype_name);
  o.seed = seed;
  if (tiny && !llm_config.empty()) throw_error(ErrorKind::Config, "--tiny and --llm-config exclude each other");
  if (!tiny) {
    if (llm_config.empty()) {
      llm_config = "resources/configs/seed-llama-8b.json";
      if (!std::filesystem::exists(llm_config))
        throw_error(ErrorKind::NotFound, llm_config + " not found: run from the source tree or pass --llm-config");
    }
    o.llm_config = llm_config;
  }
  at::set_num_threads(threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));

  const auto t_init = Clock::now();
  auto m = build_pipeline_models(o);
  sync_device(device);
  const double init_s = ms_between(t_init, Clock::now()) / 1e3;
  const double rss_after_load = peak_rss_mib();
  const auto cuda_after_load = cuda_memory_stats(device);

  Requests requests(m, device, prompt_tokens, size, steps, seed);
  const auto card = test_card(224, 224);  // the tokenizer's input size: no resampling work hidden
  requests.understand(card);  // warm-up: allocator, kernels, caches
  requests.text_to_image();
  std::vector<Understanding> und;
  std::vector<TextToImage> t2i;
  for (int i = 0; i < runs; ++i) {
    und.push_back(requests.understand(card));
    t2i.push_back(requests.text_to_image());
  }
  const auto cuda = cuda_memory_stats(device);
  const auto& last = t2i.back();

  const double u_tok = median_of(und, [](auto& r) { return r.tokenize; });
  const double u_pre = median_of(und, [](auto& r) { return r.prefill; });
  const double u_ttft = median_of(und, [](auto& r) { return r.ttft; });
  const double u_total = median_of(und, [](auto& r) { return r.total; });
  const double g_llm = median_of(t2i, [](auto& r) { return r.llm; });
  const double g_pre = median_of(t2i, [](auto& r) { return r.llm_prefill; });
  const double g_tok = median_of(t2i, [](auto& r) { return r.llm_decode_per_token; });
  const double g_detok = median_of(t2i, [](auto& r) { return r.detokenize; });
  const double g_diff = median_of(t2i, [](auto& r) { return r.diffusion; });
  const double g_vae = median_of(t2i, [](auto& r) { return r.vae; });
  const double g_total = median_of(t2i, [](auto& r) { return r.total; });
  const double rss = peak_rss_mib();

  if (json) {
    nlohmann::json out = {
        {"device", device.str()},
        {"tiny", tiny},
        {"llm_config", tiny ? std::string("demo pack preset") : llm_config},
        {"llm_dtype", llm_dtype_name},
        {"image_dtype", image_dtype_name},
        {"threads", at::get_num_threads()},
        {"runs", runs},
        {"init_s", init_s},
        {"components",
         {{"llm", component_json(m.llm_info)},
          {"kv_cache_mib", m.kv_cache_bytes / kMiB},
          {"kv_cache_tokens", m.cache->capacity()},
          {"seed_tokenizer", component_json(m.tokenizer_info)},
          {"unet", component_json(m.unet_info)},
          {"vae_decoder", component_json(m.vae_info)}}},
        {"understanding",
         {{"prompt_tokens", requests.understanding_prompt_tokens()},
          {"image_px", card.width},
          {"tokenize_ms", u_tok},
          {"prefill_ms", u_pre},
          {"time_to_first_token_ms", u_ttft},
          {"total_ms", u_total}}},
        {"text_to_image",
         {{"prompt_tokens", requests.draw_prompt_tokens()},
          {"generated_tokens", last.generated_tokens},
          {"codes", last.codes},
          {"steps", steps},
          {"unet_calls", last.unet_calls},
          {"unet_batch", 2},
          {"image", {{"width", last.width}, {"height", last.height}, {"dtype", "uint8"}}},
          {"llm_ms", g_llm},
          {"llm_prefill_ms", g_pre},
          {"llm_decode_ms_per_token", g_tok},
          {"detokenize_ms", g_detok},
          {"diffusion_ms", g_diff},
          {"vae_ms", g_vae},
          {"total_ms", g_total},
          {"total_ms_runs", [&] {
             std::vector<double> v;
             for (const auto& r : t2i) v.push_back(r.total);
             return v;
           }()}}},
        {"memory", {{"peak_rss_mib", rss}, {"rss_after_load_mib", rss_after_load}}}};
    if (cuda && cuda_after_load)
      out["memory"]["cuda"] = {{"allocated_after_load_mib", cuda_after_load->allocated_mib},
                               {"allocated_peak_mib", cuda->allocated_peak_mib},
                               {"reserved_peak_mib", cuda->reserved_peak_mib}};
    std::printf("%s\n", out.dump(2).c_str());
    return kOk;
  }

  auto component = [](const char* name, const ComponentInfo& c) {
    std::printf("  %-15s %8.1f M params %9.0f MiB  init %.1f s\n", name, c.params / 1e6, c.bytes / kMiB, c.init_s);
  };
  std::printf("SEED-LLaMA pipeline, %s, %s, LLM %s, images %s, %d threads; one warm-up, median of %d\n",
              tiny ? "tiny (demo pack sizes)" : llm_config.c_str(), device.str().c_str(), llm_dtype_name.c_str(),
              image_dtype_name.c_str(), at::get_num_threads(), runs);
  component("llm", m.llm_info);
  std::printf("  %-15s %8lld tokens  %9.1f MiB\n", "kv cache", static_cast<long long>(m.cache->capacity()),
              m.kv_cache_bytes / kMiB);
  component("seed tokenizer", m.tokenizer_info);
  component("unet", m.unet_info);
  component("vae decoder", m.vae_info);
  std::printf("understanding (%lld-token prompt, %dx%d image): image->codes %.1f ms, prefill %.1f ms, "
              "time to first token %.1f ms, total %.1f ms\n",
              static_cast<long long>(requests.understanding_prompt_tokens()), card.width, card.height, u_tok, u_pre,
              u_ttft, u_total);
  std::printf("text->image (%lld-token prompt, %lld tokens generated, %lld codes; %lld steps = %lld UNet calls at "
              "batch 2; %dx%d uint8):\n",
              static_cast<long long>(requests.draw_prompt_tokens()), static_cast<long long>(last.generated_tokens),
              static_cast<long long>(last.codes), static_cast<long long>(steps), static_cast<long long>(last.unet_calls),
              last.width, last.height);
  std::printf("  llm %.1f ms (prefill %.1f ms, %.2f ms/token), de-tokenize %.1f ms, diffusion %.1f ms, vae %.1f ms, "
              "total %.1f ms\n",
              g_llm, g_pre, g_tok, g_detok, g_diff, g_vae, g_total);
  std::printf("memory: peak RSS %.0f MiB (after load %.0f MiB)", rss, rss_after_load);
  if (cuda && cuda_after_load)
    std::printf("; CUDA allocator: %.0f MiB after load, peak allocated %.0f MiB, peak reserved %.0f MiB",
                cuda_after_load->allocated_mib, cuda->allocated_peak_mib, cuda->reserved_peak_mib);
  std::printf("\n");
  return kOk;
}

}  // namespace
}  // namespace seedcanvas::tool

SEEDCANVAS_COMMAND(pipeline, "pipeline", "full SEED-LLaMA requests with every component resident (random weights)",
                   seedcanvas::tool::run_pipeline_bench);
