// Finding and validating model packs: a missing, truncated or mismatched file fails before any
// heavy loading, with a message naming the file; the upstream download layouts are recognised.
#include <QtTest>

#include <fstream>

#include "core/error.h"
#include "core/json_file.h"
#include "demo_pack_fixture.h"
#include "pipeline/model_pack.h"
#include "pipeline/seed_pipeline.h"
#include "support/fixtures.h"

using namespace seedcanvas;
using namespace seedcanvas::pipeline;
namespace fs = std::filesystem;

namespace {

QString load_error(const fs::path& dir) {
  LoadRequest request;
  request.pack_dir = dir.string();
  try {
    SeedPipeline::load(request);
  } catch (const Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

class ModelPackTest : public QObject {
  Q_OBJECT
 private slots:
  void demoPackValidates() {
    const auto pack = find_pack(test::demo_pack());
    QVERIFY(pack.random_weights);
    const auto report = validate_pack(pack, c10::ScalarType::Float);
    QCOMPARE(report.components.size(), std::size_t(3));
    for (const auto& c : report.components) QVERIFY2(c.weight_bytes > 0, c.component.c_str());
    QVERIFY(report.llm_has_image_tokens);
    // bf16 halves the floating weights.
    const auto half = validate_pack(pack, c10::ScalarType::BFloat16);
    QVERIFY(half.components[0].weight_bytes * 2 == report.components[0].weight_bytes);
  }

  void missingFileIsNamed() {
    const auto dir = test::demo_pack_copy("pack_missing");
    fs::remove(dir / "unclip" / "vae" / "config.json");
    const auto err = load_error(dir);
    QVERIFY2(err.contains("vae/config.json") || err.contains("vae") && err.contains("config.json"), qPrintable(err));
  }

  void truncatedWeightsAreNamed() {
    const auto dir = test::demo_pack_copy("pack_truncated");
    const auto file = dir / "llm" / "model.safetensors";
    fs::resize_file(file, fs::file_size(file) / 2);
    const auto err = load_error(dir);
    QVERIFY2(err.contains("llm/model.safetensors"), qPrintable(err));
  }

  void mismatchedConfigIsNamed() {
    const auto dir = test::demo_pack_copy("pack_mismatch");
    auto config = read_json_file(dir / "llm" / "config.json");
    config["vocab_size"] = config["vocab_size"].get<int>() + 7;
    write(dir / "llm" / "config.json", config.dump());
    const auto err = load_error(dir);
    QVERIFY2(err.contains("model.embed_tokens.weight") && err.contains("llm"), qPrintable(err));
  }

  void missingTokenizerIsNamed() {
    const auto dir = test::demo_pack_copy("pack_no_tokenizer");
    fs::remove(dir / "llm" / "added_tokens.json");
    const auto err = load_error(dir);
    QVERIFY2(err.contains("added_tokens.json"), qPrintable(err));
  }

  void corruptSeedTokenizerIsNamed() {
    const auto dir = test::demo_pack_copy("pack_bad_seed");
    write(dir / "seed_tokenizer" / "model.safetensors", "definitely not safetensors");
    const auto err = load_error(dir);
    QVERIFY2(err.contains("seed_tokenizer/model.safetensors"), qPrintable(err));
  }

  void badManifestIsNamed() {
    const auto dir = test::demo_pack_copy("pack_bad_manifest");
    write(dir / "seedcanvas-pack.json", R"({"llm": "llm", "template": "99b", "seed_tokenizer": "s", "unclip": "u"})");
    const auto err = load_error(dir);
    QVERIFY2(err.contains("seedcanvas-pack.json") && err.contains("template"), qPrintable(err));
  }

  void recognisesTheHuggingFaceDownloadLayout() {
    const auto root = test::scratch_dir("pack_hf_layout");
    const auto demo = test::demo_pack();
    fs::copy(demo / "llm", root / "seed-llama-14b-sft", fs::copy_options::recursive);
    fs::copy(demo / "llm", root / "seed-tokenizer-2", fs::copy_options::recursive);
    fs::copy(demo / "seed_tokenizer", root / "seed-tokenizer-2", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    // The unCLIP folder as a Hugging Face cache entry.
    const auto snap = root / "models--stabilityai--stable-diffusion-2-1-unclip" / "snapshots" / "0123abc";
    fs::create_directories(snap.parent_path());
    fs::copy(demo / "unclip", snap, fs::copy_options::recursive);
    const auto pack = find_pack(root);
    QCOMPARE(int(pack.chat_template), int(ChatTemplate::Llama2_14B));
    QCOMPARE(pack.llm, root / "seed-llama-14b-sft");
    QCOMPARE(pack.unclip, snap);
    QCOMPARE(pack.text_tokenizer, root / "seed-tokenizer-2");
    validate_pack(pack, c10::ScalarType::Float);
  }

  void notAPackSaysWhatIsMissing() {
    const auto root = test::scratch_dir("pack_empty");
    try {
      find_pack(root);
      QFAIL("expected an error");
    } catch (const Error& e) {
      const QString msg = e.what();
      QVERIFY2(msg.contains("seed-llama-8b-sft") && msg.contains("stable-diffusion-2-1-unclip"), qPrintable(msg));
    }
  }

  void deviceChoiceExplainsItself() {
    const auto auto_choice = choose_device();
    QVERIFY(!auto_choice.reason.empty());
    const auto forced = choose_device(std::string("cpu"), std::string("fp32"));
    QCOMPARE(forced.dtype, c10::ScalarType::Float);
    QVERIFY(QString::fromStdString(forced.reason).contains("setting"));
    QVERIFY_THROWS_EXCEPTION(Error, parse_dtype("int3"));
  }
};

QTEST_APPLESS_MAIN(ModelPackTest)
#include "test_model_pack.moc"
