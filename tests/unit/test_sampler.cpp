// The sampler: transformers 4.30 top-k / top-p keep sets on known distributions, seeded
// reproducibility, repetition penalty, greedy, and the image-span rule; and the fast sampler
// against the first implementation (kept below as reference_*, the oracle) on random logits with
// ties, NaN and infinities over every setting combination: same tokens, same RNG sequence,
// bit-identical process() scores.
#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <set>
#include <unordered_set>

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


// ---- The first implementation, verbatim in behaviour: the oracle for the fast sampler. ----

constexpr double kRefNegInf = -std::numeric_limits<double>::infinity();

std::int64_t reference_span_position(const llm::TokenIds& ids, const std::vector<std::int64_t>& context) {
  if (!ids.has_images()) return -1;
  for (std::size_t i = context.size(); i-- > 0;) {
    if (context[i] == ids.eoi) return -1;
    if (context[i] == ids.boi) return static_cast<std::int64_t>(context.size() - i - 1);
  }
  return -1;
}

void reference_image_rule(const SamplerSettings& st, const llm::TokenIds& ids, at::Tensor& scores,
                          const std::vector<std::int64_t>& context) {
  if (!st.image_span_rule || !ids.has_images()) return;
  const std::int64_t vocab = scores.size(0);
  const std::int64_t lo = std::min(ids.image_shift, vocab), hi = std::min(ids.image_shift + ids.image_count, vocab);
  const std::int64_t pos = reference_span_position(ids, context);
  if (pos < 0) {
    if (hi > lo) scores.narrow(0, lo, hi - lo).fill_(kRefNegInf);
    if (ids.eoi < vocab) scores[ids.eoi].fill_(kRefNegInf);
  } else if (pos < llm::TokenIds::kCodesPerImage) {
    auto keep = scores.narrow(0, lo, hi - lo).clone();
    scores.fill_(kRefNegInf);
    scores.narrow(0, lo, hi - lo).copy_(keep);
  } else {
    const double eoi_score = 0.0;
    scores.fill_(kRefNegInf);
    if (ids.eoi < vocab) scores[ids.eoi].fill_(eoi_score);
  }
}

bool reference_greedy(const SamplerSettings& st) { return st.greedy || st.temperature <= 0.0; }

at::Tensor reference_process(const SamplerSettings& st, const llm::TokenIds& ids, const at::Tensor& logits,
                             const std::vector<std::int64_t>& context) {
  at::Tensor scores = logits.detach().to(at::kCPU, at::kFloat).reshape({-1}).clone();  // [V]
  const std::int64_t vocab = scores.size(0);
  if (st.repetition_penalty != 1.0 && !context.empty()) {
    auto* s = scores.data_ptr<float>();
    const float p = static_cast<float>(st.repetition_penalty);
    std::unordered_set<std::int64_t> seen;
    for (auto id : context) {
      if (id < 0 || id >= vocab || !seen.insert(id).second) continue;
      s[id] = s[id] < 0 ? s[id] * p : s[id] / p;
    }
  }
  reference_image_rule(st, ids, scores, context);
  if (reference_greedy(st)) return scores;
  if (st.temperature != 1.0) scores = scores / st.temperature;
  if (st.top_k > 0) {
    const std::int64_t k = std::min(st.top_k, vocab);
    auto kth = std::get<0>(at::topk(scores, k)).index({k - 1});
    scores = scores.masked_fill(scores < kth, kRefNegInf);
  }
  if (st.top_p < 1.0) {
    auto candidates = at::nonzero(scores > kRefNegInf).view({-1});
    auto sub = scores.index_select(0, candidates);
    auto sorted = at::sort(sub, /*dim=*/0, /*descending=*/false);
    auto cumulative = at::softmax(std::get<0>(sorted), 0).cumsum(0);
    auto remove_sorted = cumulative <= (1.0 - st.top_p);
    if (remove_sorted.numel() > 0) remove_sorted.index_put_({remove_sorted.numel() - 1}, false);
    auto remove_sub = at::zeros_like(remove_sorted).scatter(0, std::get<1>(sorted), remove_sorted);
    scores.index_put_({candidates.masked_select(remove_sub)}, kRefNegInf);
  }
  return scores;
}

// The first Sampler::sample with its own generator (seeded like Sampler).
struct ReferenceSampler {
  SamplerSettings st;
  llm::TokenIds ids;
  std::mt19937_64 rng;
  ReferenceSampler(SamplerSettings s, llm::TokenIds t) : st(s), ids(t), rng(s.seed) {}
  double uniform() { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

  std::int64_t sample(const at::Tensor& logits, const std::vector<std::int64_t>& context) {
    const at::Tensor scores = reference_process(st, ids, logits, context).contiguous();
    const float* s = scores.data_ptr<float>();
    const std::int64_t vocab = scores.numel();
    std::int64_t best = 0;
    for (std::int64_t i = 1; i < vocab; ++i)
      if (s[i] > s[best] || (std::isnan(s[best]) && !std::isnan(s[i]))) best = i;
    if (reference_greedy(st) || !(s[best] > -std::numeric_limits<float>::infinity())) return best;
    std::vector<double> p(static_cast<std::size_t>(vocab));
    double total = 0.0;
    for (std::int64_t i = 0; i < vocab; ++i) {
      const double v = std::isnan(s[i]) ? 0.0 : std::exp(static_cast<double>(s[i]) - s[best]);
      p[static_cast<std::size_t>(i)] = v;
      total += v;
    }
    const double target = uniform() * total;
    double acc = 0.0;
    std::int64_t last_nonzero = best;
    for (std::int64_t i = 0; i < vocab; ++i) {
      const double v = p[static_cast<std::size_t>(i)];
      if (v <= 0.0) continue;
      acc += v;
      last_nonzero = i;
      if (target < acc) return i;
    }
    return last_nonzero;
  }
};

// ---- Random cases for the comparison. ----

struct Layout {
  const char* name;
  std::int64_t vocab;
  llm::TokenIds ids;
};

llm::TokenIds make_ids(std::int64_t shift, std::int64_t count, std::int64_t boi, std::int64_t eoi) {
  llm::TokenIds t;
  t.bos = 1;
  t.eos = 2;
  t.image_shift = shift;
  t.image_count = count;
  t.boi = boi;
  t.eoi = eoi;
  return t;
}

std::vector<Layout> layouts() {
  return {
      {"no image tokens", 300, llm::TokenIds{}},
      {"toy 18", 18, make_ids(10, 6, 16, 17)},
      {"SEED-like 1000", 1000, make_ids(600, 398, 998, 999)},
      {"codes past the vocabulary, </img> inside the text", 400, make_ids(350, 200, 5, 7)},
      {"codes and </img> past the vocabulary", 300, make_ids(320, 50, 3, 310)},
  };
}

// Logits with the awkward values: exact ties (also at the k-th value), NaN, -inf, +inf, huge ones.
at::Tensor random_logits(std::int64_t vocab, int flavor, std::mt19937_64& g) {
  std::normal_distribution<float> normal(0.0f, 2.0f);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<float> v(static_cast<std::size_t>(vocab));
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  for (auto& x : v) {
    x = normal(g);
    switch (flavor) {
      case 0: break;
      case 1: x = std::round(x * 2.0f) / 2.0f; break;  // many ties
      case 2: {
        x = std::round(x * 4.0f) / 4.0f;
        const double u = unit(g);
        if (u < 0.1) x = nan;
        else if (u < 0.2) x = -inf;
        else if (u < 0.22) x = inf;
        break;
      }
      case 3: {  // overflow under temperature and penalty, a few NaN
        x *= 1.5e38f;
        if (unit(g) < 0.05) x = nan;
        break;
      }
      case 4: {  // nothing above -inf
        x = unit(g) < 0.5 ? nan : -inf;
        break;
      }
      case 5: {  // -inf but for a few: fewer finite scores than top-k, whole blocks of -inf
        if (unit(g) * static_cast<double>(vocab) > 3.0) x = -inf;
        break;
      }
      default: break;
    }
  }
  return at::tensor(v);
}

// A context in the given image-span state: -1 none, 0..32 codes since <img>, 99: a closed span.
std::vector<std::int64_t> make_context(const Layout& l, int state, std::mt19937_64& g) {
  std::uniform_int_distribution<std::int64_t> any(-2, l.vocab + 3);  // out-of-range ids are ignored
  std::vector<std::int64_t> ctx;
  for (int i = 0; i < 24; ++i) {
    auto id = any(g);
    if (l.ids.has_images() && (id == l.ids.boi || id == l.ids.eoi)) id = 4;
    ctx.push_back(id);
  }
  ctx.push_back(ctx[3]);  // a repeat: penalised once
  if (state < 0 || !l.ids.has_images()) return ctx;
  ctx.push_back(l.ids.boi);
  const int codes = state == 99 ? 32 : state;
  for (int c = 0; c < codes; ++c) ctx.push_back(l.ids.image_shift + c % l.ids.image_count);
  if (state == 99) ctx.push_back(l.ids.eoi);
  return ctx;
}

bool same_bits(const at::Tensor& a, const at::Tensor& b) {
  if (a.sizes() != b.sizes() || a.scalar_type() != b.scalar_type()) return false;
  const auto ac = a.contiguous(), bc = b.contiguous();
  return std::memcmp(ac.data_ptr(), bc.data_ptr(), static_cast<std::size_t>(ac.nbytes())) == 0;
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

  // The keep set equals a literal transcription of HF 4.30 (top-k on the whole vocabulary,
  // then an ascending sort of all scores) on random logits.
  void matchesLiteralHfWarpers() {
    for (int trial = 0; trial < 100; ++trial) {
      auto logits = at::randn({300}) * (1.0 + trial % 5);
      const std::int64_t k = trial % 2 ? 50 : 0;
      const double p = 0.2 + 0.7 * (trial % 7) / 6.0;
      auto ref = logits.clone();
      if (k > 0) ref = ref.masked_fill(ref < std::get<0>(at::topk(ref, k))[k - 1], -INFINITY);
      auto sorted = at::sort(ref, 0, false);
      auto remove = at::softmax(std::get<0>(sorted), 0).cumsum(0) <= (1.0 - p);
      remove[-1] = false;
      ref = ref.masked_fill(at::zeros_like(remove).scatter(0, std::get<1>(sorted), remove), -INFINITY);
      Sampler s(settings(k, p), {});
      QCOMPARE(kept(s.process(logits, {})), kept(ref));
    }
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

  // The fast sampler against the first implementation over every setting combination.
  void matchesReferenceImplementation() {
    std::mt19937_64 g(2024);
    int cases = 0, draws = 0;
    struct Mode {
      bool greedy;
      double temperature;
    };
    const Mode modes[] = {{false, 1.0}, {false, 0.7}, {false, 1.5}, {true, 1.0}, {false, 0.0}};
    for (const auto& layout : layouts()) {
      for (const auto& mode : modes)
        for (std::int64_t top_k : {std::int64_t{0}, std::int64_t{1}, std::int64_t{50}, layout.vocab})
          for (double top_p : {1e-9, 0.1, 0.5, 1.0})  // 1e-9: only the keep-one rule saves the top
            for (double penalty : {1.0, 1.3})
              for (bool rule : {true, false})
                for (int state : {-1, 0, 10, 31, 32, 99}) {
                  SamplerSettings st;
                  st.greedy = mode.greedy;
                  st.temperature = mode.temperature;
                  st.top_k = top_k;
                  st.top_p = top_p;
                  st.repetition_penalty = penalty;
                  st.image_span_rule = rule;
                  st.seed = g();
                  const int flavor = cases % 6;
                  auto ctx = make_context(layout, state, g);
                  Sampler fast(st, layout.ids);
                  ReferenceSampler ref(st, layout.ids);
                  const QString where = QString("%1, flavor %2, greedy %3, T %4, top_k %5, top_p %6, penalty %7, rule %8, "
                                                "span %9")
                                            .arg(layout.name)
                                            .arg(flavor)
                                            .arg(mode.greedy)
                                            .arg(mode.temperature)
                                            .arg(top_k)
                                            .arg(top_p)
                                            .arg(penalty)
                                            .arg(rule)
                                            .arg(state);
                  // A sequence of draws: each token joins the context, so the span state moves too.
                  for (int step = 0; step < 4; ++step) {
                    const auto logits = random_logits(layout.vocab, flavor, g);
                    const auto expected = reference_process(st, layout.ids, logits, ctx);
                    QVERIFY2(same_bits(fast.process(logits, ctx), expected),
                             qPrintable(where + QString(", step %1: process() differs").arg(step)));
                    const auto want = ref.sample(logits, ctx), got = fast.sample(logits, ctx);
                    QVERIFY2(got == want, qPrintable(where + QString(", step %1: sampled %2, reference %3")
                                                                 .arg(step)
                                                                 .arg(got)
                                                                 .arg(want)));
                    ctx.push_back(got);
                    ++draws;
                  }
                  // Both generators advanced alike: equal scores make the draw follow the generator alone.
                  const auto flat = at::zeros({layout.vocab});
                  for (int probe = 0; probe < 3; ++probe)
                    QVERIFY2(fast.sample(flat, ctx) == ref.sample(flat, ctx),
                             qPrintable(where + ": generator state differs"));
                  ++cases;
                }
    }
    qInfo("%d setting combinations, %d draws", cases, draws);
  }

  // The app's defaults on a SEED-sized vocabulary, many steps of one request.
  void matchesReferenceOnSeedVocabulary() {
    const std::int64_t vocab = 40194;
    const auto ids = make_ids(32000, 8192, 40192, 40193);
    std::mt19937_64 g(7);
    for (double penalty : {1.0, 1.1}) {
      SamplerSettings st;
      st.top_k = 50;
      st.top_p = 0.5;
      st.repetition_penalty = penalty;
      st.seed = 99;
      Sampler fast(st, ids);
      ReferenceSampler ref(st, ids);
      std::vector<std::int64_t> ctx = {1, 100, 200, 300};
      for (int step = 0; step < 120; ++step) {
        auto logits = at::randn({vocab}) * 3.0;
        if (step % 40 == 5) ctx.push_back(ids.boi);  // open an image span now and then
        const auto want = ref.sample(logits, ctx), got = fast.sample(logits, ctx);
        QCOMPARE(got, want);
        if (step % 10 == 0) QVERIFY(same_bits(fast.process(logits, ctx), reference_process(st, ids, logits, ctx)));
        ctx.push_back(got);
      }
    }
  }

  // Other dtypes and layouts take the copying path: still the reference's answers.
  void otherDtypesAndLayouts() {
    const auto ids = make_ids(600, 398, 998, 999);
    std::mt19937_64 g(11);
    for (auto dtype : {at::kBFloat16, at::kDouble, at::kHalf}) {
      SamplerSettings st;
      st.temperature = 0.8;
      st.top_p = 0.9;
      st.repetition_penalty = 1.2;
      Sampler fast(st, ids);
      ReferenceSampler ref(st, ids);
      std::vector<std::int64_t> ctx = {1, 5, 9};
      for (int step = 0; step < 20; ++step) {
        const auto logits = random_logits(1000, step % 3, g).to(dtype);
        QCOMPARE(fast.sample(logits, ctx), ref.sample(logits, ctx));
        ctx.push_back(step);
      }
    }
    // [1, V] rows and strided views (logits[0] of a [1, V] batch is what generate() passes).
    SamplerSettings st;
    Sampler fast(st, ids);
    ReferenceSampler ref(st, ids);
    const auto wide = at::randn({2, 2000});
    const auto strided = wide.select(1, 0).contiguous().view({1, 2}).expand({500, 2}).reshape({-1});  // ties galore
    for (const auto& logits : {at::randn({1, 1000}), wide.narrow(1, 0, 1000)[1], wide.select(0, 0).slice(0, 0, 2000, 2),
                               strided}) {
      QVERIFY(same_bits(fast.process(logits, {3}), reference_process(st, ids, logits, {3})));
      QCOMPARE(fast.sample(logits, {3}), ref.sample(logits, {3}));
    }
  }

  // The logits are read in place: neither call may write to them.
  void leavesTheLogitsAlone() {
    SamplerSettings st;
    st.temperature = 0.5;
    st.repetition_penalty = 1.5;
    Sampler s(st, toy_ids());
    const auto logits = at::randn({18});
    const auto before = logits.clone();
    (void)s.process(logits, {1, 2, 3, 16, 10});
    (void)s.sample(logits, {1, 2, 3});
    QVERIFY(same_bits(logits, before));
  }

  void rejectsEmptyLogits() {
    Sampler s(SamplerSettings{}, {});
    QVERIFY_THROWS_EXCEPTION(Error, s.sample(at::empty({0}), {}));
    QVERIFY_THROWS_EXCEPTION(Error, s.process(at::empty({0}), {}));
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
