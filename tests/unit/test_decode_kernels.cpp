// The fused decode kernels (CPU implementation) and the CPU GEMV against the ATen op sequences
// they replace (upstream's order: LlamaRMSNorm, apply_rotary_pos_emb, silu * up, x @ w^T), on
// shapes the LLaMA fixtures do not have: odd widths, several rows, grouped KV heads.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <QtTest>

#include <limits>

#include "llm/decode_kernels.h"
#include "llm/gemv_cpu.h"
#include "llm/llama_layers.h"
#include "llm/rope.h"
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
};

QTEST_APPLESS_MAIN(DecodeKernelsTest)
#include "test_decode_kernels.moc"
