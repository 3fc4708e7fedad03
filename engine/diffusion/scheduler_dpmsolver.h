// DPMSolverMultistepScheduler, mirroring diffusers 0.20.2
// schedulers/scheduling_dpmsolver_multistep.py: algorithm dpmsolver++ or dpmsolver, solver_order
// 1-3, solver_type midpoint or heun, lower_order_final. Model outputs are converted to x0
// (dpmsolver++) or epsilon (dpmsolver) first. SDE variants, Karras sigmas, thresholding and
// learned variance are refused.
#pragma once

#include <deque>

#include "diffusion/scheduler.h"

namespace seedcanvas::diffusion {

class DpmSolverMultistepScheduler final : public Scheduler {
 public:
  DpmSolverMultistepScheduler(const nlohmann::json& config, const std::string& file);
  SchedulerKind kind() const override { return SchedulerKind::DpmSolverMultistep; }
  std::string name() const override { return "DPMSolverMultistepScheduler"; }
  void set_timesteps(std::int64_t n) override;
  at::Tensor step(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) override;

 private:
  at::Tensor convert_model_output(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) const;
  at::Tensor first_order(const at::Tensor& m0, std::int64_t s0, std::int64_t t, const at::Tensor& sample) const;
  at::Tensor second_order(std::int64_t s1, std::int64_t s0, std::int64_t t, const at::Tensor& sample) const;
  at::Tensor third_order(std::int64_t s2, std::int64_t s1, std::int64_t s0, std::int64_t t,
                         const at::Tensor& sample) const;

  int solver_order_ = 2;
  bool dpmsolver_pp_ = true;  // algorithm_type dpmsolver++ (x0 outputs) vs dpmsolver (epsilon)
  bool midpoint_ = true;      // solver_type midpoint vs heun
  bool lower_order_final_ = true;
  // float32 tables as diffusers keeps them: sqrt(abar), sqrt(1 - abar), log-SNR / 2.
  std::vector<float> alpha_t_, sigma_t_, lambda_t_;
  std::deque<at::Tensor> model_outputs_;  // newest last, at most solver_order
  std::int64_t lower_order_nums_ = 0;
};

}  // namespace seedcanvas::diffusion
