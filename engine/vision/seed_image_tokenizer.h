// The SEED image tokenizer as the engine uses it: image -> 32 codes, codes -> unCLIP image
// embedding. Loads seed_quantizer.pt (or a safetensors conversion of it) and, when that file
// lacks the ViT (the released one does), BLIP-2's eva_vit_g.pth beside it.
// Wraps SEED models/seed_llama_tokenizer.py ImageTokenizer (encode_image / decode_image
// up to the embedding; the diffusion step lives elsewhere).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/image.h"
#include "vision/preprocess.h"
#include "vision/qformer_quantizer.h"
#include "vision/tokenizer_config.h"

namespace seedcanvas::vision {

struct SeedTokenizerPaths {
  std::filesystem::path quantizer;  // seed_quantizer.pt / model.safetensors
  std::filesystem::path vit;        // eva_vit_g.pth / eva_vit_g.safetensors; empty if not found
  std::filesystem::path config;     // config.json; empty: built-in defaults
  // A folder, or a quantizer file whose siblings (config.json, eva_vit_g.*) are used.
  static SeedTokenizerPaths resolve(const std::filesystem::path& dir_or_file);
};

struct SeedTokenizerOptions {
  c10::Device device = c10::kCPU;
  c10::ScalarType dtype = c10::kFloat;  // kFloat, kBFloat16; kHalf only on CUDA
  Resample resample = Resample::Bilinear;
  // (done, total) per tensor; return false to cancel (Error(Cancelled)).
  std::function<bool(std::size_t, std::size_t)> progress;
};

class SeedImageTokenizer {
 public:
  static std::unique_ptr<SeedImageTokenizer> load(const std::filesystem::path& dir_or_file,
                                                  const SeedTokenizerOptions& options = {});
  static std::unique_ptr<SeedImageTokenizer> load(const SeedTokenizerPaths& paths,
                                                  const SeedTokenizerOptions& options = {});

  // RGB image -> codes (num_codes() of them, each in [0, codebook_size())).
  std::vector<int> encode(const RgbImage& image) const;
  // Normalised pixels [B, 3, S, S] (any device/dtype) -> int64 [B, num_codes] on the CPU.
  at::Tensor encode_pixels(const at::Tensor& pixels) const;
  // Every intermediate of the encoder (tests, diagnostics).
  EncodeOutputs encode_trace(const at::Tensor& pixels) const;
  // Codes -> unCLIP image embedding [1, embedding_dim()] float32 on the CPU.
  at::Tensor decode(const std::vector<int>& codes) const;
  // int64 [B, num_codes] -> [B, embedding_dim()] float32 on the CPU; validates the range.
  at::Tensor decode_indices(const at::Tensor& indices, DecodeOutputs* trace = nullptr) const;
  // The pixels encode() feeds the model: [1, 3, S, S] float32 on the CPU.
  at::Tensor preprocess(const RgbImage& image) const;

  int num_codes() const { return static_cast<int>(model_->dims.num_query); }
  int codebook_size() const { return static_cast<int>(model_->dims.n_embed); }
  int embedding_dim() const { return static_cast<int>(model_->dims.image_features_dim); }
  const SeedTokenizerConfig& config() const { return config_; }
  const Blip2QformerQuantizer& model() const { return *model_; }
  c10::Device device() const { return options_.device; }
  c10::ScalarType dtype() const { return options_.dtype; }

  // "<img><img_00042>...</img>", the text form SEED-LLaMA reads.
  static std::string image_token_string(const std::vector<int>& codes);

  // For benchmarks: a model of the given sizes with random weights (no files), drawn on the device.
  static std::unique_ptr<SeedImageTokenizer> random(const QuantizerDims& dims, const SeedTokenizerConfig& config,
                                                    const SeedTokenizerOptions& options, std::uint64_t seed);

 private:
  SeedImageTokenizer() = default;
  // pixels [B, C, side, side] checked, then the encoder (with the intermediates when `trace`).
  EncodeOutputs encode_checked(const at::Tensor& pixels, bool trace) const;
  SeedTokenizerConfig config_;
  SeedTokenizerOptions options_;
  std::unique_ptr<Blip2QformerQuantizer> model_;
};

// The sizes of the released model (ViT-g 1408 x 39, BERT-base Q-Former, 8192 x 32 codebook).
QuantizerDims seed_tokenizer_2_dims();

}  // namespace seedcanvas::vision
