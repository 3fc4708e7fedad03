// PIL-compatible resizing and CLIP normalisation: known answers and invariants
// (the fixture comparison lives in conformance_seed_tokenizer).
#include <ATen/ATen.h>
#include <QtTest>

#include "core/error.h"
#include "vision/preprocess.h"

using namespace seedcanvas;
using vision::Resample;

namespace {

RgbImage pattern(int w, int h) {
  auto img = RgbImage::blank(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = img.at(x, y);
      p[0] = static_cast<std::uint8_t>(x * 37 + y * 11), p[1] = static_cast<std::uint8_t>(x * y), p[2] = 200;
    }
  return img;
}

}  // namespace

class ImagePreprocessTest : public QObject {
  Q_OBJECT
 private slots:
  void filters_data() {
    QTest::addColumn<int>("resample");
    QTest::newRow("bilinear") << int(Resample::Bilinear);
    QTest::newRow("bicubic") << int(Resample::Bicubic);
  }

  void sameSizeIsIdentity_data() { filters_data(); }
  void sameSizeIsIdentity() {
    QFETCH(int, resample);
    const auto img = pattern(13, 7);
    QVERIFY(vision::resize_like_pil(img, 13, 7, Resample(resample)).pixels == img.pixels);
  }

  void flatStaysFlat_data() { filters_data(); }
  void flatStaysFlat() {
    QFETCH(int, resample);
    auto img = RgbImage::blank(50, 9);
    std::fill(img.pixels.begin(), img.pixels.end(), 173);
    for (auto [w, h] : {std::pair{224, 224}, std::pair{7, 31}, std::pair{3, 2}}) {
      const auto out = vision::resize_like_pil(img, w, h, Resample(resample));
      QCOMPARE(out.width, w);
      QCOMPARE(out.height, h);
      QVERIFY(std::all_of(out.pixels.begin(), out.pixels.end(), [](std::uint8_t v) { return v == 173; }));
    }
  }

  // Halving with PIL's bilinear filter widens it to 4 taps (1/8, 3/8, 3/8, 1/8): stripes
  // 0,255,0,255... average to 127.5, which PIL's fixed point rounds up.
  void antialiasesWhenShrinking() {
    auto img = RgbImage::blank(16, 1);
    for (int x = 0; x < 16; ++x) std::fill_n(img.at(x, 0), 3, x % 2 ? 255 : 0);
    const auto out = vision::resize_like_pil(img, 8, 1, Resample::Bilinear);
    for (int x = 1; x < 7; ++x) QCOMPARE(int(out.at(x, 0)[0]), 128);
    // The edge has one tap less: (0*3/8 + 255*3/8 + 0*1/8) / (7/8) = 109.29.
    QCOMPARE(int(out.at(0, 0)[0]), 109);
  }

  void bicubicOvershootIsClipped() {
    auto img = RgbImage::blank(8, 1);
    for (int x = 0; x < 8; ++x) std::fill_n(img.at(x, 0), 3, x < 4 ? 0 : 255);
    const auto out = vision::resize_like_pil(img, 32, 1, Resample::Bicubic);
    // Upscaling a step with a = -0.5 rings; values stay within [0, 255] and the step stays monotone in the middle.
    QCOMPARE(int(out.at(0, 0)[0]), 0);
    QCOMPARE(int(out.at(31, 0)[0]), 255);
    for (int x = 13; x < 18; ++x) QVERIFY(out.at(x, 0)[0] <= out.at(x + 1, 0)[0]);
  }

  void normalisesPerChannel() {
    auto img = RgbImage::blank(2, 1);
    img.pixels = {255, 0, 51, 0, 255, 102};
    const std::array<float, 3> mean{0.5f, 0.25f, 0.125f}, std{0.5f, 0.25f, 2.0f};
    auto t = vision::to_normalized_tensor(img, mean, std);
    QCOMPARE(t.sizes().vec(), (std::vector<std::int64_t>{1, 3, 1, 2}));
    auto a = t.accessor<float, 4>();
    QCOMPARE(a[0][0][0][0], 1.0f);    // (1 - 0.5) / 0.5
    QCOMPARE(a[0][1][0][0], -1.0f);   // (0 - 0.25) / 0.25
    QCOMPARE(a[0][1][0][1], 3.0f);    // (1 - 0.25) / 0.25
    QCOMPARE(a[0][2][0][1], (102.0f / 255.0f - 0.125f) / 2.0f);
  }

  void rejectsEmptyImages() {
    RgbImage empty;
    QVERIFY_THROWS_EXCEPTION(Error, vision::resize_like_pil(empty, 4, 4, Resample::Bilinear));
    auto broken = RgbImage::blank(4, 4);
    broken.pixels.resize(5);
    QVERIFY_THROWS_EXCEPTION(Error, vision::to_normalized_tensor(broken, {0, 0, 0}, {1, 1, 1}));
    QVERIFY_THROWS_EXCEPTION(Error, vision::resize_like_pil(pattern(3, 3), 0, 4, Resample::Bicubic));
  }
};

QTEST_APPLESS_MAIN(ImagePreprocessTest)
#include "test_image_preprocess.moc"
