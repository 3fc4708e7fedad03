// Sizing the tokenizer network from the tensor shapes in its checkpoint(s), with the head
// counts and epsilons from the config; inconsistent files are reported by key.
#pragma once

#include "io/tensor_source.h"
#include "vision/qformer_quantizer.h"
#include "vision/tokenizer_config.h"

namespace seedcanvas::vision {

// `vit` is the separate BLIP-2 ViT file (bare keys) or null when `main` holds visual_encoder.*.
QuantizerDims dims_from_checkpoint(const io::TensorSource& main, const io::TensorSource* vit,
                                   const SeedTokenizerConfig& config);

// Number of consecutive children prefix0., prefix1., ... present in the source.
int count_indexed(const io::TensorSource& source, const std::string& prefix);

}  // namespace seedcanvas::vision
