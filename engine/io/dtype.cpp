// Element sizes and safetensors spellings of the dtypes weight files hold. Kept apart from
// the tensor sources so the header parsers can be built (and fuzzed) without ATen's sources.
#include <c10/core/ScalarType.h>

#include <string>

#include "core/error.h"
#include "io/tensor_source.h"

namespace seedcanvas::io {

std::size_t element_size(c10::ScalarType dtype) {
  switch (dtype) {
    case c10::ScalarType::Double:
    case c10::ScalarType::Long: return 8;
    case c10::ScalarType::Float:
    case c10::ScalarType::Int: return 4;
    case c10::ScalarType::Half:
    case c10::ScalarType::BFloat16:
    case c10::ScalarType::Short: return 2;
    case c10::ScalarType::Char:
    case c10::ScalarType::Byte:
    case c10::ScalarType::Bool: return 1;
    default: throw_error(ErrorKind::Unsupported, std::string("unsupported dtype ") + c10::toString(dtype));
  }
}

std::string dtype_name(c10::ScalarType dtype) {
  switch (dtype) {
    case c10::ScalarType::Double: return "F64";
    case c10::ScalarType::Float: return "F32";
    case c10::ScalarType::Half: return "F16";
    case c10::ScalarType::BFloat16: return "BF16";
    case c10::ScalarType::Long: return "I64";
    case c10::ScalarType::Int: return "I32";
    case c10::ScalarType::Short: return "I16";
    case c10::ScalarType::Char: return "I8";
    case c10::ScalarType::Byte: return "U8";
    case c10::ScalarType::Bool: return "BOOL";
    default: throw_error(ErrorKind::Unsupported, std::string("unsupported dtype ") + c10::toString(dtype));
  }
}

}  // namespace seedcanvas::io
