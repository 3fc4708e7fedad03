// A checkpoint split over several files, described by a Hugging Face `*.index.json`
// ({"weight_map": {tensor: shard file}}), for both .bin and .safetensors shards.
#pragma once

#include <filesystem>
#include <memory>

#include "io/tensor_source.h"

namespace seedcanvas::io {

std::unique_ptr<TensorSource> open_sharded(const std::filesystem::path& index_json);

}  // namespace seedcanvas::io
