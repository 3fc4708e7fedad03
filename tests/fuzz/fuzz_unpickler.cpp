// libFuzzer target: the restricted unpickler must refuse anything it does not understand
// with Error, within its stack/memo/size bounds, and only return validated tensors.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "io/unpickler.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto state = seedcanvas::io::unpickle_state_dict(data, size, "fuzz.pkl");
    for (const auto& t : state.tensors)
      if (t.size.size() != t.stride.size() || t.storage_offset < 0) __builtin_trap();
  } catch (const seedcanvas::Error&) {
  }
  return 0;
}
