#include "core/json_file.h"

#include <fstream>
#include <sstream>

#include "core/error.h"

namespace seedcanvas {

nlohmann::json read_json_file(const std::filesystem::path& path, std::size_t max_bytes) {
  const std::string file = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw_error(ErrorKind::NotFound, describe(file, "file not found"));
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw_format(file, "cannot read size: " + ec.message());
  if (size > max_bytes) throw_format(file, "too large for a JSON config (" + std::to_string(size) + " bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_error(ErrorKind::NotFound, describe(file, "cannot open"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    return nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::exception& e) {
    throw_format(file, std::string("invalid JSON: ") + e.what());
  }
}

void throw_config_type(const std::string& file, const std::string& key) {
  throw_error(ErrorKind::Config, describe(file, "'" + key + "' has the wrong type"));
}

void throw_config_missing(const std::string& file, const std::string& key) {
  throw_error(ErrorKind::Config, describe(file, "'" + key + "' is missing"));
}

}  // namespace seedcanvas
