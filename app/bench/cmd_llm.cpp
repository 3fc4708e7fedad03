// seedcanvas-bench llm: prefill and decode speed of the LLaMA engine on a random-weight model
// of a given HF config (e.g. fixtures/bench/config.json with its pinned `_bench` prompt), set
// against the memory-bandwidth roofline of batch-1 decoding measured in the same run.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "bandwidth.h"
#include "common/command.h"
#include "measure.h"
#include "core/error.h"
#include "core/json_file.h"
#include "llm/cuda_graph.h"
#include "llm/decode_kernels.h"
#include "llm/fixed_decoder.h"
#include "llm/generate.h"
#include "llm/llama_model.h"

namespace seedcanvas::tool {
namespace {

using Clock = std::chrono::steady_clock;

const char* decode_mode_name(llm::DecodeMode m) {
  switch (m) {
    case llm::DecodeMode::Eager: return "eager";
    case llm::DecodeMode::Fused: return "fused";
    case llm::DecodeMode::Fixed: return "fixed";
    case llm::DecodeMode::Graphs: return "graphs";
  }
  return "?";
}

struct DecodeChoice {
  llm::DecodeMode mode = llm::DecodeMode::Eager;
  bool kernels = false, gemv = false;  // fused CUDA kernels; the GEMV kernel among them
  llm::kernels::GemvKernel gemv_variant = llm::kernels::GemvKernel::Auto;
  std::optional<llm::DecodeFolds> folds;  // unset: the model's default (SEEDCANVAS_DECODE_FOLDS)
};

struct DecodeRun {
  std::string mode;
  double ttft_ms = 0, decode_ms = 0, decode_tokens_per_s = 0, roofline_fraction = 0;
  int graphs = 0;
  std::string capture_error;
  std::vector<std::int64_t> ids;
};

// Each weight class of the model as one-row projections, cycling through the layers as decoding
// does (so the L2 cache holds none of them): the engine's GEMV kernels and cuBLAS (at::mm)
// against an fp32 product of layer 0, and the read bandwidth each reaches (device-synchronised
// host clock around back-to-back calls).
struct GemvProbe {
  std::string name;
  std::int64_t n = 0, k = 0;
  static constexpr int kKernels = 4;  // the engine's kernels, GemvKernel 0..3
  double kernel_err[kKernels] = {}, kernel_gbs[kKernels] = {}, cublas_err = 0, cublas_gbs = 0;
  std::string folded_op;  // the fold this projection takes in the decode step (norm, residual, swiglu)
  double folded_err = 0, folded_gbs = 0;  // the engine's launch shape
  std::map<std::string, double> folded_shape_gbs;  // "RxS": R rows per warp, S warps per row
};

// The input (built by ATen ops) and fold of each weight class in the fused decode step.
struct FoldProbe {
  llm::kernels::FoldedInput::Op op = llm::kernels::FoldedInput::Op::Row;
  bool accumulate = false;
  at::Tensor source, norm_weight, row;  // what the fold reads; row: the unfolded input
  static constexpr double kEps = 1e-5;
  llm::kernels::FoldedInput input() const { return {op, &source, &norm_weight, kEps}; }
};

FoldProbe fold_probe(const std::string& name, std::int64_t k, const at::TensorOptions& options) {
  using Op = llm::kernels::FoldedInput::Op;
  FoldProbe f;
  if (name == "down_proj") {
    f.op = Op::SwiGlu;
    f.source = at::randn({1, 2 * k}, options);
    f.row = at::silu(f.source.narrow(1, 0, k)) * f.source.narrow(1, k, k);
    f.accumulate = true;
  } else if (name == "o_proj") {
    f.source = f.row = at::randn({1, k}, options);
    f.accumulate = true;
  } else {  // qkv, gate_up, lm_head read a normalised row
    f.op = Op::RmsNorm;
    f.source = at::randn({1, k}, options);
    llm::LlamaRMSNorm norm(k, FoldProbe::kEps);
    norm.weight = f.norm_weight = 1 + 0.1 * at::randn({k}, options);
    f.row = norm.forward(f.source);
  }
  return f;
}

// folded: also time the folded kernel under every launch shape (off for a baseline run that must
// come back even if a new kernel faults). Each class is reported on stderr as it finishes, so
// a crash later in the run still leaves the figures in the log.
std::vector<GemvProbe> probe_gemv(const llm::LlamaForCausalLM& model, int rounds, bool folded_too) {
  std::vector<GemvProbe> out;
  const auto classes = model.projection_classes();
  auto sync = [](const at::Tensor& t) { t.sum().item<float>(); };
  const auto saved_variant = llm::kernels::gemv_variant();
  for (const auto& [name, weights] : classes) {
    const at::Tensor& w0 = *weights.front();
    GemvProbe p;
    p.name = name;
    p.n = w0.size(0);
    p.k = w0.size(1);
    auto x = at::randn({1, p.k}, w0.options());
    auto ref = at::mm(x.to(at::kFloat), w0.to(at::kFloat).t());
    auto y = at::empty({1, p.n}, w0.options());
    const double scale = ref.abs().max().item<double>();
    const int calls = rounds * static_cast<int>(weights.size() > 1 ? weights.size() : 8);
    auto timed = [&](const std::function<void(const at::Tensor&)>& f) {
      f(w0);
      sync(y);
      const auto t0 = Clock::now();
      for (int i = 0; i < calls; ++i) f(*weights[static_cast<std::size_t>(i) % weights.size()]);
      sync(y);
      const double s = std::chrono::duration<double>(Clock::now() - t0).count() / calls;
      f(w0);  // leave layer 0's product in y for the error
      return static_cast<double>(w0.nbytes()) / s / 1e9;
    };
    auto error = [&] { return (y.to(at::kFloat) - ref).abs().max().item<double>() / scale; };
    if (llm::kernels::gemv_applies(y, x, w0)) {
      for (int v = 0; v < GemvProbe::kKernels; ++v) {
        const auto kernel = static_cast<llm::kernels::GemvKernel>(v);
        p.kernel_gbs[v] = timed([&](const at::Tensor& w) { llm::kernels::gemv(y, x, w, kernel); });
        p.kernel_err[v] = error();
      }
    }
    p.cublas_gbs = timed([&](const at::Tensor& w) { at::mm_out(y, x, w.t()); });
    p.cublas_err = error();
    const auto fold = fold_probe(name, p.k, w0.options());
    const auto in = fold.input();
    if (folded_too && llm::kernels::folded_applies(y, in, w0)) {
      p.folded_op = fold.op == llm::kernels::FoldedInput::Op::SwiGlu ? "swiglu+residual"
                    : fold.accumulate                                    ? "residual"
                                                                         : "norm";
      auto folded = [&](const at::Tensor& w) { llm::kernels::gemv_folded(y, in, w, fold.accumulate); };
      for (int rows : {1, 2, 4})
        for (int split : {1, 2, 4}) {
          llm::kernels::set_fold_rows_per_warp(rows);
          llm::kernels::set_fold_split(split);
          p.folded_shape_gbs[std::to_string(rows) + "x" + std::to_string(split)] = timed(folded);
        }
      llm::kernels::set_fold_rows_per_warp(0);
      llm::kernels::set_fold_split(1);
      p.folded_gbs = timed(folded);
      y.zero_();  // accumulating into zero leaves the product alone
      llm::kernels::gemv_folded(y, in, w0, fold.accumulate);
      const auto folded_ref = at::mm(fold.row.to(at::kFloat), w0.to(at::kFloat).t());
      p.folded_err = (y.to(at::kFloat) - folded_ref).abs().max().item<double>() /
                     folded_ref.abs().max().item<double>();
    }
    std::fprintf(stderr,
                 "gemv %s %lldx%lld: kernel0 %.0f GB/s, kernel1 %.0f, kernel2 %.0f, kernel3 %.0f, cuBLAS %.0f, folded %.0f\n",
                 p.name.c_str(), static_cast<long long>(p.n), static_cast<long long>(p.k), p.kernel_gbs[0],
                 p.kernel_gbs[1], p.kernel_gbs[2], p.kernel_gbs[3], p.cublas_gbs, p.folded_gbs);
    out.push_back(p);
  }
  llm::kernels::set_gemv_variant(saved_variant);
  return out;
}

struct DtypeResult {
  std::string dtype;
  double prefill_ms = 0, prefill_tokens_per_s = 0, ttft_ms = 0, decode_ms = 0, decode_tokens_per_s = 0;
  double weight_mib = 0, roofline_ms = 0, roofline_fraction = 0, peak_rss_mib = 0;
  std::vector<std::int64_t> ids;
  std::vector<DecodeRun> runs;  // the first one is the headline figure above
  std::vector<GemvProbe> gemv;
  std::vector<llm::GemvTuning> tuning;  // the kernel chosen per weight class at load
};

// Greedy generation through the public API; per-step time = gap between callbacks (the
// sampler reads the logits back to the host every step, so each gap is a finished step).
DecodeRun decode_run(const llm::LlamaForCausalLM& model, const std::vector<std::int64_t>& prompt,
                     std::int64_t new_tokens) {
  auto cache = model.new_cache(static_cast<std::int64_t>(prompt.size()) + new_tokens + 1);
  llm::SamplerSettings greedy;
  greedy.greedy = true;
  llm::TokenIds ids;
  ids.eos = -1;  // random weights: never stop early
  llm::Sampler sampler(greedy, ids);
  llm::GenerationSettings gs;
  gs.max_new_tokens = new_tokens;
  gs.stop_on_eos = false;
  std::vector<double> steps;
  auto last = Clock::now();
  auto result = llm::generate(model, cache, prompt, sampler, gs, [&](const llm::GenerationStep& s) {
    const auto now = Clock::now();
    if (s.index > 1) steps.push_back(std::chrono::duration<double, std::milli>(now - last).count());
    last = now;  // step 1 is left out: it records the CUDA graph
    return true;
  });
  DecodeRun r;
  r.mode = decode_mode_name(model.decode_mode());
  if (model.decode_mode() != llm::DecodeMode::Eager && model.decode_mode() != llm::DecodeMode::Fused &&
      model.device().is_cuda())
    r.mode += !model.decode_kernels()       ? "+aten"
              : !llm::kernels::gemv_enabled() ? "+cublas"
              : llm::kernels::gemv_variant() != llm::kernels::GemvKernel::Auto
                  ? "+kernels+gemv" + std::to_string(static_cast<int>(llm::kernels::gemv_variant()))
                  : "+kernels";
  if (model.decode_mode() != llm::DecodeMode::Eager && model.decode_kernels() && model.decode_folds().any())
    r.mode += "+folds(" + model.decode_folds().name() + ")";
  r.ttft_ms = result.time_to_first_token * 1e3;
  r.decode_ms = median(steps);
  r.decode_tokens_per_s = 1e3 / r.decode_ms;
  r.ids = result.ids;
  if (auto* fixed = cache.fixed_decoder()) {
    r.graphs = fixed->graphs_captured();
    r.capture_error = fixed->capture_error();
  }
  return r;
}

DtypeResult bench_dtype(const llm::LlamaConfig& config, c10::ScalarType dtype, const std::string& name,
                        const std::vector<std::int64_t>& prompt, std::int64_t new_tokens, double init_std,
                        double bandwidth_gbs, int prefill_repeats, c10::Device device,
                        const std::vector<DecodeChoice>& modes, const std::string& probe,
                        const std::string& gemv_choices) {
  DtypeResult r;
  r.dtype = name;
  auto model = llm::LlamaForCausalLM::random(config, dtype, init_std, 0, device);
  if (!gemv_choices.empty()) {  // as the app loads: kernels kept for this GPU, else timed and kept
    model->set_gemv_choices_file(gemv_choices);
    model->tune_projections();
  }
  auto cache = model->new_cache(static_cast<std::int64_t>(prompt.size()) + new_tokens + 1);
  r.tuning = model->projection_tuning();
  for (const auto& t : r.tuning) {
    std::string line;
    for (const auto& m : t.timings)
      line += std::string(" ") + llm::kernels::gemv_kernel_name(m.kernel) +
              (m.accepted ? " " + std::to_string(static_cast<int>(t.k * t.rows * 2 / m.seconds / 1e9)) + " GB/s"
                          : " rejected (error " + std::to_string(m.rel_error) + ")");
    std::fprintf(stderr, "tuned %s %lldx%lld -> %s:%s\n", t.name.c_str(), static_cast<long long>(t.rows),
                 static_cast<long long>(t.k), llm::kernels::gemv_kernel_name(t.chosen),
                 t.timings.empty() ? " kept from the choices file" : line.c_str());
  }

  // Prefill: one forward over the prompt into an empty cache (median of several, after a warm-up).
  std::vector<double> prefill;
  for (int i = 0; i <= prefill_repeats; ++i) {
    cache.clear();
    const auto t0 = Clock::now();
    model->forward(prompt, cache);
    if (i > 0) prefill.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  r.prefill_ms = median(prefill);
  r.prefill_tokens_per_s = static_cast<double>(prompt.size()) / (r.prefill_ms / 1e3);

  if (device.is_cuda() && dtype == at::kBFloat16 && probe != "none") r.gemv = probe_gemv(*model, 4, probe == "all");
  // Decode in each requested mode on the same weights, after an untimed run of the first one on
  // a GPU (clocks, caching allocator and cuBLAS/cuDNN handles settle before anything is timed).
  bool warm = !device.is_cuda();
  for (const auto& choice : modes) {
    model->set_decode_mode(choice.mode);
    model->set_decode_kernels(choice.kernels);
    if (choice.folds) model->set_decode_folds(*choice.folds);
    llm::kernels::set_gemv_enabled(choice.gemv);
    llm::kernels::set_gemv_variant(choice.gemv_variant);
    if (!warm) decode_run(*model, prompt, new_tokens);
    warm = true;
    r.runs.push_back(decode_run(*model, prompt, new_tokens));
    std::fprintf(stderr, "decode %s %s: %.3f ms/token\n", name.c_str(), r.runs.back().mode.c_str(),
                 r.runs.back().decode_ms);
  }
  const auto& head = r.runs.front();
  r.ttft_ms = head.ttft_ms;
  r.decode_ms = head.decode_ms;
  r.decode_tokens_per_s = head.decode_tokens_per_s;
  r.ids = head.ids;
  const double bytes = static_cast<double>(model->decode_weight_bytes());
  r.weight_mib = bytes / (1 << 20);
  r.roofline_ms = bytes / (bandwidth_gbs * 1e9) * 1e3;
  r.roofline_fraction = r.roofline_ms / r.decode_ms;
  for (auto& run : r.runs) run.roofline_fraction = r.roofline_ms / run.decode_ms;
  r.peak_rss_mib = peak_rss_mib();
  return r;
}

int run_llm(std::vector<std::string> args) {
  CLI::App app{"LLaMA prefill/decode benchmark on random weights of an HF config", "llm"};
  std::string config_path, dtype = "fp32";
  bool json = false;
  int threads = 0, new_tokens = 0, prefill_repeats = 5;
  std::string device_name = "cpu";
  app.add_option("--config", config_path, "HF config.json (with an optional _bench block)")->required();
  app.add_option("--device", device_name, "cpu or cuda[:N] (the roofline then uses the GPU's measured bandwidth)");
  app.add_option("--dtype", dtype, "fp32, bf16, or all (both, in this order)")
      ->check(CLI::IsMember({"fp32", "bf16", "all"}));
  app.add_flag("--json", json, "print one JSON object");
  std::string probe = "all";
  std::string gemv_choices;
  app.add_option("--probe", probe,
                 "GEMV probe on CUDA bf16: all, plain (without the folded kernels) or none")
      ->check(CLI::IsMember({"all", "plain", "none"}))
      ->capture_default_str();
  app.add_option("--threads", threads, "intra-op threads (default: _bench.threads, else hardware)")
      ->check(CLI::Range(1, 256));
  app.add_option("--new-tokens", new_tokens, "decode steps (default: _bench.new_tokens, else 64)")
      ->check(CLI::Range(2, 100000));
  std::int64_t prompt_len = 0;
  app.add_option("--prompt-len", prompt_len,
                 "synthetic prompt of this many tokens instead of the config's _bench prompt (long contexts)")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--prefill-repeats", prefill_repeats, "timed prefill runs")->check(CLI::Range(1, 100));
  app.add_option("--gemv-choices", gemv_choices,
                 "keep the projection kernels chosen for this GPU in FILE, as the app does (read if there, "
                 "else timed and written)");
  std::vector<std::string> decode_modes;
  app.add_option("--decode", decode_modes,
                 "decode step(s) to time, first = headline: eager, fused, fixed, graphs (CUDA); -aten: without the "
                 "fused CUDA kernels, -cublas: fused kernels but cuBLAS projections, -gemv0..-gemv4: force that "
                 "GEMV kernel for every shape (default: the kernels tuned per shape at load); +folds (all) or +norm, +residual, +swiglu, +attention: fold those ops (e.g. "
                 "graphs+norm+residual); default: the engine's")
      ->delimiter(',');
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;

  const auto j = read_json_file(config_path);
  const auto config = llm::LlamaConfig::from_json(j, config_path);
  const nlohmann::json bench = j.contains("_bench") && j["_bench"].is_object() ? j["_bench"] : nlohmann::json::object();
  std::vector<std::int64_t> prompt;
  if (prompt_len == 0 && bench.contains("prompt_ids")) {
    prompt = json_require<std::vector<std::int64_t>>(bench, "prompt_ids", config_path);
  } else {  // a synthetic prompt: --prompt-len, else the config's _bench.prompt_len
    const auto len = prompt_len > 0 ? prompt_len : json_get<std::int64_t>(bench, "prompt_len", 32, config_path);
    for (std::int64_t i = 0; i < len; ++i) prompt.push_back(1 + (i * 7919) % (config.vocab_size - 1));
  }
  if (prompt.empty()) throw_error(ErrorKind::Config, describe(config_path, "'_bench.prompt_ids' is empty"));
  if (new_tokens == 0) new_tokens = static_cast<int>(json_get<std::int64_t>(bench, "new_tokens", 64, config_path));
  if (threads == 0) {
    threads = static_cast<int>(json_get<std::int64_t>(bench, "threads", 0, config_path));
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  const double init_std = json_get<double>(j, "initializer_range", 0.02, config_path);
  at::set_num_threads(threads);

  const c10::Device device(device_name);
  const auto bw = device.is_cpu() ? measure_read_bandwidth() : measure_device_bandwidth(device);
  std::vector<std::pair<c10::ScalarType, std::string>> dtypes;
  if (dtype != "bf16") dtypes.emplace_back(at::kFloat, "fp32");
  if (dtype != "fp32") dtypes.emplace_back(at::kBFloat16, "bf16");
  std::vector<DecodeChoice> modes;
  const bool kernels = llm::kernels::built(), gemv = llm::kernels::gemv_enabled();
  for (const auto& spec : decode_modes) {
    const auto plus = spec.find('+');
    const auto m = spec.substr(0, plus);
    const auto dash = m.find('-');
    const auto base = m.substr(0, dash), variant = dash == std::string::npos ? "" : m.substr(dash + 1);
    const bool known_base = base == "eager" || base == "fused" || base == "fixed" || base == "graphs";
    const bool forced_gemv = variant.size() == 5 && variant.rfind("gemv", 0) == 0 && variant[4] >= '0' &&
                             variant[4] < '0' + llm::kernels::kGemvKernels;
    const bool known_variant = variant.empty() || variant == "aten" || variant == "cublas" || forced_gemv;
    if (!known_base || !known_variant)
      throw_error(ErrorKind::Config, "--decode: unknown mode '" + spec + "' (see --help)");
    DecodeChoice c;
    c.mode = base == "eager"   ? llm::DecodeMode::Eager
             : base == "fused" ? llm::DecodeMode::Fused
             : base == "fixed" ? llm::DecodeMode::Fixed
                               : llm::DecodeMode::Graphs;
    c.kernels = (kernels || device.is_cpu()) && variant != "aten";
    c.gemv = gemv && (variant.empty() || forced_gemv);
    c.gemv_variant = forced_gemv ? static_cast<llm::kernels::GemvKernel>(variant[4] - '0') : llm::kernels::gemv_variant();
    if (plus != std::string::npos) {
      std::string list = spec.substr(plus + 1);
      std::replace(list.begin(), list.end(), '+', ',');
      c.folds = llm::DecodeFolds::parse(list == "folds" ? "all" : list);
    } else {
      c.folds = llm::DecodeFolds{};  // a named mode without folds is the unfolded step
    }
    modes.push_back(c);
  }
  if (modes.empty()) {
    DecodeChoice c;
    c.mode = device.is_cuda() && llm::cuda_graphs_built() ? llm::DecodeMode::Graphs : llm::DecodeMode::Eager;
    c.kernels = kernels || device.is_cpu();
    c.gemv = gemv;
    c.gemv_variant = llm::kernels::gemv_variant();
    modes.push_back(c);
  }
  std::vector<DtypeResult> results;
  for (const auto& [st, name] : dtypes)
    results.push_back(
        bench_dtype(config, st, name, prompt, new_tokens, init_std, bw.best_gbs(), prefill_repeats, device, modes, probe,
                    gemv_choices));

  if (json) {
    nlohmann::json out = {{"config", config_path},
                          {"device", device.str()},
                          {"params", config.parameter_count()},
                          {"threads", threads},
                          {"prompt_len", prompt.size()},
                          {"new_tokens", new_tokens},
                          {"bandwidth_gbs", {{"reduction", bw.reduction_gbs}, {"gemv_fp32", bw.gemv_gbs}}},
                          {"results", nlohmann::json::object()}};
    for (const auto& r : results)
      out["results"][r.dtype] = {{"prefill_ms", r.prefill_ms},
                                 {"prefill_tokens_per_s", r.prefill_tokens_per_s},
                                 {"time_to_first_token_ms", r.ttft_ms},
                                 {"decode_ms_per_token_median", r.decode_ms},
                                 {"decode_tokens_per_s", r.decode_tokens_per_s},
                                 {"decode_weight_mib", r.weight_mib},
                                 {"roofline_ms_per_token", r.roofline_ms},
                                 {"roofline_fraction", r.roofline_fraction},
                                 {"peak_rss_mib", r.peak_rss_mib},
                                 {"generated_ids", r.ids}};
    for (const auto& r : results)
      for (const auto& g : r.gemv)
        out["results"][r.dtype]["gemv"][g.name] = {{"n", g.n},
                                                   {"k", g.k},
                                                   {"kernel_rel_err", g.kernel_err},
                                                   {"cublas_rel_err", g.cublas_err},
                                                   {"folded_op", g.folded_op},
                                                   {"folded_rel_err", g.folded_err},
                                                   {"folded_gbs", g.folded_gbs},
                                                   {"folded_gbs_by_rows_x_split", g.folded_shape_gbs},
                                                   {"kernel_gbs", g.kernel_gbs},
                                                   {"cublas_gbs", g.cublas_gbs}};
    for (const auto& r : results)
      for (const auto& t : r.tuning) {
        auto& j = out["results"][r.dtype]["tuning"][t.name];
        j = {{"n", t.rows}, {"k", t.k}, {"chosen", llm::kernels::gemv_kernel_name(t.chosen)}};
        for (const auto& m : t.timings)
          j["kernels"][llm::kernels::gemv_kernel_name(m.kernel)] = {
              {"gbs", m.accepted ? static_cast<double>(t.rows * t.k * 2) / m.seconds / 1e9 : 0.0},
              {"rel_err", m.rel_error},
              {"accepted", m.accepted}};
      }
    for (const auto& r : results)
      for (const auto& run : r.runs) {
        auto& modes_json = out["results"][r.dtype]["decode_modes"];
        std::string key = run.mode;  // a mode timed twice (run-to-run spread) keeps both
        for (int again = 2; modes_json.contains(key); ++again) key = run.mode + " #" + std::to_string(again);
        modes_json[key] = {{"time_to_first_token_ms", run.ttft_ms},
                                                             {"decode_ms_per_token_median", run.decode_ms},
                                                             {"decode_tokens_per_s", run.decode_tokens_per_s},
                                                             {"roofline_fraction", run.roofline_fraction},
                                                             {"graphs_captured", run.graphs},
                                                             {"capture_error", run.capture_error},
                                                             {"same_ids_as_first", run.ids == r.ids}};
      }
    std::printf("%s\n", out.dump(2).c_str());
    return kOk;
  }
  std::printf("LLaMA bench: %s (%.1f M params), prompt %zu tokens, %d new tokens, %d threads\n",
              config_path.c_str(), static_cast<double>(config.parameter_count()) / 1e6, prompt.size(), new_tokens,
              threads);
  std::printf("read bandwidth: reduction %.1f GB/s, fp32 GEMV %.1f GB/s (roofline uses the best)\n",
              bw.reduction_gbs, bw.gemv_gbs);
  for (const auto& r : results) {
    std::printf(
        "%s: prefill %.1f ms (%.0f tokens/s), time to first token %.1f ms, decode %.2f ms/token (%.1f tokens/s), "
        "roofline %.2f ms/token for %.0f MiB of weights -> %.0f %% of roofline, peak RSS %.0f MiB\n",
        r.dtype.c_str(), r.prefill_ms, r.prefill_tokens_per_s, r.ttft_ms, r.decode_ms, r.decode_tokens_per_s,
        r.roofline_ms, r.weight_mib, 100.0 * r.roofline_fraction, r.peak_rss_mib);
    for (const auto& run : r.runs)
      std::printf("  decode %-6s %.2f ms/token (%.1f tokens/s, %.0f %% of roofline)%s%s%s\n", run.mode.c_str(),
                  run.decode_ms, run.decode_tokens_per_s, 100.0 * run.roofline_fraction,
                  run.ids == r.ids ? "" : ", ids differ from the first mode", run.capture_error.empty() ? "" : ", capture failed: ",
                  run.capture_error.c_str());
  }
  return kOk;
}

}  // namespace
}  // namespace seedcanvas::tool

SEEDCANVAS_COMMAND(llm, "llm", "LLaMA prefill/decode speed vs the bandwidth roofline", seedcanvas::tool::run_llm);
