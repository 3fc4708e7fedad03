// Hyper-parameters of the SEED image tokenizer that the weights cannot tell: head counts,
// LayerNorm epsilons, preprocessing. Read from the tokenizer folder's config.json where it
// has them (the fixtures do); the defaults are the released seed-tokenizer-2 values.
// All widths and depths come from the checkpoint's tensor shapes instead.
#pragma once

#include <array>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seedcanvas::vision {

struct SeedTokenizerConfig {
  // Preprocessing (models/transforms.py get_transform('clip')).
  int img_size = 224;
  std::array<float, 3> pixel_mean{0.48145466f, 0.4578275f, 0.40821073f};
  std::array<float, 3> pixel_std{0.26862954f, 0.26130258f, 0.27577711f};
  // EVA ViT (eva_vit.py create_eva_vit_g): heads = 1408 // 88.
  int vit_heads = 0;        // 0: width / 88
  int vit_depth = 0;        // 0: blocks in the checkpoint (the bare BLIP-2 file: all but the last)
  double vit_layernorm_eps = 1e-6;
  double ln_vision_eps = 1e-5;
  // Q-Former (bert-base-uncased).
  int qf_heads = 0;         // 0: hidden / 64
  double qformer_layernorm_eps = 1e-12;
  // De-tokenizer blocks (qformer_quantizer.py hard-wires 12 heads).
  int decode_block_heads = 12;
  double decode_block_ln_eps = 1e-6;

  nlohmann::json raw;       // the file as read, for cross-checks against the weights
  std::string file;         // where it came from (empty: defaults)

  // Missing keys keep the defaults; wrongly typed ones throw Error(Config) naming the file.
  static SeedTokenizerConfig from_file(const std::filesystem::path& path);
  // If the config states `key`, it must equal `actual` (a size the weights determine).
  void check_size(const std::string& key, long long actual, const std::string& weights_origin) const;
};

}  // namespace seedcanvas::vision
