// Shared scheduler tables and the from_config factory (diffusers 0.20.2 schedulers/).
#include "diffusion/scheduler.h"

#include <ATen/ATen.h>

#include <cfenv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/scheduler_ddim.h"
#include "diffusion/scheduler_dpmsolver.h"
#include "diffusion/scheduler_pndm.h"

namespace seedcanvas::diffusion {

namespace {

// numpy's round(): half to even (the default FE_TONEAREST mode of nearbyint).
double np_round(double x) {
  const int old = std::fegetround();
  std::fesetround(FE_TONEAREST);
  const double r = std::nearbyint(x);
  std::fesetround(old);
  return r;
}

PredictionType parse_prediction(const std::string& s, const std::string& file) {
  if (s == "epsilon") return PredictionType::Epsilon;
  if (s == "v_prediction") return PredictionType::VPrediction;
  if (s == "sample") return PredictionType::Sample;
  throw_error(ErrorKind::Unsupported, describe(file, "prediction_type '" + s + "' is not supported"));
}

TimestepSpacing parse_spacing(const std::string& s, const std::string& file) {
  if (s == "leading") return TimestepSpacing::Leading;
  if (s == "linspace") return TimestepSpacing::Linspace;
  if (s == "trailing") return TimestepSpacing::Trailing;
  throw_error(ErrorKind::Unsupported, describe(file, "timestep_spacing '" + s + "' is not supported"));
}

}  // namespace

NoiseScheduleConfig read_noise_schedule(const nlohmann::json& j, NoiseScheduleConfig d, const std::string& file) {
  if (!j.is_object()) throw_error(ErrorKind::Config, describe(file, "scheduler config is not a JSON object"));
  d.num_train_timesteps = json_get<std::int64_t>(j, "num_train_timesteps", d.num_train_timesteps, file);
  d.beta_start = json_get<double>(j, "beta_start", d.beta_start, file);
  d.beta_end = json_get<double>(j, "beta_end", d.beta_end, file);
  d.beta_schedule = json_get<std::string>(j, "beta_schedule", d.beta_schedule, file);
  d.trained_betas = json_get<std::vector<double>>(j, "trained_betas", d.trained_betas, file);
  if (auto it = j.find("prediction_type"); it != j.end() && !it->is_null())
    d.prediction_type = parse_prediction(json_get<std::string>(j, "prediction_type", "", file), file);
  if (auto it = j.find("timestep_spacing"); it != j.end() && !it->is_null())
    d.timestep_spacing = parse_spacing(json_get<std::string>(j, "timestep_spacing", "", file), file);
  d.steps_offset = json_get<std::int64_t>(j, "steps_offset", d.steps_offset, file);
  if (d.num_train_timesteps < 2 || d.num_train_timesteps > 100000)
    throw_error(ErrorKind::Config, describe(file, "num_train_timesteps out of range"));
  if (d.steps_offset < 0 || d.steps_offset >= d.num_train_timesteps)
    throw_error(ErrorKind::Config, describe(file, "steps_offset out of range"));
  return d;
}

at::Tensor make_betas(const NoiseScheduleConfig& c, const std::string& file) {
  const auto n = c.num_train_timesteps;
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  if (!c.trained_betas.empty()) {
    if (static_cast<std::int64_t>(c.trained_betas.size()) != n)
      throw_error(ErrorKind::Config, describe(file, "trained_betas length differs from num_train_timesteps"));
    return at::tensor(c.trained_betas, at::TensorOptions().dtype(at::kDouble)).to(at::kFloat);
  }
  if (c.beta_schedule == "linear") return at::linspace(c.beta_start, c.beta_end, n, f32);
  if (c.beta_schedule == "scaled_linear") {
    // linspace of the square roots in float32, then squared (the latent-diffusion schedule).
    auto r = at::linspace(std::sqrt(c.beta_start), std::sqrt(c.beta_end), n, f32);
    return r * r;
  }
  if (c.beta_schedule == "squaredcos_cap_v2") {
    // Glide cosine schedule: beta_i = min(1 - abar((i+1)/T) / abar(i/T), 0.999), in double.
    auto alpha_bar = [](double t) {
      const double v = std::cos((t + 0.008) / 1.008 * M_PI / 2.0);
      return v * v;
    };
    std::vector<double> betas(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      const double t1 = static_cast<double>(i) / static_cast<double>(n);
      const double t2 = static_cast<double>(i + 1) / static_cast<double>(n);
      betas[static_cast<std::size_t>(i)] = std::min(1.0 - alpha_bar(t2) / alpha_bar(t1), 0.999);
    }
    return at::tensor(betas, at::TensorOptions().dtype(at::kDouble)).to(at::kFloat);
  }
  throw_error(ErrorKind::Unsupported, describe(file, "beta_schedule '" + c.beta_schedule + "' is not supported"));
}

at::Tensor alphas_cumprod_from_betas(const at::Tensor& betas) { return at::cumprod(1.0 - betas, 0); }

std::vector<std::int64_t> spaced_timesteps(TimestepSpacing spacing, std::int64_t T, std::int64_t n,
                                           std::int64_t steps_offset) {
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(n));
  switch (spacing) {
    case TimestepSpacing::Linspace:  // np.linspace(0, T-1, n).round()[::-1]
      for (std::int64_t i = n - 1; i >= 0; --i) {
        const double v = n == 1 ? 0.0 : static_cast<double>(i) * static_cast<double>(T - 1) / static_cast<double>(n - 1);
        out.push_back(static_cast<std::int64_t>(np_round(v)));
      }
      break;
    case TimestepSpacing::Leading: {  // (arange(n) * (T // n))[::-1] + steps_offset
      const std::int64_t ratio = T / n;
      for (std::int64_t i = n - 1; i >= 0; --i) out.push_back(i * ratio + steps_offset);
      break;
    }
    case TimestepSpacing::Trailing: {  // round(arange(T, 0, -T/n)) - 1
      const double ratio = static_cast<double>(T) / static_cast<double>(n);
      const auto count = static_cast<std::int64_t>(std::ceil(static_cast<double>(T) / ratio));
      for (std::int64_t i = 0; i < count; ++i)
        out.push_back(static_cast<std::int64_t>(np_round(static_cast<double>(T) - static_cast<double>(i) * ratio)) - 1);
      break;
    }
  }
  return out;
}

void Scheduler::init_schedule(const NoiseScheduleConfig& schedule, const std::string& file) {
  schedule_ = schedule;
  file_ = file;
  alphas_cumprod_ = alphas_cumprod_from_betas(make_betas(schedule, file)).contiguous();
  const float* p = alphas_cumprod_.data_ptr<float>();
  abar_.assign(p, p + alphas_cumprod_.numel());
}

float Scheduler::abar(std::int64_t t) const {
  if (t < 0 || t >= static_cast<std::int64_t>(abar_.size()))
    throw_error(ErrorKind::Internal, describe(file_, name() + ": timestep " + std::to_string(t) + " out of range"));
  return abar_[static_cast<std::size_t>(t)];
}

void Scheduler::require_timesteps(const char* who) const {
  if (num_inference_steps_ <= 0)
    throw_error(ErrorKind::Internal, name() + "::" + who + ": call set_timesteps first");
}

SchedulerKind parse_scheduler_kind(const std::string& name) {
  if (name == "pndm" || name == "PNDMScheduler") return SchedulerKind::Pndm;
  if (name == "ddim" || name == "DDIMScheduler") return SchedulerKind::Ddim;
  if (name == "dpmpp" || name == "dpmsolver" || name == "DPMSolverMultistepScheduler")
    return SchedulerKind::DpmSolverMultistep;
  throw_error(ErrorKind::Unsupported, "unknown scheduler '" + name + "' (pndm, ddim or dpmpp)");
}

std::string scheduler_kind_name(SchedulerKind kind) {
  switch (kind) {
    case SchedulerKind::Pndm: return "pndm";
    case SchedulerKind::Ddim: return "ddim";
    case SchedulerKind::DpmSolverMultistep: return "dpmpp";
  }
  return "?";
}

std::unique_ptr<Scheduler> make_scheduler(const nlohmann::json& config, const std::string& file,
                                          std::optional<SchedulerKind> kind) {
  if (!config.is_object()) throw_error(ErrorKind::Config, describe(file, "scheduler config is not a JSON object"));
  if (!kind) {
    const auto cls = json_get<std::string>(config, "_class_name", "", file);
    if (cls.empty()) throw_config_missing(file, "_class_name");
    try {
      kind = parse_scheduler_kind(cls);
    } catch (const Error&) {
      throw_error(ErrorKind::Unsupported, describe(file, "scheduler class '" + cls + "' is not supported"));
    }
  }
  switch (*kind) {
    case SchedulerKind::Pndm: return std::make_unique<PndmScheduler>(config, file);
    case SchedulerKind::Ddim: return std::make_unique<DdimScheduler>(config, file);
    case SchedulerKind::DpmSolverMultistep: return std::make_unique<DpmSolverMultistepScheduler>(config, file);
  }
  throw_error(ErrorKind::Internal, "unknown scheduler kind");
}

std::unique_ptr<Scheduler> load_scheduler(const std::filesystem::path& path, std::optional<SchedulerKind> kind) {
  auto file = std::filesystem::is_directory(path) ? path / "scheduler_config.json" : path;
  return make_scheduler(read_json_file(file), file.string(), kind);
}

}  // namespace seedcanvas::diffusion
