// LLaMA engine against the transformers 4.33 fixtures in $SEEDCANVAS_FIXTURES/llama: every
// variant folder and weight format found there; shapes and lengths come from the files.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <tuple>

#include "core/error.h"
#include "io/safetensors.h"
#include "llm/fixed_decoder.h"
#include "llm/generate.h"
#include "llm/llama_model.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
namespace fs = std::filesystem;

namespace {

constexpr double kTol = 1e-4;  // MANIFEST: fp32 tensors atol 1e-4, rtol 1e-4

fs::path llama_root() { return test::fixture("llama"); }

// Weight formats a variant folder may hold; each is loaded and checked on its own.
const char* kFormats[] = {"model.safetensors", "pytorch_model.bin", "pytorch_model.legacy_inv_freq.bin", "sharded"};

std::vector<std::int64_t> to_ids(const at::Tensor& t) {
  auto flat = t.to(at::kLong).contiguous().view({-1});
  return {flat.data_ptr<std::int64_t>(), flat.data_ptr<std::int64_t>() + flat.numel()};
}

at::Tensor ids_tensor(const std::vector<std::int64_t>& ids) {
  return at::tensor(at::ArrayRef<std::int64_t>(ids), at::kLong);
}

// Loads a variant in one format; QSKIPs (returns null) only when the variant folder does not
// hold that format (each variant holds a different set). Every format listed is readable, so
// a load error is a failure, not a skip.
std::unique_ptr<llm::LlamaForCausalLM> load_or_skip(const QString& variant, const QString& format,
                                                    c10::ScalarType dtype, QString* skip) {
  const fs::path dir = llama_root() / variant.toStdString();
  const fs::path weights = dir / format.toStdString();
  if (!fs::exists(weights)) {
    *skip = "no " + format + " in " + variant;
    return nullptr;
  }
  llm::LlamaLoadOptions options;
  options.dtype = dtype;
  // The sharded folder carries its own config.json; single files use the variant's.
  return llm::LlamaForCausalLM::load(fs::is_directory(weights) ? weights : dir, options,
                                     fs::is_directory(weights) ? fs::path() : weights);
}

#define LOAD_OR_SKIP(var, variant, format, dtype)                 \
  QString skip_reason;                                            \
  auto var = load_or_skip((variant), (format), (dtype), &skip_reason); \
  if (!var) QSKIP(qPrintable(skip_reason));

std::unique_ptr<io::SafetensorsFile> reference(const QString& variant, const char* name = "reference_fp32.safetensors") {
  return io::SafetensorsFile::open(llama_root() / variant.toStdString() / name);
}

std::int64_t argmax_id(const at::Tensor& logits_row) { return logits_row.argmax(-1).item<std::int64_t>(); }

// Greedy decoding with the KV cache, as generate(do_sample=False): returns the step logits [n, V].
at::Tensor greedy(const llm::LlamaForCausalLM& m, const std::vector<std::int64_t>& prompt, std::int64_t max_new,
                  std::vector<std::int64_t>* out_ids) {
  auto cache = m.new_cache(static_cast<std::int64_t>(prompt.size()) + max_new);
  std::vector<at::Tensor> steps;
  auto logits = m.forward(prompt, cache);
  *out_ids = prompt;
  for (std::int64_t i = 0; i < max_new; ++i) {
    steps.push_back(logits[0]);
    const auto next = argmax_id(logits[0]);
    out_ids->push_back(next);
    // MANIFEST: stops early only at the config's eos_token_id.
    const auto& eos = m.config().eos_token_ids;
    if (std::find(eos.begin(), eos.end(), next) != eos.end()) break;
    if (i + 1 < max_new) logits = m.forward(std::vector<std::int64_t>{next}, cache);
  }
  return at::stack(steps);
}

void add_variant_rows(bool with_formats) {
  QTest::addColumn<QString>("variant");
  QTest::addColumn<QString>("format");
  const auto variants = test::subfolders(llama_root());
  if (variants.empty()) QFAIL(qPrintable("no LLaMA fixtures at " + QString::fromStdString(llama_root().string())));
  for (const auto& v : variants) {
    if (!with_formats) {
      QTest::newRow(v.c_str()) << QString::fromStdString(v) << QString("model.safetensors");
      continue;
    }
    for (const char* f : kFormats)
      QTest::newRow((v + "/" + f).c_str()) << QString::fromStdString(v) << QString(f);
  }
}

}  // namespace

class LlamaConformanceTest : public QObject {
  Q_OBJECT
 private slots:
  // A missing fixture root fails: conformance without fixtures checks nothing.
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    at::set_num_threads(2);
    QVERIFY2(!test::subfolders(llama_root()).empty(),
             qPrintable("no LLaMA fixtures at " + QString::fromStdString(llama_root().string()) +
                        " (set SEEDCANVAS_FIXTURES)"));
  }

  // Prefill: logits, every hidden state, the final hidden state and the KV cache.
  void prefill_data() { add_variant_rows(true); }
  void prefill() {
    QFETCH(QString, variant);
    QFETCH(QString, format);
    LOAD_OR_SKIP(m, variant, format, at::kFloat);
    auto ref = reference(variant);
    const auto prompt = to_ids(ref->load("input_ids"));
    auto cache = m->new_cache();
    auto out = m->forward_full(prompt, cache, /*all_logits=*/true, /*hidden_states=*/true);
    SC_EXPECT_CLOSE(out.logits, ref->load("logits")[0], kTol, kTol, "logits");
    QCOMPARE(static_cast<std::int64_t>(out.hidden_states.size()), m->config().num_hidden_layers + 1);
    for (std::size_t i = 0; i < out.hidden_states.size(); ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "hidden_states.%02zu", i);
      SC_EXPECT_CLOSE(out.hidden_states[i], ref->load(name)[0], kTol, kTol, name);
    }
    SC_EXPECT_CLOSE(out.hidden_states.back(), ref->load("last_hidden_state")[0], kTol, kTol, "last_hidden_state");
    QCOMPARE(cache.length(), static_cast<std::int64_t>(prompt.size()));
    for (std::int64_t l = 0; l < m->config().num_hidden_layers; ++l) {
      char kname[32], vname[32];
      std::snprintf(kname, sizeof kname, "past_key.%02lld", static_cast<long long>(l));
      std::snprintf(vname, sizeof vname, "past_value.%02lld", static_cast<long long>(l));
      SC_EXPECT_CLOSE(cache.key(l), ref->load(kname)[0], kTol, kTol, kname);
      SC_EXPECT_CLOSE(cache.value(l), ref->load(vname)[0], kTol, kTol, vname);
    }
  }

  // Greedy generation with the cache: the new ids exactly, and the logits of every step.
  void greedyGeneration_data() { add_variant_rows(true); }
  void greedyGeneration() {
    QFETCH(QString, variant);
    QFETCH(QString, format);
    LOAD_OR_SKIP(m, variant, format, at::kFloat);
    auto ref = reference(variant);
    const auto prompt = to_ids(ref->load("input_ids"));
    const auto expected_new = ref->load("generated_new_ids");
    std::vector<std::int64_t> ids;
    auto steps = greedy(*m, prompt, expected_new.numel(), &ids);
    SC_EXPECT_EQUAL(ids_tensor(ids).unsqueeze(0), ref->load("generated_ids"), "generated_ids");
    SC_EXPECT_CLOSE(steps, ref->load("generate_step_logits"), kTol, kTol, "generate_step_logits");

    // The streaming API with a greedy sampler gives the same continuation.
    llm::SamplerSettings greedy_settings;
    greedy_settings.greedy = true;
    llm::TokenIds token_ids;
    token_ids.bos = m->config().bos_token_id;
    token_ids.eos = m->config().eos_token_ids.front();
    llm::Sampler sampler(greedy_settings, token_ids);
    llm::GenerationSettings gs;
    gs.max_new_tokens = expected_new.numel();
    auto cache = m->new_cache(static_cast<std::int64_t>(prompt.size()) + gs.max_new_tokens);
    std::int64_t streamed = 0;
    auto result = llm::generate(*m, cache, prompt, sampler, gs, [&](const llm::GenerationStep& s) {
      streamed += s.index == streamed;
      return true;
    });
    SC_EXPECT_EQUAL(ids_tensor(result.ids).unsqueeze(0), expected_new, "generate() ids");
    QCOMPARE(streamed, static_cast<std::int64_t>(result.ids.size()));
  }

  // A teacher-forced forward without cache over prompt + continuation.
  void fullSequence_data() { add_variant_rows(false); }
  void fullSequence() {
    QFETCH(QString, variant);
    QFETCH(QString, format);
    LOAD_OR_SKIP(m, variant, format, at::kFloat);
    auto ref = reference(variant);
    const auto ids = to_ids(ref->load("generated_ids"));
    auto cache = m->new_cache(static_cast<std::int64_t>(ids.size()));
    auto logits = m->forward(ids, cache, /*all_logits=*/true);
    SC_EXPECT_CLOSE(logits, ref->load("full_sequence_logits")[0], kTol, kTol, "full_sequence_logits");
  }

  // One token at a time from an empty cache equals the full forward at every position (dynamic
  // NTK: only while the length stays within max_position_embeddings, where HF does not rescale).
  void stepwiseEqualsFull_data() { add_variant_rows(false); }
  void stepwiseEqualsFull() {
    QFETCH(QString, variant);
    QFETCH(QString, format);
    LOAD_OR_SKIP(m, variant, format, at::kFloat);
    auto ref = reference(variant);
    const auto ids = to_ids(ref->load("generated_ids"));
    const auto full = ref->load("full_sequence_logits")[0];
    const auto& c = m->config();
    const bool dynamic = c.rope_scaling_type == llm::RopeScaling::Dynamic;
    const auto prompt_len = ref->load("input_ids").size(1);
    const auto prefill = ref->load("logits")[0];
    const auto steps = ref->load("generate_step_logits");
    auto cache = m->new_cache(static_cast<std::int64_t>(ids.size()));
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(ids.size()); ++i) {
      auto logits = m->forward(std::vector<std::int64_t>{ids[static_cast<std::size_t>(i)]}, cache)[0];
      const std::string what = "step " + std::to_string(i);
      if (!dynamic) {
        SC_EXPECT_CLOSE(logits, full[i], kTol, kTol, what + " vs full_sequence_logits");
      } else if (i < prompt_len) {
        // Dynamic NTK rescales a whole forward longer than max_position_embeddings, so the full
        // 36-token forward is not a per-step reference; the prompt prefill and the cached
        // generation steps are (keys keep the rotation of the step that cached them).
        SC_EXPECT_CLOSE(logits, prefill[i], kTol, kTol, what + " vs prefill logits");
      }
      if (dynamic && i >= prompt_len - 1 && i - (prompt_len - 1) < steps.size(0))
        SC_EXPECT_CLOSE(logits, steps[i - (prompt_len - 1)], kTol, kTol, what + " vs generate_step_logits");
    }
  }

  // bf16 weights and activations against the upstream bf16 run.
  void bf16_data() { add_variant_rows(false); }
  void bf16() {
    QFETCH(QString, variant);
    if (!fs::exists(llama_root() / variant.toStdString() / "reference_bf16.safetensors"))
      QSKIP("no bf16 reference for this variant");
    LOAD_OR_SKIP(m, variant, "model.bf16.safetensors", at::kBFloat16);
    auto ref = reference(variant, "reference_bf16.safetensors");
    auto ref32 = reference(variant);
    const auto prompt = to_ids(ref->load("input_ids"));
    auto cache = m->new_cache();
    auto logits = m->forward(prompt, cache, true);
    SC_EXPECT_CLOSE(logits, ref->load("logits")[0], 5e-2, 0.0, "bf16 logits vs bf16 reference");
    SC_EXPECT_CLOSE(logits, ref32->load("logits")[0], 1e-1, 0.0, "bf16 logits vs fp32 reference");
    const auto expected = ref->load("generated_ids");
    std::vector<std::int64_t> ids;
    auto steps = greedy(*m, prompt, expected.size(1) - static_cast<std::int64_t>(prompt.size()), &ids);
    SC_EXPECT_CLOSE(steps, ref->load("generate_step_logits"), 5e-2, 0.0, "bf16 generate_step_logits");
    SC_EXPECT_CLOSE(steps, ref32->load("generate_step_logits"), 1e-1, 0.0, "bf16 vs fp32 generate_step_logits");
    SC_EXPECT_EQUAL(ids_tensor(ids).unsqueeze(0), expected, "bf16 generated_ids");
  }

  // Every way of running a decode step: ATen ops (eager), the fused decode kernels over the
  // cached keys, and the fixed-shape step CUDA graphs record (token and position read from
  // device tensors, attention over a masked window) with and without the fused kernels. Same
  // ids and step logits as upstream, fp32 and bf16.
  void decodeModes_data() {
    QTest::addColumn<QString>("variant");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("kernels");
    QTest::addColumn<QString>("folds");
    const auto variants = test::subfolders(llama_root());
    if (variants.empty()) QFAIL(qPrintable("no LLaMA fixtures at " + QString::fromStdString(llama_root().string())));
    const std::tuple<const char*, llm::DecodeMode, bool, const char*> modes[] = {
        {"eager", llm::DecodeMode::Eager, false, "none"},
        {"fused", llm::DecodeMode::Fused, true, "none"},
        {"fused+folds", llm::DecodeMode::Fused, true, "all"},
        {"fixed", llm::DecodeMode::Fixed, false, "none"},
        {"fixed+kernels", llm::DecodeMode::Fixed, true, "none"},
        {"fixed+folds", llm::DecodeMode::Fixed, true, "all"},
        {"fixed+projection-folds", llm::DecodeMode::Fixed, true, "norm,residual,swiglu"},
        {"fixed+attention", llm::DecodeMode::Fixed, true, "attention"}};
    for (const auto& v : variants)
      for (const auto& [name, mode, kernels, folds] : modes)
        QTest::newRow((v + "/" + name).c_str()) << QString::fromStdString(v) << QString("model.safetensors")
                                                << static_cast<int>(mode) << kernels << QString(folds);
  }
  void decodeModes() {
    QFETCH(QString, variant);
    QFETCH(QString, format);
    QFETCH(int, mode);
    QFETCH(bool, kernels);
    QFETCH(QString, folds);
    LOAD_OR_SKIP(m, variant, format, at::kFloat);
    m->set_decode_mode(static_cast<llm::DecodeMode>(mode));
    m->set_decode_kernels(kernels);
    m->set_decode_folds(llm::DecodeFolds::parse(folds.toStdString()));
    auto ref = reference(variant);
    const auto prompt = to_ids(ref->load("input_ids"));
    const auto expected = ref->load("generated_ids");
    std::vector<std::int64_t> ids;
    auto steps = greedy(*m, prompt, expected.size(1) - static_cast<std::int64_t>(prompt.size()), &ids);
    SC_EXPECT_EQUAL(ids_tensor(ids).unsqueeze(0), expected, "generated_ids");
    SC_EXPECT_CLOSE(steps, ref->load("generate_step_logits"), kTol, kTol, "generate_step_logits");
    if (m->config().rope_scaling_type != llm::RopeScaling::Dynamic) {
      const auto all = to_ids(expected);
      const auto full = ref->load("full_sequence_logits")[0];
      auto cache = m->new_cache(static_cast<std::int64_t>(all.size()));
      for (std::size_t i = 0; i < all.size(); ++i)
        SC_EXPECT_CLOSE(m->forward(std::vector<std::int64_t>{all[i]}, cache)[0], full[static_cast<std::int64_t>(i)],
                        kTol, kTol, "step " + std::to_string(i) + " vs full_sequence_logits");
      // The steps really took the path asked for.
      QCOMPARE(cache.fixed_decoder() != nullptr, static_cast<llm::DecodeMode>(mode) == llm::DecodeMode::Fixed);
    }
    if (!fs::exists(llama_root() / variant.toStdString() / "reference_bf16.safetensors")) return;
    auto b = load_or_skip(variant, "model.bf16.safetensors", at::kBFloat16, &skip_reason);
    QVERIFY2(b, qPrintable(skip_reason));
    b->set_decode_mode(static_cast<llm::DecodeMode>(mode));
    b->set_decode_kernels(kernels);
    b->set_decode_folds(llm::DecodeFolds::parse(folds.toStdString()));
    auto ref16 = reference(variant, "reference_bf16.safetensors");
    const auto expected16 = ref16->load("generated_ids");
    auto steps16 = greedy(*b, prompt, expected16.size(1) - static_cast<std::int64_t>(prompt.size()), &ids);
    SC_EXPECT_CLOSE(steps16, ref16->load("generate_step_logits"), 5e-2, 0.0, "bf16 step logits");
    SC_EXPECT_EQUAL(ids_tensor(ids).unsqueeze(0), expected16, "bf16 generated_ids");
  }

  // Windows grow 256, 512, ... up to the capacity; a decode crossing from one to the next keeps
  // giving the eager step's logits (a random model of a fixture config with a longer context).
  void fixedStepAcrossWindows_data() {
    QTest::addColumn<QString>("folds");
    QTest::newRow("kernels") << QString("none");
    QTest::newRow("folds") << QString("all");
  }
  void fixedStepAcrossWindows() {
    QFETCH(QString, folds);
    using llm::FixedDecoder;
    QCOMPARE(FixedDecoder::window_for(0, 4096), std::int64_t{256});
    QCOMPARE(FixedDecoder::window_for(255, 4096), std::int64_t{256});
    QCOMPARE(FixedDecoder::window_for(256, 4096), std::int64_t{512});
    QCOMPARE(FixedDecoder::window_for(1500, 4096), std::int64_t{2048});
    QCOMPARE(FixedDecoder::window_for(300, 400), std::int64_t{400});
    const auto variants = test::subfolders(llama_root());
    if (variants.empty()) QFAIL(qPrintable("no LLaMA fixtures at " + QString::fromStdString(llama_root().string())));
    auto config = llm::LlamaConfig::load(llama_root() / variants.front());
    config.max_position_embeddings = 320;
    config.rope_scaling_type = llm::RopeScaling::None;
    auto eager = llm::LlamaForCausalLM::random(config, at::kFloat, 0.05, 7);
    auto fixed = llm::LlamaForCausalLM::random(config, at::kFloat, 0.05, 7);
    fixed->set_decode_mode(llm::DecodeMode::Fixed);
    fixed->set_decode_folds(llm::DecodeFolds::parse(folds.toStdString()));
    std::vector<std::int64_t> prompt;
    for (std::int64_t i = 0; i < 250; ++i) prompt.push_back(1 + (i * 37) % (config.vocab_size - 1));
    auto ce = eager->new_cache(), cf = fixed->new_cache();
    eager->forward(prompt, ce);
    fixed->forward(prompt, cf);
    for (std::int64_t i = 0; i < 70; ++i) {  // positions 250 .. 319: windows 256, then 320 (capacity)
      const std::int64_t id = 3 + (i * 11) % (config.vocab_size - 3);
      SC_EXPECT_CLOSE(fixed->forward(std::vector<std::int64_t>{id}, cf), eager->forward(std::vector<std::int64_t>{id}, ce),
                      kTol, kTol, "fixed vs eager at position " + std::to_string(250 + i));
    }
    QCOMPARE(cf.length(), std::int64_t{320});
  }

  // fp16 weights (loader check; no fp16 reference exists): loaded as fp32 they stay close to fp32.
  void fp16Weights_data() { add_variant_rows(false); }
  void fp16Weights() {
    QFETCH(QString, variant);
    LOAD_OR_SKIP(m, variant, "model.fp16.safetensors", at::kFloat);
    auto ref = reference(variant);
    auto cache = m->new_cache();
    auto logits = m->forward(to_ids(ref->load("input_ids")), cache, true);
    SC_EXPECT_CLOSE(logits, ref->load("logits")[0], 5e-2, 0.0, "fp16 weights vs fp32 logits");
  }
};

QTEST_APPLESS_MAIN(LlamaConformanceTest)
#include "test_llama.moc"
