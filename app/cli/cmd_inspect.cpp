// seedcanvas-cli inspect PATH [--json]: every tensor (name, dtype, shape, bytes) of a weight
// file or model folder, with totals and a config.json summary. A folder without weights of
// its own (a diffusers pipeline) is listed component by component.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/command.h"
#include "core/error.h"
#include "core/json_file.h"
#include "io/tensor_source.h"

namespace fs = std::filesystem;
using namespace seedcanvas;

namespace {

struct Component {
  std::string name;  // sub-folder name inside a pipeline; empty for a single model
  fs::path path;
};

std::vector<Component> find_components(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec) || !io::find_weights_in_folder(path).empty()) return {{"", path}};
  std::vector<Component> out;
  for (const auto& entry : fs::directory_iterator(path, ec))
    if (entry.is_directory(ec) && !io::find_weights_in_folder(entry.path()).empty())
      out.push_back({entry.path().filename().string(), entry.path()});
  if (out.empty())
    throw_error(ErrorKind::NotFound, describe(path.string(), "folder holds no weight file (model.safetensors, "
                                                             "pytorch_model.bin, an index, or sub-folders with them)"));
  std::sort(out.begin(), out.end(), [](const Component& a, const Component& b) { return a.name < b.name; });
  return out;
}

// Names come from files: keep terminal control characters out of the human output.
std::string printable(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::uint64_t numel(const std::vector<std::int64_t>& shape) {
  std::uint64_t n = 1;
  for (auto d : shape) n *= static_cast<std::uint64_t>(d);
  return n;
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof(buf), u ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

// config.json beside the weights, if any; a broken one is reported but does not stop the listing.
nlohmann::json read_config(const fs::path& component) {
  std::error_code ec;
  const auto path = component / "config.json";
  if (!fs::is_directory(component, ec) || !fs::is_regular_file(path, ec)) return nullptr;
  try {
    return read_json_file(path, 1u << 20);
  } catch (const Error& e) {
    std::fprintf(stderr, "warning: %s\n", e.what());
    return nullptr;
  }
}

nlohmann::json describe_source(const Component& c, const io::TensorSource& source, const nlohmann::json& config) {
  nlohmann::json out = nlohmann::json::object();
  if (!c.name.empty()) out["name"] = c.name;
  out["source"] = source.origin();
  nlohmann::json list = nlohmann::json::array();
  std::uint64_t params = 0;
  for (const auto& t : source.tensors()) {
    list.push_back({{"name", t.name}, {"dtype", io::dtype_name(t.dtype)}, {"shape", t.shape}, {"bytes", t.nbytes}});
    params += numel(t.shape);
  }
  out["tensors"] = std::move(list);
  out["tensor_count"] = source.tensors().size();
  out["parameter_count"] = params;
  out["total_bytes"] = source.total_bytes();
  if (!config.is_null()) out["config"] = config;
  return out;
}

void print_source(const Component& c, const io::TensorSource& source, const nlohmann::json& config) {
  if (!c.name.empty()) std::printf("== %s\n", printable(c.name).c_str());
  std::printf("%s\n", printable(source.origin()).c_str());
  std::size_t width = 4;
  for (const auto& t : source.tensors()) width = std::max(width, std::min<std::size_t>(t.name.size(), 72));
  std::printf("  %-*s  %-5s  %-20s  %s\n", static_cast<int>(width), "name", "dtype", "shape", "bytes");
  std::uint64_t params = 0;
  for (const auto& t : source.tensors()) {
    std::printf("  %-*s  %-5s  %-20s  %llu\n", static_cast<int>(width), printable(t.name).c_str(),
                io::dtype_name(t.dtype).c_str(), shape_text(t.shape).c_str(), static_cast<unsigned long long>(t.nbytes));
    params += numel(t.shape);
  }
  std::printf("  %zu tensors, %llu parameters, %llu bytes (%s)\n", source.tensors().size(),
              static_cast<unsigned long long>(params), static_cast<unsigned long long>(source.total_bytes()),
              human_bytes(source.total_bytes()).c_str());
  if (config.is_object()) {
    std::string line = "  config.json:";
    for (auto it = config.begin(); it != config.end(); ++it) {
      if (it.value().is_structured()) continue;
      std::string item = " " + it.key() + "=" + (it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
      if (line.size() + item.size() > 100) {
        std::printf("%s\n", printable(line).c_str());
        line = "              ";
      }
      line += item;
    }
    std::printf("%s\n", printable(line).c_str());
  }
}

int run_inspect(std::vector<std::string> args) {
  CLI::App app{"List every tensor of a weight file or model folder (safetensors, torch .bin/.pt, sharded index, "
               "diffusers pipeline)."};
  std::string path;
  bool json = false;
  app.add_option("path", path, "weight file, *.index.json, or model/pipeline folder")->required();
  app.add_flag("--json", json, "print JSON: {source, tensors:[{name,dtype,shape,bytes}], tensor_count, parameter_count, "
                               "total_bytes, config} or, for a pipeline folder, {path, components:[...], total_bytes}");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  std::signal(SIGPIPE, SIG_IGN);  // `inspect ... | head` ends quietly instead of by a signal

  const auto components = find_components(path);
  nlohmann::json all = nlohmann::json::array();
  std::uint64_t total = 0;
  for (const auto& c : components) {
    auto source = io::open_checkpoint(c.path);
    const auto config = read_config(c.path);
    total += source->total_bytes();
    if (json)
      all.push_back(describe_source(c, *source, config));
    else
      print_source(c, *source, config);
  }
  if (json) {
    nlohmann::json out;
    if (components.size() == 1 && components[0].name.empty()) {
      out = std::move(all[0]);
    } else {
      out = {{"path", path}, {"components", std::move(all)}, {"total_bytes", total}};
    }
    // Replace invalid UTF-8 (from file names) rather than throwing.
    std::printf("%s\n", out.dump(1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else if (components.size() > 1) {
    std::printf("%zu components, %llu bytes (%s)\n", components.size(), static_cast<unsigned long long>(total),
                human_bytes(total).c_str());
  }
  return tool::kOk;
}

}  // namespace

SEEDCANVAS_COMMAND(inspect, "inspect", "list the tensors of a weight file or model folder", run_inspect);
