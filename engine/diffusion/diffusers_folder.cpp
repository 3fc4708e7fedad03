#include "diffusion/diffusers_folder.h"

#include <ATen/core/Tensor.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/json_file.h"

namespace seedcanvas::diffusion {
namespace {

class RenamedSource final : public io::TensorSource {
 public:
  RenamedSource(std::unique_ptr<io::TensorSource> inner, const std::vector<std::pair<std::string, std::string>>& renames)
      : inner_(std::move(inner)) {
    for (const auto& t : inner_->tensors()) {
      io::TensorInfo info = t;
      info.name = rename(t.name, renames);
      original_.emplace(info.name, t.name);
      infos_.push_back(std::move(info));
    }
    std::sort(infos_.begin(), infos_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  }
  const std::vector<io::TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override {
    auto it = original_.find(name);
    return inner_->load(it == original_.end() ? name : it->second);
  }
  std::string origin() const override { return inner_->origin(); }

 private:
  static std::string rename(std::string key, const std::vector<std::pair<std::string, std::string>>& renames) {
    for (const auto& [from, to] : renames) {
      auto pos = key.find(from);
      if (pos != std::string::npos) key.replace(pos, from.size(), to);
    }
    return key;
  }
  std::unique_ptr<io::TensorSource> inner_;
  std::vector<io::TensorInfo> infos_;
  std::map<std::string, std::string> original_;
};

}  // namespace

const std::vector<std::pair<std::string, std::string>>& vae_attention_renames() {
  static const std::vector<std::pair<std::string, std::string>> table = {
      {".attentions.0.query.", ".attentions.0.to_q."},
      {".attentions.0.key.", ".attentions.0.to_k."},
      {".attentions.0.value.", ".attentions.0.to_v."},
      {".attentions.0.proj_attn.", ".attentions.0.to_out.0."},
  };
  return table;
}

std::unique_ptr<io::TensorSource> rename_keys(std::unique_ptr<io::TensorSource> source,
                                              const std::vector<std::pair<std::string, std::string>>& renames) {
  return std::make_unique<RenamedSource>(std::move(source), renames);
}

DiffusersFolder::DiffusersFolder(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec))
    throw_error(ErrorKind::NotFound, describe(dir_.string(), "not a folder (expected a diffusers pipeline folder)"));
  model_index_ = read_json_file(dir_ / "model_index.json");
  if (!model_index_.is_object()) throw_format((dir_ / "model_index.json").string(), "not a JSON object");
}

std::string DiffusersFolder::component_class(const std::string& component) const {
  auto it = model_index_.find(component);
  if (it == model_index_.end() || !it->is_array() || it->size() != 2 || !(*it)[1].is_string()) return {};
  return (*it)[1].get<std::string>();
}

std::filesystem::path DiffusersFolder::component_file(const std::string& component, const std::string& file) const {
  auto path = dir_ / component / file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw_error(ErrorKind::NotFound, describe(path.string(), "missing (component '" + component + "')"));
  return path;
}

nlohmann::json DiffusersFolder::config(const std::string& component, const std::string& file) const {
  return read_json_file(component_file(component, file));
}

std::unique_ptr<io::TensorSource> DiffusersFolder::weights(const std::string& component) const {
  const auto sub = dir_ / component;
  std::error_code ec;
  if (!std::filesystem::is_directory(sub, ec))
    throw_error(ErrorKind::NotFound, describe(sub.string(), "component folder missing"));
  return io::open_checkpoint(sub);
}

}  // namespace seedcanvas::diffusion
