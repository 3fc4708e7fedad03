// A pack assembled from the upstream fixture folders (tiny LLaMA, SEED tokenizer, unCLIP)
// goes through the same code path as a real download: manifest, validation, loading, chat,
// image tokenization and drawing.
#include <ATen/ATen.h>
#include <QtTest>

#include <fstream>

#include "core/error.h"
#include "core/json_file.h"
#include "imageio/image_io.h"
#include "io/safetensors.h"
#include <nlohmann/json.hpp>

#include "pipeline/seed_pipeline.h"
#include "text/seed_tokenizer.h"
#include "support/fixtures.h"

using namespace seedcanvas;
using namespace seedcanvas::pipeline;
namespace fs = std::filesystem;

class FixturePackTest : public QObject {
  Q_OBJECT
  std::unique_ptr<SeedPipeline> p;
  fs::path fixtures;

 private slots:
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    fixtures = test::fixtures_root();
    for (const char* part : {"llama/base", "tokenizer/seed_llama_tokenizer", "seed_tokenizer", "diffusion/pipeline"})
      QVERIFY2(fs::exists(fixtures / part), qPrintable(QString("fixture folder missing: ") + part));
    const auto dir = test::scratch_dir("fixture_pack");
    nlohmann::json manifest = {{"name", "upstream fixtures"},
                               {"template", "8b"},
                               {"llm", (fixtures / "llama/base").string()},
                               {"text_tokenizer", (fixtures / "tokenizer/seed_llama_tokenizer").string()},
                               {"seed_tokenizer", (fixtures / "seed_tokenizer").string()},
                               {"unclip", (fixtures / "diffusion/pipeline").string()}};
    std::ofstream(dir / "seedcanvas-pack.json") << manifest.dump(2);
    LoadRequest request;
    request.pack_dir = dir.string();
    request.device = "cpu";
    request.dtype = "fp32";
    p = SeedPipeline::load(request);
  }

  void plainLlamaChatsInTextOnly() {
    // The tiny LLaMA's vocabulary holds the text pieces but not the 8192 image tokens.
    QVERIFY(!p->images_supported());
    QVERIFY(QString::fromStdString(p->description()).contains("Text only"));
    ChatRequest request;
    request.history.push_back({Message::Role::User, "Hello there", {}});
    request.settings.sampling.seed = 1;
    request.settings.sampling.max_new_tokens = 6;
    std::atomic<bool> cancel{false};
    int finished = 0;
    p->chat(request, cancel, [&](Event e) { finished += e.kind == EventKind::Finished; });
    QCOMPARE(finished, 1);
    // Up to max_new_tokens; fewer only when the sampled answer ended with EOS.
    const auto& generated = p->last_generated_ids();
    QVERIFY(!generated.empty() && generated.size() <= std::size_t(6));
    if (generated.size() < 6) QCOMPARE(generated.back(), p->tokenizer().eos_id());
    // Prompt: <s> + "USER: Hello there\nASSISTANT:" through the fixture tokenizer.
    QCOMPARE(p->last_prompt_ids().front(), p->tokenizer().bos_id());
    QCOMPARE(p->last_prompt_ids(), p->prompt_ids(request.history, false));

    request.settings.force_image = true;
    QVERIFY_THROWS_EXCEPTION(Error, p->chat(request, cancel, [](Event) {}));
  }

  void tokenizesTheFixtureImageToItsReferenceCodes() {
    const auto image = imageio::read_image(fixtures / "seed_tokenizer/input.png");
    const auto codes = p->tokenize_image(image);
    auto ref = io::SafetensorsFile::open(fixtures / "seed_tokenizer/encode.safetensors")->load("indices");
    QCOMPARE(codes.size(), std::size_t(ref.numel()));
    for (std::size_t i = 0; i < codes.size(); ++i) QCOMPARE(codes[i], ref.flatten()[i].item<std::int32_t>());
  }

  void drawsCodesThroughTheUnclipFolder() {
    auto ref = io::SafetensorsFile::open(fixtures / "seed_tokenizer/encode.safetensors")->load("indices").flatten();
    Codes codes(ref.data_ptr<std::int64_t>(), ref.data_ptr<std::int64_t>() + ref.numel());
    DiffusionSettings settings;
    settings.steps = 3;
    settings.seed = 9;
    int steps = 0;
    const auto a = p->draw(codes, settings, nullptr, [&](int, int, std::shared_ptr<const RgbImage>) { return ++steps > 0; });
    const auto b = p->draw(codes, settings);
    QCOMPARE(settings.scheduler, std::string("pndm"));
    QCOMPARE(steps, settings.steps + 1);  // PNDM (PLMS only): steps + 1 UNet calls
    // The picture is the UNet's sample_size times the VAE's upsampling (2 per block after the
    // first), both read from the fixture's configs.
    const auto unet = read_json_file(fixtures / "diffusion/pipeline/unet/config.json");
    const auto vae = read_json_file(fixtures / "diffusion/pipeline/vae/config.json");
    const int side = unet.at("sample_size").get<int>() << (vae.at("block_out_channels").size() - 1);
    QCOMPARE(a.width, side);
    QCOMPARE(a.height, side);
    QVERIFY(a.pixels == b.pixels);
  }
};

QTEST_APPLESS_MAIN(FixturePackTest)
#include "test_fixture_pack.moc"
