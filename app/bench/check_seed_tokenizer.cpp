// SEED image tokenizer part of `seedcanvas-bench check`: what
// tests/conformance/test_seed_tokenizer.cpp asserts about the networks, on the chosen device
// (seed_tokenizer/MANIFEST.md). The fixture image comes from preprocess.safetensors'
// raw_image_uint8 (the decoded input.png), so no image library is needed on the device.
#include <ATen/ATen.h>

#include <memory>
#include <string>
#include <vector>

#include "checks.h"
#include "diffusion/unclip_pipeline.h"
#include "io/safetensors.h"
#include "vision/seed_image_tokenizer.h"

namespace seedcanvas::tool::check {
namespace {

namespace fs = std::filesystem;

class Fixture {
 public:
  explicit Fixture(fs::path dir) : dir_(std::move(dir)) {}
  // A copy: the tensor outlives the memory-mapped file.
  at::Tensor operator()(const std::string& file, const std::string& name) const {
    return io::SafetensorsFile::open(dir_ / file)->load(name).clone();
  }

 private:
  fs::path dir_;
};

std::unique_ptr<vision::SeedImageTokenizer> load(const fs::path& dir, c10::Device device, c10::ScalarType dtype,
                                                 vision::Resample resample = vision::Resample::Bilinear) {
  vision::SeedTokenizerOptions o;
  o.device = device;
  o.dtype = dtype;
  o.resample = resample;
  return vision::SeedImageTokenizer::load(dir, o);
}

at::Tensor codes_tensor(const std::vector<int>& codes) {
  return at::tensor(std::vector<std::int64_t>(codes.begin(), codes.end())).view({1, -1});
}

void check_fp32(const fs::path& dir, c10::Device device, Report& r) {
  const Fixture fx(dir);
  const std::string p = "preprocess.safetensors", e = "encode.safetensors", d = "decode.safetensors";
  const std::string n = "seed_tokenizer fp32 ";
  auto tok = load(dir, device, at::kFloat);

  // Every encoder stage from the recorded pixels.
  const auto out = tok->encode_trace(fx(p, "pixel_values"));
  r.close(n + "vit_features", out.vit_features, fx(e, "vit_features"), {1e-4, 1e-4});
  r.close(n + "image_embeds (ln_vision)", out.image_embeds, fx(e, "image_embeds"), {1e-4, 1e-4});
  r.close(n + "qformer_embeddings", out.qformer_embeddings, fx(e, "qformer_embeddings"), {1e-4, 1e-4});
  r.close(n + "query_output", out.query_output, fx(e, "query_output"), {2e-4, 1e-4});
  r.close(n + "query_output_down", out.query_output_down, fx(e, "query_output_down"), {2e-4, 0});
  r.equal(n + "indices", out.indices, fx(e, "indices"));
  r.close(n + "quant", out.quant, fx(e, "quant"), {1e-5, 0});
  r.close(n + "query_output_up", out.query_output_up, fx(e, "query_output_up"), {1e-4, 0});

  // The fixture image end to end: engine preprocessing (CPU) then the network on the device.
  const auto image = diffusion::to_rgb_image(fx(p, "raw_image_uint8"));
  r.equal(n + "codes of the image (bilinear)", codes_tensor(tok->encode(image)), fx(e, "indices"));
  auto bicubic = load(dir, device, at::kFloat, vision::Resample::Bicubic);
  const auto pix_bicubic = bicubic->preprocess(image);
  r.equal(n + "codes of the image (bicubic)", bicubic->encode_pixels(pix_bicubic), fx(e, "indices_bicubic"));
  r.equal(n + "codes of a batch of 2", tok->encode_pixels(at::cat({fx(p, "pixel_values"), pix_bicubic}, 0)),
          fx(e, "indices_batch2"));

  // Codes -> unCLIP image embedding.
  vision::DecodeOutputs trace;
  const auto emb = tok->decode_indices(fx(d, "indices"), &trace);
  r.equal(n + "codebook_vectors", trace.codebook_vectors.view({-1, trace.codebook_vectors.size(-1)}),
          fx(d, "codebook_vectors"));
  r.close(n + "blocks_image_output", trace.blocks_image_output, fx(d, "blocks_image_output"), {1e-4, 1e-4});
  r.close(n + "image_down_output", trace.image_down_output, fx(d, "image_down_output"), {1e-4, 1e-4});
  r.close(n + "decoded image_embeds", emb, fx(d, "image_embeds"), {1e-5, 1e-4});
  r.close(n + "decoded fixed_image_embeds", tok->decode_indices(fx(d, "fixed_indices")), fx(d, "fixed_image_embeds"),
          {1e-5, 1e-4});
}

// Reduced precision, with the bounds the conformance test gives bf16: most codes kept (a code
// whose two nearest codebook rows are close may flip), the encoder output and embedding close.
void check_reduced(const fs::path& dir, c10::Device device, c10::ScalarType dtype, Report& r) {
  const Fixture fx(dir);
  const std::string n = std::string("seed_tokenizer ") + (dtype == at::kHalf ? "fp16 " : "bf16 ");
  auto tok = load(dir, device, dtype);
  const auto out = tok->encode_trace(fx("preprocess.safetensors", "pixel_values"));
  const auto expected = fx("encode.safetensors", "indices");
  const auto same = out.indices.cpu().eq(expected).sum().item<std::int64_t>();
  r.line(n + "codes equal to fp32 upstream",
         "equal " + std::to_string(same) + "/" + std::to_string(expected.numel()), ">= 3/4", same * 4 >= expected.numel() * 3);
  r.close(n + "query_output_down", out.query_output_down.to(at::kFloat), fx("encode.safetensors", "query_output_down"),
          {0.1, 0.05});
  r.close(n + "decoded image_embeds", tok->decode_indices(fx("decode.safetensors", "indices")),
          fx("decode.safetensors", "image_embeds"), {2e-2, 5e-2});
}

}  // namespace

void check_seed_tokenizer(const fs::path& dir, c10::Device device, Report& report) {
  report.guarded("seed_tokenizer fp32", [&] { check_fp32(dir, device, report); });
  report.guarded("seed_tokenizer bf16", [&] { check_reduced(dir, device, at::kBFloat16, report); });
  // The tokenizer accepts fp16 on CUDA only (no fp16 GEMM on the CPU builds).
  if (device.is_cuda()) report.guarded("seed_tokenizer fp16", [&] { check_reduced(dir, device, at::kHalf, report); });
}

}  // namespace seedcanvas::tool::check
