#include "support/tensor_compare.h"

#include <ATen/ATen.h>

#include <sstream>

namespace seedcanvas::test {
namespace {

std::string shape_of(const at::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

}  // namespace

CloseResult compare_close(const at::Tensor& actual, const at::Tensor& expected, double atol, double rtol,
                          const std::string& what) {
  CloseResult r;
  if (!actual.defined() || !expected.defined()) {
    r.message = what + ": undefined tensor";
    return r;
  }
  if (actual.sizes() != expected.sizes()) {
    r.message = what + ": shape " + shape_of(actual) + " != expected " + shape_of(expected);
    return r;
  }
  auto a = actual.to(at::kCPU, at::kDouble);
  auto b = expected.to(at::kCPU, at::kDouble);
  auto diff = (a - b).abs();
  auto bound = atol + rtol * b.abs();
  auto bad = (diff > bound) | diff.isnan();
  const auto n_bad = bad.sum().item<int64_t>();
  const double max_diff = diff.numel() ? diff.max().item<double>() : 0.0;
  std::ostringstream m;
  m << what << ": max |diff| " << max_diff << " (atol " << atol << ", rtol " << rtol << "), " << n_bad << " of "
    << diff.numel() << " elements out of tolerance";
  if (n_bad > 0) {
    auto idx = bad.flatten().nonzero()[0].item<int64_t>();
    m << "; first at flat index " << idx << ": " << a.flatten()[idx].item<double>() << " vs "
      << b.flatten()[idx].item<double>();
  }
  r.ok = n_bad == 0;
  r.message = m.str();
  return r;
}

CloseResult compare_equal(const at::Tensor& actual, const at::Tensor& expected, const std::string& what) {
  CloseResult r;
  if (actual.sizes() != expected.sizes()) {
    r.message = what + ": shape " + shape_of(actual) + " != expected " + shape_of(expected);
    return r;
  }
  auto a = actual.to(at::kCPU);
  auto b = expected.to(at::kCPU, a.scalar_type());
  auto ne = a.ne(b);
  const auto n = ne.sum().item<int64_t>();
  r.ok = n == 0;
  r.message = what + ": " + std::to_string(n) + " of " + std::to_string(a.numel()) + " elements differ";
  if (n > 0) {
    auto idx = ne.flatten().nonzero()[0].item<int64_t>();
    r.message += "; first at flat index " + std::to_string(idx) + ": " + std::to_string(a.flatten()[idx].item<double>()) +
                 " vs " + std::to_string(b.flatten()[idx].item<double>());
  }
  return r;
}

}  // namespace seedcanvas::test
