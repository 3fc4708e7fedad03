// Typed engine errors. Messages name the file and, where it applies, the tensor,
// so the app can show them as they are.
#pragma once

#include <stdexcept>
#include <string>

namespace seedcanvas {

enum class ErrorKind {
  Format,      // a file is malformed, truncated or hostile
  NotFound,    // a file or tensor is missing
  Config,      // a config value is missing or inconsistent
  Mismatch,    // weights do not fit the model (missing/unexpected keys, shapes)
  Unsupported, // valid input we do not handle (a dtype, a feature)
  Resource,    // out of memory, disk full, pixel limit
  Cancelled,   // the user stopped the work
  Internal,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// "file: what" (tensor optional) in one line, the format every loader uses.
std::string describe(const std::string& file, const std::string& what, const std::string& tensor = {});

[[noreturn]] void throw_error(ErrorKind kind, const std::string& message);
[[noreturn]] inline void throw_format(const std::string& file, const std::string& what,
                                      const std::string& tensor = {}) {
  throw_error(ErrorKind::Format, describe(file, what, tensor));
}

const char* error_kind_name(ErrorKind kind) noexcept;

}  // namespace seedcanvas
