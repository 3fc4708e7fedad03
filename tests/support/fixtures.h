// Where the upstream fixtures live: $SEEDCANVAS_FIXTURES, else ../shared/fixtures beside
// the source tree. Tests list folders and read every shape from the files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace seedcanvas::test {

std::filesystem::path fixtures_root();
// True only when no fixture root was named ($SEEDCANVAS_FIXTURES unset) and the default one
// does not exist (a clone without ../shared): fixture tests then skip as a whole, saying so. A
// named root, or a present one with parts missing, is checked, and what is missing fails.
bool fixtures_absent();
std::filesystem::path fixture(const std::string& relative);  // a missing folder must FAIL the caller, not skip
// Sub-folders of a fixture folder (sorted), e.g. the LLaMA variants.
std::vector<std::string> subfolders(const std::filesystem::path& dir);
// A fresh empty folder under the build tree for files a test writes.
std::filesystem::path scratch_dir(const std::string& name);

}  // namespace seedcanvas::test

// First line of a fixture test's initTestCase (or of a test function using fixtures).
#define SEEDCANVAS_SKIP_WITHOUT_FIXTURES()                                                          \
  do {                                                                                              \
    if (::seedcanvas::test::fixtures_absent())                                                      \
      QSKIP("no fixture root: SEEDCANVAS_FIXTURES is unset and ../shared/fixtures does not exist"); \
  } while (0)
