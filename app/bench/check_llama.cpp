// LLaMA part of `seedcanvas-bench check`: what tests/conformance/test_llama.cpp asserts, for
// the first weight file of every variant folder, on the chosen device (llama/MANIFEST.md).
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "checks.h"
#include "core/error.h"
#include "io/safetensors.h"
#include "llm/generate.h"
#include "llm/llama_model.h"
#include "llm/sampler.h"

namespace seedcanvas::tool::check {
namespace {

namespace fs = std::filesystem;

constexpr Tolerance kFp32{1e-4, 1e-4};     // MANIFEST: fp32 tensors
constexpr Tolerance kBf16{5e-2, 0};        // MANIFEST: a bf16 run vs the bf16 reference
constexpr Tolerance kBf16VsFp32{1e-1, 0};  // MANIFEST: a bf16 run vs the fp32 reference
// A bf16 run on another device vs the (CPU) bf16 reference: its own bound, as the device issue
// asks. cuBLAS and fused attention round in other places than the CPU run (seen on an H200: one
// step logit of 8192 off by 0.053); the bound vs the fp32 reference stays as it is.
constexpr Tolerance kBf16Device{1e-1, 0};

std::string numbered(const char* prefix, std::int64_t i) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s.%02lld", prefix, static_cast<long long>(i));
  return buf;
}

// The weights the check loads: the safetensors file where the variant has one (the format the
// app ships), else whatever other format the folder holds.
fs::path weights_of(const fs::path& dir) {
  for (const char* name : {"model.safetensors", "pytorch_model.bin", "sharded"})
    if (fs::exists(dir / name)) return dir / name;
  throw_error(ErrorKind::NotFound, describe(dir.string(), "no model.safetensors, pytorch_model.bin or sharded/"));
}

std::unique_ptr<llm::LlamaForCausalLM> load(const fs::path& dir, const fs::path& weights, c10::ScalarType dtype,
                                            c10::Device device) {
  llm::LlamaLoadOptions options;
  options.device = device;
  options.dtype = dtype;
  // A sharded folder carries its own config.json; single files use the variant's.
  if (fs::is_directory(weights)) return llm::LlamaForCausalLM::load(weights, options);
  return llm::LlamaForCausalLM::load(dir, options, weights);
}

// Greedy decoding one token at a time with the KV cache, as upstream generate(do_sample=False):
// returns every step's logits [n, vocab]; `ids` gets prompt + continuation.
at::Tensor greedy(const llm::LlamaForCausalLM& m, const std::vector<std::int64_t>& prompt, std::int64_t max_new,
                  std::vector<std::int64_t>* ids) {
  const auto& eos = m.config().eos_token_ids;
  auto cache = m.new_cache(static_cast<std::int64_t>(prompt.size()) + max_new);
  std::vector<at::Tensor> steps;
  auto logits = m.forward(prompt, cache);
  *ids = prompt;
  for (std::int64_t i = 0; i < max_new; ++i) {
    steps.push_back(logits[0]);
    const auto next = logits[0].argmax(-1).item<std::int64_t>();
    ids->push_back(next);
    if (std::find(eos.begin(), eos.end(), next) != eos.end()) break;  // upstream stops only at EOS
    if (i + 1 < max_new) logits = m.forward(std::vector<std::int64_t>{next}, cache);
  }
  return at::stack(steps);
}

void check_fp32(const fs::path& dir, const std::string& n, c10::Device device, Report& r) {
  auto m = load(dir, weights_of(dir), at::kFloat, device);
  auto ref = io::SafetensorsFile::open(dir / "reference_fp32.safetensors");
  const auto prompt = to_ids(ref->load("input_ids"));
  const std::int64_t layers = m->config().num_hidden_layers;

  {  // Prefill: logits, HF's hidden_states tuple, the KV cache.
    auto cache = m->new_cache();
    auto out = m->forward_full(prompt, cache, /*all_logits=*/true, /*hidden_states=*/true);
    r.close(n + "prefill logits", out.logits, ref->load("logits")[0], kFp32);
    if (static_cast<std::int64_t>(out.hidden_states.size()) != layers + 1) {
      r.line(n + "prefill hidden_states", "count " + std::to_string(out.hidden_states.size()),
             std::to_string(layers + 1), false);
    } else {
      TensorPairs hidden;
      for (std::int64_t i = 0; i <= layers; ++i)
        hidden.emplace_back(out.hidden_states[static_cast<std::size_t>(i)], ref->load(numbered("hidden_states", i))[0]);
      hidden.emplace_back(out.hidden_states.back(), ref->load("last_hidden_state")[0]);
      r.close(n + "prefill hidden_states", hidden, kFp32);
    }
    if (cache.length() != static_cast<std::int64_t>(prompt.size()))
      r.line(n + "prefill cache length", std::to_string(cache.length()), std::to_string(prompt.size()), false);
    TensorPairs keys, values;
    for (std::int64_t l = 0; l < layers; ++l) {
      keys.emplace_back(cache.key(l), ref->load(numbered("past_key", l))[0]);
      values.emplace_back(cache.value(l), ref->load(numbered("past_value", l))[0]);
    }
    r.close(n + "prefill KV cache keys", keys, kFp32);
    r.close(n + "prefill KV cache values", values, kFp32);
  }

  const auto expected_new = ref->load("generated_new_ids");
  {  // Greedy decoding through forward(): the ids exactly, and the logits of every step.
    std::vector<std::int64_t> ids;
    auto steps = greedy(*m, prompt, expected_new.numel(), &ids);
    r.equal(n + "greedy generated_ids", ids_tensor(ids).unsqueeze(0), ref->load("generated_ids"));
    r.close(n + "greedy generate_step_logits", steps, ref->load("generate_step_logits"), kFp32);
  }
  {  // The same continuation through llm::generate (the app's decode loop) with a greedy sampler.
    llm::SamplerSettings settings;
    settings.greedy = true;
    llm::TokenIds token_ids;
    token_ids.bos = m->config().bos_token_id;
    token_ids.eos = m->config().eos_token_ids.front();
    llm::Sampler sampler(settings, token_ids);
    llm::GenerationSettings gs;
    gs.max_new_tokens = expected_new.numel();
    auto cache = m->new_cache(static_cast<std::int64_t>(prompt.size()) + gs.max_new_tokens);
    auto result = llm::generate(*m, cache, prompt, sampler, gs);
    r.equal(n + "llm::generate ids", ids_tensor(result.ids).unsqueeze(0), expected_new);
  }

  const auto ids = to_ids(ref->load("generated_ids"));
  const auto full = ref->load("full_sequence_logits")[0];
  {  // Teacher-forced forward over prompt + continuation, no cache reuse.
    auto cache = m->new_cache(static_cast<std::int64_t>(ids.size()));
    r.close(n + "full_sequence_logits", m->forward(ids, cache, /*all_logits=*/true), full, kFp32);
  }
  {  // One token at a time from an empty cache. Dynamic NTK rescales a whole forward longer than
     // max_position_embeddings, so there the full forward is no per-step reference; the prefill
     // and the cached generation steps are (keys keep the rotation of the step that cached them).
    const bool dynamic = m->config().rope_scaling_type == llm::RopeScaling::Dynamic;
    const auto prompt_len = static_cast<std::int64_t>(prompt.size());
    const auto prefill = ref->load("logits")[0];
    const auto steps = ref->load("generate_step_logits");
    TensorPairs vs_full, vs_prefill, vs_steps;
    auto cache = m->new_cache(static_cast<std::int64_t>(ids.size()));
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(ids.size()); ++i) {
      auto logits = m->forward(std::vector<std::int64_t>{ids[static_cast<std::size_t>(i)]}, cache)[0];
      if (!dynamic) {
        vs_full.emplace_back(logits, full[i]);
      } else if (i < prompt_len) {
        vs_prefill.emplace_back(logits, prefill[i]);
      }
      if (dynamic && i >= prompt_len - 1 && i - (prompt_len - 1) < steps.size(0))
        vs_steps.emplace_back(logits, steps[i - (prompt_len - 1)]);
    }
    if (!vs_full.empty()) r.close(n + "one-token steps vs full_sequence_logits", vs_full, kFp32);
    if (!vs_prefill.empty()) r.close(n + "one-token steps vs prefill logits", vs_prefill, kFp32);
    if (!vs_steps.empty()) r.close(n + "one-token steps vs generate_step_logits", vs_steps, kFp32);
  }
}

// bf16 weights and activations against the upstream bf16 run. The MANIFEST asks for the same
// ids where the engine rounds where upstream does (the CPU here: exact, as the conformance test);
// elsewhere (cuBLAS) a step where upstream's logits for two ids are closer than the bf16
// tolerance can separate may pick the other one, after which the sequences are no longer comparable.
void check_bf16(const fs::path& dir, const std::string& n, c10::Device device, Report& r) {
  auto m = load(dir, dir / "model.bf16.safetensors", at::kBFloat16, device);
  auto ref = io::SafetensorsFile::open(dir / "reference_bf16.safetensors");
  auto ref32 = io::SafetensorsFile::open(dir / "reference_fp32.safetensors");
  const auto prompt = to_ids(ref->load("input_ids"));
  const Tolerance vs_bf16 = device.is_cpu() ? kBf16 : kBf16Device;
  {
    auto cache = m->new_cache();
    auto logits = m->forward(prompt, cache, /*all_logits=*/true);
    r.close(n + "bf16 prefill logits vs bf16 reference", logits, ref->load("logits")[0], vs_bf16);
    r.close(n + "bf16 prefill logits vs fp32 reference", logits, ref32->load("logits")[0], kBf16VsFp32);
  }
  const auto expected = ref->load("generated_ids");
  const auto prompt_len = static_cast<std::int64_t>(prompt.size());
  std::vector<std::int64_t> ids;
  auto steps = greedy(*m, prompt, expected.size(1) - prompt_len, &ids);
  auto ref_steps = ref->load("generate_step_logits");
  auto ref32_steps = ref32->load("generate_step_logits");

  const auto want = to_ids(expected);
  const auto common = std::min(ids.size(), want.size());
  std::size_t first = prompt.size();
  while (first < common && ids[first] == want[first]) ++first;
  if (device.is_cpu() || first == common) {
    r.equal(n + "bf16 generated_ids", ids_tensor(ids).unsqueeze(0), expected);
  } else {
    const auto k = static_cast<std::int64_t>(first) - prompt_len;  // step that picked another id
    // Each of our logits may be off by the tolerance, so where upstream's logits for its id and
    // ours differ by at most twice that, either pick is within tolerance.
    const auto row = ref_steps[k];
    const double gap = (row[want[first]] - row[ids[first]]).abs().item<double>();
    const double bound = 2 * vs_bf16.atol;
    r.line(n + "bf16 generated_ids", "same up to step " + std::to_string(k), "exact/near tie", gap <= bound,
           "step " + std::to_string(k) + " picked " + std::to_string(ids[first]) + " where upstream picked " +
               std::to_string(want[first]) + ", upstream's logits for the two differ by " + format_double(gap) +
               (gap <= bound ? " <= " : " > ") + format_double(bound) + "; later steps not compared");
    steps = steps.narrow(0, 0, k + 1);
    ref_steps = ref_steps.narrow(0, 0, k + 1);
    ref32_steps = ref32_steps.narrow(0, 0, k + 1);
  }
  r.close(n + "bf16 generate_step_logits vs bf16 reference", steps, ref_steps, vs_bf16);
  r.close(n + "bf16 generate_step_logits vs fp32 reference", steps, ref32_steps, kBf16VsFp32);
}

}  // namespace

void check_llama(const fs::path& dir, c10::Device device, Report& report) {
  const auto variants = subfolders(dir);
  if (variants.empty()) throw_error(ErrorKind::NotFound, describe(dir.string(), "no LLaMA variant folders"));
  for (const auto& v : variants) {
    const auto vdir = dir / v;
    const std::string n = "llama/" + v + " ";
    report.guarded(n + "fp32", [&] { check_fp32(vdir, n, device, report); });
    if (!fs::exists(vdir / "reference_bf16.safetensors")) continue;
    if (!fs::exists(vdir / "model.bf16.safetensors")) {
      report.skip(n + "bf16", "reference_bf16.safetensors without model.bf16.safetensors");
      continue;
    }
    report.guarded(n + "bf16", [&] { check_bf16(vdir, n, device, report); });
  }
}

}  // namespace seedcanvas::tool::check
