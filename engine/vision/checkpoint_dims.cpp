#include "vision/checkpoint_dims.h"

#include <set>

#include "core/error.h"

namespace seedcanvas::vision {
namespace {

const std::vector<std::int64_t>& shape(const io::TensorSource& s, const std::string& key, std::size_t rank) {
  const io::TensorInfo* info = s.find(key);
  if (!info) throw_error(ErrorKind::Mismatch, describe(s.origin(), "missing tensor", key));
  if (info->shape.size() != rank)
    throw_error(ErrorKind::Mismatch, describe(s.origin(), "expected a " + std::to_string(rank) + "-d tensor", key));
  return info->shape;
}

std::int64_t heads_for(std::int64_t width, int configured, std::int64_t head_dim, const std::string& key,
                       const SeedTokenizerConfig& config) {
  const std::int64_t heads = configured > 0 ? configured : (width % head_dim == 0 ? width / head_dim : 0);
  if (heads <= 0 || width % heads != 0)
    throw_error(ErrorKind::Config, describe(config.file.empty() ? "tokenizer config" : config.file,
                                            "'" + key + "' must be set to a divisor of the width " +
                                                std::to_string(width)));
  return heads;
}

void fail(const io::TensorSource& s, const std::string& what) { throw_error(ErrorKind::Mismatch, describe(s.origin(), what)); }

EvaVitDims vit_dims(const io::TensorSource& s, const std::string& p, bool bare_blip2_file,
                    const SeedTokenizerConfig& config) {
  EvaVitDims d;
  d.width = shape(s, p + "cls_token", 3)[2];
  d.num_positions = shape(s, p + "pos_embed", 3)[1];
  const auto& conv = shape(s, p + "patch_embed.proj.weight", 4);  // [width, in, patch, patch]
  d.in_chans = conv[1], d.patch = conv[2];
  d.all_head_dim = shape(s, p + "blocks.0.attn.q_bias", 1)[0];
  d.mlp_hidden = shape(s, p + "blocks.0.mlp.fc1.weight", 2)[0];
  const int present = count_indexed(s, p + "blocks.");
  // BLIP-2 builds 39 blocks and loads the 40-block EVA-CLIP file: it uses all but the last.
  d.depth = config.vit_depth > 0 ? config.vit_depth : (bare_blip2_file ? present - 1 : present);
  if (d.depth <= 0 || d.depth > present)
    fail(s, "needs " + std::to_string(d.depth) + " ViT blocks, the file has " + std::to_string(present));
  d.heads = heads_for(d.all_head_dim, config.vit_heads, 88, "vit_heads", config);
  d.eps = config.vit_layernorm_eps;
  const std::int64_t grid = config.img_size / d.patch;
  if (config.img_size % d.patch != 0 || grid * grid + 1 != d.num_positions)
    throw_error(ErrorKind::Mismatch, describe(s.origin(), "positions " + std::to_string(d.num_positions) +
                                                              " do not fit img_size " + std::to_string(config.img_size) +
                                                              " with patch " + std::to_string(d.patch),
                                              p + "pos_embed"));
  return d;
}

}  // namespace

int count_indexed(const io::TensorSource& source, const std::string& prefix) {
  std::set<int> seen;
  for (const auto& t : source.tensors()) {
    if (t.name.compare(0, prefix.size(), prefix) != 0) continue;
    const auto dot = t.name.find('.', prefix.size());
    const std::string idx = t.name.substr(prefix.size(), dot - prefix.size());
    if (idx.empty() || idx.size() > 6 || idx.find_first_not_of("0123456789") != std::string::npos) continue;
    seen.insert(std::stoi(idx));
  }
  int n = 0;
  while (seen.count(n)) ++n;
  return n;
}

QuantizerDims dims_from_checkpoint(const io::TensorSource& main, const io::TensorSource* vit,
                                   const SeedTokenizerConfig& config) {
  QuantizerDims d;
  d.vit_in_checkpoint = vit == nullptr;
  d.vit = vit ? vit_dims(*vit, "", true, config) : vit_dims(main, "visual_encoder.", false, config);
  d.ln_vision_eps = config.ln_vision_eps;

  const auto& q = shape(main, "query_tokens", 3);  // [1, Nq, hidden]
  d.num_query = q[1];
  auto& qf = d.qformer;
  qf.hidden = q[2];
  const std::string layer = "Qformer.bert.encoder.layer.";
  qf.num_layers = count_indexed(main, layer);
  if (qf.num_layers == 0) fail(main, "no Q-Former layers (" + layer + "N.*)");
  qf.intermediate = shape(main, layer + "0.intermediate_query.dense.weight", 2)[0];
  qf.encoder_width = -1;
  for (std::int64_t l = 0; l < qf.num_layers; ++l) {
    const std::string key = layer + std::to_string(l) + ".crossattention.self.key.weight";
    qf.cross_attention.push_back(main.contains(key));
    if (main.contains(key) && qf.encoder_width < 0) qf.encoder_width = shape(main, key, 2)[1];
  }
  if (qf.encoder_width < 0) fail(main, "the Q-Former has no cross-attention layer");
  if (qf.encoder_width != d.vit.width)
    fail(main, "Q-Former cross-attention reads width " + std::to_string(qf.encoder_width) + " but the ViT is " +
                   std::to_string(d.vit.width) + " wide");
  qf.heads = heads_for(qf.hidden, config.qf_heads, 64, "qf_heads", config);
  qf.eps = config.qformer_layernorm_eps;

  const auto& cb = shape(main, "quantize.embedding.weight", 2);
  d.n_embed = cb[0], d.codebook_dim = cb[1];
  d.encode_hidden = shape(main, "encode_task_layer.0.weight", 2)[0];
  d.decode_hidden = shape(main, "decode_task_layer.0.weight", 2)[0];

  d.decode_depth = count_indexed(main, "blocks_image.");
  if (d.decode_depth == 0) fail(main, "no de-tokenizer blocks (blocks_image.N.*)");
  d.decode_block.dim = qf.hidden;
  d.decode_block.mlp_hidden = shape(main, "blocks_image.0.mlp.fc1.weight", 2)[0];
  d.decode_block.heads = config.decode_block_heads;
  d.decode_block.eps = config.decode_block_ln_eps;
  if (qf.hidden % d.decode_block.heads != 0)
    throw_error(ErrorKind::Config, describe(config.file, "'decode_block_heads' does not divide " + std::to_string(qf.hidden)));

  d.image_down = {shape(main, "image_down.0.weight", 2)[1]};
  for (int i = 0; main.contains("image_down." + std::to_string(i) + ".weight"); i += 2)
    d.image_down.push_back(shape(main, "image_down." + std::to_string(i) + ".weight", 2)[0]);
  const auto& proj = shape(main, "distill_image_proj.weight", 2);
  d.image_features_dim = proj[0];
  if (proj[1] != d.num_query * d.image_down.back())
    fail(main, "distill_image_proj reads " + std::to_string(proj[1]) + " values, image_down gives " +
                   std::to_string(d.num_query) + " x " + std::to_string(d.image_down.back()));

  // Sizes a config may state: they must agree with the weights.
  const std::string origin = main.origin();
  config.check_size("vit_width", d.vit.width, origin);
  config.check_size("vit_mlp_hidden", d.vit.mlp_hidden, origin);
  config.check_size("patch", d.vit.patch, origin);
  config.check_size("qf_hidden", qf.hidden, origin);
  config.check_size("qf_layers", qf.num_layers, origin);
  config.check_size("qf_inter", qf.intermediate, origin);
  config.check_size("qformer_encoder_width", qf.encoder_width, origin);
  config.check_size("num_query", d.num_query, origin);
  config.check_size("n_embed", d.n_embed, origin);
  config.check_size("codebook_dim", d.codebook_dim, origin);
  config.check_size("decode_depth", d.decode_depth, origin);
  config.check_size("image_features_dim", d.image_features_dim, origin);
  return d;
}

}  // namespace seedcanvas::vision
