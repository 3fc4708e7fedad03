#include "io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

namespace seedcanvas::io {

namespace {

constexpr const char* kPartial = ".partial-";

// Temporaries of `target` left by a writer that was killed. A live writer holds an flock on
// its temporary until it is done, and the kernel drops the lock with the process, so a
// temporary we can lock has no writer: removing it loses nothing (the target is untouched).
void remove_abandoned_temporaries(const std::filesystem::path& target) {
  const std::string prefix = target.filename().string() + kPartial;
  std::error_code ec;
  const auto parent = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  for (const auto& e : std::filesystem::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    const int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      std::error_code ignored;
      std::filesystem::remove(e.path(), ignored);
    }
    ::close(fd);
  }
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  remove_abandoned_temporaries(target_);
  std::string tmpl = target_.string() + kPartial + "XXXXXX";
  fd_ = ::mkstemp(tmpl.data());
  if (fd_ < 0)
    throw_error(ErrorKind::Resource, describe(target_.string(), std::string("cannot create: ") + std::strerror(errno)));
  temp_ = tmpl;
  ::flock(fd_, LOCK_EX);  // held until close: tells other writers this temporary is alive
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::write(const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_error(ErrorKind::Resource, describe(target_.string(), std::string("write failed: ") + std::strerror(errno)));
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    throw_error(ErrorKind::Resource, describe(target_.string(), std::string("flush failed: ") + std::strerror(errno)));
  }
  fd_ = -1;
  ::chmod(temp_.c_str(), 0644);
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) throw_error(ErrorKind::Resource, describe(target_.string(), "cannot rename into place: " + ec.message()));
  committed_ = true;
}

}  // namespace seedcanvas::io
