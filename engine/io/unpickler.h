// A restricted pickle VM for the `data.pkl` of torch.save archives (state dicts).
// It understands the opcodes state dicts use (protocol 2, plus FRAME/MEMOIZE/STACK_GLOBAL
// and short strings of protocol 4) and only these globals: collections.OrderedDict,
// torch._utils._rebuild_tensor_v2 / _rebuild_parameter / _rebuild_parameter_with_state and
// the typed storages torch.{Float,Half,BFloat16,Double,Long,Int,Short,Char,Byte,Bool}Storage.
// Any other global or opcode is refused with Error(Format) naming the file and the global
// or opcode; nothing is ever executed. Stack, memo, value count and nesting are bounded.
//
// The result is plain data (no LibTorch), so the VM can be fuzzed on its own.
// Nested dicts are flattened with dotted names: {"model": {"w": t}} yields "model.w"
// (nn::LoadOptions::source_prefix strips such a prefix). Non-tensor leaves are skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seedcanvas::io {

// One tensor of a pickled state dict; its bytes are the archive entry `<top>/data/<storage_key>`.
struct PickledTensor {
  std::string name;           // dotted path through nested dicts
  std::string storage_key;
  std::string storage_type;   // "FloatStorage", "BFloat16Storage", ...
  std::string location;       // where it was saved from ("cpu", "cuda:0"); the bytes are in the archive
  std::uint64_t storage_numel = 0;
  std::int64_t storage_offset = 0;  // elements
  std::vector<std::int64_t> size;
  std::vector<std::int64_t> stride;  // elements
};

struct PickledStateDict {
  std::vector<PickledTensor> tensors;  // in pickle order
  std::vector<std::string> skipped;    // names of non-tensor leaves (e.g. "epoch"), the first 1000
};

struct UnpickleLimits {
  std::size_t max_values = 2u << 20;   // objects created (each opcode creates at most one)
  std::size_t max_stack = 1u << 20;
  std::size_t max_depth = 64;         // dict nesting when flattening
  std::size_t max_leaves = 1u << 18;  // entries visited when flattening (shared sub-dicts count each time)
  std::size_t max_name = 4096;        // characters of a flattened name
};

// Runs the pickle in `data` and flattens the resulting dict. Each tensor is validated:
// non-negative sizes/strides/offset and size x stride within its storage's element count.
PickledStateDict unpickle_state_dict(const std::uint8_t* data, std::size_t size, const std::string& file,
                                     const UnpickleLimits& limits = {});

// Whether `name` is one of the typed storages above ("FloatStorage"...).
bool is_known_storage_type(const std::string& name);

}  // namespace seedcanvas::io
