// nn::load_state: strict loading reports every problem at once by full name, honours ignore
// globs and source prefixes, converts dtypes (but not keep_dtype parameters), and leaves
// the module with owned tensors.
#include <ATen/ATen.h>
#include <QtTest>

#include <map>

#include "core/error.h"
#include "io/safetensors.h"
#include "nn/load.h"
#include "nn/module.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;

namespace {

class Block : public nn::Module {
 public:
  Block() {
    register_parameter("weight", &weight, {2, 3});
    register_parameter("bias", &bias, {2});
  }
  at::Tensor weight, bias;
};

// A tiny tree: "scale", "ids" (an integer buffer), "norm_fp32" (kept in fp32), "block.{weight,bias}".
class Toy : public nn::Module {
 public:
  Toy() {
    register_parameter("scale", &scale, {4});
    register_parameter("ids", &ids, {3}, /*keep_dtype=*/true);
    register_parameter("norm_fp32", &norm_fp32, {2}, /*keep_dtype=*/true);
    register_module("block", &block);
  }
  at::Tensor scale, ids, norm_fp32;
  Block block;
};

class MapSource final : public io::TensorSource {
 public:
  explicit MapSource(std::map<std::string, at::Tensor> tensors) : tensors_(std::move(tensors)) {
    for (const auto& [name, t] : tensors_) {
      io::TensorInfo info;
      info.name = name;
      info.dtype = t.scalar_type();
      info.shape.assign(t.sizes().begin(), t.sizes().end());
      info.nbytes = t.numel() * t.element_size();
      info.file = "memory";
      infos_.push_back(info);
    }
  }
  const std::vector<io::TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override { return tensors_.at(name); }
  std::string origin() const override { return "toy-source"; }

 private:
  std::map<std::string, at::Tensor> tensors_;
  std::vector<io::TensorInfo> infos_;
};

std::map<std::string, at::Tensor> toy_weights(const std::string& prefix = {}) {
  return {{prefix + "scale", at::randn({4})},
          {prefix + "ids", at::arange(3, at::kLong)},
          {prefix + "norm_fp32", at::randn({2})},
          {prefix + "block.weight", at::randn({2, 3})},
          {prefix + "block.bias", at::randn({2})}};
}

QString load_error(nn::Module& m, const io::TensorSource& s, const nn::LoadOptions& o = {}) {
  try {
    nn::load_state(m, s, o);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Mismatch) return "wrong kind: " + QString::fromStdString(e.what());
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace

class LoadStateTest : public QObject {
  Q_OBJECT
 private slots:
  void loadsEverything() {
    Toy toy;
    auto weights = toy_weights();
    MapSource source(weights);
    auto report = nn::load_state(toy, source);
    QCOMPARE(report.loaded, std::size_t{5});
    SC_EXPECT_EQUAL(toy.block.weight, weights["block.weight"], "block.weight");
    SC_EXPECT_EQUAL(toy.ids, weights["ids"], "ids");
    QVERIFY(report.ignored.empty());
  }

  void reportsAllProblemsTogether() {
    Toy toy;
    auto weights = toy_weights();
    weights.erase("block.bias");                 // missing
    weights["block.weight"] = at::randn({3, 2});  // shape mismatch
    weights["extra.tensor"] = at::randn({1});    // unexpected
    weights["scale"] = at::randn({5});           // shape mismatch
    MapSource source(weights);
    const QString err = load_error(toy, source);
    QVERIFY2(err.startsWith("toy-source"), qPrintable(err));
    QVERIFY2(err.contains("missing keys (1)") && err.contains("block.bias"), qPrintable(err));
    QVERIFY2(err.contains("unexpected keys (1)") && err.contains("extra.tensor"), qPrintable(err));
    QVERIFY2(err.contains("shape mismatches (2)"), qPrintable(err));
    QVERIFY2(err.contains("block.weight: file [3, 2], model [2, 3]"), qPrintable(err));
    QVERIFY2(err.contains("scale: file [5], model [4]"), qPrintable(err));
    QVERIFY2(!toy.scale.defined(), "nothing is loaded when anything is wrong");
  }

  void ignoreGlobsSkipKnownExtras() {
    Toy toy;
    auto weights = toy_weights("model.");
    weights["model.layers.0.self_attn.rotary_emb.inv_freq"] = at::randn({8});
    weights["model.layers.17.self_attn.rotary_emb.inv_freq"] = at::randn({8});
    weights["model.other"] = at::randn({1});
    MapSource source(weights);
    nn::LoadOptions options;
    options.source_prefix = "model.";
    options.ignore = {"model.layers.*.self_attn.rotary_emb.inv_freq"};
    const QString err = load_error(toy, source, options);
    QVERIFY2(err.contains("unexpected keys (1)") && err.contains("model.other"), qPrintable(err));
    QVERIFY2(!err.contains("inv_freq"), qPrintable(err));

    weights.erase("model.other");
    MapSource clean(weights);
    auto report = nn::load_state(toy, clean, options);
    QCOMPARE(report.ignored.size(), std::size_t{2});
    SC_EXPECT_EQUAL(toy.block.bias, weights["model.block.bias"], "prefixed block.bias");
  }

  void globMatching_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("match");
    QTest::newRow("exact") << "a.b" << "a.b" << true;
    QTest::newRow("star middle") << "a.*.c" << "a.12.c" << true;
    QTest::newRow("star spans dots") << "a.*.c" << "a.1.2.c" << true;
    QTest::newRow("star empty") << "a*" << "a" << true;
    QTest::newRow("no match") << "a.*.c" << "a.1.d" << false;
    QTest::newRow("prefix only") << "a.b" << "a.bc" << false;
    QTest::newRow("two stars") << "*inv_freq*" << "x.inv_freq.y" << true;
  }
  void globMatching() {
    QFETCH(QString, pattern);
    QFETCH(QString, text);
    QFETCH(bool, match);
    QCOMPARE(nn::glob_match(pattern.toStdString(), text.toStdString()), match);
  }

  void convertsFloatingDtypesOnly() {
    Toy toy;
    auto weights = toy_weights();
    MapSource source(weights);
    nn::LoadOptions options;
    options.dtype = at::kBFloat16;
    nn::load_state(toy, source, options);
    QCOMPARE(toy.scale.scalar_type(), at::kBFloat16);
    QCOMPARE(toy.block.weight.scalar_type(), at::kBFloat16);
    QCOMPARE(toy.ids.scalar_type(), at::kLong);        // integer, keep_dtype
    QCOMPARE(toy.norm_fp32.scalar_type(), at::kFloat);  // keep_dtype float
    SC_EXPECT_EQUAL(toy.block.weight, weights["block.weight"].to(at::kBFloat16), "bf16 cast");
    SC_EXPECT_EQUAL(toy.norm_fp32, weights["norm_fp32"], "kept fp32");
  }

  void loadedTensorsAreOwned() {
    // Safetensors sources alias a read-only map: the module must get its own writable copies.
    auto dir = test::scratch_dir("unit_load_state");
    auto weights = toy_weights();
    std::vector<std::pair<std::string, at::Tensor>> list(weights.begin(), weights.end());
    io::write_safetensors(dir / "toy.safetensors", list);
    auto source = io::open_checkpoint(dir / "toy.safetensors");
    Toy toy;
    nn::load_state(toy, *source);
    toy.block.weight.add_(1.0);  // would fault on a read-only map
    SC_EXPECT_EQUAL(source->load("block.weight"), weights["block.weight"], "file unchanged");
    SC_EXPECT_EQUAL(toy.block.weight, weights["block.weight"] + 1.0, "module copy changed");
  }

  void progressCanCancel() {
    Toy toy;
    MapSource source(toy_weights());
    nn::LoadOptions options;
    std::size_t calls = 0;
    options.progress = [&](std::size_t done, std::size_t total) {
      ++calls;
      return done < 2 && total == 5;
    };
    try {
      nn::load_state(toy, source, options);
      QFAIL("not cancelled");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Cancelled);
    }
    QCOMPARE(calls, std::size_t{2});
  }
};

QTEST_APPLESS_MAIN(LoadStateTest)
#include "test_load_state.moc"
