// PyTorch checkpoints (.bin/.pt/.pth, the torch.save zip format) read through our own
// zip reader and a restricted unpickler: only what state dicts need is understood
// (tensor rebuilds, typed storages, OrderedDict, nested dicts, Parameters); any other
// global or opcode is refused. Nothing found in a file is ever executed.
// Nested dicts are flattened with dotted names: torch.save({"model": sd}) lists "model.<key>"
// (strip it with nn::LoadOptions::source_prefix = "model."); non-tensor entries are skipped.
// Tensors alias the memory-mapped archive (zero-copy) when their storage is aligned, which
// torch.save guarantees (64-byte aligned, uncompressed entries).
#pragma once

#include <filesystem>
#include <memory>

#include "io/tensor_source.h"

namespace seedcanvas::io {

std::unique_ptr<TensorSource> open_torch_checkpoint(const std::filesystem::path& path);

// True when the file starts like a zip archive (torch.save's default since 1.6).
bool looks_like_zip(const std::filesystem::path& path);

}  // namespace seedcanvas::io
