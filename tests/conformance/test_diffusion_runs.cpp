// The unCLIP pipeline end to end against diffusers 0.20.2 (fixtures/diffusion/run_*):
// from image_embeds + the recorded augmentation noise + init_latents, with the run's
// scheduler, steps and guidance (config.json), every UNet call, guided output and latent
// step, the VAE output and the final picture (uint8 within +-1) match.
#include <ATen/ATen.h>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/json_file.h"
#include "diffusion/unclip_components.h"
#include "diffusion/unclip_pipeline.h"
#include "io/safetensors.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
using namespace seedcanvas::diffusion;

namespace {
std::filesystem::path dir() { return test::fixture("diffusion"); }
}  // namespace

class DiffusionRunsTest : public QObject {
  Q_OBJECT
  std::unique_ptr<UnclipPipeline> pipeline_;

 private slots:
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    // A missing fixture root fails: conformance without fixtures checks nothing.
    QVERIFY2(std::filesystem::exists(dir() / "pipeline" / "model_index.json"),
             qPrintable("diffusion fixtures not found at " + QString::fromStdString(dir().string())));
    UnclipLoadOptions options;
    pipeline_ = UnclipPipeline::load(dir() / "pipeline", options);
  }

  void runs_data() {
    QTest::addColumn<QString>("run");
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir())) {
      const auto name = e.path().filename().string();
      if (name.rfind("run_", 0) == 0 && e.path().extension() == ".safetensors") {
        QTest::newRow(name.c_str()) << QString::fromStdString(e.path().stem().string());
        ++n;
      }
    }
    if (n == 0) QTest::newRow("none") << QString();
  }

  void runs() {
    QFETCH(QString, run);
    QVERIFY2(!run.isEmpty(), "no run_*.safetensors fixtures");
    const auto name = run.toStdString();
    const auto rc = read_json_file(dir() / "config.json").at("runs").at(name);
    auto f = io::SafetensorsFile::open(dir() / (name + ".safetensors"));

    DecodeOptions o;
    o.steps = rc.at("num_inference_steps").get<std::int64_t>();
    o.guidance_scale = rc.at("guidance_scale").get<double>();
    o.noise_level = rc.at("noise_level").get<std::int64_t>();
    o.scheduler = parse_scheduler_kind(rc.at("scheduler").get<std::string>());
    o.latents = f->load("init_latents");
    o.augmentation_noise = f->load("augmentation_noise.0");
    if (f->contains("negative_image_embeds")) {
      o.negative_image_embeds = f->load("negative_image_embeds");
      o.negative_augmentation_noise = f->load("augmentation_noise.1");
    }
    o.record_steps = true;
    const auto r = pipeline_->decode(f->load("image_embeds"), o);

    SC_EXPECT_EQUAL(at::tensor(r.timesteps, at::kLong), f->load("timesteps"), name + " timesteps");
    SC_EXPECT_CLOSE(r.class_labels, f->load("unet_class_labels"), 1e-5, 0.0, name + " unet_class_labels");
    SC_EXPECT_CLOSE(pipeline_->components()->empty_prompt_embeds().to(at::kFloat), f->load("prompt_embeds"), 1e-5, 0.0,
                    name + " prompt_embeds");
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
      const auto p = "step" + std::to_string(i) + ".";
      QVERIFY2(f->contains(p + "latents_out"), (name + ": more steps than recorded").c_str());
      SC_EXPECT_CLOSE(r.steps[i].unet_output, f->load(p + "unet_output"), 1e-4, 1e-4, name + " " + p + "unet_output");
      SC_EXPECT_CLOSE(r.steps[i].guided, f->load(p + "guided_model_output"), 1e-3, 0.0,
                      name + " " + p + "guided_model_output");
      SC_EXPECT_CLOSE(r.steps[i].latents_out, f->load(p + "latents_out"), 1e-4, 1e-4, name + " " + p + "latents_out");
    }
    QVERIFY(!f->contains("step" + std::to_string(r.steps.size()) + ".latents_out"));
    SC_EXPECT_CLOSE(r.decoded, f->load("vae_decode_output"), 2e-4, 0.0, name + " vae_decode_output");
    SC_EXPECT_CLOSE(r.image_unit, f->load("image"), 2e-4, 0.0, name + " image");
    const auto expected = f->load("image_uint8")[0];
    // Logged for the record: how far from the reference the end of the run is.
    qInfo("%s", test::compare_close(r.steps.back().latents_out, f->load("step" + std::to_string(r.steps.size() - 1) + ".latents_out"), 1e-4, 1e-4, name + " final latents").message.c_str());
    qInfo("%s", test::compare_close(r.image.to(at::kInt), expected.to(at::kInt), 1.0, 0.0, name + " image_uint8").message.c_str());
    SC_EXPECT_CLOSE(r.image.to(at::kInt), expected.to(at::kInt), 1.0, 0.0, name + " image_uint8");
  }
};

QTEST_GUILESS_MAIN(DiffusionRunsTest)
#include "test_diffusion_runs.moc"
