// Scheduler properties that need no fixtures: from_config defaults per class, timestep
// spacings, and exactness: with the true noise (or v / x0) as model output, every scheduler
// lands each update on the forward-process marginal sqrt(abar') x0 + sqrt(1 - abar') eps.
#include <ATen/ATen.h>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "diffusion/scheduler.h"
#include "diffusion/scheduler_ddim.h"
#include "diffusion/scheduler_dpmsolver.h"
#include "diffusion/scheduler_pndm.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
using namespace seedcanvas::diffusion;

namespace {

// The shape of stable-diffusion-2-1-unclip's PNDM config (no timestep_spacing key).
nlohmann::json sd_config(const std::string& prediction) {
  return {{"_class_name", "PNDMScheduler"}, {"beta_start", 0.00085}, {"beta_end", 0.012},
          {"beta_schedule", "scaled_linear"}, {"clip_sample", false}, {"num_train_timesteps", 1000},
          {"prediction_type", prediction}, {"set_alpha_to_one", false}, {"skip_prk_steps", true},
          {"steps_offset", 1}, {"trained_betas", nullptr}};
}

at::Tensor longs(const std::vector<std::int64_t>& v) { return at::tensor(v, at::kLong); }

// Model output for known x0 / eps at timestep t under a prediction type.
at::Tensor oracle(PredictionType p, const at::Tensor& x0, const at::Tensor& eps, double abar) {
  if (p == PredictionType::Epsilon) return eps;
  if (p == PredictionType::Sample) return x0;
  return std::sqrt(abar) * eps - std::sqrt(1 - abar) * x0;  // v
}

}  // namespace

class SchedulerTest : public QObject {
  Q_OBJECT
 private slots:
  void fromConfigKeepsEachClassDefaults() {
    auto cfg = sd_config("v_prediction");
    auto pndm = make_scheduler(cfg, "cfg.json");
    QCOMPARE(pndm->kind(), SchedulerKind::Pndm);
    QCOMPARE(pndm->schedule().timestep_spacing, TimestepSpacing::Leading);
    auto dpm = make_scheduler(cfg, "cfg.json", SchedulerKind::DpmSolverMultistep);
    QCOMPARE(dpm->schedule().timestep_spacing, TimestepSpacing::Linspace);  // its own default
    QCOMPARE(dpm->schedule().prediction_type, PredictionType::VPrediction);  // from the file
    // DDIM's own set_alpha_to_one default (true) applies only when the key is absent.
    auto no_key = cfg;
    no_key.erase("set_alpha_to_one");
    QCOMPARE(dynamic_cast<DdimScheduler&>(*make_scheduler(no_key, "c", SchedulerKind::Ddim)).final_alpha_cumprod(), 1.0f);
    auto ddim = make_scheduler(cfg, "c", SchedulerKind::Ddim);
    QCOMPARE(dynamic_cast<DdimScheduler&>(*ddim).final_alpha_cumprod(), ddim->alphas_cumprod()[0].item<float>());
  }

  void rejectsBadConfigs() {
    auto bad = sd_config("v_prediction");
    bad["beta_schedule"] = "exotic";
    QVERIFY_THROWS_EXCEPTION(Error, make_scheduler(bad, "c"));
    bad = sd_config("v_prediction");
    bad["num_train_timesteps"] = "many";
    QVERIFY_THROWS_EXCEPTION(Error, make_scheduler(bad, "c"));
    bad = sd_config("v_prediction");
    bad["skip_prk_steps"] = false;
    QVERIFY_THROWS_EXCEPTION(Error, make_scheduler(bad, "c"));
    bad = sd_config("v_prediction");
    bad["_class_name"] = "LMSDiscreteScheduler";
    QVERIFY_THROWS_EXCEPTION(Error, make_scheduler(bad, "c"));
    auto s = make_scheduler(sd_config("epsilon"), "c");
    QVERIFY_THROWS_EXCEPTION(Error, s->step(at::zeros({1}), 1, at::zeros({1})));  // before set_timesteps
    QVERIFY_THROWS_EXCEPTION(Error, s->set_timesteps(0));
  }

  void spacings() {
    // Hand-computed: T 1000, n 4.
    QCOMPARE(spaced_timesteps(TimestepSpacing::Leading, 1000, 4, 1), (std::vector<std::int64_t>{751, 501, 251, 1}));
    QCOMPARE(spaced_timesteps(TimestepSpacing::Trailing, 1000, 4, 0), (std::vector<std::int64_t>{999, 749, 499, 249}));
    // linspace(0, 999, 5) = 0, 249.75, 499.5, 749.25, 999 -> numpy rounds 499.5 to 500 (even).
    QCOMPARE(spaced_timesteps(TimestepSpacing::Linspace, 1000, 5, 0), (std::vector<std::int64_t>{999, 749, 500, 250, 0}));
    // linspace(0, 9, 3) = 0, 4.5, 9: numpy rounds 4.5 to 4.
    QCOMPARE(spaced_timesteps(TimestepSpacing::Linspace, 10, 3, 0), (std::vector<std::int64_t>{9, 4, 0}));
    auto pndm = make_scheduler(sd_config("epsilon"), "c");
    pndm->set_timesteps(3);  // base 1, 334, 667 -> 667, 334, 334, 1
    QCOMPARE(pndm->timesteps(), (std::vector<std::int64_t>{667, 334, 334, 1}));
  }

  void squaredcosSchedule() {
    NoiseScheduleConfig c;
    c.beta_schedule = "squaredcos_cap_v2";
    auto abar = alphas_cumprod_from_betas(make_betas(c, "c"));
    // abar(t) ~ cos^2(((t+1)/T + s)/(1+s) pi/2) / cos^2(s/(1+s) pi/2) (the capped product telescopes).
    const double s = 0.008;
    auto ab = [&](double t) { return std::pow(std::cos((t / 1000.0 + s) / (1 + s) * M_PI / 2), 2); };
    for (int t : {0, 10, 500, 900}) QVERIFY(std::abs(abar[t].item<double>() - ab(t + 1) / ab(0)) < 1e-5);
    QVERIFY(abar[999].item<double>() < 1e-6);
  }

  void exactOnKnownNoise_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("prediction");
    for (auto k : {SchedulerKind::Pndm, SchedulerKind::Ddim, SchedulerKind::DpmSolverMultistep})
      for (const char* p : {"epsilon", "v_prediction", "sample"}) {
        if (k == SchedulerKind::Pndm && std::string(p) != "epsilon") continue;  // PLMS mixes timesteps
        QTest::newRow((scheduler_kind_name(k) + "/" + p).c_str()) << static_cast<int>(k) << QString(p);
      }
  }

  void exactOnKnownNoise() {
    QFETCH(int, kind);
    QFETCH(QString, prediction);
    auto s = make_scheduler(sd_config(prediction.toStdString()), "c", static_cast<SchedulerKind>(kind));
    s->set_timesteps(7);
    at::manual_seed(3);
    const auto x0 = at::randn({1, 4, 5, 5}).to(at::kDouble);
    const auto eps = at::randn({1, 4, 5, 5}).to(at::kDouble);
    const auto& abar = s->alphas_cumprod();
    auto marginal = [&](double a) { return std::sqrt(a) * x0 + std::sqrt(1 - a) * eps; };
    const auto& ts = s->timesteps();
    at::Tensor x = marginal(abar[ts[0]].item<double>());
    for (std::size_t i = 0; i < ts.size(); ++i) {
      // PLMS's warm-up call evaluates at the repeated timestep but re-does the first update.
      const auto t = ts[i];
      x = s->step(oracle(s->schedule().prediction_type, x0, eps, abar[t].item<double>()), t, x);
      double target = 0;
      if (auto* p = dynamic_cast<PndmScheduler*>(s.get())) {
        const auto prev = p->last_trace().prev_timestep;
        target = prev >= 0 ? abar[prev].item<double>() : p->final_alpha_cumprod();
      } else if (auto* d = dynamic_cast<DdimScheduler*>(s.get())) {
        const auto prev = t - 1000 / 7;
        target = prev >= 0 ? abar[prev].item<double>() : d->final_alpha_cumprod();
      } else {
        target = abar[i + 1 < ts.size() ? ts[i + 1] : 0].item<double>();
      }
      SC_EXPECT_CLOSE(x, marginal(target), 2e-4, 1e-4, "step " + std::to_string(i));
    }
  }

  void keepsDtypeAndDevice() {
    auto s = make_scheduler(sd_config("v_prediction"), "c", SchedulerKind::DpmSolverMultistep);
    s->set_timesteps(4);
    auto x = at::randn({1, 4, 3, 3}).to(at::kHalf);
    for (auto t : s->timesteps()) x = s->step(at::randn({1, 4, 3, 3}).to(at::kHalf), t, x);
    QCOMPARE(x.scalar_type(), at::kHalf);
  }
};

QTEST_GUILESS_MAIN(SchedulerTest)
#include "test_scheduler.moc"
