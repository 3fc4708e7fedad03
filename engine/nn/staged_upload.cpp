#include "nn/staged_upload.h"

#include <ATen/ATen.h>
#include <c10/core/impl/VirtualGuardImpl.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "core/error.h"

namespace seedcanvas::nn {

StagedUpload::StagedUpload(c10::Device device, std::size_t chunk_bytes, int buffers)
    : device_(device), chunk_bytes_(std::max<std::size_t>(chunk_bytes, 64)), async_(device.is_cuda()) {
  if (buffers < 1) throw_error(ErrorKind::Internal, "staged upload: at least one buffer");
  const auto bytes = at::TensorOptions().dtype(at::kByte).pinned_memory(async_);
  slots_.resize(static_cast<std::size_t>(buffers));
  for (auto& slot : slots_) slot.buffer = at::empty({static_cast<std::int64_t>(chunk_bytes_)}, bytes);
}

StagedUpload::~StagedUpload() {
  try {
    finish();
  } catch (...) {  // a failed device: nothing left to protect
  }
}

void StagedUpload::wait(Slot& slot) {
  if (!slot.copied) return;
  // LibTorch 1.13's generic Event can only be polled; a chunk's DMA takes about a millisecond.
  while (!slot.copied->query()) std::this_thread::yield();
  slot.copied.reset();
}

void StagedUpload::finish() {
  for (auto& slot : slots_) wait(slot);
}

at::Tensor StagedUpload::upload(const at::Tensor& src_in, c10::ScalarType target) {
  const at::Tensor src = src_in.is_contiguous() ? src_in : src_in.contiguous();
  at::Tensor raw = at::empty(src.sizes(), src.options().device(device_));  // the file's dtype, on the device
  at::Tensor flat = raw.view({-1});
  const std::size_t element = src.element_size();
  const std::int64_t per_chunk = static_cast<std::int64_t>(std::max<std::size_t>(chunk_bytes_ / element, 1));
  const auto* from = static_cast<const char*>(src.data_ptr());
  c10::impl::VirtualGuardImpl guard(device_.type());
  for (std::int64_t offset = 0; offset < src.numel(); offset += per_chunk) {
    const std::int64_t n = std::min(per_chunk, src.numel() - offset);
    Slot& slot = slots_[next_];
    next_ = (next_ + 1) % slots_.size();
    wait(slot);  // its previous chunk has left the buffer
    std::memcpy(slot.buffer.data_ptr(), from + static_cast<std::size_t>(offset) * element,
                static_cast<std::size_t>(n) * element);
    const at::Tensor staged = at::from_blob(slot.buffer.data_ptr(), {n}, src.options());
    flat.narrow(0, offset, n).copy_(staged, /*non_blocking=*/async_);
    if (async_) {
      slot.copied = std::make_unique<c10::Event>(device_.type());
      slot.copied->record(guard.getStream(device_));
    }
  }
  return target == src.scalar_type() ? raw : raw.to(target);
}

}  // namespace seedcanvas::nn
