// SEED's whole image path on the fixtures: input.png -> SEED tokenizer codes -> unCLIP image
// embedding -> the unCLIP decoder -> picture. The codes must equal the upstream ids, the
// embedding the upstream one, and each run_* picture (same noise and latents) within +-1 level.
#include <ATen/ATen.h>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/json_file.h"
#include "diffusion/unclip_components.h"
#include "diffusion/unclip_pipeline.h"
#include "imageio/image_io.h"
#include "io/safetensors.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"
#include "vision/seed_image_tokenizer.h"

using namespace seedcanvas;
using namespace seedcanvas::diffusion;

class DiffusionSeedRoundtripTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { SEEDCANVAS_SKIP_WITHOUT_FIXTURES(); }
  void imageToCodesToPicture() {
    const auto tok_dir = test::fixture("seed_tokenizer");
    const auto dif_dir = test::fixture("diffusion");
    // A missing fixture root fails: conformance without fixtures checks nothing.
    QVERIFY2(std::filesystem::exists(tok_dir / "input.png") && std::filesystem::exists(dif_dir / "pipeline"),
             qPrintable("seed_tokenizer or diffusion fixtures not found under " +
                        QString::fromStdString(test::fixtures_root().string())));
    auto dec = io::SafetensorsFile::open(tok_dir / "decode.safetensors");
    auto tk = vision::SeedImageTokenizer::load(tok_dir);

    // image -> codes (the upstream ids) -> embedding.
    const auto codes = tk->encode(imageio::read_image(tok_dir / "input.png"));
    const auto ids = dec->load("indices").reshape({-1});
    SC_EXPECT_EQUAL(at::tensor(std::vector<std::int64_t>(codes.begin(), codes.end()), at::kLong), ids, "codes");
    const auto embeds = tk->decode(codes);
    SC_EXPECT_CLOSE(embeds, dec->load("image_embeds"), 1e-5, 1e-4, "image_embeds");
    const auto fixed = dec->load("fixed_indices").reshape({-1});
    const auto negative = tk->decode_indices(fixed.unsqueeze(0));

    // embedding -> picture, for every recorded run.
    auto pipeline = UnclipPipeline::load(dif_dir / "pipeline", UnclipLoadOptions{});
    const auto config = read_json_file(dif_dir / "config.json");
    int runs = 0;
    for (const auto& [name, rc] : config.at("runs").items()) {
      auto f = io::SafetensorsFile::open(dif_dir / (name + ".safetensors"));
      DecodeOptions o;
      o.steps = rc.at("num_inference_steps").get<std::int64_t>();
      o.guidance_scale = rc.at("guidance_scale").get<double>();
      o.noise_level = rc.at("noise_level").get<std::int64_t>();
      o.scheduler = parse_scheduler_kind(rc.at("scheduler").get<std::string>());
      o.latents = f->load("init_latents");
      o.augmentation_noise = f->load("augmentation_noise.0");
      if (f->contains("negative_image_embeds")) {
        // The runs' negative embedding is the tokenizer's fixed_indices decoded.
        SC_EXPECT_CLOSE(negative, f->load("negative_image_embeds"), 1e-5, 1e-4, name + " negative_image_embeds");
        o.negative_image_embeds = negative;
        o.negative_augmentation_noise = f->load("augmentation_noise.1");
      }
      const auto r = pipeline->decode(embeds, o);
      SC_EXPECT_CLOSE(r.image.to(at::kInt), f->load("image_uint8")[0].to(at::kInt), 1.0, 0.0, name + " image_uint8");
      ++runs;
    }
    QVERIFY(runs > 0);
  }
};

QTEST_GUILESS_MAIN(DiffusionSeedRoundtripTest)
#include "test_diffusion_seed_roundtrip.moc"
