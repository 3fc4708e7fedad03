#include "nn/load.h"

#include <ATen/ATen.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <sstream>

#include "core/error.h"
#include "nn/staged_upload.h"

namespace seedcanvas::nn {
namespace {

std::string shape_str(at::IntArrayRef shape) {
  std::ostringstream s;
  s << "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << "]";
  return s.str();
}

void append_list(std::ostringstream& out, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  constexpr std::size_t kShown = 12;
  out << "\n  " << title << " (" << items.size() << "):";
  for (std::size_t i = 0; i < items.size() && i < kShown; ++i) out << "\n    " << items[i];
  if (items.size() > kShown) out << "\n    ... and " << (items.size() - kShown) << " more";
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& text) {
  std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == text[t]) {
      ++p, ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = t;
    } else if (star != std::string::npos) {
      p = star + 1, t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

LoadReport load_state(Module& module, const io::TensorSource& source, const LoadOptions& options) {
  auto params = module.named_parameters();
  std::set<std::string> expected;
  std::vector<std::string> missing, unexpected, mismatched;
  LoadReport report;

  for (const auto& p : params) {
    const std::string key = options.source_prefix + p.name;
    expected.insert(key);
    const io::TensorInfo* info = source.find(key);
    if (!info) {
      missing.push_back(key);
      continue;
    }
    if (info->shape != p.shape)
      mismatched.push_back(key + ": file " + shape_str(info->shape) + ", model " + shape_str(p.shape));
  }
  for (const auto& t : source.tensors()) {
    if (expected.count(t.name)) continue;
    bool ignored = false;
    for (const auto& pattern : options.ignore) ignored = ignored || glob_match(pattern, t.name);
    if (ignored)
      report.ignored.push_back(t.name);
    else
      unexpected.push_back(t.name);
  }
  if (!missing.empty() || !unexpected.empty() || !mismatched.empty()) {
    std::ostringstream msg;
    msg << source.origin() << ": weights do not fit the model";
    append_list(msg, "missing keys", missing);
    append_list(msg, "unexpected keys", unexpected);
    append_list(msg, "shape mismatches", mismatched);
    throw_error(ErrorKind::Mismatch, msg.str());
  }

  // To a GPU through pinned staging buffers (nn/staged_upload.h) when asked.
  std::unique_ptr<StagedUpload> staged;
  const char* staging = std::getenv("SEEDCANVAS_STAGED_UPLOAD");
  if (options.device.is_cuda() && (options.staged_upload || (staging && std::string(staging) == "1")))
    staged = std::make_unique<StagedUpload>(options.device);
  std::size_t done = 0;
  for (auto& p : params) {
    const std::string key = options.source_prefix + p.name;
    at::Tensor t = source.load(key);
    auto target = t.scalar_type();
    if (options.dtype && !p.keep_dtype && at::isFloatingType(target)) target = *options.dtype;
    // Always produce an owned tensor: sources may alias read-only file maps.
    if (target == t.scalar_type() && options.device == t.device())
      *p.tensor = t.clone();
    else if (staged && t.is_cpu() && t.numel() > 0)
      *p.tensor = staged->upload(t, target);
    else
      *p.tensor = t.to(options.device, target);
    report.bytes += p.tensor->nbytes();
    ++report.loaded;
    ++done;
    if (options.progress && !options.progress(done, params.size()))
      throw_error(ErrorKind::Cancelled, source.origin() + ": loading cancelled");
  }
  if (staged) staged->finish();
  return report;
}

}  // namespace seedcanvas::nn
