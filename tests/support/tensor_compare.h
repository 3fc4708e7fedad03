// allclose with a useful diagnostic: |a - b| <= atol + rtol * |b| element-wise.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace seedcanvas::test {

struct CloseResult {
  bool ok = false;
  std::string message;  // what differed and by how much (also on success, for logs)
};

CloseResult compare_close(const at::Tensor& actual, const at::Tensor& expected, double atol, double rtol,
                          const std::string& what);
CloseResult compare_equal(const at::Tensor& actual, const at::Tensor& expected, const std::string& what);

}  // namespace seedcanvas::test

// QVERIFY2 wrappers.
#define SC_EXPECT_CLOSE(actual, expected, atol, rtol, what)                                        \
  do {                                                                                              \
    auto sc_r = ::seedcanvas::test::compare_close((actual), (expected), (atol), (rtol), (what));   \
    QVERIFY2(sc_r.ok, sc_r.message.c_str());                                                        \
  } while (0)
#define SC_EXPECT_EQUAL(actual, expected, what)                                      \
  do {                                                                               \
    auto sc_r = ::seedcanvas::test::compare_equal((actual), (expected), (what));     \
    QVERIFY2(sc_r.ok, sc_r.message.c_str());                                         \
  } while (0)
