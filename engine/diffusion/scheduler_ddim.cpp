// DDIM (diffusers 0.20.2 scheduling_ddim.py, DDIMScheduler.step with eta 0).
#include "diffusion/scheduler_ddim.h"

#include <ATen/ATen.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::diffusion {

DdimScheduler::DdimScheduler(const nlohmann::json& config, const std::string& file) {
  NoiseScheduleConfig defaults;  // DDIM's own: linear 1e-4..0.02, epsilon, leading, offset 0
  init_schedule(read_noise_schedule(config, defaults, file), file);
  // DDIM's own defaults differ from PNDM's: clip_sample and set_alpha_to_one default to true.
  clip_sample_ = json_get<bool>(config, "clip_sample", true, file);
  clip_sample_range_ = json_get<double>(config, "clip_sample_range", 1.0, file);
  const bool set_alpha_to_one = json_get<bool>(config, "set_alpha_to_one", true, file);
  final_alpha_cumprod_ = set_alpha_to_one ? 1.0f : abar_.front();
  if (json_get<bool>(config, "thresholding", false, file))
    throw_error(ErrorKind::Unsupported, describe(file, "DDIMScheduler thresholding is not supported"));
  if (json_get<bool>(config, "rescale_betas_zero_snr", false, file))
    throw_error(ErrorKind::Unsupported, describe(file, "DDIMScheduler rescale_betas_zero_snr is not supported"));
}

void DdimScheduler::set_timesteps(std::int64_t n) {
  const auto T = schedule_.num_train_timesteps;
  if (n < 1 || n > T)
    throw_error(ErrorKind::Config, name() + ": inference steps must be in [1, " + std::to_string(T) + "]");
  timesteps_ = spaced_timesteps(schedule_.timestep_spacing, T, n, schedule_.steps_offset);
  num_inference_steps_ = n;
}

at::Tensor DdimScheduler::step(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) {
  require_timesteps("step");
  const std::int64_t prev_t = t - schedule_.num_train_timesteps / num_inference_steps_;
  const float a = abar(t);
  const float ap = prev_t >= 0 ? abar(prev_t) : final_alpha_cumprod_;
  const float b = 1.0f - a;

  at::Tensor x0, eps;  // predicted original sample and noise
  switch (schedule_.prediction_type) {
    case PredictionType::Epsilon:
      x0 = (sample - std::sqrt(b) * model_output) / std::sqrt(a);
      eps = model_output;
      break;
    case PredictionType::Sample:
      x0 = model_output;
      eps = (sample - std::sqrt(a) * x0) / std::sqrt(b);
      break;
    case PredictionType::VPrediction:
      x0 = std::sqrt(a) * sample - std::sqrt(b) * model_output;
      eps = std::sqrt(a) * model_output + std::sqrt(b) * sample;
      break;
  }
  if (clip_sample_) x0 = x0.clamp(-clip_sample_range_, clip_sample_range_);
  // eta 0: no variance term, the direction pointing to x_t keeps the whole 1 - abar_prev.
  const at::Tensor direction = std::sqrt(1.0f - ap) * eps;
  return std::sqrt(ap) * x0 + direction;
}

}  // namespace seedcanvas::diffusion
