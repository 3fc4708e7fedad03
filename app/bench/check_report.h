// What `seedcanvas-bench check` prints: one line per comparison of an engine output with a
// recorded upstream fixture (name, measure, bound, ok/FAILED), and the tally that decides the
// exit code. Comparisons run on the CPU in double, whatever device computed the values.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace seedcanvas::tool::check {

// Element-wise |actual - expected| <= atol + rtol * |expected| (the MANIFESTs' convention).
struct Tolerance {
  double atol = 0;
  double rtol = 0;
};

using TensorPairs = std::vector<std::pair<at::Tensor, at::Tensor>>;  // (actual, expected)

class Report {
 public:
  // Every pair within `tol`; several pairs (e.g. one per layer) make one line.
  bool close(const std::string& name, const TensorPairs& pairs, Tolerance tol);
  bool close(const std::string& name, const at::Tensor& actual, const at::Tensor& expected, Tolerance tol) {
    return close(name, TensorPairs{{actual, expected}}, tol);
  }
  // Same shape and every element equal (ids, codes).
  bool equal(const std::string& name, const at::Tensor& actual, const at::Tensor& expected);
  // ||actual - expected|| / ||expected|| (L2) below `bound`: reduced-precision runs.
  bool relative(const std::string& name, const at::Tensor& actual, const at::Tensor& expected, double bound);
  // A line whose measure and verdict the caller computed.
  bool line(const std::string& name, const std::string& measure, const std::string& bound, bool ok,
            const std::string& note = {});
  // Runs `body`; an exception (load failure, unsupported op on the device) becomes a FAILED line.
  void guarded(const std::string& name, const std::function<void()>& body);
  void skip(const std::string& name, const std::string& why);

  int checks() const { return checks_; }
  int failures() const { return failures_; }

 private:
  int checks_ = 0;
  int failures_ = 0;
};

// Sorted names of the sub-folders of `dir` (fixture variants).
std::vector<std::string> subfolders(const std::filesystem::path& dir);
// Ids of an integer tensor, flattened.
std::vector<std::int64_t> to_ids(const at::Tensor& t);
at::Tensor ids_tensor(const std::vector<std::int64_t>& ids);  // int64 [n]
std::string format_double(double v);  // "%.3g"

}  // namespace seedcanvas::tool::check
