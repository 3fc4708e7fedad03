// A full disk for this process, without root or a tiny filesystem: RLIMIT_FSIZE caps how far
// any file may grow, and with SIGXFSZ ignored a write past the cap fails with EFBIG, the way
// one fails with ENOSPC on a full disk (a short write, then -1). Restored on destruction.
// Process-wide: use it only while no other thread writes files.
#pragma once

#include <csignal>
#include <sys/resource.h>

namespace seedcanvas::test {

class DiskFull {
 public:
  explicit DiskFull(rlim_t max_file_bytes) {
    ok_ = ::getrlimit(RLIMIT_FSIZE, &saved_) == 0;
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit r = saved_;
    r.rlim_cur = max_file_bytes;
    ok_ = ok_ && ::setrlimit(RLIMIT_FSIZE, &r) == 0;
  }
  ~DiskFull() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  DiskFull(const DiskFull&) = delete;
  DiskFull& operator=(const DiskFull&) = delete;

  bool active() const { return ok_; }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = SIG_DFL;
  bool ok_ = false;
};

}  // namespace seedcanvas::test
