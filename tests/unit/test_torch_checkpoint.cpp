// torch.save-style archives built byte by byte: dtypes, views on shared storages, nested
// dicts, parameters, zip64 and deflated entries all load to the tensors that went in.
#include <ATen/ATen.h>
#include <QtTest>

#include "core/error.h"
#include "io/tensor_source.h"
#include "io/torch_checkpoint.h"
#include "io/unpickler.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"
#include "weight_builders.h"

using namespace seedcanvas;

namespace {

struct Case {
  std::string name;
  at::Tensor tensor;
  std::string storage_type;
};

// Each tensor in its own storage, as torch.save writes a state dict.
void write_simple(const std::filesystem::path& path, const std::vector<Case>& cases, bool zip64, bool deflate,
                  const std::string& nest = {}) {
  std::vector<test::PickleTensor> specs;
  std::vector<test::ZipItem> items;
  const std::string top = "some_top_folder";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    test::PickleTensor p;
    p.name = c.name;
    p.storage_type = c.storage_type;
    p.key = std::to_string(i);
    p.storage_numel = c.tensor.numel();
    p.size.assign(c.tensor.sizes().begin(), c.tensor.sizes().end());
    p.stride.assign(c.tensor.strides().begin(), c.tensor.strides().end());
    p.parameter = i % 2 == 1;
    specs.push_back(p);
    items.push_back({top + "/data/" + p.key, test::tensor_bytes(c.tensor), deflate});
  }
  items.insert(items.begin(), test::ZipItem{top + "/data.pkl", test::state_dict_pickle(specs, nest), deflate});
  items.push_back({top + "/version", "3\n"});
  test::write_file(path, test::build_zip(items, zip64));
}

std::vector<Case> sample_cases() {
  return {
      {"a.weight", at::randn({3, 4}), "FloatStorage"},
      {"b.bias", at::randn({5}).to(at::kBFloat16), "BFloat16Storage"},
      {"c.half", at::randn({2, 3}).to(at::kHalf), "HalfStorage"},
      {"d.ids", at::arange(-3, 5, at::kLong).reshape({2, 4}), "LongStorage"},
      {"e.mask", at::rand({3}) > 0.5, "BoolStorage"},
      {"f.double", at::randn({2}, at::kDouble), "DoubleStorage"},
      {"g.int", at::arange(6, at::kInt), "IntStorage"},
      {"h.u8", at::arange(7, at::kByte), "ByteStorage"},
      {"i.scalar", at::tensor(3.5f).reshape({}), "FloatStorage"},
      {"j.empty", at::empty({0, 4}), "FloatStorage"},
  };
}

}  // namespace

class TorchCheckpointTest : public QObject {
  Q_OBJECT
 private slots:
  void loadsEveryDtype_data() {
    QTest::addColumn<bool>("zip64");
    QTest::addColumn<bool>("deflate");
    QTest::newRow("stored") << false << false;
    QTest::newRow("zip64") << true << false;
    QTest::newRow("deflated") << false << true;
    QTest::newRow("zip64 deflated") << true << true;
  }
  void loadsEveryDtype() {
    QFETCH(bool, zip64);
    QFETCH(bool, deflate);
    auto dir = test::scratch_dir("unit_torch_checkpoint");
    const auto cases = sample_cases();
    write_simple(dir / "model.bin", cases, zip64, deflate);
    auto source = io::open_checkpoint(dir / "model.bin");
    QCOMPARE(source->tensors().size(), cases.size());
    for (const auto& c : cases) {
      const io::TensorInfo* info = source->find(c.name);
      QVERIFY2(info, c.name.c_str());
      QCOMPARE(info->dtype, c.tensor.scalar_type());
      QCOMPARE(info->shape, std::vector<std::int64_t>(c.tensor.sizes().begin(), c.tensor.sizes().end()));
      QCOMPARE(info->nbytes, static_cast<std::uint64_t>(c.tensor.numel() * c.tensor.element_size()));
      auto loaded = source->load(c.name);
      QCOMPARE(loaded.scalar_type(), c.tensor.scalar_type());
      SC_EXPECT_EQUAL(loaded, c.tensor, c.name);
      // Stored entries are aligned, so tensors alias the map: two loads share their bytes.
      if (!deflate && c.tensor.numel() > 0) QCOMPARE(source->load(c.name).data_ptr(), loaded.data_ptr());
    }
  }

  void viewsShareStorages() {
    auto dir = test::scratch_dir("unit_torch_checkpoint_views");
    auto storage = at::arange(24, at::kFloat);
    std::vector<test::PickleTensor> specs = {
        {"transposed", "FloatStorage", "0", 24, 2, {3, 4}, {1, 3}},
        {"head", "FloatStorage", "0", 24, 0, {2}, {1}},
        {"broadcast", "FloatStorage", "0", 24, 5, {3, 2}, {0, 1}},
    };
    test::write_torch_checkpoint(dir / "views.pt", test::state_dict_pickle(specs), {{"0", test::tensor_bytes(storage)}});
    auto source = io::open_checkpoint(dir / "views.pt");
    for (const auto& s : specs) SC_EXPECT_EQUAL(source->load(s.name), storage.as_strided(s.size, s.stride, s.offset), s.name);
  }

  void nestedDictsAreFlattened() {
    auto dir = test::scratch_dir("unit_torch_checkpoint_nested");
    write_simple(dir / "ckpt.pth", {{"layer.weight", at::ones({2}), "FloatStorage"}}, false, false, "model");
    auto source = io::open_checkpoint(dir / "ckpt.pth");
    QCOMPARE(source->tensors().size(), std::size_t{1});
    QCOMPARE(source->tensors()[0].name, std::string("model.layer.weight"));
  }

  void nonTensorLeavesAreSkipped() {
    // {"epoch": 3, "lr": 0.5, "w": tensor, "opt": {"state": {0: tensor}}}
    test::PickleWriter w;
    w.proto(2).op('}').op('(').str("epoch").integer(3).str("lr").raw(std::string("G\x3f\xe0\0\0\0\0\0\0", 9));
    w.str("w").global("torch._utils", "_rebuild_tensor_v2").op('(');
    w.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(4).op('t').op('Q');
    w.integer(0).ints({4}).ints({1}).op(static_cast<char>(0x89)).op('N').op('t').op('R').binput(0);
    w.str("opt").op('}').str("state").op('}').integer(0).binget(0).op('s').op('s').op('u').op('.');
    const std::string& bytes = w.bytes;
    auto state = io::unpickle_state_dict(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "x.pkl");
    QCOMPARE(state.tensors.size(), std::size_t{2});
    QCOMPARE(state.tensors[0].name, std::string("w"));
    QCOMPARE(state.tensors[1].name, std::string("opt.state.0"));
    QCOMPARE(state.skipped, (std::vector<std::string>{"epoch", "lr"}));
  }

  void folderFindsPytorchModelBin() {
    auto dir = test::scratch_dir("unit_torch_checkpoint_folder");
    write_simple(dir / "pytorch_model.bin", {{"w", at::ones({2}), "FloatStorage"}}, false, false);
    auto source = io::open_checkpoint(dir);
    QVERIFY(source->contains("w"));
    QVERIFY(QString::fromStdString(source->origin()).endsWith("pytorch_model.bin"));
  }

  void storageTypeAllowList() {
    QVERIFY(io::is_known_storage_type("BFloat16Storage"));
    QVERIFY(!io::is_known_storage_type("ComplexFloatStorage"));
  }
};

QTEST_APPLESS_MAIN(TorchCheckpointTest)
#include "test_torch_checkpoint.moc"
