// seedcanvas-bench sampler: the cost of one `llm::Sampler::sample` call on a vocabulary of the
// real SEED-LLaMA layout (text ids, 8192 image codes, <img>, </img> at the end of the vocabulary),
// for the cases a request meets: a text step with the app's defaults, a step inside an image span,
// a greedy step, repetition penalty and a non-default temperature. Random normal fp32 logits
// (a small pool, cycled so no call sees the previous call's values); median per call.
// Each case also prints a checksum of its drawn tokens: two builds of the sampler given the same
// seed must print the same checksums.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/command.h"
#include "core/error.h"
#include "llm/llama_config.h"
#include "llm/sampler.h"
#include "measure.h"
#include "pipeline/seed_pipeline.h"
#include "pipeline_models.h"

namespace seedcanvas::tool {
namespace {

using Clock = std::chrono::steady_clock;

struct SamplerCase {
  std::string name, what;
  llm::SamplerSettings settings;
  std::vector<std::int64_t> context;
};

struct CaseResult {
  std::string name, what;
  double median_us = 0, min_us = 0, p90_us = 0;
  std::uint64_t checksum = 0;
};

// The app's defaults (pipeline::SamplingSettings: temperature 1, top-k 50, top-p 0.5, no
// repetition penalty, image-span rule on), as the pipeline hands them to the sampler.
llm::SamplerSettings app_defaults() {
  auto s = pipeline::sampler_settings(pipeline::SamplingSettings{});
  s.seed = 42;
  return s;
}

std::vector<SamplerCase> make_cases(const llm::TokenIds& ids, std::int64_t context_len) {
  // A prompt of text ids (after <unk>, <s>, </s>, before the image codes), no open image span.
  std::vector<std::int64_t> text = {ids.bos};
  const std::int64_t first = 3, span = std::max<std::int64_t>(1, ids.image_shift - first);
  std::uint64_t h = 88172645463325252ull;  // xorshift: a fixed, platform-independent prompt
  for (std::int64_t i = 1; i < context_len; ++i) {
    h ^= h << 13, h ^= h >> 7, h ^= h << 17;
    text.push_back(first + static_cast<std::int64_t>(h % static_cast<std::uint64_t>(span)));
  }
  auto image = text;
  image.push_back(ids.boi);
  for (std::int64_t c = 0; c < 10; ++c) image.push_back(ids.image_shift + (c * 977) % ids.image_count);

  std::vector<SamplerCase> cases;
  cases.push_back({"text", "app defaults (T 1, top-k 50, top-p 0.5), no image span", app_defaults(), text});
  cases.push_back({"image", "app defaults inside <img>, 10 codes emitted", app_defaults(), image});
  auto greedy = app_defaults();
  greedy.greedy = true;
  cases.push_back({"greedy", "greedy, image-span rule on, no image span", greedy, text});
  auto penalty = app_defaults();
  penalty.repetition_penalty = 1.1;
  cases.push_back({"penalty", "app defaults + repetition penalty 1.1", penalty, text});
  auto warm = app_defaults();
  warm.temperature = 0.7;
  cases.push_back({"temperature", "app defaults with temperature 0.7", warm, text});
  return cases;
}

CaseResult time_case(const SamplerCase& c, const llm::TokenIds& ids, const std::vector<at::Tensor>& pool, int steps,
                     int warmup) {
  llm::Sampler sampler(c.settings, ids);
  std::uint64_t checksum = 1469598103934665603ull;
  std::size_t next = 0;
  auto call = [&] {
    const auto token = sampler.sample(pool[next++ % pool.size()], c.context);  // returns a host id: synchronised
    checksum = (checksum ^ static_cast<std::uint64_t>(token)) * 1099511628211ull;
  };
  for (int i = 0; i < warmup; ++i) call();
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(steps));
  for (int i = 0; i < steps; ++i) {
    const auto t0 = Clock::now();
    call();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  CaseResult r;
  r.name = c.name;
  r.what = c.what;
  r.median_us = median(us);
  std::sort(us.begin(), us.end());
  r.min_us = us.front();
  r.p90_us = us[us.size() * 9 / 10];
  r.checksum = checksum;
  return r;
}

int run_sampler_bench(std::vector<std::string> args) {
  CLI::App app{"Time llm::Sampler::sample per call on a SEED-LLaMA-sized vocabulary", "sampler"};
  std::int64_t vocab = 40194, context_len = 300;
  int steps = 500, warmup = 20, threads = 0, pool_size = 8;
  std::string device_name = "cpu";
  bool json = false;
  app.add_option("--vocab", vocab, "vocabulary size; the last 8194 ids are the image codes, <img>, </img>")
      ->check(CLI::Range(std::int64_t{8197}, std::int64_t{1} << 24));
  app.add_option("--steps", steps, "timed calls per case (median reported)")->check(CLI::Range(1, 10000000));
  app.add_option("--warmup", warmup, "untimed calls per case first")->check(CLI::Range(0, 100000));
  app.add_option("--context", context_len, "prompt ids in the context")->check(CLI::Range(1, 1000000));
  app.add_option("--device", device_name, "where the logits live: cpu or cuda[:N]");
  app.add_option("--threads", threads, "intra-op threads (default: LibTorch's)")->check(CLI::Range(1, 256));
  app.add_flag("--json", json, "print one JSON object");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  if (threads > 0) at::set_num_threads(threads);
  c10::Device device(c10::kCPU);
  try {
    device = c10::Device(device_name);
  } catch (const std::exception&) {
    throw_error(ErrorKind::Config, "--device: not a device: '" + device_name + "'");
  }
  if (device.is_cuda() && !at::hasCUDA()) throw_error(ErrorKind::Config, "--device " + device_name + ": no CUDA here");

  llm::LlamaConfig config;
  config.vocab_size = vocab;
  config.source = "--vocab";
  const auto ids = seed_token_ids(config);
  at::manual_seed(1234);
  std::vector<at::Tensor> pool;
  for (int i = 0; i < pool_size; ++i) pool.push_back(at::randn({vocab}).to(device));  // same values on any device
  sync_device(device);

  std::vector<CaseResult> results;
  for (const auto& c : make_cases(ids, context_len)) results.push_back(time_case(c, ids, pool, steps, warmup));
  if (!device.is_cpu()) {
    // The share of the one transfer the sampler makes per step: the logits into pinned host memory.
    auto host = at::empty({vocab}, at::TensorOptions().dtype(at::kFloat).pinned_memory(device.is_cuda()));
    std::vector<double> us;
    for (int i = 0; i < warmup + steps; ++i) {
      const auto t0 = Clock::now();
      host.copy_(pool[static_cast<std::size_t>(i) % pool.size()]);
      if (i >= warmup) us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    CaseResult r;
    r.name = "copy";
    r.what = "the logits to the host alone (part of every case above)";
    r.median_us = median(us);
    std::sort(us.begin(), us.end());
    r.min_us = us.front();
    r.p90_us = us[us.size() * 9 / 10];
    results.push_back(r);
  }

  if (json) {
    nlohmann::json out = {{"vocab", vocab},
                          {"image_shift", ids.image_shift},
                          {"device", device.str()},
                          {"threads", at::get_num_threads()},
                          {"steps", steps},
                          {"context", context_len},
                          {"cases", nlohmann::json::array()}};
    for (const auto& r : results)
      out["cases"].push_back({{"name", r.name},
                              {"settings", r.what},
                              {"median_us", r.median_us},
                              {"min_us", r.min_us},
                              {"p90_us", r.p90_us},
                              {"checksum", r.checksum}});
    std::printf("%s\n", out.dump(2).c_str());
    return kOk;
  }
  std::printf("Sampler::sample: vocab %lld (image codes %lld.., <img> %lld, </img> %lld), fp32 logits on %s, "
              "%d threads, context %lld ids, median of %d calls after %d\n",
              static_cast<long long>(vocab), static_cast<long long>(ids.image_shift), static_cast<long long>(ids.boi),
              static_cast<long long>(ids.eoi), device.str().c_str(), at::get_num_threads(),
              static_cast<long long>(context_len), steps, warmup);
  for (const auto& r : results)
    std::printf("%-12s median %9.1f us  (min %8.1f, p90 %9.1f)  checksum %016llx  %s\n", r.name.c_str(), r.median_us,
                r.min_us, r.p90_us, static_cast<unsigned long long>(r.checksum), r.what.c_str());
  return kOk;
}

}  // namespace
}  // namespace seedcanvas::tool

SEEDCANVAS_COMMAND(sampler, "sampler", "llm::Sampler::sample per call on a SEED-LLaMA-sized vocabulary",
                   ::seedcanvas::tool::run_sampler_bench);
