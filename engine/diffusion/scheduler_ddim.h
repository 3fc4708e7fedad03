// DDIMScheduler (deterministic, eta 0), mirroring diffusers 0.20.2 schedulers/scheduling_ddim.py.
// clip_sample is honoured; thresholding, rescale_betas_zero_snr and eta > 0 are refused.
#pragma once

#include "diffusion/scheduler.h"

namespace seedcanvas::diffusion {

class DdimScheduler final : public Scheduler {
 public:
  DdimScheduler(const nlohmann::json& config, const std::string& file);
  SchedulerKind kind() const override { return SchedulerKind::Ddim; }
  std::string name() const override { return "DDIMScheduler"; }
  void set_timesteps(std::int64_t n) override;
  at::Tensor step(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) override;

  float final_alpha_cumprod() const { return final_alpha_cumprod_; }

 private:
  float final_alpha_cumprod_ = 1.0f;
  bool clip_sample_ = true;
  double clip_sample_range_ = 1.0;
};

}  // namespace seedcanvas::diffusion
