#include "support/fixtures.h"

#include <algorithm>
#include <cstdlib>

namespace seedcanvas::test {

std::filesystem::path fixtures_root() {
  if (const char* env = std::getenv("SEEDCANVAS_FIXTURES"); env && *env) return env;
  if (const char* env = std::getenv("SEEDCANVAS_DEFAULT_FIXTURES"); env && *env) return env;
  return std::filesystem::path(SEEDCANVAS_SOURCE_DIR) / ".." / "shared" / "fixtures";
}

bool fixtures_absent() {
  if (const char* env = std::getenv("SEEDCANVAS_FIXTURES"); env && *env) return false;
  std::error_code ec;
  return !std::filesystem::exists(fixtures_root(), ec);
}

std::filesystem::path fixture(const std::string& relative) { return fixtures_root() / relative; }

std::vector<std::string> subfolders(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::filesystem::path scratch_dir(const std::string& name) {
  std::filesystem::path base = std::filesystem::temp_directory_path();
  if (const char* build = std::getenv("SEEDCANVAS_BUILD_DIR"); build && *build) base = build;
  auto dir = base / "test-scratch" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace seedcanvas::test
