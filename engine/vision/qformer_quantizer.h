// The SEED-2 image tokenizer network: EVA ViT -> ln_vision -> causal Q-Former -> MLP ->
// vector quantizer (encode), and codebook -> MLP -> ViT blocks -> MLP -> projection (decode).
// Mirrors SEED models/seed_qformer/qformer_quantizer.py: Blip2QformerQuantizer
// (get_codebook_indices, get_codebook_entry) and VectorQuantizer2.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "nn/layers.h"
#include "vision/eva_vit.h"
#include "vision/module_list.h"
#include "vision/qformer.h"
#include "vision/vit_block.h"

namespace seedcanvas::vision {

// Every size, read from the checkpoint's tensor shapes (plus head counts and epsilons).
struct QuantizerDims {
  bool vit_in_checkpoint = true;  // false: the ViT comes from BLIP-2's separate eva_vit_g file
  EvaVitDims vit;
  double ln_vision_eps = 1e-5;
  QformerDims qformer;
  std::int64_t num_query = 32;
  std::int64_t n_embed = 8192, codebook_dim = 32;
  std::int64_t encode_hidden = 768;  // encode_task_layer.0 output
  std::int64_t decode_hidden = 32;   // decode_task_layer.0 output
  VitBlockDims decode_block;
  std::int64_t decode_depth = 4;
  std::vector<std::int64_t> image_down{768, 256, 128, 32};  // widths through image_down.{0,2,4}
  std::int64_t image_features_dim = 1024;                   // distill_image_proj output
};

// nn.Embedding holding the codebook; kept in fp32 whatever the model dtype (distances in fp32).
class Codebook : public nn::Module {
 public:
  Codebook(std::int64_t n_embed, std::int64_t dim);
  at::Tensor weight;  // [n_embed, dim]
};

// nn.Sequential(Linear, Tanh, Linear) as "0" and "2".
class TaskLayer : public nn::Module {
 public:
  TaskLayer(std::int64_t in, std::int64_t hidden, std::int64_t out);
  at::Tensor forward(const at::Tensor& x) const;
  std::unique_ptr<nn::Linear> l0, l2;
};

// nn.Sequential(Linear, ReLU, Linear, ReLU, Linear), no biases, as "0", "2", "4".
class ImageDown : public nn::Module {
 public:
  explicit ImageDown(const std::vector<std::int64_t>& widths);
  at::Tensor forward(const at::Tensor& x) const;
  std::vector<std::unique_ptr<nn::Linear>> layers;
};

struct EncodeOutputs {
  at::Tensor vit_features;        // [B, 1+P, vit width]
  at::Tensor image_embeds;        // ln_vision output, same shape
  at::Tensor qformer_embeddings;  // LayerNorm(query_tokens) [B, Nq, hidden]
  at::Tensor query_output;        // [B, Nq, hidden]
  at::Tensor query_output_down;   // [B, Nq, codebook_dim]
  at::Tensor indices;             // int64 [B, Nq]
  at::Tensor quant;               // codebook rows [B, Nq, codebook_dim] (fp32)
  at::Tensor query_output_up;     // decode_task_layer(quant) [B, Nq, hidden]
};

struct DecodeOutputs {
  at::Tensor codebook_vectors;     // [B, Nq, codebook_dim]
  at::Tensor blocks_image_output;  // [B, Nq, hidden]
  at::Tensor image_down_output;    // [B, Nq, image_down out]
  at::Tensor image_embeds;         // [B, image_features_dim]
};

class Blip2QformerQuantizer : public nn::Module {
 public:
  explicit Blip2QformerQuantizer(const QuantizerDims& d);
  // pixels [B, 3, S, S] (normalised); `trace` keeps every intermediate, else only the indices.
  EncodeOutputs encode(const at::Tensor& pixels, bool trace) const;
  // indices int64 [B, Nq] in [0, n_embed) -> unCLIP image embedding [B, image_features_dim]
  DecodeOutputs decode(const at::Tensor& indices, bool trace) const;
  // Source keys that exist upstream but are not used for encode/decode.
  std::vector<std::string> ignored_keys() const;

  QuantizerDims dims;
  std::unique_ptr<EvaVisionTransformer> visual_encoder;  // registered only if in this checkpoint
  std::unique_ptr<nn::LayerNorm> ln_vision;
  at::Tensor query_tokens;  // [1, Nq, hidden]
  std::unique_ptr<Group> Qformer;
  BertQueryModel* bert = nullptr;
  std::unique_ptr<Group> quantize;
  Codebook* codebook = nullptr;  // quantize.embedding
  std::unique_ptr<TaskLayer> encode_task_layer, decode_task_layer;
  at::Tensor pos_embed_image;  // [1, Nq, hidden]
  std::unique_ptr<ModuleList<VitBlock>> blocks_image;
  std::unique_ptr<ImageDown> image_down;
  std::unique_ptr<nn::Linear> distill_image_proj;
};

}  // namespace seedcanvas::vision
