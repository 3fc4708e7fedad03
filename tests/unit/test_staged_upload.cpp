// nn::StagedUpload: tensors copied chunk by chunk through a few reused staging buffers arrive
// whole and converted, whatever their size, dtype or layout. On a CPU "device" the chunking runs
// with blocking copies (the CUDA path adds pinned buffers, asynchronous copies and events).
#include <ATen/ATen.h>
#include <QtTest>

#include "nn/staged_upload.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;

class StagedUploadTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { at::manual_seed(5); }

  void chunks_data() {
    QTest::addColumn<int>("chunkBytes");
    QTest::addColumn<int>("buffers");
    QTest::newRow("64 B, 2 buffers") << 64 << 2;
    QTest::newRow("100 B, 3 buffers") << 100 << 3;  // chunks that are no multiple of the element
    QTest::newRow("1 MiB, 1 buffer") << (1 << 20) << 1;
  }
  void chunks() {
    QFETCH(int, chunkBytes);
    QFETCH(int, buffers);
    nn::StagedUpload upload(c10::kCPU, static_cast<std::size_t>(chunkBytes), buffers);
    QVERIFY(!upload.asynchronous());
    const auto fp32 = at::randn({37, 13});
    const auto longs = at::arange(1001, at::kLong).mul(977);
    const auto transposed = at::randn({9, 21}).t();  // not contiguous
    const auto one = at::randn({1}).to(at::kBFloat16);
    // Several uploads in a row reuse the buffers: each result must still be its own source.
    const auto a = upload.upload(fp32, at::kFloat);
    const auto b = upload.upload(fp32, at::kBFloat16);
    const auto c = upload.upload(longs, at::kLong);
    const auto d = upload.upload(transposed, at::kFloat);
    const auto e = upload.upload(one, at::kFloat);
    upload.finish();
    SC_EXPECT_EQUAL(a, fp32, "fp32 as is");
    SC_EXPECT_EQUAL(b, fp32.to(at::kBFloat16), "fp32 converted to bf16 after the copy");
    SC_EXPECT_EQUAL(c, longs, "int64");
    SC_EXPECT_EQUAL(d, transposed, "a non-contiguous source");
    SC_EXPECT_EQUAL(e, one.to(at::kFloat), "a single element");
    QVERIFY(a.data_ptr() != fp32.data_ptr());  // owned copies, never views of the source
  }
};

QTEST_APPLESS_MAIN(StagedUploadTest)
#include "test_staged_upload.moc"
