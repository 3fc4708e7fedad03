// The sampler: transformers 4.30 top-k / top-p keep sets on known distributions, seeded
// reproducibility, repetition penalty, greedy, and the image-span rule.
#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>
#include <set>

#include "core/error.h"
#include "llm/sampler.h"

using namespace seedcanvas;
using llm::Sampler;
using llm::SamplerSettings;

namespace {

at::Tensor logits_of(const std::vector<double>& probs) {
  std::vector<float> l;
  for (double p : probs) l.push_back(static_cast<float>(std::log(p)));
  return at::tensor(l);
}

std::set<std::int64_t> kept(const at::Tensor& scores) {
  std::set<std::int64_t> out;
  auto s = scores.contiguous();
  for (std::int64_t i = 0; i < s.numel(); ++i)
    if (std::isfinite(s[i].item<float>())) out.insert(i);
  return out;
}

SamplerSettings settings(std::int64_t top_k, double top_p, double temperature = 1.0) {
  SamplerSettings s;
  s.top_k = top_k;
  s.top_p = top_p;
  s.temperature = temperature;
  return s;
}

// 10 text ids, 6 image codes at 10..15, <img> 16, </img> 17 (a toy vocabulary of 18).
llm::TokenIds toy_ids() {
  llm::TokenIds t;
  t.bos = 1;
  t.eos = 2;
  t.image_shift = 10;
  t.image_count = 6;
  t.boi = 16;
  t.eoi = 17;
  return t;
}

}  // namespace

class SamplerTest : public QObject {
  Q_OBJECT
 private slots:
  void topKKeepsTheKLargest() {
    Sampler s(settings(3, 1.0), {});
    auto scores = s.process(at::tensor({0.5f, 3.0f, -1.0f, 2.0f, 2.5f, 0.0f}), {});
    QCOMPARE(kept(scores), (std::set<std::int64_t>{1, 3, 4}));
  }

  void topKKeepsTiesAtTheKthValue() {
    Sampler s(settings(2, 1.0), {});
    auto scores = s.process(at::tensor({1.0f, 3.0f, 1.0f, 1.0f}), {});
    QCOMPARE(kept(scores), (std::set<std::int64_t>{0, 1, 2, 3}));  // HF: remove only scores < k-th
  }

  void topPKeepSets_data() {
    QTest::addColumn<double>("topP");
    QTest::addColumn<int>("expected");
    // probs 0.4 0.3 0.2 0.1: ascending cumulative 0.1 0.3 0.6 1.0; drop those <= 1 - top_p.
    QTest::newRow("0.95") << 0.95 << 4;
    QTest::newRow("0.75") << 0.75 << 3;
    QTest::newRow("0.6") << 0.6 << 2;
    QTest::newRow("0.3") << 0.3 << 1;
    QTest::newRow("tiny keeps one") << 1e-6 << 1;
  }
  void topPKeepSets() {
    QFETCH(double, topP);
    QFETCH(int, expected);
    Sampler s(settings(0, topP), {});
    auto k = kept(s.process(logits_of({0.4, 0.3, 0.2, 0.1}), {}));
    QCOMPARE(static_cast<int>(k.size()), expected);
    for (int i = 0; i < expected; ++i) QVERIFY(k.count(i));  // the most probable ones
  }

  void topKRunsBeforeTopP() {
    // top-k 2 renormalises 0.4/0.3 to 0.57/0.43, so top-p 0.5 keeps only the first;
    // top-p alone keeps two.
    Sampler both(settings(2, 0.5), {});
    QCOMPARE(kept(both.process(logits_of({0.4, 0.3, 0.2, 0.1}), {})), (std::set<std::int64_t>{0}));
    Sampler p_only(settings(0, 0.5), {});
    QCOMPARE(kept(p_only.process(logits_of({0.4, 0.3, 0.2, 0.1}), {})), (std::set<std::int64_t>{0, 1}));
  }

  void temperatureScales() {
    Sampler s(settings(0, 1.0, 0.5), {});
    auto out = s.process(at::tensor({1.0f, -2.0f}), {});
    QCOMPARE(out[0].item<float>(), 2.0f);
    QCOMPARE(out[1].item<float>(), -4.0f);
  }

  void seededDrawsRepeat() {
    auto logits = at::randn({200});
    auto run = [&](std::uint64_t seed) {
      auto st = settings(50, 0.9);
      st.seed = seed;
      Sampler s(st, {});
      std::vector<std::int64_t> out;
      for (int i = 0; i < 64; ++i) out.push_back(s.sample(logits, {}));
      return out;
    };
    QCOMPARE(run(7), run(7));
    QVERIFY(run(7) != run(8));
    Sampler s(settings(50, 0.9), {});
    auto first = s.sample(logits, {});
    s.reseed(0);
    QCOMPARE(s.sample(logits, {}), first);
  }

  void drawsFollowTheDistribution() {
    const std::vector<double> p = {0.5, 0.25, 0.15, 0.1};
    auto st = settings(0, 1.0);
    st.seed = 123;
    Sampler s(st, {});
    std::vector<int> counts(4, 0);
    const int n = 20000;
    for (int i = 0; i < n; ++i) ++counts[static_cast<std::size_t>(s.sample(logits_of(p), {}))];
    for (std::size_t i = 0; i < p.size(); ++i) {
      const double f = static_cast<double>(counts[i]) / n, sd = std::sqrt(p[i] * (1 - p[i]) / n);
      QVERIFY2(std::abs(f - p[i]) < 5 * sd, qPrintable(QString("token %1: %2 vs %3").arg(i).arg(f).arg(p[i])));
    }
  }

  void greedyIsArgmax() {
    SamplerSettings st;
    st.greedy = true;
    Sampler s(st, {});
    QCOMPARE(s.sample(at::tensor({0.1f, 5.0f, 5.0f, -1.0f}), {}), std::int64_t{1});  // first max, as argmax
    SamplerSettings zero_t;
    zero_t.temperature = 0.0;
    QCOMPARE(Sampler(zero_t, {}).sample(at::tensor({0.1f, 0.0f, 3.0f}), {}), std::int64_t{2});
  }

  void repetitionPenaltyFollowsHf() {
    SamplerSettings st;
    st.greedy = true;
    st.repetition_penalty = 2.0;
    Sampler s(st, {});
    auto out = s.process(at::tensor({4.0f, -1.0f, 3.0f}), {0, 1, 0});
    QCOMPARE(out[0].item<float>(), 2.0f);   // positive: divided
    QCOMPARE(out[1].item<float>(), -2.0f);  // negative: multiplied
    QCOMPARE(out[2].item<float>(), 3.0f);   // unseen: unchanged
    QCOMPARE(s.sample(at::tensor({4.0f, -1.0f, 3.0f}), {0}), std::int64_t{2});
  }

  void imageSpanRule() {
    SamplerSettings st;
    st.top_k = 0;
    st.seed = 5;
    Sampler s(st, toy_ids());
    auto logits = at::zeros({18});
    // Outside a span: no codes, no </img>.
    QCOMPARE(kept(s.process(logits, {1, 3})), (std::set<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16}));
    // After <img>: codes only, until 32 of them; then </img> is forced.
    std::vector<std::int64_t> ctx = {1, 3, 16};
    for (int k = 0; k < 32; ++k) {
      QCOMPARE(s.image_span_position(ctx), std::int64_t{k});
      QCOMPARE(kept(s.process(logits, ctx)), (std::set<std::int64_t>{10, 11, 12, 13, 14, 15}));
      const auto id = s.sample(logits, ctx);
      QVERIFY(id >= 10 && id < 16);
      ctx.push_back(id);
    }
    QCOMPARE(kept(s.process(logits, ctx)), (std::set<std::int64_t>{17}));
    QCOMPARE(s.sample(logits, ctx), std::int64_t{17});
    ctx.push_back(17);
    QCOMPARE(s.image_span_position(ctx), std::int64_t{-1});
    // Rule off: the model's scores decide.
    st.image_span_rule = false;
    Sampler free(st, toy_ids());
    QCOMPARE(kept(free.process(logits, {1, 16})).size(), std::size_t{18});
  }

  void rejectsBadSettings() {
    auto st = settings(-1, 1.0);
    QVERIFY_THROWS_EXCEPTION(Error, Sampler(st, {}));
    st = settings(50, 0.0);
    QVERIFY_THROWS_EXCEPTION(Error, Sampler(st, {}));
  }
};

QTEST_APPLESS_MAIN(SamplerTest)
#include "test_sampler.moc"
