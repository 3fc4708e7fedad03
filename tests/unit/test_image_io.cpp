// Image reading (PIL convert('RGB') semantics, limits, corrupt files) and writing.
#include <OpenImageIO/imageio.h>
#include <QtTest>

#include <fstream>

#include "core/error.h"
#include "image_samples.h"
#include "imageio/image_io.h"
#include "support/disk_full.h"
#include "support/fixtures.h"

using namespace seedcanvas;
using test::Bytes;

namespace {

struct Caught {
  bool thrown = false;
  ErrorKind kind = ErrorKind::Internal;
  QString message;
};

template <typename F>
Caught catch_error(F&& f) {
  Caught c;
  try {
    f();
  } catch (const Error& e) {
    c.thrown = true, c.kind = e.kind(), c.message = e.what();
  }
  return c;
}

std::filesystem::path scratch() {
  static auto dir = test::scratch_dir("unit_image_io");
  return dir;
}

std::filesystem::path put(const std::string& name, const Bytes& bytes) {
  auto p = scratch() / name;
  test::write_file(p.string(), bytes);
  return p;
}

Bytes file_bytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

// A 4x3 RGB test card with distinct values everywhere.
RgbImage card() {
  auto img = RgbImage::blank(4, 3);
  for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<std::uint8_t>(17 * i + 3);
  return img;
}

QString rgb(const RgbImage& img, int x, int y) {
  const auto* p = img.at(x, y);
  return QString("%1,%2,%3").arg(p[0]).arg(p[1]).arg(p[2]);
}

}  // namespace

class ImageIoTest : public QObject {
  Q_OBJECT
 private slots:
  void roundTripsPngAndReadsFromMemory() {
    const auto img = card();
    const auto path = scratch() / "card.png";
    imageio::write_image(path, img);
    const auto back = imageio::read_image(path);
    QCOMPARE(back.width, img.width);
    QCOMPARE(back.height, img.height);
    QVERIFY(back.pixels == img.pixels);
    const auto bytes = file_bytes(path);
    const auto mem = imageio::read_image_from_memory(bytes.data(), bytes.size(), "clipboard");
    QVERIFY(mem.pixels == img.pixels);
    const auto header = imageio::read_image_header(path);
    QCOMPARE(header.format, std::string("png"));
    QCOMPARE(header.width, 4);
  }

  void rejectsTruncatedPng() {
    auto bytes = file_bytes(scratch() / "card.png");
    QVERIFY(bytes.size() > 40);
    // Cut inside IDAT: the header is fine, the pixel data ends early.
    imageio::write_image(scratch() / "big.png", [] {
      auto img = RgbImage::blank(64, 64);
      for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<std::uint8_t>(i * 7919 >> 3);
      return img;
    }());
    auto big = file_bytes(scratch() / "big.png");
    big.resize(big.size() / 2);
    const auto path = put("truncated.png", big);
    auto c = catch_error([&] { imageio::read_image(path); });
    QVERIFY2(c.thrown, "a truncated PNG must not decode");
    QCOMPARE(c.kind, ErrorKind::Format);
    QVERIFY2(c.message.contains("truncated.png"), qPrintable(c.message));
    // The decoder's layered messages arrive as one line (the app shows it in a status line).
    QVERIFY2(!c.message.contains('\n'), qPrintable(c.message));
    auto m = catch_error([&] { imageio::read_image_from_memory(big.data(), big.size(), "dropped.png"); });
    QVERIFY(m.thrown && m.message.contains("dropped.png"));
  }

  void rejectsTruncatedJpeg() {
    if (!test::have_libjpeg()) QSKIP("built without libjpeg");
    Bytes px(32 * 32 * 3);
    for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint8_t>(i * 31);
    auto jpg = test::make_rgb_jpeg(32, 32, px, 0);
    jpg.resize(jpg.size() * 2 / 3);
    const auto path = put("truncated.jpg", jpg);
    auto c = catch_error([&] { imageio::read_image(path); });
    QVERIFY2(c.thrown && c.kind == ErrorKind::Format, qPrintable(c.message));
    QVERIFY2(c.message.contains("truncated.jpg"), qPrintable(c.message));
  }

  void rejectsEmptyMissingAndUnknownFiles() {
    const auto empty = put("zero.png", {});
    auto c = catch_error([&] { imageio::read_image(empty); });
    QVERIFY(c.thrown && c.kind == ErrorKind::Format && c.message.contains("zero.png") && c.message.contains("empty"));
    auto m = catch_error([&] { imageio::read_image(scratch() / "missing.png"); });
    QVERIFY(m.thrown && m.kind == ErrorKind::NotFound && m.message.contains("missing.png"));
    const auto text = put("notes.png", Bytes{'h', 'e', 'l', 'l', 'o'});
    auto u = catch_error([&] { imageio::read_image(text); });
    QVERIFY2(u.thrown && u.kind == ErrorKind::Format && u.message.contains("not a recognised image"), qPrintable(u.message));
    auto z = catch_error([&] { imageio::read_image_from_memory(nullptr, 0); });
    QVERIFY(z.thrown && z.kind == ErrorKind::Format);
  }

  void refusesHugeDeclaredSizeBeforeDecoding() {
    const auto header = test::png_header_only(100000, 100000);
    const auto path = put("huge.png", header);
    // The header itself is valid (CRC included): the size is readable...
    const auto h = imageio::read_image_header(path);
    QCOMPARE(h.width, 100000);
    QCOMPARE(h.height, 100000);
    // ...but reading refuses it before any pixel buffer exists (3e10 bytes would not fit).
    auto c = catch_error([&] { imageio::read_image(path); });
    QVERIFY2(c.thrown && c.kind == ErrorKind::Resource, qPrintable(c.message));
    QVERIFY2(c.message.contains("huge.png") && c.message.contains("100000x100000"), qPrintable(c.message));
    auto m = catch_error([&] { imageio::read_image_from_memory(header.data(), header.size(), "paste"); });
    QVERIFY(m.thrown && m.kind == ErrorKind::Resource);
    // The limit is configurable and also applies after the decoder read the header.
    imageio::ReadOptions tight;
    tight.max_pixels = 11;
    auto t = catch_error([&] { imageio::read_image(scratch() / "card.png", tight); });
    QVERIFY(t.thrown && t.kind == ErrorKind::Resource);
    tight.max_pixels = 12;
    QCOMPARE(imageio::read_image(scratch() / "card.png", tight).width, 4);
  }

  void convertsLikePil_data() {
    QTest::addColumn<QByteArray>("png");
    QTest::addColumn<QString>("expected");  // pixel (1, 0)
    auto bytes = [](const Bytes& b) { return QByteArray(reinterpret_cast<const char*>(b.data()), int(b.size())); };
    // 2x1 images; the second pixel is checked.
    QTest::newRow("grey replicated") << bytes(test::make_png(2, 1, 8, 0, {9, 200})) << "200,200,200";
    QTest::newRow("grey+alpha: alpha dropped") << bytes(test::make_png(2, 1, 8, 4, {1, 2, 77, 0})) << "77,77,77";
    QTest::newRow("RGBA: not composited") << bytes(test::make_png(2, 1, 8, 6, {0, 0, 0, 0, 10, 20, 30, 0}))
                                          << "10,20,30";
    QTest::newRow("16-bit RGB: high byte") << bytes(test::make_png(2, 1, 16, 2, {0, 0, 0, 0, 0, 0, 0x12, 0xff, 0xab,
                                                                                 0x01, 0x00, 0xff}))
                                           << "18,171,0";
    QTest::newRow("16-bit grey: high byte") << bytes(test::make_png(2, 1, 16, 0, {0, 0, 0x80, 0x7f})) << "128,128,128";
    QTest::newRow("16-bit RGBA") << bytes(test::make_png(2, 1, 16, 6, {0, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0x01, 0x00,
                                                                        0x7f, 0x80, 0, 0}))
                                 << "254,1,127";
    QTest::newRow("palette") << bytes(test::make_png(2, 1, 8, 3, {1, 0}, {5, 6, 7, 50, 60, 70})) << "5,6,7";
  }
  void convertsLikePil() {
    QFETCH(QByteArray, png);
    QFETCH(QString, expected);
    const auto img = imageio::read_image_from_memory(png.constData(), std::size_t(png.size()), "sample.png");
    QCOMPARE(img.width, 2);
    QCOMPARE(img.height, 1);
    QCOMPARE(rgb(img, 1, 0), expected);
    // The same file on disk reads the same.
    const auto path = put("sample.png", Bytes(png.begin(), png.end()));
    QCOMPARE(rgb(imageio::read_image(path), 1, 0), expected);
  }

  void convertsCmykJpegWithPilFormula() {
    if (!test::have_libjpeg()) QSKIP("built without libjpeg");
    // 8x8 blocks of one colour each, so JPEG at quality 100 keeps them nearly exact.
    const int W = 16, H = 8;
    const std::uint8_t colours[2][4] = {{200, 100, 50, 180}, {255, 30, 0, 255}};
    Bytes cmyk(W * H * 4);
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x)
        for (int c = 0; c < 4; ++c) cmyk[(y * W + x) * 4 + c] = colours[x / 8][c];
    const auto path = put("cmyk.jpg", test::make_cmyk_jpeg(W, H, cmyk));
    const auto img = imageio::read_image(path);
    QCOMPARE(img.width, W);
    for (int b = 0; b < 2; ++b) {
      // PIL: samples are Adobe-inverted (rawmode CMYK;I); then R = 255-K' - C'(255-K')/255 = C*K/255.
      for (int c = 0; c < 3; ++c) {
        const int expected = (colours[b][c] * colours[b][3] + 127) / 255;
        const int got = img.at(b * 8 + 4, 4)[c];
        QVERIFY2(std::abs(got - expected) <= 2, qPrintable(QString("block %1 channel %2: %3 vs %4").arg(b).arg(c).arg(got).arg(expected)));
      }
    }
  }

  void appliesExifOrientation_data() {
    QTest::addColumn<int>("orientation");
    QTest::addColumn<bool>("apply");
    QTest::addColumn<int>("width");
    QTest::addColumn<QString>("top");  // colour name of the top-left pixel
    QTest::newRow("1 upright") << 1 << true << 16 << "red";
    QTest::newRow("6 turn clockwise") << 6 << true << 8 << "red";
    QTest::newRow("8 turn counter-clockwise") << 8 << true << 8 << "blue";
    QTest::newRow("3 half turn") << 3 << true << 16 << "blue";
    QTest::newRow("6 ignored on request") << 6 << false << 16 << "red";
  }
  void appliesExifOrientation() {
    if (!test::have_libjpeg()) QSKIP("built without libjpeg");
    QFETCH(int, orientation);
    QFETCH(bool, apply);
    QFETCH(int, width);
    QFETCH(QString, top);
    // Stored 16x8: left 8x8 red, right 8x8 blue.
    Bytes px(16 * 8 * 3);
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 16; ++x) {
        auto* p = &px[(y * 16 + x) * 3];
        p[0] = x < 8 ? 250 : 5, p[1] = 5, p[2] = x < 8 ? 5 : 250;
      }
    const auto path = put("exif" + std::to_string(orientation) + ".jpg", test::make_rgb_jpeg(16, 8, px, orientation));
    QCOMPARE(imageio::read_image_header(path).orientation, orientation);
    imageio::ReadOptions o;
    o.apply_orientation = apply;
    const auto img = imageio::read_image(path, o);
    QCOMPARE(img.width, width);
    QCOMPARE(img.height, 16 * 8 / width);
    auto colour = [&](int x, int y) { return img.at(x, y)[0] > 128 ? QString("red") : QString("blue"); };
    QCOMPARE(colour(0, 0), top);
    QVERIFY(colour(img.width - 1, img.height - 1) != top);  // the other half sits opposite
  }

  void convertsFloatImages() {
    // Half-float EXR: clamp to [0, 1], * 255, round.
    const auto path = (scratch() / "values.exr").string();
    const float values[4][3] = {{0.5f, 1.5f, -1.0f}, {0.0f, 1.0f, 0.25f}, {0.002f, 0.996f, 0.75f}, {2.0f, 0.1f, 0.9f}};
    auto out = OIIO::ImageOutput::create(path);
    QVERIFY(out);
    OIIO::ImageSpec spec(4, 1, 3, OIIO::TypeDesc::HALF);
    QVERIFY(out->open(path, spec));
    QVERIFY(out->write_image(OIIO::TypeDesc::FLOAT, values));
    QVERIFY(out->close());
    const auto img = imageio::read_image(path);
    QCOMPARE(rgb(img, 0, 0), QString("128,255,0"));
    QCOMPARE(rgb(img, 1, 0), QString("0,255,64"));
    QCOMPARE(rgb(img, 2, 0), QString("1,254,191"));
  }

  // Formats written by OIIO itself; GIFs carry two frames and only the first is read.
  void readsOtherFormats_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("tolerance");
    QTest::newRow("tiff") << "card.tif" << 0;
    QTest::newRow("bmp") << "card.bmp" << 0;
    QTest::newRow("webp (lossy: one flat colour)") << "card.webp" << 4;
    QTest::newRow("gif first frame") << "card.gif" << 0;
    QTest::newRow("hdr") << "card.hdr" << 3;  // RGBE keeps 8 mantissa bits per pixel
  }
  void readsOtherFormats() {
    QFETCH(QString, name);
    QFETCH(int, tolerance);
    const auto path = (scratch() / name.toStdString()).string();
    // Few colours, so the GIF palette holds them all.
    auto img = RgbImage::blank(8, 6);
    for (int y = 0; y < 6; ++y)
      for (int x = 0; x < 8; ++x) {
        auto* p = img.at(x, y);
        p[0] = x < 4 ? 200 : 20, p[1] = y < 3 ? 60 : 180, p[2] = 90;
        if (name.endsWith(".webp")) p[0] = 200, p[1] = 60;  // OIIO 2.4 writes WebP lossy only
      }
    auto out = OIIO::ImageOutput::create(path);
    QVERIFY(out);
    const bool two_frames = name.endsWith(".gif");
    const bool as_float = name.endsWith(".hdr");
    OIIO::ImageSpec spec(8, 6, 3, as_float ? OIIO::TypeDesc::FLOAT : OIIO::TypeDesc::UINT8);
    std::vector<float> f(img.pixels.size());
    for (std::size_t i = 0; i < f.size(); ++i) f[i] = img.pixels[i] / 255.0f;
    const void* data = as_float ? static_cast<const void*>(f.data()) : img.pixels.data();
    const auto type = as_float ? OIIO::TypeDesc::FLOAT : OIIO::TypeDesc::UINT8;
    if (two_frames) {
      OIIO::ImageSpec specs[2] = {spec, spec};
      QVERIFY(out->open(path, 2, specs));
      QVERIFY(out->write_image(type, data));
      std::vector<std::uint8_t> black(img.pixels.size(), 0);
      QVERIFY(out->open(path, spec, OIIO::ImageOutput::AppendSubimage));
      QVERIFY(out->write_image(type, black.data()));
    } else {
      QVERIFY(out->open(path, spec));
      QVERIFY(out->write_image(type, data));
    }
    QVERIFY(out->close());
    const auto back = imageio::read_image(path);
    QCOMPARE(back.width, 8);
    QCOMPARE(back.height, 6);
    int worst = 0;
    for (std::size_t i = 0; i < img.pixels.size(); ++i) worst = std::max(worst, std::abs(int(back.pixels[i]) - img.pixels[i]));
    QVERIFY2(worst <= tolerance, qPrintable(QString("max |diff| %1").arg(worst)));
    const auto bytes = file_bytes(path);
    QVERIFY(imageio::read_image_from_memory(bytes.data(), bytes.size(), name.toStdString()).pixels == back.pixels);
  }

  void writesMetadataAtomically_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("png") << "meta.png";
    QTest::newRow("jpeg") << "meta.jpg";
  }
  void writesMetadataAtomically() {
    QFETCH(QString, name);
    const auto path = scratch() / name.toStdString();
    imageio::WriteOptions o;
    o.metadata = {{"seedcanvas:prompt", "a dog on the grass"}, {"seedcanvas:codes", "1 2 3"}};
    imageio::write_image(path, card(), o);
    imageio::write_image(path, card(), o);  // replaces the file in place
    const auto meta = imageio::read_text_metadata(path);
    for (const auto& kv : o.metadata)
      QVERIFY2(std::find(meta.begin(), meta.end(), kv) != meta.end(), kv.first.c_str());
    const auto back = imageio::read_image(path);
    QCOMPARE(back.width, 4);
    if (name.endsWith(".png")) QVERIFY(back.pixels == card().pixels);
    // Nothing but the target is left beside it.
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(scratch()))
      files += e.path().filename().string().find(name.toStdString()) != std::string::npos;
    QCOMPARE(files, 1);
  }

  // The disk fills up while a picture is saved over an earlier one: a Resource error naming
  // the file, and the earlier picture stays as it was with nothing left beside it.
  void fullDiskKeepsTheOldPicture() {
    const auto dir = scratch() / "full";
    std::filesystem::create_directories(dir);
    const auto path = dir / "picture.png";
    imageio::write_image(path, card());
    const auto before = file_bytes(path);
    // A noisy picture whose PNG is far larger than the 1 KiB the disk has room for.
    auto big = RgbImage::blank(256, 256);
    std::uint32_t x = 12345;
    for (auto& v : big.pixels) v = static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
    Caught c;
    {
      test::DiskFull full(1024);
      QVERIFY(full.active());
      c = catch_error([&] { imageio::write_image(path, big); });
    }
    QVERIFY2(c.thrown, "a save past the free space was reported as success");
    QCOMPARE(c.kind, ErrorKind::Resource);
    QVERIFY2(c.message.contains("picture.png"), qPrintable(c.message));
    QVERIFY(file_bytes(path) == before);
    QVERIFY(imageio::read_image(path).pixels == card().pixels);
    int entries = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) entries += e.exists();
    QCOMPARE(entries, 1);
  }

  void refusesUnwritableTargets() {
    auto bad = catch_error([&] { imageio::write_image(scratch() / "x.gif", card()); });
    QVERIFY(bad.thrown && bad.kind == ErrorKind::Unsupported && bad.message.contains("x.gif"));
    auto nodir = catch_error([&] { imageio::write_image(scratch() / "no" / "such" / "dir.png", card()); });
    QVERIFY2(nodir.thrown, "writing into a missing folder must fail");
    QVERIFY(!std::filesystem::exists(scratch() / "no"));
  }
};

QTEST_APPLESS_MAIN(ImageIoTest)
#include "test_image_io.moc"
