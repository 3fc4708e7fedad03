#include "io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

namespace seedcanvas::io {

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  std::string tmpl = target_.string() + ".partial-XXXXXX";
  fd_ = ::mkstemp(tmpl.data());
  if (fd_ < 0)
    throw_error(ErrorKind::Resource, describe(target_.string(), std::string("cannot create: ") + std::strerror(errno)));
  temp_ = tmpl;
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
