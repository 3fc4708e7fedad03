// safetensors writing and strict header validation.
#include <ATen/ATen.h>
#include <QtTest>

#include <fstream>

#include "core/error.h"
#include "io/safetensors.h"
#include "support/disk_full.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;

namespace {

std::vector<std::uint8_t> with_header(const std::string& json, std::size_t data_bytes) {
  std::vector<std::uint8_t> out(8);
  std::uint64_t n = json.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(n >> (8 * i));
  out.insert(out.end(), json.begin(), json.end());
  out.resize(out.size() + data_bytes, 0);
  return out;
}

QString parse_error(const std::vector<std::uint8_t>& bytes) {
  try {
    io::parse_safetensors_header(bytes.data(), bytes.size(), "x.safetensors");
  } catch (const Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace

class SafetensorsTest : public QObject {
  Q_OBJECT
 private slots:
  void roundTripEveryDtype() {
    auto dir = test::scratch_dir("unit_safetensors");
    std::vector<std::pair<std::string, at::Tensor>> tensors = {
        {"f32", at::randn({3, 5})},
        {"f16", at::randn({4}).to(at::kHalf)},
        {"bf16", at::randn({2, 2}).to(at::kBFloat16)},
        {"i64", at::arange(7, at::kLong)},
        {"i32", at::arange(3, at::kInt)},
        {"i8", at::arange(-3, 3, at::kChar)},
        {"u8", at::arange(9, at::kByte)},
        {"bool", at::ones({2}, at::kBool)},
        {"scalar", at::tensor(2.5f).reshape({})},
        {"empty", at::empty({0, 4})},
    };
    io::write_safetensors(dir / "all.safetensors", tensors, {{"format", "pt"}});
    auto file = io::SafetensorsFile::open(dir / "all.safetensors");
    QCOMPARE(file->tensors().size(), tensors.size());
    QCOMPARE(file->metadata().at("format"), std::string("pt"));
    for (const auto& [name, t] : tensors) {
      auto loaded = file->load(name);
      QCOMPARE(loaded.scalar_type(), t.scalar_type());
      SC_EXPECT_EQUAL(loaded, t, name);
    }
  }

  void rejectsBrokenHeaders_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("dataBytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{nope") << 0 << "not valid JSON";
    QTest::newRow("not object") << QByteArray("[1,2]") << 0 << "not an object";
    QTest::newRow("past end") << QByteArray(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})") << 4
                              << "past the end";
    QTest::newRow("size mismatch") << QByteArray(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})") << 8
                                   << "size mismatch";
    QTest::newRow("overlap") << QByteArray(
        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})")
                             << 12 << "overlaps";
    QTest::newRow("overflow") << QByteArray(
        R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})") << 8 << "overflows";
    QTest::newRow("negative dim") << QByteArray(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})") << 8
                                  << "negative";
    QTest::newRow("bad dtype") << QByteArray(R"({"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}})") << 16
                               << "unsupported dtype";
    QTest::newRow("reversed offsets") << QByteArray(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}})") << 8
                                      << "end before";
  }
  void rejectsBrokenHeaders() {
    QFETCH(QByteArray, json);
    QFETCH(int, dataBytes);
    QFETCH(QString, expected);
    const QString err = parse_error(with_header(json.toStdString(), dataBytes));
    QVERIFY2(err.contains(expected), qPrintable("got: '" + err + "'"));
    QVERIFY2(err.contains("x.safetensors"), "the message names the file");
  }

  // The disk fills up while a converted checkpoint is written over an existing one: a
  // Resource error naming the file, the old file byte for byte, no partial file beside it.
  void fullDiskKeepsTheOldFile() {
    auto dir = test::scratch_dir("unit_safetensors_full");
    const auto path = dir / "model.safetensors";
    const auto small = at::arange(16, at::kFloat);
    io::write_safetensors(path, {{"w", small}});
    std::ifstream before_in(path, std::ios::binary);
    const std::string before((std::istreambuf_iterator<char>(before_in)), {});
    QVERIFY(!before.empty());

    QString error;
    ErrorKind kind = ErrorKind::Internal;
    {
      test::DiskFull full(4096);  // files may not grow past 4 KiB: the 64 KiB tensor cannot fit
      QVERIFY(full.active());
      try {
        io::write_safetensors(path, {{"w", at::randn({128, 128})}});
      } catch (const Error& e) {
        error = QString::fromStdString(e.what());
        kind = e.kind();
      }
    }
    QVERIFY2(!error.isEmpty(), "a write past the free space was reported as success");
    QCOMPARE(kind, ErrorKind::Resource);
    QVERIFY2(error.contains(QString::fromStdString(path.string())), qPrintable(error));
    std::ifstream after_in(path, std::ios::binary);
    const std::string after((std::istreambuf_iterator<char>(after_in)), {});
    QVERIFY2(after == before, "the existing file was damaged");
    SC_EXPECT_EQUAL(io::SafetensorsFile::open(path)->load("w"), small, "old tensor");
    int entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) entries += e.exists();
    QCOMPARE(entries, 1);  // the temporary is gone
    // With space again the same write goes through.
    const auto big = at::randn({128, 128});
    io::write_safetensors(path, {{"w", big}});
    SC_EXPECT_EQUAL(io::SafetensorsFile::open(path)->load("w"), big, "new tensor");
  }

  void rejectsTruncatedAndHugeHeaderLength() {
    std::vector<std::uint8_t> tiny = {1, 2, 3};
    QVERIFY(parse_error(tiny).contains("truncated"));
    auto huge = with_header("{}", 0);
    huge[7] = 0x7f;  // header length ~ 9e18
    QVERIFY(parse_error(huge).contains("implausibly large"));
    auto past = with_header("{}", 0);
    past[0] = 200;
    QVERIFY(parse_error(past).contains("past the end"));
  }
};

QTEST_APPLESS_MAIN(SafetensorsTest)
#include "test_safetensors.moc"
