// seedcanvas-cli convert SRC DST.safetensors [--dtype bf16|fp16|fp32]: any checkpoint we read
// (torch .bin/.pt, safetensors, sharded index, model folder) to one safetensors file,
// one tensor at a time, so peak memory stays near the largest tensor. Integer tensors keep
// their dtype. The file appears only when complete (io::write_safetensors_streaming is atomic).
#include <ATen/ATen.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/command.h"
#include "core/error.h"
#include "io/safetensors.h"
#include "io/tensor_source.h"

using namespace seedcanvas;

namespace {

int run_convert(std::vector<std::string> args) {
  CLI::App app{"Convert a checkpoint to one safetensors file."};
  std::string src, dst, dtype;
  app.add_option("src", src, "weight file, *.index.json or model folder")->required();
  app.add_option("dst", dst, "output file (*.safetensors); written atomically")->required();
  app.add_option("--dtype", dtype, "cast floating tensors to this dtype")->check(CLI::IsMember({"bf16", "fp16", "fp32"}));
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  const std::string suffix = ".safetensors";
  if (dst.size() <= suffix.size() || dst.compare(dst.size() - suffix.size(), suffix.size(), suffix) != 0)
    throw_error(ErrorKind::Unsupported, describe(dst, "the destination must be a .safetensors file"));

  c10::optional<c10::ScalarType> target;
  if (dtype == "bf16") target = at::kBFloat16;
  if (dtype == "fp16") target = at::kHalf;
  if (dtype == "fp32") target = at::kFloat;

  auto source = io::open_checkpoint(src);
  std::vector<io::TensorInfo> plan = source->tensors();
  for (auto& info : plan)
    if (target && at::isFloatingType(info.dtype)) info.dtype = *target;
  std::uint64_t written = 0;
  io::write_safetensors_streaming(
      dst, plan,
      [&](std::size_t i) {
        at::Tensor t = source->load(plan[i].name).to(plan[i].dtype);
        written += t.numel() * t.element_size();
        return t;
      },
      {{"format", "pt"}});
  std::printf("wrote %zu tensors (%llu bytes) from %s to %s\n", plan.size(), static_cast<unsigned long long>(written),
              source->origin().c_str(), dst.c_str());
  return tool::kOk;
}

}  // namespace

SEEDCANVAS_COMMAND(convert, "convert", "convert a checkpoint to one safetensors file", run_convert);
