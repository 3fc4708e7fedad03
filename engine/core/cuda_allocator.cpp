#include "core/cuda_allocator.h"

#include <cstdlib>

namespace seedcanvas {

void prefer_expandable_cuda_segments() { setenv("PYTORCH_CUDA_ALLOC_CONF", "expandable_segments:True", /*overwrite=*/0); }

}  // namespace seedcanvas
