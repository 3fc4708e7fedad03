#include "vision/seed_image_tokenizer.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <cstdio>

#include "core/error.h"
#include "io/tensor_source.h"
#include "nn/load.h"
#include "vision/checkpoint_dims.h"

namespace seedcanvas::vision {
namespace {

std::filesystem::path first_existing(const std::filesystem::path& dir, std::initializer_list<const char*> names) {
  std::error_code ec;
  for (const char* n : names)
    if (std::filesystem::is_regular_file(dir / n, ec)) return dir / n;
  return {};
}

void check_dtype(const SeedTokenizerOptions& o) {
  if (o.dtype != at::kFloat && o.dtype != at::kBFloat16 && o.dtype != at::kHalf)
    throw_error(ErrorKind::Unsupported, "SEED tokenizer: dtype must be float32, bfloat16 or float16");
  if (o.dtype == at::kHalf && !o.device.is_cuda())
    throw_error(ErrorKind::Unsupported, "SEED tokenizer: float16 needs a CUDA device (use bfloat16 on the CPU)");
}

std::vector<std::string> extra_blocks(int present, std::int64_t used, const std::string& prefix) {
  std::vector<std::string> out;
  for (int i = static_cast<int>(used); i < present; ++i) out.push_back(prefix + std::to_string(i) + ".*");
  return out;
}

}  // namespace

SeedTokenizerPaths SeedTokenizerPaths::resolve(const std::filesystem::path& dir_or_file) {
  std::error_code ec;
  SeedTokenizerPaths p;
  std::filesystem::path dir;
  if (std::filesystem::is_directory(dir_or_file, ec)) {
    dir = dir_or_file;
    p.quantizer = first_existing(dir, {"model.safetensors", "seed_quantizer.safetensors", "seed_quantizer.pt",
                                       "pytorch_model.bin"});
    if (p.quantizer.empty())
      throw_error(ErrorKind::NotFound, describe(dir.string(), "no tokenizer weights (model.safetensors, "
                                                              "seed_quantizer.safetensors or seed_quantizer.pt)"));
  } else if (std::filesystem::is_regular_file(dir_or_file, ec)) {
    p.quantizer = dir_or_file;
    dir = dir_or_file.parent_path();
  } else {
    throw_error(ErrorKind::NotFound, describe(dir_or_file.string(), "no such tokenizer file or folder"));
  }
  p.vit = first_existing(dir, {"eva_vit_g.safetensors", "eva_vit_g.pth"});
  p.config = first_existing(dir, {"config.json"});
  return p;
}

std::unique_ptr<SeedImageTokenizer> SeedImageTokenizer::load(const std::filesystem::path& dir_or_file,
                                                              const SeedTokenizerOptions& options) {
  return load(SeedTokenizerPaths::resolve(dir_or_file), options);
}

std::unique_ptr<SeedImageTokenizer> SeedImageTokenizer::load(const SeedTokenizerPaths& paths,
                                                              const SeedTokenizerOptions& options) {
  check_dtype(options);
  std::unique_ptr<SeedImageTokenizer> t(new SeedImageTokenizer());
  t->options_ = options;
  if (!paths.config.empty()) t->config_ = SeedTokenizerConfig::from_file(paths.config);
  auto main = io::open_checkpoint(paths.quantizer);
  std::unique_ptr<io::TensorSource> vit;
  if (!main->contains("visual_encoder.cls_token")) {
    if (paths.vit.empty())
      throw_error(ErrorKind::NotFound,
                  describe(main->origin(), "has no ViT weights (visual_encoder.*) and no eva_vit_g.pth or "
                                           "eva_vit_g.safetensors was found beside it"));
    vit = io::open_checkpoint(paths.vit);
  }
  const QuantizerDims dims = dims_from_checkpoint(*main, vit.get(), t->config_);
  t->model_ = std::make_unique<Blip2QformerQuantizer>(dims);

  nn::LoadOptions lo;
  lo.device = options.device;
  lo.dtype = options.dtype;
  lo.progress = options.progress;
  lo.ignore = t->model_->ignored_keys();
  if (!vit) {
    auto extra = extra_blocks(count_indexed(*main, "visual_encoder.blocks."), dims.vit.depth, "visual_encoder.blocks.");
    lo.ignore.insert(lo.ignore.end(), extra.begin(), extra.end());
  }
  nn::load_state(*t->model_, *main, lo);
  if (vit) {
    nn::LoadOptions vo = lo;
    // The LAVIS file is the 40-block EVA-CLIP-g; BLIP-2 drops the last block and never had a head.
    vo.ignore = extra_blocks(count_indexed(*vit, "blocks."), dims.vit.depth, "blocks.");
    for (const char* k : {"norm.*", "fc_norm.*", "head.*"}) vo.ignore.push_back(k);
    nn::load_state(*t->model_->visual_encoder, *vit, vo);
  }
  return t;
}

std::unique_ptr<SeedImageTokenizer> SeedImageTokenizer::random(const QuantizerDims& dims,
                                                                const SeedTokenizerConfig& config,
                                                                const SeedTokenizerOptions& options,
                                                                std::uint64_t seed) {
  check_dtype(options);
  std::unique_ptr<SeedImageTokenizer> t(new SeedImageTokenizer());
  t->options_ = options;
  t->config_ = config;
  t->model_ = std::make_unique<Blip2QformerQuantizer>(dims);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  // Timing only: the values do not matter. GBs of weights: on an accelerator they are drawn
  // where they live (seeded through the global generator), not drawn on the CPU and copied.
  const bool on_host = options.device.is_cpu();
  if (!on_host) at::manual_seed(seed);
  auto fill = [&](nn::Module& m) {
    for (auto& p : m.named_parameters()) {
      if (p.tensor->defined()) continue;
      const auto dtype = p.keep_dtype ? at::kFloat : options.dtype;
      if (!on_host) {
        *p.tensor = at::empty(p.shape, at::TensorOptions().dtype(dtype).device(options.device)).normal_(0.0, 0.02);
        continue;
      }
      *p.tensor = at::normal(0.0, 0.02, p.shape, gen).to(dtype);
    }
  };
  fill(*t->model_);
  fill(*t->model_->visual_encoder);
  return t;
}

at::Tensor SeedImageTokenizer::preprocess(const RgbImage& image) const {
  return preprocess_image(image, config_.img_size, config_.pixel_mean, config_.pixel_std, options_.resample);
}

EncodeOutputs SeedImageTokenizer::encode_checked(const at::Tensor& pixels, bool trace) const {
  const auto& d = model_->dims;
  const auto side = (config_.img_size / d.vit.patch) * d.vit.patch;
  if (pixels.dim() != 4 || pixels.size(1) != d.vit.in_chans || pixels.size(2) != side || pixels.size(3) != side)
    throw_error(ErrorKind::Mismatch, "SEED tokenizer: pixels must be [B, " + std::to_string(d.vit.in_chans) + ", " +
                                         std::to_string(side) + ", " + std::to_string(side) + "]");
  c10::InferenceMode guard;
  return model_->encode(pixels.to(options_.device, options_.dtype), trace);
}

EncodeOutputs SeedImageTokenizer::encode_trace(const at::Tensor& pixels) const { return encode_checked(pixels, true); }

at::Tensor SeedImageTokenizer::encode_pixels(const at::Tensor& pixels) const {
  return encode_checked(pixels, false).indices.to(at::kCPU);
}

std::vector<int> SeedImageTokenizer::encode(const RgbImage& image) const {
  auto ids = encode_pixels(preprocess(image)).contiguous();
  const auto* p = ids.data_ptr<std::int64_t>();
  return std::vector<int>(p, p + ids.numel());
}

at::Tensor SeedImageTokenizer::decode_indices(const at::Tensor& indices, DecodeOutputs* trace) const {
  if (indices.dim() != 2 || indices.size(1) != num_codes())
    throw_error(ErrorKind::Mismatch, "SEED tokenizer: expected codes of shape [B, " + std::to_string(num_codes()) + "]");
  auto ids = indices.to(at::kCPU, at::kLong);
  if (ids.numel() > 0 && (ids.min().item<std::int64_t>() < 0 || ids.max().item<std::int64_t>() >= codebook_size()))
    throw_error(ErrorKind::Format, "SEED tokenizer: image codes must lie in [0, " + std::to_string(codebook_size()) + ")");
  c10::InferenceMode guard;
  auto out = model_->decode(ids.to(options_.device), trace != nullptr);
  if (trace) *trace = out;
  return out.image_embeds.to(at::kCPU, at::kFloat);
}

at::Tensor SeedImageTokenizer::decode(const std::vector<int>& codes) const {
  std::vector<std::int64_t> v(codes.begin(), codes.end());
  auto ids = at::tensor(v, at::kLong).view({1, -1});
  if (ids.size(1) != num_codes())
    throw_error(ErrorKind::Mismatch, "SEED tokenizer: expected " + std::to_string(num_codes()) + " codes, got " +
                                         std::to_string(codes.size()));
  return decode_indices(ids);
}

std::string SeedImageTokenizer::image_token_string(const std::vector<int>& codes) {
  std::string s = "<img>";
  char buf[24];
  for (int c : codes) {
    std::snprintf(buf, sizeof buf, "<img_%05d>", c);
    s += buf;
  }
  return s + "</img>";
}

QuantizerDims seed_tokenizer_2_dims() {
  QuantizerDims d;  // the defaults are the released sizes
  d.vit_in_checkpoint = true;
  d.qformer.cross_attention.clear();
  for (std::int64_t l = 0; l < d.qformer.num_layers; ++l) d.qformer.cross_attention.push_back(l % 2 == 0);
  return d;
}

}  // namespace seedcanvas::vision
