// Schedulers against diffusers 0.20.2 (fixtures/diffusion): every table of
// schedulers.safetensors, and every run_*: the recorded guided model outputs fed to a fresh
// scheduler reproduce each step's latents (and, for PNDM, what each PLMS update combined).
#include <ATen/ATen.h>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <regex>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/scheduler.h"
#include "diffusion/scheduler_ddim.h"
#include "diffusion/scheduler_pndm.h"
#include "io/safetensors.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
using namespace seedcanvas::diffusion;

namespace {

std::filesystem::path dir() { return test::fixture("diffusion"); }

std::unique_ptr<Scheduler> from_pipeline_config(SchedulerKind kind) {
  return load_scheduler(dir() / "pipeline" / "scheduler", kind);
}

// Fixture table prefixes name the scheduler class they come from.
SchedulerKind kind_of_prefix(const std::string& prefix) {
  if (prefix == "pndm") return SchedulerKind::Pndm;
  if (prefix == "ddim") return SchedulerKind::Ddim;
  if (prefix == "dpmsolver") return SchedulerKind::DpmSolverMultistep;
  throw Error(ErrorKind::NotFound, "unknown scheduler prefix " + prefix);
}

at::Tensor longs(const std::vector<std::int64_t>& v) { return at::tensor(v, at::kLong); }

std::int64_t scalar_long(const at::Tensor& t) { return t.reshape({-1})[0].item<std::int64_t>(); }

}  // namespace

class DiffusionSchedulersTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    // A missing fixture root fails: conformance without fixtures checks nothing.
    QVERIFY2(std::filesystem::exists(dir() / "schedulers.safetensors"),
             qPrintable("diffusion fixtures not found at " + QString::fromStdString(dir().string())));
  }

  void tables() {
    auto file = io::SafetensorsFile::open(dir() / "schedulers.safetensors");
    const std::regex timesteps_re("([a-z]+)_timesteps_([0-9]+)");
    const std::regex abar_re("([a-z]+)_alphas_cumprod");
    const std::regex final_re("([a-z]+)_final_alpha_cumprod");
    int checked = 0;
    for (const auto& info : file->tensors()) {
      std::smatch m;
      const auto expected = file->load(info.name);
      if (std::regex_match(info.name, m, timesteps_re)) {
        auto s = from_pipeline_config(kind_of_prefix(m[1]));
        s->set_timesteps(std::stoll(m[2]));
        SC_EXPECT_EQUAL(longs(s->timesteps()), expected, info.name);
      } else if (std::regex_match(info.name, m, abar_re)) {
        auto s = from_pipeline_config(kind_of_prefix(m[1]));
        SC_EXPECT_CLOSE(s->alphas_cumprod(), expected, 0.0, 1e-6, info.name);
      } else if (std::regex_match(info.name, m, final_re)) {
        auto s = from_pipeline_config(kind_of_prefix(m[1]));
        float value = 0;
        if (auto* p = dynamic_cast<PndmScheduler*>(s.get())) value = p->final_alpha_cumprod();
        else if (auto* d = dynamic_cast<DdimScheduler*>(s.get())) value = d->final_alpha_cumprod();
        else QFAIL(("no final_alpha_cumprod for " + info.name).c_str());
        SC_EXPECT_CLOSE(at::tensor({value}), expected, 0.0, 1e-6, info.name);
      } else {
        QFAIL(("unrecognised scheduler table " + info.name).c_str());
      }
      ++checked;
    }
    QVERIFY(checked > 0);
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
    const auto config = read_json_file(dir() / "config.json");
    const auto& rc = config.at("runs").at(name);
    auto s = from_pipeline_config(parse_scheduler_kind(rc.at("scheduler").get<std::string>()));
    s->set_timesteps(rc.at("num_inference_steps").get<std::int64_t>());

    auto file = io::SafetensorsFile::open(dir() / (name + ".safetensors"));
    SC_EXPECT_EQUAL(longs(s->timesteps()), file->load("timesteps"), name + " timesteps");
    auto* pndm = dynamic_cast<PndmScheduler*>(s.get());

    at::Tensor latents = file->load("init_latents").clone();
    const auto& ts = s->timesteps();
    std::size_t i = 0;
    for (; file->contains("step" + std::to_string(i) + ".guided_model_output"); ++i) {
      const auto p = "step" + std::to_string(i) + ".";
      QVERIFY2(i < ts.size(), (name + ": more recorded steps than timesteps").c_str());
      QCOMPARE(scalar_long(file->load(p + "timestep")), ts[i]);
      latents = s->step(file->load(p + "guided_model_output"), ts[i], s->scale_model_input(latents, ts[i]));
      SC_EXPECT_CLOSE(latents, file->load(p + "latents_out"), 1e-4, 1e-4, name + " " + p + "latents_out");
      if (pndm && file->contains(p + "plms_model_output")) {
        const auto& tr = pndm->last_trace();
        SC_EXPECT_CLOSE(tr.model_output, file->load(p + "plms_model_output"), 1e-3, 0.0, name + " " + p + "plms_model_output");
        SC_EXPECT_CLOSE(tr.sample, file->load(p + "plms_sample"), 1e-4, 0.0, name + " " + p + "plms_sample");
        QCOMPARE(tr.timestep, scalar_long(file->load(p + "plms_timestep")));
        QCOMPARE(tr.prev_timestep, scalar_long(file->load(p + "plms_prev_timestep")));
      }
    }
    QCOMPARE(i, ts.size());
    // The pipeline divides the final latents by the VAE scaling factor before decoding.
    if (file->contains("vae_decode_input")) {
      const double scaling = config.at("vae_scaling_factor").get<double>();
      SC_EXPECT_CLOSE(latents / scaling, file->load("vae_decode_input"), 5e-4, 1e-4, name + " vae_decode_input");
    }
  }
};

QTEST_GUILESS_MAIN(DiffusionSchedulersTest)
#include "test_diffusion_schedulers.moc"
