// The unCLIP denoising loop on light fake networks (no fixtures): cancellation within one
// UNet call with the pipeline usable afterwards, seeded reproducibility, guidance batching,
// class-label construction and previews; plus the latent -> RGB least-squares fit.
#include <ATen/ATen.h>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "diffusion/latent_preview.h"
#include "diffusion/unclip_pipeline.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
using namespace seedcanvas::diffusion;

namespace {

// Deterministic stand-ins with the real interfaces: the UNet mixes sample, timestep and the
// class labels so conditioning and guidance change the result; the VAE upsamples x2.
class FakeNetworks final : public UnclipNetworks {
 public:
  FakeNetworks() {
    config_ = {{"_class_name", "PNDMScheduler"}, {"beta_start", 0.00085}, {"beta_end", 0.012},
               {"beta_schedule", "scaled_linear"}, {"prediction_type", "v_prediction"},
               {"set_alpha_to_one", false}, {"skip_prk_steps", true}, {"steps_offset", 1}};
  }
  UnclipGeometry geometry() const override {
    UnclipGeometry g;
    g.latent_channels = 4;
    g.sample_size = 6;
    g.vae_scale_factor = 2;
    g.embedding_dim = 8;
    return g;
  }
  at::Tensor unet(const at::Tensor& x, std::int64_t t, const at::Tensor& text, const at::Tensor& labels) override {
    ++calls;
    batches.push_back(x.size(0));
    last_labels = labels.clone();
    if (on_call) on_call(calls);
    if (delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    const auto l = labels.narrow(1, 0, 4).reshape({x.size(0), 4, 1, 1});
    return 0.3 * x + 0.2 * l + 0.001 * static_cast<double>(t) + text.mean();
  }
  at::Tensor vae_decode(const at::Tensor& z) override {
    return at::tanh(at::upsample_nearest2d(z.narrow(1, 0, 3), {z.size(2) * 2, z.size(3) * 2}));
  }
  at::Tensor noise_image_embeddings(const at::Tensor& e, std::int64_t level, const at::Tensor& noise) override {
    return at::cat({e + 0.01 * noise, at::full_like(e, static_cast<double>(level) + 1)}, 1);
  }
  at::Tensor empty_prompt_embeds() override { return at::full({1, 77, 3}, 0.05); }
  const nlohmann::json& scheduler_config() const override { return config_; }
  std::string scheduler_config_file() const override { return "fake/scheduler_config.json"; }

  int calls = 0;
  int delay_ms = 0;
  std::vector<std::int64_t> batches;
  at::Tensor last_labels;
  std::function<void(int)> on_call;

 private:
  nlohmann::json config_;
};

at::Tensor embedding(int seed) {
  at::manual_seed(seed);
  return at::randn({1, 8});
}

}  // namespace

class UnclipPipelineTest : public QObject {
  Q_OBJECT
 private slots:
  void sameSeedSamePixelsOtherSeedsDiffer() {
    auto nets = std::make_shared<FakeNetworks>();
    UnclipPipeline p(nets);
    DecodeOptions o;
    o.steps = 4;
    o.seed = 42;
    const auto e = embedding(1);
    auto a = p.decode(e, o);
    auto b = p.decode(e, o);
    QCOMPARE(a.image.sizes().vec(), (std::vector<std::int64_t>{12, 12, 3}));  // sample_size * factor
    QCOMPARE(a.image.scalar_type(), at::kByte);
    SC_EXPECT_EQUAL(a.image, b.image, "same seed");
    o.seed = 43;
    auto c = p.decode(e, o);
    QVERIFY(!a.image.equal(c.image));
    QVERIFY(!a.latents.equal(c.latents));
    // Fixed latents + augmentation noise make the seed irrelevant.
    o.latents = at::randn({1, 4, 6, 6});
    o.augmentation_noise = at::randn({1, 8});
    auto d = p.decode(e, o);
    o.seed = 44;
    auto f = p.decode(e, o);
    SC_EXPECT_EQUAL(d.image, f.image, "fixed latents");
  }

  void cancelWithinOneUnetCallAndRunAgain() {
    auto nets = std::make_shared<FakeNetworks>();
    UnclipPipeline p(nets);
    std::atomic<bool> cancel{false};
    DecodeOptions o;
    o.steps = 10;  // PNDM: 11 calls
    o.cancel = &cancel;
    // The request arrives while the 3rd UNet call runs: no 4th call may start.
    nets->on_call = [&](int n) {
      if (n == 3) cancel = true;
    };
    try {
      p.decode(embedding(2), o);
      QFAIL("a cancelled run must throw");
    } catch (const Error& e) {
      QCOMPARE(e.kind(), ErrorKind::Cancelled);
    }
    QCOMPARE(nets->calls, 3);

    // The step callback can cancel too.
    nets->on_call = nullptr;
    nets->calls = 0;
    cancel = false;
    o.on_step = [](const StepInfo& s) { return s.index < 1; };
    QVERIFY_THROWS_EXCEPTION(Error, p.decode(embedding(2), o));
    QCOMPARE(nets->calls, 2);

    // A cancel from another thread, while calls take 30 ms, lets at most the call in flight
    // finish. Counted in UNet calls against the call running when the flag was set, not in
    // wall-clock time: a shared machine can stall any thread, and speed belongs to the bench.
    o.on_step = nullptr;
    nets->calls = 0;
    nets->delay_ms = 30;
    std::atomic<int> started{0}, running_at_cancel{-1};
    nets->on_call = [&](int n) { started = n; };
    std::thread canceller([&] {
      while (started < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      cancel = true;
      running_at_cancel = started.load();
    });
    bool threw = false;
    try {
      p.decode(embedding(2), o);
    } catch (const Error& e) {
      threw = e.kind() == ErrorKind::Cancelled;
    }
    canceller.join();
    nets->on_call = nullptr;
    QVERIFY2(threw, "a cancel from another thread must end the run as Cancelled");
    QVERIFY2(nets->calls <= running_at_cancel + 1,
             qPrintable(QString("%1 calls; call %2 was running at the cancel").arg(nets->calls).arg(running_at_cancel.load())));

    // Still usable, and the result equals a fresh pipeline's.
    cancel = false;
    nets->delay_ms = 0;
    auto again = p.decode(embedding(2), o);
    auto fresh = UnclipPipeline(std::make_shared<FakeNetworks>()).decode(embedding(2), o);
    SC_EXPECT_EQUAL(again.image, fresh.image, "after cancel");
  }

  void guidanceBatchesAndClassLabels() {
    auto nets = std::make_shared<FakeNetworks>();
    UnclipPipeline p(nets);
    DecodeOptions o;
    o.steps = 3;
    o.scheduler = SchedulerKind::Ddim;
    o.guidance_scale = 1.0;  // no CFG
    auto r1 = p.decode(embedding(3), o);
    QCOMPARE(nets->batches, (std::vector<std::int64_t>{1, 1, 1}));
    QCOMPARE(r1.class_labels.size(0), 1);
    nets->batches.clear();
    o.guidance_scale = 7.0;
    auto r2 = p.decode(embedding(3), o);
    QCOMPARE(nets->batches, (std::vector<std::int64_t>{2, 2, 2}));
    // Unconditional row all zeros, including the noise-level half.
    QVERIFY(r2.class_labels[0].abs().sum().item<double>() == 0.0);
    SC_EXPECT_EQUAL(r2.class_labels[1], r1.class_labels[0], "cond row");
    // A negative embedding is augmented at noise level 0 (the fake writes level + 1 = 1).
    o.noise_level = 5;
    o.negative_image_embeds = embedding(4);
    auto r3 = p.decode(embedding(3), o);
    QCOMPARE(r3.class_labels[0][8].item<float>(), 1.0f);
    QCOMPARE(r3.class_labels[1][8].item<float>(), 6.0f);
    QVERIFY(!r3.image.equal(r2.image));
  }

  void guidanceFormula() {
    auto nets = std::make_shared<FakeNetworks>();
    UnclipPipeline p(nets);
    DecodeOptions o;
    o.steps = 2;
    o.guidance_scale = 4.0;
    o.record_steps = true;
    auto r = p.decode(embedding(5), o);
    QCOMPARE(r.steps.size(), r.timesteps.size());
    for (const auto& s : r.steps) {
      auto u = s.unet_output[0], c = s.unet_output[1];
      SC_EXPECT_CLOSE(s.guided[0], u + 4.0 * (c - u), 1e-6, 1e-6, "uncond + g (cond - uncond)");
    }
    SC_EXPECT_EQUAL(r.steps.back().latents_out, r.latents, "final latents");
  }

  void previewsAndBadInput() {
    auto nets = std::make_shared<FakeNetworks>();
    UnclipPipeline p(nets);
    DecodeOptions o;
    o.steps = 4;
    o.preview = PreviewMode::Latent;
    std::vector<StepInfo> seen;
    o.on_step = [&](const StepInfo& s) {
      seen.push_back(s);
      return true;
    };
    p.decode(embedding(6), o);
    QCOMPARE(seen.size(), std::size_t{5});
    for (const auto& s : seen) {
      QCOMPARE(s.total, 5);
      QCOMPARE(s.preview.sizes().vec(), (std::vector<std::int64_t>{6, 6, 3}));
    }
    seen.clear();
    o.preview = PreviewMode::Vae;
    o.preview_every = 2;
    p.decode(embedding(6), o);
    int with = 0;
    for (const auto& s : seen) with += s.preview.defined();
    QCOMPARE(with, 2);  // calls 2 and 4 of 5
    QCOMPARE(seen[1].preview.sizes().vec(), (std::vector<std::int64_t>{12, 12, 3}));

    DecodeOptions bad;
    QVERIFY_THROWS_EXCEPTION(Error, p.decode(at::randn({1, 7}), bad));
    QVERIFY_THROWS_EXCEPTION(Error, p.decode(at::full({1, 8}, NAN), bad));
    QVERIFY_THROWS_EXCEPTION(Error, p.decode(at::zeros({1, 8}, at::kLong), bad));
    bad.height = 13;
    QVERIFY_THROWS_EXCEPTION(Error, p.decode(embedding(1), bad));
    bad = {};
    bad.latents = at::randn({1, 3, 6, 6});
    QVERIFY_THROWS_EXCEPTION(Error, p.decode(embedding(1), bad));
    bad = {};
    bad.steps = 0;
    QVERIFY_THROWS_EXCEPTION(Error, p.decode(embedding(1), bad));
  }

  void latentPreviewFitRecoversALinearDecoder() {
    const auto W = at::tensor({0.3f, 0.2f, 0.2f, 0.19f, 0.29f, 0.17f, -0.16f, 0.19f, 0.26f, -0.18f, -0.27f, -0.47f})
                       .reshape({4, 3});
    const auto b = at::tensor({0.05f, -0.1f, 0.02f});
    auto decode = [&](const at::Tensor& z) {  // exactly linear per pixel, then upsampled x8
      auto rgb = at::matmul(z.permute({0, 2, 3, 1}), W) + b;
      auto img = rgb.permute({0, 3, 1, 2});
      return at::upsample_nearest2d(img, {z.size(2) * 8, z.size(3) * 8});
    };
    auto lp = LatentPreview::fit(decode, 4);
    SC_EXPECT_CLOSE(lp.weight(), W, 1e-4, 0.0, "weight");
    SC_EXPECT_CLOSE(lp.bias(), b, 1e-4, 0.0, "bias");
    auto z = at::randn({1, 4, 5, 7});
    auto expected = ((at::matmul(z[0].permute({1, 2, 0}), W) + b) / 2 + 0.5).clamp(0, 1) * 255;
    SC_EXPECT_CLOSE(lp.render(z).to(at::kFloat), expected.round(), 1.0, 0.0, "render");
  }
};

QTEST_GUILESS_MAIN(UnclipPipelineTest)
#include "test_unclip_pipeline.moc"
