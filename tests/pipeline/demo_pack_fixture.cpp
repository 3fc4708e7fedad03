#include "demo_pack_fixture.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>

#include "pipeline/demo_pack.h"
#include "support/fixtures.h"

namespace seedcanvas::test {
namespace fs = std::filesystem;

fs::path demo_pack() {
  fs::path base = fs::temp_directory_path();
  if (const char* build = std::getenv("SEEDCANVAS_BUILD_DIR"); build && *build) base = build;
  const auto dir = base / "test-scratch" / "demo-pack";
  fs::create_directories(dir.parent_path());
  // Tests run in parallel: one makes the pack, the others wait on the lock.
  const auto lock_path = dir.parent_path() / "demo-pack.lock";
  int fd = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
  ::flock(fd, LOCK_EX);
  if (!fs::exists(dir / "seedcanvas-pack.json")) {
    pipeline::DemoPackOptions options;
    options.corpus = fs::path(SEEDCANVAS_SOURCE_DIR) / "resources/demo/corpus.txt";
    pipeline::make_demo_pack(dir, options);
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
  return dir;
}

fs::path demo_pack_copy(const std::string& name) {
  const auto source = demo_pack();
  const auto dir = scratch_dir(name) / "pack";
  fs::copy(source, dir, fs::copy_options::recursive);
  return dir;
}

}  // namespace seedcanvas::test
