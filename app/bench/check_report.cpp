#include "check_report.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <sstream>

namespace seedcanvas::tool::check {
namespace {

std::string shape_of(const at::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

}  // namespace

std::string format_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

bool Report::line(const std::string& name, const std::string& measure, const std::string& bound, bool ok,
                  const std::string& note) {
  ++checks_;
  failures_ += ok ? 0 : 1;
  std::printf("%-58s %-20s bound %-18s %s%s%s\n", name.c_str(), measure.c_str(), bound.c_str(), ok ? "ok" : "FAILED",
              note.empty() ? "" : "  ", note.c_str());
  std::fflush(stdout);  // keep the order with stderr when a later check crashes
  return ok;
}

bool Report::close(const std::string& name, const TensorPairs& pairs, Tolerance tol) {
  double max_diff = 0;
  std::int64_t bad = 0, total = 0;
  std::string problem;
  for (const auto& [actual, expected] : pairs) {
    if (!actual.defined() || !expected.defined()) {
      problem = "undefined tensor";
      break;
    }
    if (actual.sizes() != expected.sizes()) {
      problem = "shape " + shape_of(actual) + " != expected " + shape_of(expected);
      break;
    }
    const auto a = actual.detach().to(at::kCPU, at::kDouble);
    const auto b = expected.detach().to(at::kCPU, at::kDouble);
    const auto diff = (a - b).abs();
    bad += ((diff > tol.atol + tol.rtol * b.abs()) | diff.isnan()).sum().item<std::int64_t>();
    if (diff.numel() > 0) max_diff = std::max(max_diff, diff.max().item<double>());
    if (diff.isnan().any().item<bool>()) problem = "NaN";
    total += diff.numel();
  }
  std::string bound = format_double(tol.atol);
  if (tol.rtol > 0) bound += "+" + format_double(tol.rtol) + "|ref|";
  std::string note = problem;
  if (problem.empty() && bad > 0) note = std::to_string(bad) + " of " + std::to_string(total) + " out of tolerance";
  return line(name, "max|diff| " + (problem.empty() ? format_double(max_diff) : std::string("-")), bound,
              problem.empty() && bad == 0, note);
}

bool Report::equal(const std::string& name, const at::Tensor& actual, const at::Tensor& expected) {
  if (actual.sizes() != expected.sizes())
    return line(name, "max|diff| -", "exact", false, "shape " + shape_of(actual) + " != expected " + shape_of(expected));
  const auto a = actual.to(at::kCPU, at::kDouble);
  const auto b = expected.to(at::kCPU, at::kDouble);
  const auto ne = a.ne(b).flatten();
  const auto n = ne.sum().item<std::int64_t>();
  const double max_diff = a.numel() ? (a - b).abs().max().item<double>() : 0.0;
  std::string note;
  if (n > 0)
    note = std::to_string(n) + " of " + std::to_string(a.numel()) + " differ, first at flat index " +
           std::to_string(ne.nonzero()[0].item<std::int64_t>());
  return line(name, "max|diff| " + format_double(max_diff), "exact", n == 0, note);
}

bool Report::relative(const std::string& name, const at::Tensor& actual, const at::Tensor& expected, double bound) {
  if (actual.sizes() != expected.sizes())
    return line(name, "rel L2 -", "< " + format_double(bound), false,
                "shape " + shape_of(actual) + " != expected " + shape_of(expected));
  const auto a = actual.to(at::kCPU, at::kDouble);
  const auto b = expected.to(at::kCPU, at::kDouble);
  const double rel = (a - b).norm().item<double>() / std::max(b.norm().item<double>(), 1e-30);
  const double max_diff = a.numel() ? (a - b).abs().max().item<double>() : 0.0;
  // NaN fails the comparison below by itself.
  return line(name, "rel L2 " + format_double(rel), "< " + format_double(bound), rel < bound,
              "max|diff| " + format_double(max_diff));
}

void Report::guarded(const std::string& name, const std::function<void()>& body) {
  try {
    body();
  } catch (const std::exception& e) {
    std::string what = e.what();
    // c10::Error carries a multi-line backtrace; its first line says what happened.
    if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
    line(name, "error", "-", false, what);
  }
}

void Report::skip(const std::string& name, const std::string& why) {
  std::printf("%-58s skipped: %s\n", name.c_str(), why.c_str());
  std::fflush(stdout);
}

std::vector<std::string> subfolders(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::int64_t> to_ids(const at::Tensor& t) {
  const auto flat = t.to(at::kCPU, at::kLong).contiguous().view({-1});
  return {flat.data_ptr<std::int64_t>(), flat.data_ptr<std::int64_t>() + flat.numel()};
}

at::Tensor ids_tensor(const std::vector<std::int64_t>& ids) {
  return at::tensor(at::ArrayRef<std::int64_t>(ids), at::kLong);
}

}  // namespace seedcanvas::tool::check
