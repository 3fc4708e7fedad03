// Where the upstream fixtures live: $SEEDCANVAS_FIXTURES, else ../shared/fixtures beside
// the source tree. Tests list folders and read every shape from the files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace seedcanvas::test {

std::filesystem::path fixtures_root();
std::filesystem::path fixture(const std::string& relative);  // a missing folder must FAIL the caller, not skip
// Sub-folders of a fixture folder (sorted), e.g. the LLaMA variants.
std::vector<std::string> subfolders(const std::filesystem::path& dir);
// A fresh empty folder under the build tree for files a test writes.
std::filesystem::path scratch_dir(const std::string& name);

}  // namespace seedcanvas::test
