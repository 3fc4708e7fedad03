#include "core/error.h"

namespace seedcanvas {

std::string describe(const std::string& file, const std::string& what, const std::string& tensor) {
  std::string out = file;
  if (!tensor.empty()) out += " [" + tensor + "]";
  out += ": " + what;
  return out;
}

void throw_error(ErrorKind kind, const std::string& message) { throw Error(kind, message); }

const char* error_kind_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Format: return "format";
    case ErrorKind::NotFound: return "not-found";
    case ErrorKind::Config: return "config";
    case ErrorKind::Mismatch: return "mismatch";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Resource: return "resource";
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::Internal: return "internal";
  }
  return "unknown";
}

}  // namespace seedcanvas
