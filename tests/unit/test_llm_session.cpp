// The generation loop on a small random LLaMA (no fixtures): KV-cache prefix reuse gives the
// logits of a fresh forward, cancellation leaves the session usable, finish reasons, seeds,
// and config validation.
#include <ATen/ATen.h>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <atomic>

#include "core/error.h"
#include "llm/generate.h"
#include "llm/llama_model.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
using namespace seedcanvas::llm;

namespace {

LlamaConfig tiny_config() {
  return LlamaConfig::from_json(nlohmann::json::parse(R"({"vocab_size":96,"hidden_size":32,"intermediate_size":48,
      "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":64})"),
                                "tiny.json");
}

TokenIds tiny_ids() {
  TokenIds t;
  t.bos = 1;
  t.eos = 2;
  return t;
}

std::vector<std::int64_t> prompt_of(std::int64_t n, std::int64_t seed) {
  std::vector<std::int64_t> p = {1};
  for (std::int64_t i = 1; i < n; ++i) p.push_back(3 + (seed * 31 + i * 17) % 90);
  return p;
}

SamplerSettings greedy() {
  SamplerSettings s;
  s.greedy = true;
  return s;
}

}  // namespace

class LlmSessionTest : public QObject {
  Q_OBJECT
  std::unique_ptr<LlamaForCausalLM> model_;

 private slots:
  void initTestCase() { model_ = LlamaForCausalLM::random(tiny_config(), at::kFloat, 0.2, 11); }

  void prefixReuseGivesFreshLogits() {
    const auto a = prompt_of(12, 1);
    auto ab = a;
    for (auto id : prompt_of(9, 2)) ab.push_back(id);
    auto cache = model_->new_cache();
    prefill_with_reuse(*model_, cache, a);
    std::int64_t reused = -1;
    auto logits = prefill_with_reuse(*model_, cache, ab, &reused);
    QCOMPARE(reused, static_cast<std::int64_t>(a.size()));
    auto fresh_cache = model_->new_cache();
    auto fresh = model_->forward(ab, fresh_cache);
    SC_EXPECT_CLOSE(logits, fresh, 1e-5, 1e-5, "logits after prefix reuse");
    for (std::int64_t l = 0; l < cache.layers(); ++l) SC_EXPECT_CLOSE(cache.key(l), fresh_cache.key(l), 1e-5, 1e-5, "keys");
    // A diverging prompt keeps only the common part.
    auto other = a;
    other[5] = other[5] == 40 ? 41 : 40;
    prefill_with_reuse(*model_, cache, other, &reused);
    QCOMPARE(reused, std::int64_t{5});
    QCOMPARE(cache.tokens(), other);
    // The same prompt again recomputes only its last token.
    prefill_with_reuse(*model_, cache, other, &reused);
    QCOMPARE(reused, static_cast<std::int64_t>(other.size()) - 1);
  }

  void generateMatchesManualGreedy() {
    const auto prompt = prompt_of(10, 3);
    auto cache = model_->new_cache();
    Sampler s(greedy(), tiny_ids());
    GenerationSettings gs;
    gs.max_new_tokens = 12;
    gs.stop_on_eos = false;
    auto r = generate(*model_, cache, prompt, s, gs);
    QCOMPARE(r.finish, FinishReason::Length);
    QCOMPARE(static_cast<std::int64_t>(r.ids.size()), std::int64_t{12});
    // Manual loop over full forwards.
    auto ids = prompt;
    for (int i = 0; i < 12; ++i) {
      auto c = model_->new_cache();
      ids.push_back(model_->forward(ids, c)[0].argmax().item<std::int64_t>());
    }
    QCOMPARE(r.ids, std::vector<std::int64_t>(ids.begin() + 10, ids.end()));
    QCOMPARE(cache.length(), static_cast<std::int64_t>(prompt.size() + 11));  // the last token is never fed
    QVERIFY(r.time_to_first_token > 0);
    QCOMPARE(r.decode_steps, std::int64_t{11});
  }

  void cancellationLeavesTheSessionUsable() {
    const auto prompt = prompt_of(8, 4);
    GenerationSettings gs;
    gs.max_new_tokens = 10;
    gs.stop_on_eos = false;
    auto reference_cache = model_->new_cache();
    Sampler ref_sampler(greedy(), tiny_ids());
    const auto full = generate(*model_, reference_cache, prompt, ref_sampler, gs);

    auto cache = model_->new_cache();
    Sampler s(greedy(), tiny_ids());
    std::atomic<bool> cancel{false};
    int seen = 0;
    auto r = generate(*model_, cache, prompt, s, gs, [&](const GenerationStep&) {
      if (++seen == 3) cancel = true;  // as a UI thread would, between steps
      return true;
    }, &cancel);
    QCOMPARE(r.finish, FinishReason::Cancelled);
    QCOMPARE(r.ids.size(), std::size_t{3});
    QCOMPARE(r.ids, std::vector<std::int64_t>(full.ids.begin(), full.ids.begin() + 3));

    // A callback returning false stops too.
    auto r2 = generate(*model_, cache, prompt, s, gs, [](const GenerationStep& st) { return st.index < 1; });
    QCOMPARE(r2.finish, FinishReason::Cancelled);
    QCOMPARE(r2.ids.size(), std::size_t{2});

    // The same session then runs to the end and gives the uninterrupted answer.
    cancel = false;
    auto again = generate(*model_, cache, prompt, s, gs, {}, &cancel);
    QCOMPARE(again.finish, FinishReason::Length);
    QCOMPARE(again.ids, full.ids);
    QVERIFY(again.reused_tokens > 0);
  }

  void stopIdsAndEos() {
    const auto prompt = prompt_of(8, 5);
    auto cache = model_->new_cache();
    Sampler s(greedy(), tiny_ids());
    GenerationSettings gs;
    gs.max_new_tokens = 8;
    gs.stop_on_eos = false;
    const auto free_run = generate(*model_, cache, prompt, s, gs);
    gs.stop_ids = {free_run.ids[2]};
    auto r = generate(*model_, cache, prompt, s, gs);
    QCOMPARE(r.finish, FinishReason::Stop);
    const auto first = std::find(free_run.ids.begin(), free_run.ids.end(), free_run.ids[2]) - free_run.ids.begin();
    QCOMPARE(static_cast<std::int64_t>(r.ids.size()), first + 1);
    // EOS: a sampler whose eos is the first greedy token stops at once.
    TokenIds t = tiny_ids();
    t.eos = free_run.ids[0];
    Sampler eos_sampler(greedy(), t);
    gs.stop_ids.clear();
    gs.stop_on_eos = true;
    auto e = generate(*model_, cache, prompt, eos_sampler, gs);
    QCOMPARE(e.finish, FinishReason::Eos);
    QCOMPARE(e.ids.size(), std::size_t{1});
  }

  void seededSamplingRepeats() {
    const auto prompt = prompt_of(6, 6);
    GenerationSettings gs;
    gs.max_new_tokens = 16;
    gs.stop_on_eos = false;
    auto run = [&](std::uint64_t seed) {
      SamplerSettings st;
      st.seed = seed;
      st.top_k = 20;
      st.top_p = 0.9;
      Sampler s(st, tiny_ids());
      auto cache = model_->new_cache();
      return generate(*model_, cache, prompt, s, gs).ids;
    };
    QCOMPARE(run(99), run(99));
    QVERIFY(run(99) != run(100));
  }

  void contextFullEndsWithLength() {
    auto cache = model_->new_cache(12);
    Sampler s(greedy(), tiny_ids());
    GenerationSettings gs;
    gs.max_new_tokens = 50;
    gs.stop_on_eos = false;
    auto r = generate(*model_, cache, prompt_of(8, 7), s, gs);
    QCOMPARE(r.finish, FinishReason::Length);
    QCOMPARE(r.ids.size(), std::size_t{5});  // 8 prompt + 4 fed + 1 final sample
    QVERIFY_THROWS_EXCEPTION(Error, generate(*model_, cache, prompt_of(13, 7), s, gs));
  }

  void rejectsOutOfVocabularyIds() {
    auto cache = model_->new_cache();
    QVERIFY_THROWS_EXCEPTION(Error, model_->forward({1, 96}, cache));
    QCOMPARE(cache.length(), std::int64_t{0});
  }

  void configErrorsNameTheKey() {
    auto j = nlohmann::json::parse(R"({"vocab_size":512,"hidden_size":64,"intermediate_size":172,
      "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":3})");
    try {
      LlamaConfig::from_json(j, "cfg.json");
      QFAIL("accepted 3 kv heads for 4 heads");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("num_key_value_heads") && QString(e.what()).contains("cfg.json"), e.what());
    }
    j["num_key_value_heads"] = 2;
    j.erase("hidden_size");
    try {
      LlamaConfig::from_json(j, "cfg.json");
      QFAIL("accepted a config without hidden_size");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("hidden_size"), e.what());
    }
    j["hidden_size"] = 64;
    j["rope_scaling"] = {{"type", "yarn"}, {"factor", 2.0}};
    QVERIFY_THROWS_EXCEPTION(Error, LlamaConfig::from_json(j, "cfg.json"));
    j["rope_scaling"] = {{"type", "dynamic"}, {"factor", 2.0}};
    j["eos_token_id"] = {2, 7};
    const auto c = LlamaConfig::from_json(j, "cfg.json");
    QCOMPARE(c.rope_scaling_type, RopeScaling::Dynamic);
    QCOMPARE(c.eos_token_ids, (std::vector<std::int64_t>{2, 7}));
    QCOMPARE(c.num_key_value_heads, std::int64_t{2});
  }

  // A value of the wrong JSON type is refused by key, never converted: nlohmann reads 2.5 as 2,
  // which would give a model of another shape than the file describes.
  void configRejectsWrongTypes_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");  // JSON text
    QTest::newRow("string for int") << "hidden_size" << R"("64")";
    QTest::newRow("bool for int") << "num_key_value_heads" << "true";
    QTest::newRow("fraction for int") << "num_hidden_layers" << "2.5";
    QTest::newRow("float for int") << "vocab_size" << "96.0";
    QTest::newRow("array for int") << "intermediate_size" << "[48]";
    QTest::newRow("object for int") << "max_position_embeddings" << R"({"n":64})";
    QTest::newRow("bool for float") << "rms_norm_eps" << "true";
    QTest::newRow("string for float") << "rope_theta" << R"("10000")";
    QTest::newRow("int for bool") << "tie_word_embeddings" << "1";
    QTest::newRow("int for string") << "model_type" << "7";
    QTest::newRow("string eos") << "eos_token_id" << R"("2")";
    QTest::newRow("bool eos") << "eos_token_id" << "true";
    QTest::newRow("rope_scaling list") << "rope_scaling" << R"(["linear", 2.0])";
  }
  void configRejectsWrongTypes() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    auto j = nlohmann::json::parse(R"({"vocab_size":96,"hidden_size":32,"intermediate_size":48,
      "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":64})");
    LlamaConfig::from_json(j, "cfg.json");  // the base config is fine
    j[key.toStdString()] = nlohmann::json::parse(value.toStdString());
    try {
      const auto c = LlamaConfig::from_json(j, "cfg.json");
      QFAIL(qPrintable("accepted " + key + " = " + value + " (read as hidden_size " + QString::number(c.hidden_size) +
                       ", layers " + QString::number(c.num_hidden_layers) + ")"));
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Config);
      QVERIFY2(QString(e.what()).contains(key) && QString(e.what()).contains("cfg.json"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(LlmSessionTest)
#include "test_llm_session.moc"
