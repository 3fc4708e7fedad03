// SEED image tokenizer against the upstream fixtures (fixtures/seed_tokenizer/MANIFEST.md):
// preprocessing, every encoder stage, the codes, and the de-tokenizer embedding.
#include <ATen/ATen.h>
#include <QtTest>

#include <fstream>

#include "core/error.h"
#include "core/json_file.h"
#include "imageio/image_io.h"
#include "io/safetensors.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"
#include "vision/preprocess.h"
#include "vision/seed_image_tokenizer.h"

using namespace seedcanvas;

namespace {

std::filesystem::path dir() { return test::fixture("seed_tokenizer"); }

at::Tensor fx(const std::string& file, const std::string& name) {
  return io::SafetensorsFile::open(dir() / file)->load(name).clone();
}

RgbImage image_from_hwc(const at::Tensor& hwc) {
  RgbImage img = RgbImage::blank(static_cast<int>(hwc.size(1)), static_cast<int>(hwc.size(0)));
  auto c = hwc.contiguous();
  std::memcpy(img.pixels.data(), c.data_ptr<std::uint8_t>(), img.pixels.size());
  return img;
}

at::Tensor hwc_from_image(const RgbImage& img) {
  return at::from_blob(const_cast<std::uint8_t*>(img.pixels.data()), {img.height, img.width, 3}, at::kByte).clone();
}

// Weight files to test: the safetensors conversion and the torch pickle, found by listing.
std::vector<std::filesystem::path> weight_files() {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir(), ec)) {
    const auto name = e.path().filename().string();
    const auto ext = e.path().extension().string();
    if (ext == ".pt" || ext == ".pth" || ext == ".bin" || name.rfind("model", 0) == 0) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every listed weight format is readable: a load error fails the test (no skip).
#define LOAD_TOKENIZER(var, path, options)                                                            \
  std::unique_ptr<vision::SeedImageTokenizer> var;                                                    \
  try {                                                                                               \
    var = vision::SeedImageTokenizer::load(vision::SeedTokenizerPaths::resolve(path), options);      \
  } catch (const Error& e) {                                                                          \
    QFAIL(e.what());                                                                                  \
  }

void add_weight_rows() {
  QTest::addColumn<QString>("weights");
  for (const auto& p : weight_files()) QTest::newRow(p.filename().string().c_str()) << QString::fromStdString(p.string());
}

}  // namespace

// Like SC_EXPECT_CLOSE, but also logs the measured error on success (margins to the MANIFEST).
#define EXPECT_CLOSE_LOGGED(actual, expected, atol, rtol, what)                              \
  do {                                                                                      \
    auto r_ = test::compare_close((actual), (expected), (atol), (rtol), (what));            \
    qInfo("%s", r_.message.c_str());                                                        \
    QVERIFY2(r_.ok, r_.message.c_str());                                                    \
  } while (0)

class SeedTokenizerConformance : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    // A missing fixture root fails: conformance without fixtures checks nothing.
    QVERIFY2(std::filesystem::exists(dir() / "MANIFEST.md"),
             qPrintable("fixtures/seed_tokenizer not found at " + QString::fromStdString(dir().string())));
    QVERIFY2(!weight_files().empty(), "no weight files listed in the fixture folder");
  }

  void decodesInputLikePil() {
    auto img = imageio::read_image(dir() / "input.png");
    SC_EXPECT_EQUAL(hwc_from_image(img), fx("preprocess.safetensors", "raw_image_uint8"), "raw_image_uint8");
  }

  void resizesLikePil_data() {
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<int>("resample");
    QTest::newRow("bilinear") << "resized_uint8_bilinear" << int(vision::Resample::Bilinear);
    QTest::newRow("bicubic") << "resized_uint8_bicubic" << int(vision::Resample::Bicubic);
  }
  void resizesLikePil() {
    QFETCH(QString, tensor);
    QFETCH(int, resample);
    auto raw = image_from_hwc(fx("preprocess.safetensors", "raw_image_uint8"));
    auto expected = fx("preprocess.safetensors", tensor.toStdString());
    auto out = vision::resize_like_pil(raw, int(expected.size(1)), int(expected.size(0)), vision::Resample(resample));
    auto got = hwc_from_image(out);
    const auto diff = (got.to(at::kInt) - expected.to(at::kInt)).abs();
    const auto max_diff = diff.max().item<int>();
    const auto n_off = diff.ne(0).sum().item<std::int64_t>();
    qInfo("%s: max |diff| %d, %lld of %lld values differ", qPrintable(tensor), max_diff, (long long)n_off,
          (long long)diff.numel());
    QVERIFY2(max_diff <= 1, "MANIFEST: |diff| <= 1");
    SC_EXPECT_EQUAL(got, expected, tensor.toStdString());  // PIL's own algorithm: exact
  }

  void normalisesLikeTorchvision() {
    auto cfg = vision::SeedTokenizerConfig::from_file(dir() / "config.json");
    auto expected = fx("preprocess.safetensors", "pixel_values");
    const int size = static_cast<int>(expected.size(-1));
    QCOMPARE(size, cfg.img_size);
    auto resized = image_from_hwc(fx("preprocess.safetensors", "resized_uint8_bilinear"));
    EXPECT_CLOSE_LOGGED(vision::to_normalized_tensor(resized, cfg.pixel_mean, cfg.pixel_std), expected, 1e-6, 0,
                    "pixel_values from the fixture's resize");
    auto img = imageio::read_image(dir() / "input.png");
    EXPECT_CLOSE_LOGGED(vision::preprocess_image(img, size, cfg.pixel_mean, cfg.pixel_std), expected, 1e-6, 0,
                    "pixel_values end to end");
  }

  void encodesLikeUpstream_data() { add_weight_rows(); }
  void encodesLikeUpstream() {
    QFETCH(QString, weights);
    LOAD_TOKENIZER(tok, weights.toStdString(), vision::SeedTokenizerOptions{});
    const std::string e = "encode.safetensors";
    auto out = tok->encode_trace(fx("preprocess.safetensors", "pixel_values"));
    EXPECT_CLOSE_LOGGED(out.vit_features, fx(e, "vit_features"), 1e-4, 1e-4, "vit_features");
    EXPECT_CLOSE_LOGGED(out.image_embeds, fx(e, "image_embeds"), 1e-4, 1e-4, "image_embeds (ln_vision)");
    EXPECT_CLOSE_LOGGED(out.qformer_embeddings, fx(e, "qformer_embeddings"), 1e-4, 1e-4, "qformer_embeddings");
    EXPECT_CLOSE_LOGGED(out.query_output, fx(e, "query_output"), 2e-4, 1e-4, "query_output");
    EXPECT_CLOSE_LOGGED(out.query_output_down, fx(e, "query_output_down"), 2e-4, 0, "query_output_down");
    SC_EXPECT_EQUAL(out.indices, fx(e, "indices"), "indices");
    EXPECT_CLOSE_LOGGED(out.quant, fx(e, "quant"), 1e-5, 0, "quant");
    EXPECT_CLOSE_LOGGED(out.query_output_up, fx(e, "query_output_up"), 1e-4, 0, "query_output_up");
  }

  void encodesImagesEndToEnd_data() { add_weight_rows(); }
  void encodesImagesEndToEnd() {
    QFETCH(QString, weights);
    LOAD_TOKENIZER(tok, weights.toStdString(), vision::SeedTokenizerOptions{});
    const std::string e = "encode.safetensors";
    auto img = imageio::read_image(dir() / "input.png");
    auto codes = tok->encode(img);
    QCOMPARE(int(codes.size()), tok->num_codes());
    SC_EXPECT_EQUAL(at::tensor(std::vector<std::int64_t>(codes.begin(), codes.end())).view({1, -1}), fx(e, "indices"),
                    "codes of input.png (bilinear path)");

    vision::SeedTokenizerOptions bicubic;
    bicubic.resample = vision::Resample::Bicubic;
    LOAD_TOKENIZER(tok_bicubic, weights.toStdString(), bicubic);
    auto pix_bicubic = tok_bicubic->preprocess(img);
    SC_EXPECT_EQUAL(tok_bicubic->encode_pixels(pix_bicubic), fx(e, "indices_bicubic"), "indices_bicubic");

    auto batch = at::cat({fx("preprocess.safetensors", "pixel_values"), pix_bicubic}, 0);
    SC_EXPECT_EQUAL(tok->encode_pixels(batch), fx(e, "indices_batch2"), "indices_batch2");
  }

  void decodesLikeUpstream_data() { add_weight_rows(); }
  void decodesLikeUpstream() {
    QFETCH(QString, weights);
    LOAD_TOKENIZER(tok, weights.toStdString(), vision::SeedTokenizerOptions{});
    const std::string d = "decode.safetensors";
    vision::DecodeOutputs trace;
    auto emb = tok->decode_indices(fx(d, "indices"), &trace);
    SC_EXPECT_EQUAL(trace.codebook_vectors.view({-1, trace.codebook_vectors.size(-1)}), fx(d, "codebook_vectors"),
                    "codebook_vectors");
    EXPECT_CLOSE_LOGGED(trace.blocks_image_output, fx(d, "blocks_image_output"), 1e-4, 1e-4, "blocks_image_output");
    EXPECT_CLOSE_LOGGED(trace.image_down_output, fx(d, "image_down_output"), 1e-4, 1e-4, "image_down_output");
    EXPECT_CLOSE_LOGGED(emb, fx(d, "image_embeds"), 1e-5, 1e-4, "image_embeds");
    EXPECT_CLOSE_LOGGED(tok->decode_indices(fx(d, "fixed_indices")), fx(d, "fixed_image_embeds"), 1e-5, 1e-4,
                    "fixed_image_embeds");
    // The vector API gives the same embedding.
    auto ids = fx(d, "indices").view(-1);
    std::vector<int> codes(ids.data_ptr<std::int64_t>(), ids.data_ptr<std::int64_t>() + ids.numel());
    EXPECT_CLOSE_LOGGED(tok->decode(codes), fx(d, "image_embeds"), 1e-5, 1e-4, "decode(codes)");
  }

  void bfloat16StaysClose() {
    vision::SeedTokenizerOptions o;
    o.dtype = at::kBFloat16;
    auto tok = vision::SeedImageTokenizer::load(dir() / "model.safetensors", o);
    auto out = tok->encode_trace(fx("preprocess.safetensors", "pixel_values"));
    const auto expected = fx("encode.safetensors", "indices");
    const auto same = out.indices.eq(expected).sum().item<std::int64_t>();
    qInfo("bf16: %lld of %lld codes equal the fp32 reference", (long long)same, (long long)expected.numel());
    EXPECT_CLOSE_LOGGED(out.query_output_down.to(at::kFloat), fx("encode.safetensors", "query_output_down"), 0.1, 0.05,
                    "bf16 query_output_down");
    QVERIFY2(same * 4 >= expected.numel() * 3, "bf16 keeps at least 3/4 of the codes");
    auto emb = tok->decode_indices(fx("decode.safetensors", "indices"));
    EXPECT_CLOSE_LOGGED(emb, fx("decode.safetensors", "image_embeds"), 2e-2, 5e-2, "bf16 image_embeds");
  }

  // BLIP-2's layout: the quantizer file without visual_encoder.*, the ViT in eva_vit_g.* with bare
  // keys and one block more than is used.
  void loadsSeparateVitFile_data() {
    QTest::addColumn<bool>("configStatesDepth");
    QTest::newRow("depth from config") << true;
    QTest::newRow("file has one extra block") << false;
  }
  void loadsSeparateVitFile() {
    QFETCH(bool, configStatesDepth);
    auto scratch = test::scratch_dir(configStatesDepth ? "seed_tok_split_a" : "seed_tok_split_b");
    auto src = io::SafetensorsFile::open(dir() / "model.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> quantizer, vit;
    const std::string prefix = "visual_encoder.";
    int blocks = 0;
    for (const auto& t : src->tensors()) {
      if (t.name.rfind(prefix, 0) == 0) {
        vit.emplace_back(t.name.substr(prefix.size()), src->load(t.name));
        if (t.name.rfind(prefix + "blocks.", 0) == 0) blocks = std::max(blocks, std::stoi(t.name.substr(prefix.size() + 7)) + 1);
      } else {
        quantizer.emplace_back(t.name, src->load(t.name));
      }
    }
    // The 40th block of the real file: present, never used (random values would change the codes).
    const std::string last = "blocks." + std::to_string(blocks - 1) + ".";
    std::vector<std::pair<std::string, at::Tensor>> extra;
    for (const auto& [k, v] : vit)
      if (k.rfind(last, 0) == 0) extra.emplace_back("blocks." + std::to_string(blocks) + "." + k.substr(last.size()), at::randn_like(v));
    vit.insert(vit.end(), extra.begin(), extra.end());
    io::write_safetensors(scratch / "seed_quantizer.safetensors", quantizer);
    io::write_safetensors(scratch / "eva_vit_g.safetensors", vit);
    auto cfg = read_json_file(dir() / "config.json");
    if (!configStatesDepth) cfg.erase("vit_depth");
    std::ofstream(scratch / "config.json") << cfg.dump();

    auto tok = vision::SeedImageTokenizer::load(scratch);
    QCOMPARE(tok->model().dims.vit.depth, std::int64_t(blocks));
    auto out = tok->encode_trace(fx("preprocess.safetensors", "pixel_values"));
    SC_EXPECT_CLOSE(out.vit_features, fx("encode.safetensors", "vit_features"), 1e-4, 1e-4, "vit_features (split)");
    SC_EXPECT_EQUAL(out.indices, fx("encode.safetensors", "indices"), "indices (split)");
  }

  void reportsBadWeightsByKey() {
    auto scratch = test::scratch_dir("seed_tok_bad");
    auto src = io::SafetensorsFile::open(dir() / "model.safetensors");
    std::vector<std::pair<std::string, at::Tensor>> kept;
    for (const auto& t : src->tensors())
      if (t.name != "Qformer.bert.encoder.layer.0.output_query.dense.bias") kept.emplace_back(t.name, src->load(t.name));
    kept.emplace_back("something.unexpected", at::zeros({2}));
    io::write_safetensors(scratch / "model.safetensors", kept);
    std::filesystem::copy_file(dir() / "config.json", scratch / "config.json");
    try {
      vision::SeedImageTokenizer::load(scratch);
      QFAIL("loading incomplete weights must fail");
    } catch (const Error& e) {
      const QString msg = e.what();
      QCOMPARE(e.kind(), ErrorKind::Mismatch);
      QVERIFY2(msg.contains("layer.0.output_query.dense.bias") && msg.contains("something.unexpected"), qPrintable(msg));
      QVERIFY2(msg.contains("model.safetensors"), qPrintable(msg));
    }
  }

  void refusesBadCodes() {
    auto tok = vision::SeedImageTokenizer::load(dir() / "model.safetensors");
    std::vector<int> codes(tok->num_codes(), 0);
    codes[3] = tok->codebook_size();
    QVERIFY_THROWS_EXCEPTION(Error, tok->decode(codes));
    codes.pop_back();
    QVERIFY_THROWS_EXCEPTION(Error, tok->decode(codes));
    QCOMPARE(vision::SeedImageTokenizer::image_token_string({42, 0, 8191}),
             std::string("<img><img_00042><img_00000><img_08191></img>"));
  }
};

QTEST_APPLESS_MAIN(SeedTokenizerConformance)
#include "test_seed_tokenizer.moc"
