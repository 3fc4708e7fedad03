// Writes a file so that readers only ever see the old file or the complete new one:
// data goes to a temporary beside the target, is flushed, then renamed over it.
// Destroyed without commit() (an exception, a cancel), the temporary is removed. A killed
// process cannot remove it: the next AtomicFile for the same target does, once no writer holds
// the flock every live writer keeps on its temporary.
#pragma once

#include <cstddef>
#include <filesystem>

namespace seedcanvas::io {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);  // throws Error(Resource) on a full disk
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace seedcanvas::io
