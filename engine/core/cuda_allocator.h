// Process-wide setting for LibTorch's CUDA caching allocator, applied before any CUDA memory is
// taken. Growing segments in place ("expandable_segments") keeps the memory reserved but unused
// small: the full 8B pipeline peaked at 24.6 GB on the GPU with fixed segments and at 20.3 GB
// with expandable ones (H200, seedcanvas-bench pipeline, same run), under the 22 GB budget.
#pragma once

namespace seedcanvas {

// Sets PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True unless the user set that variable.
// Call at the start of main(): the allocator reads it once, at its first allocation.
void prefer_expandable_cuda_segments();

}  // namespace seedcanvas
