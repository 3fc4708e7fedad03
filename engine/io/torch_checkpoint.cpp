// Placeholder until the zip reader and restricted unpickler land.
#include "io/torch_checkpoint.h"

#include <fstream>

#include "core/error.h"

namespace seedcanvas::io {

bool looks_like_zip(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

std::unique_ptr<TensorSource> open_torch_checkpoint(const std::filesystem::path& path) {
  throw_error(ErrorKind::Unsupported, describe(path.string(), "PyTorch checkpoints are not readable yet"));
}

}  // namespace seedcanvas::io
