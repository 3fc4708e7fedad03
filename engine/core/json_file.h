// Reading JSON config files with errors that name the file.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>

namespace seedcanvas {

// Parses a JSON file (refusing ones over `max_bytes`); throws Error(NotFound/Format).
nlohmann::json read_json_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20);

[[noreturn]] void throw_config_type(const std::string& file, const std::string& key);
[[noreturn]] void throw_config_missing(const std::string& file, const std::string& key);

// nlohmann reads a float as an integer by truncating it silently (2.5 layers -> 2): a config
// value must already have the kind of type its key needs.
template <typename T>
bool json_type_fits(const nlohmann::json& v) {
  if constexpr (std::is_same_v<T, bool>)
    return v.is_boolean();
  else if constexpr (std::is_integral_v<T>)
    return v.is_number_integer();
  else if constexpr (std::is_floating_point_v<T>)
    return v.is_number();
  else
    return true;
}

// Typed access with a default; a present value of the wrong type is a Config error.
template <typename T>
T json_get(const nlohmann::json& j, const std::string& key, const T& fallback, const std::string& file) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!json_type_fits<T>(*it)) throw_config_type(file, key);
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw_config_type(file, key);
  }
}

// Typed access to a key that must be present.
template <typename T>
T json_require(const nlohmann::json& j, const std::string& key, const std::string& file) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) throw_config_missing(file, key);
  if (!json_type_fits<T>(*it)) throw_config_type(file, key);
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw_config_type(file, key);
  }
}

}  // namespace seedcanvas
