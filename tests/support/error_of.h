// The message of the seedcanvas::Error that `f` throws, or "" when it throws none: tests check
// that bad input is refused with words that name the problem.
#pragma once

#include <QString>
#include <functional>

#include "core/error.h"

namespace seedcanvas::test {

inline QString error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace seedcanvas::test
