// The fused decode kernels (CPU implementation) and the CPU GEMV against the ATen op sequences
// they replace (upstream's order: LlamaRMSNorm, apply_rotary_pos_emb, silu * up, x @ w^T), on
// shapes the LLaMA fixtures do not have: odd widths, several rows, grouped KV heads.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>
#include <vector>
#include <limits>
#include <string>
#include <utility>

#include "llm/decode_kernels.h"
#include "llm/gemv_cpu.h"
#include "llm/gemv_tuning.h"
#include "llm/llama_model.h"
#include "llm/llama_layers.h"
#include "llm/rope.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;

namespace {

// One bf16 step at the value's magnitude: the norm's fp32 sum of squares runs in another order
// than ATen's, which can move a rounding by one step.
constexpr double kBf16Rtol = 1.0 / 128;

void add_dtype_rows() {
  QTest::addColumn<int>("dtype");
  QTest::newRow("fp32") << static_cast<int>(at::kFloat);
  QTest::newRow("bf16") << static_cast<int>(at::kBFloat16);
}

double rtol_for(at::ScalarType t) { return t == at::kFloat ? 1e-5 : kBf16Rtol; }

}  // namespace

class DecodeKernelsTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    at::manual_seed(11);
    at::set_num_threads(2);
  }

  void rmsNorm_data() { add_dtype_rows(); }
  void rmsNorm() {
    QFETCH(int, dtype);
    const auto t = static_cast<at::ScalarType>(dtype);
    const std::int64_t hidden = 37;
    llm::LlamaRMSNorm norm(hidden, 1e-6);
    norm.weight = (1 + 0.1 * at::randn({hidden})).to(t);
    const auto x = at::randn({3, hidden}).to(t), residual = at::randn({3, hidden}).to(t);

    auto plain = x.clone(), out = at::empty_like(x);
    llm::kernels::rms_norm(out, plain, nullptr, norm.weight, norm.variance_epsilon);
    SC_EXPECT_CLOSE(out, norm.forward(x), 1e-6, rtol_for(t), "rms_norm");
    SC_EXPECT_EQUAL(plain, x, "rms_norm leaves x alone without a residual");

    auto summed = x.clone();
    llm::kernels::rms_norm(out, summed, &residual, norm.weight, norm.variance_epsilon);
    const auto expected_sum = x + residual;  // x.add_(o) in x's dtype
    SC_EXPECT_EQUAL(summed, expected_sum, "residual added into x");
    SC_EXPECT_CLOSE(out, norm.forward(expected_sum), 1e-6, rtol_for(t), "rms_norm after the residual");
  }

  void ropeAndCache_data() { add_dtype_rows(); }
  void ropeAndCache() {
    QFETCH(int, dtype);
    const auto t = static_cast<at::ScalarType>(dtype);
    const std::int64_t heads = 4, kv_heads = 2, head_dim = 16, capacity = 10, table_len = 12, position = 7;
    const auto qkv = at::randn({1, (heads + 2 * kv_heads) * head_dim}).to(t);
    // Any table works: the kernel must pick row `position` and apply the rotate-half formula.
    llm::RopeRows table{at::rand({table_len, 1, head_dim}).mul(2).sub(1).to(t),
                        at::rand({table_len, 1, head_dim}).mul(2).sub(1).to(t)};
    const auto pos = at::full({1}, position, at::kLong);
    const double sentinel = -7.0;
    auto key = at::full({kv_heads, capacity, head_dim}, sentinel, t), value = key.clone();
    auto q = at::empty({1, heads * head_dim}, t);
    llm::kernels::rope_and_cache(qkv, table.cos, table.sin, pos, heads, kv_heads, q, key, value);

    const llm::RopeRows row{table.cos.narrow(0, position, 1), table.sin.narrow(0, position, 1)};
    const auto qk = llm::LlamaRotaryEmbedding::apply(
        qkv.narrow(1, 0, (heads + kv_heads) * head_dim).view({1, heads + kv_heads, head_dim}), row);
    // Each product and the sum rounded where ATen rounds them: bit for bit in either dtype.
    SC_EXPECT_EQUAL(q.view({heads, head_dim}), qk[0].narrow(0, 0, heads), "rotated queries");
    SC_EXPECT_EQUAL(key.select(1, position), qk[0].narrow(0, heads, kv_heads), "rotated keys");
    SC_EXPECT_EQUAL(value.select(1, position),
                    qkv.narrow(1, (heads + kv_heads) * head_dim, kv_heads * head_dim).view({kv_heads, head_dim}),
                    "values as computed");
    for (std::int64_t r = 0; r < capacity; ++r) {
      if (r == position) continue;
      SC_EXPECT_EQUAL(key.select(1, r), at::full({kv_heads, head_dim}, sentinel, t), "other key rows untouched");
      SC_EXPECT_EQUAL(value.select(1, r), at::full({kv_heads, head_dim}, sentinel, t), "other value rows untouched");
    }
  }

  void siluMul_data() { add_dtype_rows(); }
  void siluMul() {
    QFETCH(int, dtype);
    const auto t = static_cast<at::ScalarType>(dtype);
    const std::int64_t inter = 29;
    const auto gate_up = (3 * at::randn({2, 2 * inter})).to(t);
    auto out = at::empty({2, inter}, t);
    llm::kernels::silu_mul(out, gate_up);
    const auto expected = at::silu(gate_up.narrow(1, 0, inter)) * gate_up.narrow(1, inter, inter);
    if (t == at::kBFloat16)  // same rounding points as ATen: bit for bit
      SC_EXPECT_EQUAL(out, expected, "silu(gate) * up");
    else
      SC_EXPECT_CLOSE(out, expected, 1e-6, rtol_for(t), "silu(gate) * up");
  }

  // The engine's GEMV against an fp64 product, on widths that leave tails at every unroll step.
  void cpuGemv_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::newRow("37x13") << 37 << 13;
    QTest::newRow("64x40") << 64 << 40;
    QTest::newRow("130x1029") << 130 << 1029;
  }
  void cpuGemv() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    const auto w = at::randn({rows, cols}), x = at::randn({1, cols});
    auto out = at::full({1, rows}, std::numeric_limits<float>::quiet_NaN());
    if (!llm::cpu_gemv::applies(out, x, w)) QSKIP("the engine's CPU GEMV needs x86-64 with AVX2 + FMA and OpenMP");
    llm::cpu_gemv::run(out, x, w);
    const auto expected = at::mm(x.to(at::kDouble), w.to(at::kDouble).t()).to(at::kFloat);
    SC_EXPECT_CLOSE(out, expected, 1e-5, 1e-5, "x @ w^T");
    // project() takes the same path for one fp32 row and stays close to GEMM for several rows.
    auto projected = at::empty({1, rows});
    llm::project(projected, x, w);
    SC_EXPECT_CLOSE(projected, expected, 1e-5, 1e-5, "project()");
    QVERIFY(!llm::cpu_gemv::applies(out, x.to(at::kBFloat16), w.to(at::kBFloat16)));  // bf16 stays on GEMM
  }

  // A folded projection equals the unfolded ATen sequence: norm or gate, x @ w^T, then the skip add.
  void gemvFolded_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<int>("op");
    QTest::addColumn<bool>("accumulate");
    using Op = llm::kernels::FoldedInput::Op;
    for (auto [dname, t] : {std::pair{"fp32", at::kFloat}, std::pair{"bf16", at::kBFloat16}})
      for (auto [oname, op] : {std::pair{"row", Op::Row}, std::pair{"norm", Op::RmsNorm}, std::pair{"swiglu", Op::SwiGlu}})
        for (bool acc : {false, true})
          QTest::newRow(qPrintable(QString("%1/%2/%3").arg(dname, oname, acc ? "accumulate" : "write")))
              << static_cast<int>(t) << static_cast<int>(op) << acc;
  }
  void gemvFolded() {
    QFETCH(int, dtype);
    QFETCH(int, op);
    QFETCH(bool, accumulate);
    using Op = llm::kernels::FoldedInput::Op;
    const auto t = static_cast<at::ScalarType>(dtype);
    const auto kind = static_cast<Op>(op);
    const std::int64_t k = 45, n = 23;
    llm::LlamaRMSNorm norm(k, 1e-5);
    norm.weight = (1 + 0.1 * at::randn({k})).to(t);
    const auto w = (0.2 * at::randn({n, k})).to(t);
    const auto x = at::randn({1, kind == Op::SwiGlu ? 2 * k : k}).to(t);
    at::Tensor row = x;  // the unfolded input, by ATen ops
    if (kind == Op::RmsNorm) row = norm.forward(x);
    if (kind == Op::SwiGlu) row = at::silu(x.narrow(1, 0, k)) * x.narrow(1, k, k);
    const auto before = at::randn({1, n}).to(t);
    const auto product = at::mm(row, w.t());
    const auto expected = accumulate ? before + product : product;

    llm::kernels::FoldedInput in{kind, &x, &norm.weight, norm.variance_epsilon};
    auto out = before.clone();
    QVERIFY(llm::kernels::folded_applies(out, in, w));
    llm::kernels::gemv_folded(out, in, w, accumulate);
    SC_EXPECT_CLOSE(out, expected, 1e-5, rtol_for(t), "folded projection");
    const auto narrower = at::zeros({1, n - 1}, t);
    QVERIFY(!llm::kernels::folded_applies(narrower, in, w));  // the output must hold every row
  }

  // Attention of one query row (the CUDA kernel's algorithm) against HF 4.33's sequence (bmm,
  // / sqrt(hd), softmax in fp32, cast, bmm) over rows [0, position]. Rows past the position hold
  // NaN: a kernel that reads them cannot pass.
  void decodeAttention_data() {
    QTest::addColumn<int>("dtype");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("kvHeads");
    QTest::addColumn<int>("headDim");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("position");
    for (auto [dname, t] : {std::pair{"fp32", at::kFloat}, std::pair{"bf16", at::kBFloat16}}) {
      const int dt = static_cast<int>(t);
      QTest::newRow(qPrintable(QString("%1/mha/first").arg(dname))) << dt << 4 << 4 << 16 << 256 << 0;
      QTest::newRow(qPrintable(QString("%1/mha/odd").arg(dname))) << dt << 3 << 3 << 48 << 256 << 37;
      // 2 heads x 16 x 101 rows: a product short enough for LibTorch's CPU GEMM to accumulate in bf16
      QTest::newRow(qPrintable(QString("%1/mha/short-product").arg(dname))) << dt << 2 << 2 << 16 << 256 << 100;
      QTest::newRow(qPrintable(QString("%1/gqa/wide").arg(dname))) << dt << 6 << 2 << 80 << 300 << 299;
      QTest::newRow(qPrintable(QString("%1/gqa4/last").arg(dname))) << dt << 8 << 2 << 128 << 512 << 511;
    }
  }
  void decodeAttention() {
    QFETCH(int, dtype);
    QFETCH(int, heads);
    QFETCH(int, kvHeads);
    QFETCH(int, headDim);
    QFETCH(int, window);
    QFETCH(int, position);
    const auto t = static_cast<at::ScalarType>(dtype);
    const std::int64_t rows = window + 5, groups = heads / kvHeads;
    auto key = at::randn({kvHeads, rows, headDim}).to(t), value = at::randn({kvHeads, rows, headDim}).to(t);
    key.narrow(1, position + 1, rows - position - 1).fill_(std::numeric_limits<double>::quiet_NaN());
    value.narrow(1, position + 1, rows - position - 1).fill_(std::numeric_limits<double>::quiet_NaN());
    const auto q = (2 * at::randn({1, heads * headDim})).to(t);
    auto out = at::empty_like(q);
    QVERIFY(llm::kernels::attention_applies(q, key, heads, window));
    llm::kernels::decode_attention(out, q, key, value, at::full({1}, position, at::kLong), window);

    // HF 4.33 in the same dtype: query head h reads kv head h / groups (repeat_kv).
    const auto qg = q.view({kvHeads, groups, headDim});
    const auto k = key.narrow(1, 0, position + 1), v = value.narrow(1, 0, position + 1);
    const auto scores = at::matmul(qg, k.transpose(1, 2)) / std::sqrt(static_cast<double>(headDim));
    const auto probs = at::softmax(scores, -1, at::kFloat).to(t);
    const auto expected = at::matmul(probs, v).reshape({1, heads * headDim});
    SC_EXPECT_CLOSE(out, expected, 1e-5, rtol_for(t), "attention over the cached rows");

    QVERIFY(!llm::kernels::attention_applies(q, key, heads, llm::kernels::kAttentionMaxWindow + 64));
    // A cache view the kernels cannot index as [nkv, rows, hd] rows (they would refuse it) is no fit.
    const auto strided = at::cat({key, key}, 2).narrow(2, 0, headDim);
    QVERIFY(!strided.is_contiguous());
    QVERIFY(!llm::kernels::attention_applies(q, strided, heads, window));
    bool refused = false;
    try {
      llm::kernels::decode_attention(out, q, key, value, at::full({1}, window, at::kLong), window);
    } catch (const std::exception&) {
      refused = true;
    }
    QVERIFY2(refused, "a position outside the window is refused");
  }

  void decodeFoldsNames() {
    using llm::DecodeFolds;
    QVERIFY(!DecodeFolds::parse("").any());
    QVERIFY(!DecodeFolds::parse("0").any());
    QCOMPARE(DecodeFolds::parse("1").name(), std::string("all"));
    const auto some = DecodeFolds::parse("residual,attention");
    QVERIFY(!some.norm && some.residual && !some.swiglu && some.attention);
    QCOMPARE(DecodeFolds::parse(some.name()).name(), some.name());
    QCOMPARE(DecodeFolds::parse("norm,residual,swiglu,attention").name(), std::string("all"));
    bool refused = false;
    try {
      DecodeFolds::parse("norm,typo");
    } catch (const std::exception& e) {
      refused = QString(e.what()).contains("typo");
    }
    QVERIFY2(refused, "an unknown fold is named in the error");
  }

  void gemvPickKeepsTheDefaultOnNearTies() {
    using K = llm::kernels::GemvKernel;
    auto t = [](K kernel, double seconds, bool accepted = true) {
      llm::GemvTiming timing;
      timing.kernel = kernel;
      timing.seconds = seconds;
      timing.accepted = accepted;
      return timing;
    };
    QCOMPARE(llm::pick_gemv({t(K::Staged, 1.0), t(K::Cublas, 0.99)}, K::Staged, 0.02), K::Staged);
    QCOMPARE(llm::pick_gemv({t(K::Staged, 1.0), t(K::Cublas, 0.95)}, K::Staged, 0.02), K::Cublas);
    QCOMPARE(llm::pick_gemv({t(K::Staged, 1.0), t(K::Batched, 0.5, false), t(K::Rows2, 0.9)}, K::Staged, 0.02),
             K::Rows2);  // a rejected kernel never wins, however fast
    QCOMPARE(llm::pick_gemv({t(K::Staged, 1.0, false), t(K::Rows2, 1.5)}, K::Staged, 0.02), K::Rows2);
    QCOMPARE(llm::pick_gemv({t(K::Staged, 1.0, false)}, K::Staged, 0.02), K::Staged);
  }

  // The tuner on CPU stand-ins whose speed and output are known: it must drop the wrong and the
  // silent kernel, pick the fastest right one, and kernels::gemv must then name it for that shape.
  void gemvTuningChecksTimesAndRecords() {
    using K = llm::kernels::GemvKernel;
    std::vector<at::Tensor> weights;
    for (int i = 0; i < 3; ++i) weights.push_back(at::randn({24, 40}));
    std::vector<const at::Tensor*> ptrs;
    for (const auto& w : weights) ptrs.push_back(&w);
    const llm::GemvRunner run = [](at::Tensor& out, const at::Tensor& x, const at::Tensor& w, K kernel) {
      auto busy = [](int micros) { std::this_thread::sleep_for(std::chrono::microseconds(micros)); };
      switch (kernel) {
        case K::Staged: busy(400); break;
        case K::Rows2: busy(900); break;
        case K::Cublas: busy(40); break;
        case K::Batched: out.zero_(); return;  // wrong
        default: return;                       // writes nothing
      }
      at::mm_out(out, x, w.t());
    };
    llm::GemvTuneOptions options;
    options.passes = 2;
    const auto tuning = llm::tune_gemv_class("o_proj", ptrs, {K::Staged, K::Rows2, K::Batched, K::Split2, K::Cublas},
                                             run, [] {}, options);
    QCOMPARE(tuning.rows, std::int64_t{24});
    QCOMPARE(tuning.k, std::int64_t{40});
    QCOMPARE(tuning.timings.size(), std::size_t{5});
    QVERIFY(tuning.timings[0].accepted && tuning.timings[0].rel_error < 1e-6);
    QVERIFY2(!tuning.timings[2].accepted && tuning.timings[2].rel_error > 0.5, "a wrong product is rejected");
    QVERIFY2(!tuning.timings[3].accepted, "a kernel that writes nothing is rejected");
    QVERIFY(tuning.timings[4].seconds < tuning.timings[0].seconds);
    QVERIFY(tuning.timings[0].seconds < tuning.timings[1].seconds);
    QCOMPARE(tuning.chosen, K::Cublas);

    llm::clear_gemv_choices();
    QCOMPARE(llm::kernels::gemv_variant(), K::Auto);
    QCOMPARE(llm::kernels::gemv_kernel_for(24, 40), K::Staged);  // nothing recorded: the default
    llm::record_gemv_choice(tuning);
    QCOMPARE(llm::recorded_gemv_choice(24, 40), K::Cublas);
    QCOMPARE(llm::recorded_gemv_choice(24, 41), K::Auto);
    QCOMPARE(llm::kernels::gemv_kernel_for(24, 40), K::Cublas);
    llm::kernels::set_gemv_variant(K::Rows2);  // a forced kernel overrides the table
    QCOMPARE(llm::kernels::gemv_kernel_for(24, 40), K::Rows2);
    llm::kernels::set_gemv_variant(K::Auto);
    QCOMPARE(llm::recorded_gemv_tunings().size(), std::size_t{1});
    llm::clear_gemv_choices();
    QCOMPARE(llm::kernels::gemv_kernel_for(24, 40), K::Staged);
  }

  // The kernels chosen on a GPU, kept between runs per device: merged on write, and a broken or
  // hand-edited file never turns into a wrong choice (unknown entries are skipped).
  void gemvChoicesAreKeptPerDevice() {
    using K = llm::kernels::GemvKernel;
    const auto file = test::scratch_dir("gemv_choices") / "sub" / "gpu-kernels.json";
    QVERIFY(llm::read_gemv_choices(file, "A").empty());  // no file yet
    llm::GemvTuning qkv{"qkv", 12288, 4096, K::Batched, {}}, down{"down_proj", 4096, 11008, K::Cublas, {}};
    QVERIFY(llm::write_gemv_choices(file, "A", {qkv, down}));
    auto a = llm::read_gemv_choices(file, "A");
    QCOMPARE(a.size(), std::size_t{2});
    QCOMPARE(a.at({12288, 4096}), K::Batched);
    QCOMPARE(a.at({4096, 11008}), K::Cublas);
    QVERIFY(llm::read_gemv_choices(file, "B").empty());
    qkv.chosen = K::Split2;
    QVERIFY(llm::write_gemv_choices(file, "B", {qkv}));
    QVERIFY(llm::write_gemv_choices(file, "A", {llm::GemvTuning{"o_proj", 4096, 4096, K::Staged, {}}}));
    a = llm::read_gemv_choices(file, "A");
    QCOMPARE(a.size(), std::size_t{3});
    QCOMPARE(a.at({12288, 4096}), K::Batched);  // kept: device B's entry is its own
    QCOMPARE(llm::read_gemv_choices(file, "B").at({12288, 4096}), K::Split2);

    auto write_text = [&](const std::string& text) {
      std::ofstream(file) << text;
    };
    write_text(R"({"format":1,"devices":{"A":{"12x34":"warp-speed","bad":"staged","56x78":"rows2","9x":"staged",)"
               R"("7x7x":"staged","11x22":5}}})");
    a = llm::read_gemv_choices(file, "A");
    QCOMPARE(a.size(), std::size_t{1});
    QCOMPARE(a.at({56, 78}), K::Rows2);
    write_text("{not json");
    QVERIFY(llm::read_gemv_choices(file, "A").empty());
    QVERIFY(llm::write_gemv_choices(file, "A", {down}));  // replaces the broken file
    QCOMPARE(llm::read_gemv_choices(file, "A").size(), std::size_t{1});
    QVERIFY(llm::gemv_device_key(c10::kCPU).find(SEEDCANVAS_VERSION) != std::string::npos);
  }

  void gemvTuningIsForCudaBf16Only() {
    llm::LlamaConfig config;
    config.vocab_size = 64;
    config.hidden_size = 32;
    config.intermediate_size = 48;
    config.num_hidden_layers = 1;
    config.num_attention_heads = 4;
    config.num_key_value_heads = 4;
    config.max_position_embeddings = 16;
    auto model = llm::LlamaForCausalLM::random(config, at::kBFloat16, 0.02, 1);
    QVERIFY(model->projection_tuning().empty());
    QVERIFY(model->tune_projections().empty());
    QVERIFY(llm::recorded_gemv_tunings().empty());
  }
};

QTEST_APPLESS_MAIN(DecodeKernelsTest)
#include "test_decode_kernels.moc"
