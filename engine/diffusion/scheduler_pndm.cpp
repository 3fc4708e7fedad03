// PNDM / PLMS (diffusers 0.20.2 scheduling_pndm.py, PNDMScheduler).
#include "diffusion/scheduler_pndm.h"

#include <ATen/ATen.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::diffusion {

PndmScheduler::PndmScheduler(const nlohmann::json& config, const std::string& file) {
  NoiseScheduleConfig defaults;  // PNDM's own: linear 1e-4..0.02, epsilon, leading, offset 0
  init_schedule(read_noise_schedule(config, defaults, file), file);
  if (!json_get<bool>(config, "skip_prk_steps", false, file))
    throw_error(ErrorKind::Unsupported,
                describe(file, "PNDMScheduler with skip_prk_steps false (Runge-Kutta warm-up) is not supported"));
  if (schedule_.prediction_type == PredictionType::Sample)
    throw_error(ErrorKind::Unsupported, describe(file, "PNDMScheduler does not support prediction_type 'sample'"));
  const bool set_alpha_to_one = json_get<bool>(config, "set_alpha_to_one", false, file);
  final_alpha_cumprod_ = set_alpha_to_one ? 1.0f : abar_.front();
}

void PndmScheduler::set_timesteps(std::int64_t n) {
  const auto T = schedule_.num_train_timesteps;
  if (n < 1 || n > T)
    throw_error(ErrorKind::Config, name() + ": inference steps must be in [1, " + std::to_string(T) + "]");
  // Ascending training-order timesteps, then the PLMS list: all but the last, the
  // second-to-last again (the warm-up call), the last; reversed -> n + 1 calls.
  auto base = spaced_timesteps(schedule_.timestep_spacing, T, n, schedule_.steps_offset);  // descending
  std::vector<std::int64_t> asc(base.rbegin(), base.rend());
  std::vector<std::int64_t> plms(asc.begin(), asc.end() - 1);
  if (asc.size() >= 2) plms.push_back(asc[asc.size() - 2]);
  plms.push_back(asc.back());
  timesteps_.assign(plms.rbegin(), plms.rend());
  num_inference_steps_ = n;
  ets_.clear();
  counter_ = 0;
  cur_sample_ = at::Tensor();
}

at::Tensor PndmScheduler::step(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) {
  require_timesteps("step");
  const std::int64_t ratio = schedule_.num_train_timesteps / num_inference_steps_;
  std::int64_t timestep = t;
  std::int64_t prev_timestep = t - ratio;
  if (counter_ != 1) {
    while (ets_.size() > 3) ets_.pop_front();  // keep the last 3, then store this one
    ets_.push_back(model_output);
  } else {
    // Warm-up second call: redo the first update from the saved sample with the averaged output.
    prev_timestep = t;
    timestep = t + ratio;
  }

  at::Tensor x = sample;
  at::Tensor m;
  const auto k = ets_.size();
  if (k == 1 && counter_ == 0) {
    m = model_output;
    cur_sample_ = sample;
  } else if (k == 1 && counter_ == 1) {
    m = (model_output + ets_.back()) / 2;
    if (!cur_sample_.defined()) throw_error(ErrorKind::Internal, name() + ": PLMS state lost its saved sample");
    x = cur_sample_;
    cur_sample_ = at::Tensor();
  } else if (k == 2) {
    m = (3 * ets_[1] - ets_[0]) / 2;
  } else if (k == 3) {
    m = (23 * ets_[2] - 16 * ets_[1] + 5 * ets_[0]) / 12;
  } else {
    m = (1.0 / 24) * (55 * ets_[3] - 59 * ets_[2] + 37 * ets_[1] - 9 * ets_[0]);
  }

  // _get_prev_sample (formula (9) of the PNDM paper), scalars in float32 like the reference.
  const float a = abar(timestep);
  const float ap = prev_timestep >= 0 ? abar(prev_timestep) : final_alpha_cumprod_;
  const float b = 1.0f - a;
  const float bp = 1.0f - ap;
  at::Tensor eps = m;
  if (schedule_.prediction_type == PredictionType::VPrediction) eps = std::sqrt(a) * m + std::sqrt(b) * x;
  const float sample_coeff = std::sqrt(ap / a);
  const float denom = a * std::sqrt(bp) + std::sqrt(a * b * ap);
  at::Tensor prev = sample_coeff * x - (ap - a) * eps / denom;

  trace_ = {m, x, timestep, prev_timestep};
  ++counter_;
  return prev;
}

}  // namespace seedcanvas::diffusion
