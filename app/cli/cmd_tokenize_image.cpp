// seedcanvas-cli tokenize-image IMAGE --tokenizer DIR [--embedding OUT.safetensors]:
// the SEED codes of an image, their `<img><img_%05d>...</img>` text, and optionally the
// de-tokenized unCLIP image embedding.
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "common/command.h"
#include "core/error.h"
#include "pipeline/model_pack.h"
#include "io/safetensors.h"
#include "vision/seed_image_tokenizer.h"

#ifdef SEEDCANVAS_HAVE_IMAGEIO
#include "imageio/image_io.h"
#endif

using namespace seedcanvas;

namespace {

int run_tokenize_image(std::vector<std::string> args) {
  CLI::App app{"Encode an image into SEED image codes (and optionally decode them into the unCLIP image embedding)."};
  std::string image, tokenizer, embedding, dtype = "fp32", device = "cpu";
  bool bicubic = false;
  int threads = 0;
  app.add_option("image", image, "PNG, JPEG, WebP, TIFF, BMP, GIF, EXR or HDR file")->required();
  app.add_option("--tokenizer", tokenizer, "tokenizer folder (seed_quantizer.pt or model.safetensors, "
                                           "eva_vit_g.pth, config.json) or its weight file")
      ->required();
  app.add_option("--embedding", embedding, "write the decoded embedding [1, D] to this .safetensors file");
  app.add_option("--dtype", dtype, "fp32 (default), bf16, or fp16 (CUDA only)");
  app.add_option("--device", device, "cpu (default) or cuda[:N]");
  app.add_flag("--bicubic", bicubic, "resize like ImageTokenizer.processor (bicubic) instead of bilinear");
  app.add_option("--threads", threads, "CPU threads (default: all cores)");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
#ifndef SEEDCANVAS_HAVE_IMAGEIO
  throw_error(ErrorKind::Unsupported, "this build has no image reader (OpenImageIO was not found)");
#else
  // LibTorch starts with one thread on Debian: use the machine unless told otherwise.
  at::set_num_threads(threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency()));
  vision::SeedTokenizerOptions options;
  options.dtype = pipeline::parse_dtype(dtype);
  try {
    options.device = c10::Device(device);
  } catch (const std::exception&) {
    throw_error(ErrorKind::Config, "--device: not a device: '" + device + "'");
  }
  if (bicubic) options.resample = vision::Resample::Bicubic;

  const auto picture = imageio::read_image(image);
  const auto tok = vision::SeedImageTokenizer::load(tokenizer, options);
  const auto codes = tok->encode(picture);
  std::string line;
  for (std::size_t i = 0; i < codes.size(); ++i) line += (i ? " " : "") + std::to_string(codes[i]);
  std::printf("%s\n%s\n", line.c_str(), vision::SeedImageTokenizer::image_token_string(codes).c_str());
  if (!embedding.empty()) {
    const auto emb = tok->decode(codes);
    io::write_safetensors(embedding, {{"image_embeds", emb}}, {{"codes", line}, {"source_image", image}});
    std::fprintf(stderr, "wrote image_embeds [1, %lld] to %s\n", static_cast<long long>(emb.size(1)), embedding.c_str());
  }
  return tool::kOk;
#endif
}

}  // namespace

SEEDCANVAS_COMMAND(tokenize_image, "tokenize-image", "SEED image codes (and unCLIP embedding) of an image",
                   run_tokenize_image);
