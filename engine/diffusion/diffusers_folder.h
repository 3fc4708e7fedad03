// Reading a diffusers pipeline folder (model_index.json + one sub-folder per component):
// component configs, weight files (.safetensors preferred, .bin via the torch reader) and the
// one rename table for legacy VAE attention keys.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/tensor_source.h"

namespace seedcanvas::diffusion {

// Legacy -> current spelling of the VAE mid-block attention keys (diffusers renames these on
// load too): query -> to_q, key -> to_k, value -> to_v, proj_attn -> to_out.0.
const std::vector<std::pair<std::string, std::string>>& vae_attention_renames();

// A source whose keys are rewritten by a rename table (segment-wise, e.g. ".query." ->
// ".to_q."), loading from the wrapped source under the original names.
std::unique_ptr<io::TensorSource> rename_keys(std::unique_ptr<io::TensorSource> source,
                                              const std::vector<std::pair<std::string, std::string>>& renames);

class DiffusersFolder {
 public:
  // Checks that `dir` holds model_index.json; throws NotFound/Format naming the file.
  explicit DiffusersFolder(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  const nlohmann::json& model_index() const { return model_index_; }
  // Class name recorded for a component in model_index.json ("" if absent).
  std::string component_class(const std::string& component) const;
  // <dir>/<component>/<file>, which must exist (NotFound names the path and the component).
  std::filesystem::path component_file(const std::string& component, const std::string& file) const;
  nlohmann::json config(const std::string& component, const std::string& file = "config.json") const;
  // The weights of a component: io::open_checkpoint on its folder.
  std::unique_ptr<io::TensorSource> weights(const std::string& component) const;

 private:
  std::filesystem::path dir_;
  nlohmann::json model_index_;
};

}  // namespace seedcanvas::diffusion
