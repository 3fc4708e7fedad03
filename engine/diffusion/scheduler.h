// Diffusion schedulers behind one interface, configured like diffusers' `from_config`.
// Mirrors diffusers 0.20.2 schedulers/scheduling_utils.py + the shared helpers in
// scheduling_pndm.py / scheduling_ddim.py / scheduling_dpmsolver_multistep.py
// (betas_for_alpha_bar, the beta schedules, the timestep spacings).
//
// from_config semantics: a scheduler reads the keys it knows from any scheduler_config.json
// (another class's config included: PNDM's leftover DDIM keys reach DDIM); keys absent from
// the file keep the class's own default.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seedcanvas::diffusion {

enum class PredictionType { Epsilon, VPrediction, Sample };
enum class TimestepSpacing { Leading, Linspace, Trailing };
enum class SchedulerKind { Pndm, Ddim, DpmSolverMultistep };

// The keys every scheduler shares. Defaults are diffusers' (each class passes its own).
struct NoiseScheduleConfig {
  std::int64_t num_train_timesteps = 1000;
  double beta_start = 0.0001;
  double beta_end = 0.02;
  std::string beta_schedule = "linear";  // linear | scaled_linear | squaredcos_cap_v2
  std::vector<double> trained_betas;     // overrides the schedule when non-empty
  PredictionType prediction_type = PredictionType::Epsilon;
  TimestepSpacing timestep_spacing = TimestepSpacing::Leading;
  std::int64_t steps_offset = 0;
};

// Reads the shared keys over `defaults`; wrong types and unknown enum spellings are Config errors.
NoiseScheduleConfig read_noise_schedule(const nlohmann::json& j, NoiseScheduleConfig defaults,
                                        const std::string& file);

// float32 [T] betas exactly as diffusers builds them: linear / scaled_linear with float32
// torch.linspace; squaredcos_cap_v2 in double (betas_for_alpha_bar, max_beta 0.999) cast to float.
at::Tensor make_betas(const NoiseScheduleConfig& config, const std::string& file);
// cumprod(1 - betas) in float32, as torch.cumprod does.
at::Tensor alphas_cumprod_from_betas(const at::Tensor& betas);

// Timesteps (descending) for n inference steps of `train_steps` with a spacing, numpy rules
// (round half to even); Leading adds steps_offset.
std::vector<std::int64_t> spaced_timesteps(TimestepSpacing spacing, std::int64_t train_steps, std::int64_t n,
                                           std::int64_t steps_offset);

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual SchedulerKind kind() const = 0;
  virtual std::string name() const = 0;  // diffusers class name

  // Resets the multistep state; n = inference steps (PNDM/PLMS gives n + 1 UNet calls).
  virtual void set_timesteps(std::int64_t n) = 0;
  // One entry per model call, in call order.
  const std::vector<std::int64_t>& timesteps() const { return timesteps_; }
  // x_t -> x_{t-1} given the (guided) model output at timestep t. Tensors keep their device/dtype.
  virtual at::Tensor step(const at::Tensor& model_output, std::int64_t t, const at::Tensor& sample) = 0;

  virtual double init_noise_sigma() const { return 1.0; }
  virtual at::Tensor scale_model_input(const at::Tensor& sample, std::int64_t /*t*/) const { return sample; }

  const at::Tensor& alphas_cumprod() const { return alphas_cumprod_; }  // float32 [T], CPU
  const NoiseScheduleConfig& schedule() const { return schedule_; }

 protected:
  // Builds the tables; `file` names the config in errors.
  void init_schedule(const NoiseScheduleConfig& schedule, const std::string& file);
  float abar(std::int64_t t) const;  // alphas_cumprod[t], range-checked
  void require_timesteps(const char* who) const;

  NoiseScheduleConfig schedule_;
  at::Tensor alphas_cumprod_;
  std::vector<float> abar_;  // the same table, for scalar access
  std::vector<std::int64_t> timesteps_;
  std::int64_t num_inference_steps_ = 0;
  std::string file_;
};

SchedulerKind parse_scheduler_kind(const std::string& name);  // pndm|ddim|dpmpp or a class name
std::string scheduler_kind_name(SchedulerKind kind);            // pndm|ddim|dpmpp

// `from_config`: builds `kind` from a config (any scheduler's); nullopt = the file's _class_name.
std::unique_ptr<Scheduler> make_scheduler(const nlohmann::json& config, const std::string& file,
                                          std::optional<SchedulerKind> kind = std::nullopt);
// Reads scheduler_config.json (a file or the folder holding it).
std::unique_ptr<Scheduler> load_scheduler(const std::filesystem::path& path,
                                          std::optional<SchedulerKind> kind = std::nullopt);

}  // namespace seedcanvas::diffusion
