// PNDMScheduler in PLMS mode (skip_prk_steps true), mirroring diffusers 0.20.2
// schedulers/scheduling_pndm.py: PNDMScheduler.set_timesteps / step_plms / _get_prev_sample.
// The Runge-Kutta warm-up (skip_prk_steps false) is not implemented: such configs are refused.
#pragma once

#include <deque>
#include <optional>

#include "diffusion/scheduler.h"

namespace seedcanvas::diffusion {

// What one PLMS update actually combined (the fixtures record it per call).
struct PlmsTrace {
  at::Tensor model_output;       // multistep-combined prediction fed to the update
  at::Tensor sample;             // sample the update started from (call 1: the saved call-0 input)
  std::int64_t timestep = 0;     // t used in the update (call 1: the call-0 timestep)
  std::int64_t prev_timestep = 0;  // target (< 0: final_alpha_cumprod)
};

class PndmScheduler final : public Scheduler {
 public:
  PndmScheduler(const nlohmann::json& config, const std::string& file);
  SchedulerKind kind() const override { return SchedulerKind::Pndm; }
  std::string name() const override { return "PNDMScheduler"; }
  void set_timesteps(std::int64_t n) override;
  at::Tensor step(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) override;

  float final_alpha_cumprod() const { return final_alpha_cumprod_; }
  const PlmsTrace& last_trace() const { return trace_; }

 private:
  float final_alpha_cumprod_ = 1.0f;
  // PLMS state: the last (up to 4) stored outputs, the call counter and the saved call-0 sample.
  std::deque<at::Tensor> ets_;
  std::int64_t counter_ = 0;
  at::Tensor cur_sample_;
  PlmsTrace trace_;
};

}  // namespace seedcanvas::diffusion
