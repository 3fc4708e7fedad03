// DPM-Solver(++) multistep (diffusers 0.20.2 scheduling_dpmsolver_multistep.py).
#include "diffusion/scheduler_dpmsolver.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::diffusion {

namespace {
std::vector<float> to_vector(const at::Tensor& t) {
  auto c = t.contiguous();
  const float* p = c.data_ptr<float>();
  return {p, p + c.numel()};
}
}  // namespace

DpmSolverMultistepScheduler::DpmSolverMultistepScheduler(const nlohmann::json& config, const std::string& file) {
  NoiseScheduleConfig defaults;  // its own: linear 1e-4..0.02, epsilon, and *linspace* spacing
  defaults.timestep_spacing = TimestepSpacing::Linspace;
  init_schedule(read_noise_schedule(config, defaults, file), file);

  solver_order_ = static_cast<int>(json_get<std::int64_t>(config, "solver_order", 2, file));
  if (solver_order_ < 1 || solver_order_ > 3)
    throw_error(ErrorKind::Unsupported, describe(file, "DPMSolverMultistepScheduler solver_order must be 1, 2 or 3"));
  auto algorithm = json_get<std::string>(config, "algorithm_type", "dpmsolver++", file);
  if (algorithm == "deis") algorithm = "dpmsolver++";  // diffusers' own fallback
  if (algorithm != "dpmsolver++" && algorithm != "dpmsolver")
    throw_error(ErrorKind::Unsupported, describe(file, "algorithm_type '" + algorithm + "' is not supported"));
  dpmsolver_pp_ = algorithm == "dpmsolver++";
  auto solver_type = json_get<std::string>(config, "solver_type", "midpoint", file);
  if (solver_type == "logrho" || solver_type == "bh1" || solver_type == "bh2") solver_type = "midpoint";
  if (solver_type != "midpoint" && solver_type != "heun")
    throw_error(ErrorKind::Unsupported, describe(file, "solver_type '" + solver_type + "' is not supported"));
  midpoint_ = solver_type == "midpoint";
  lower_order_final_ = json_get<bool>(config, "lower_order_final", true, file);
  if (json_get<bool>(config, "use_karras_sigmas", false, file))
    throw_error(ErrorKind::Unsupported, describe(file, "use_karras_sigmas is not supported"));
  if (json_get<bool>(config, "thresholding", false, file))
    throw_error(ErrorKind::Unsupported, describe(file, "DPMSolverMultistepScheduler thresholding is not supported"));
  const auto variance = json_get<std::string>(config, "variance_type", "", file);
  if (!variance.empty())
    throw_error(ErrorKind::Unsupported, describe(file, "variance_type '" + variance + "' is not supported"));
  if (auto it = config.find("lambda_min_clipped"); it != config.end() && it->is_number() &&
                                                   std::isfinite(it->get<double>()))
    throw_error(ErrorKind::Unsupported, describe(file, "a finite lambda_min_clipped is not supported"));

  const auto alpha = at::sqrt(alphas_cumprod_);
  const auto sigma = at::sqrt(1.0 - alphas_cumprod_);
  alpha_t_ = to_vector(alpha);
  sigma_t_ = to_vector(sigma);
  lambda_t_ = to_vector(at::log(alpha) - at::log(sigma));
}

void DpmSolverMultistepScheduler::set_timesteps(std::int64_t n) {
  const auto T = schedule_.num_train_timesteps;  // last_timestep (lambda_min_clipped -inf)
  if (n < 1 || n > T)
    throw_error(ErrorKind::Config, name() + ": inference steps must be in [1, " + std::to_string(T) + "]");
  std::vector<std::int64_t> ts;
  switch (schedule_.timestep_spacing) {
    case TimestepSpacing::Linspace: {  // linspace(0, T-1, n+1).round()[::-1][:-1]
      ts = spaced_timesteps(TimestepSpacing::Linspace, T, n + 1, 0);
      ts.pop_back();
      break;
    }
    case TimestepSpacing::Leading: {  // arange(n+1) * (T // (n+1)), reversed, last dropped, + offset
      const std::int64_t ratio = T / (n + 1);
      for (std::int64_t i = n; i >= 1; --i) ts.push_back(i * ratio + schedule_.steps_offset);
      break;
    }
    case TimestepSpacing::Trailing:
      ts = spaced_timesteps(TimestepSpacing::Trailing, T, n, 0);
      break;
  }
  // With as many steps as training steps rounding can repeat a timestep: keep first occurrences.
  std::vector<std::int64_t> unique;
  for (auto t : ts)
    if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
  // diffusers orders the unique values by first index, which keeps them descending.
  timesteps_ = unique;
  for (auto t : timesteps_)
    if (t < 0 || t >= T) throw_error(ErrorKind::Config, describe(file_, "timestep out of range"));
  num_inference_steps_ = static_cast<std::int64_t>(timesteps_.size());
  model_outputs_.clear();
  lower_order_nums_ = 0;
}

at::Tensor DpmSolverMultistepScheduler::convert_model_output(const at::Tensor& out, std::int64_t t,
                                                             const at::Tensor& sample) const {
  const float a = alpha_t_.at(static_cast<std::size_t>(t));
  const float s = sigma_t_.at(static_cast<std::size_t>(t));
  const auto pred = schedule_.prediction_type;
  if (dpmsolver_pp_) {  // -> x0
    if (pred == PredictionType::Epsilon) return (sample - s * out) / a;
    if (pred == PredictionType::Sample) return out;
    return a * sample - s * out;
  }
  // -> epsilon
  if (pred == PredictionType::Epsilon) return out;
  if (pred == PredictionType::Sample) return (sample - a * out) / s;
  return a * out + s * sample;
}

at::Tensor DpmSolverMultistepScheduler::first_order(const at::Tensor& m0, std::int64_t s0, std::int64_t t,
                                                    const at::Tensor& sample) const {
  const auto i = static_cast<std::size_t>(t), j = static_cast<std::size_t>(s0);
  const float h = lambda_t_[i] - lambda_t_[j];
  if (dpmsolver_pp_) return (sigma_t_[i] / sigma_t_[j]) * sample - (alpha_t_[i] * (std::exp(-h) - 1.0f)) * m0;
  return (alpha_t_[i] / alpha_t_[j]) * sample - (sigma_t_[i] * (std::exp(h) - 1.0f)) * m0;
}

at::Tensor DpmSolverMultistepScheduler::second_order(std::int64_t s1, std::int64_t s0, std::int64_t t,
                                                     const at::Tensor& sample) const {
  const auto i = static_cast<std::size_t>(t), j0 = static_cast<std::size_t>(s0), j1 = static_cast<std::size_t>(s1);
  const auto& m0 = model_outputs_[model_outputs_.size() - 1];
  const auto& m1 = model_outputs_[model_outputs_.size() - 2];
  const float h = lambda_t_[i] - lambda_t_[j0];
  const float h0 = lambda_t_[j0] - lambda_t_[j1];
  const float r0 = h0 / h;
  const at::Tensor& D0 = m0;
  const at::Tensor D1 = (1.0f / r0) * (m0 - m1);
  const float at_ = alpha_t_[i], st = sigma_t_[i];
  if (dpmsolver_pp_) {
    const float e = std::exp(-h) - 1.0f;
    auto x = (st / sigma_t_[j0]) * sample - (at_ * e) * D0;
    return midpoint_ ? x - (0.5f * (at_ * e)) * D1 : x + (at_ * (e / h + 1.0f)) * D1;
  }
  const float e = std::exp(h) - 1.0f;
  auto x = (at_ / alpha_t_[j0]) * sample - (st * e) * D0;
  return midpoint_ ? x - (0.5f * (st * e)) * D1 : x - (st * (e / h - 1.0f)) * D1;
}

at::Tensor DpmSolverMultistepScheduler::third_order(std::int64_t s2, std::int64_t s1, std::int64_t s0,
                                                    std::int64_t t, const at::Tensor& sample) const {
  const auto i = static_cast<std::size_t>(t), j0 = static_cast<std::size_t>(s0), j1 = static_cast<std::size_t>(s1),
             j2 = static_cast<std::size_t>(s2);
  const auto n = model_outputs_.size();
  const auto &m0 = model_outputs_[n - 1], &m1 = model_outputs_[n - 2], &m2 = model_outputs_[n - 3];
  const float h = lambda_t_[i] - lambda_t_[j0];
  const float h0 = lambda_t_[j0] - lambda_t_[j1];
  const float h1 = lambda_t_[j1] - lambda_t_[j2];
  const float r0 = h0 / h, r1 = h1 / h;
  const at::Tensor& D0 = m0;
  const at::Tensor D1_0 = (1.0f / r0) * (m0 - m1);
  const at::Tensor D1_1 = (1.0f / r1) * (m1 - m2);
  const at::Tensor D1 = D1_0 + (r0 / (r0 + r1)) * (D1_0 - D1_1);
  const at::Tensor D2 = (1.0f / (r0 + r1)) * (D1_0 - D1_1);
  const float at_ = alpha_t_[i], st = sigma_t_[i];
  if (dpmsolver_pp_) {
    const float e = std::exp(-h) - 1.0f;
    return (st / sigma_t_[j0]) * sample - (at_ * e) * D0 + (at_ * (e / h + 1.0f)) * D1 -
           (at_ * ((e + h) / (h * h) - 0.5f)) * D2;
  }
  const float e = std::exp(h) - 1.0f;
  return (at_ / alpha_t_[j0]) * sample - (st * e) * D0 - (st * (e / h - 1.0f)) * D1 -
         (st * ((e - h) / (h * h) - 0.5f)) * D2;
}

at::Tensor DpmSolverMultistepScheduler::step(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) {
  require_timesteps("step");
  const auto count = static_cast<std::int64_t>(timesteps_.size());
  // diffusers finds the step by value; an unknown timestep counts as the last step.
  auto it = std::find(timesteps_.begin(), timesteps_.end(), t);
  const std::int64_t index = it == timesteps_.end() ? count - 1 : it - timesteps_.begin();
  if (t < 0 || t >= schedule_.num_train_timesteps)
    throw_error(ErrorKind::Internal, name() + ": timestep " + std::to_string(t) + " out of range");
  const std::int64_t prev_t = index == count - 1 ? 0 : timesteps_[static_cast<std::size_t>(index + 1)];
  // Few steps: fall back to lower orders at the end (stabler, as diffusers does below 15 steps).
  const bool final_low = index == count - 1 && lower_order_final_ && count < 15;
  const bool second_low = index == count - 2 && lower_order_final_ && count < 15;

  const at::Tensor m = convert_model_output(model_output, t, sample);
  model_outputs_.push_back(m);
  while (static_cast<int>(model_outputs_.size()) > solver_order_) model_outputs_.pop_front();

  // Higher orders need the earlier timesteps of this schedule (calls in timestep order).
  if (solver_order_ > 1 && lower_order_nums_ > index && !final_low)
    throw_error(ErrorKind::Internal, name() + ": step called out of timestep order");
  at::Tensor prev;
  if (solver_order_ == 1 || lower_order_nums_ < 1 || final_low) {
    prev = first_order(m, t, prev_t, sample);
  } else if (solver_order_ == 2 || lower_order_nums_ < 2 || second_low) {
    prev = second_order(timesteps_[static_cast<std::size_t>(index - 1)], t, prev_t, sample);
  } else {
    prev = third_order(timesteps_[static_cast<std::size_t>(index - 2)], timesteps_[static_cast<std::size_t>(index - 1)],
                       t, prev_t, sample);
  }
  if (lower_order_nums_ < solver_order_) ++lower_order_nums_;
  return prev;
}

}  // namespace seedcanvas::diffusion
