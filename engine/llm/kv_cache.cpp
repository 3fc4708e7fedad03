#include "llm/kv_cache.h"

#include <ATen/ATen.h>

#include "core/error.h"
#include "llm/fixed_decoder.h"

namespace seedcanvas::llm {

KvCache::KvCache(const LlamaConfig& config, std::int64_t capacity, c10::ScalarType dtype, c10::Device device)
    : capacity_(capacity), dtype_(dtype), device_(device) {
  if (capacity <= 0) throw_error(ErrorKind::Config, "KV cache: capacity must be positive");
  const auto opts = at::TensorOptions().dtype(dtype).device(device);
  const std::int64_t kv_heads = config.num_key_value_heads, head_dim = config.head_dim();
  const double bytes = 2.0 * static_cast<double>(config.num_hidden_layers) * kv_heads * capacity * head_dim *
                       static_cast<double>(c10::elementSize(dtype));
  if (bytes > 256.0 * (1ull << 30))
    throw_error(ErrorKind::Resource, "KV cache: " + std::to_string(capacity) + " tokens would need " +
                                         std::to_string(static_cast<long long>(bytes / (1 << 20))) + " MiB");
  const std::int64_t rows = (capacity + 63) / 64 * 64;
  for (std::int64_t i = 0; i < config.num_hidden_layers; ++i) {
    keys_.push_back(at::zeros({kv_heads, rows, head_dim}, opts));
    values_.push_back(at::zeros({kv_heads, rows, head_dim}, opts));
  }
  const std::int64_t q = config.num_attention_heads * head_dim;
  buffers_.qkv = at::empty({1, q + 2 * kv_heads * head_dim}, opts);
  buffers_.attn = at::empty({1, q}, opts);
  buffers_.o = at::empty({1, config.hidden_size}, opts);
  buffers_.gate_up = at::empty({1, 2 * config.intermediate_size}, opts);
  buffers_.act = at::empty({1, config.intermediate_size}, opts);
  buffers_.down = at::empty({1, config.hidden_size}, opts);
  buffers_.logits = at::empty({1, config.vocab_size}, opts);
  buffers_.normed = at::empty({1, config.hidden_size}, opts);
  buffers_.q = at::empty({1, q}, opts);
  tokens_.reserve(static_cast<std::size_t>(capacity));
}

KvCache::KvCache(KvCache&&) noexcept = default;
KvCache& KvCache::operator=(KvCache&&) noexcept = default;
KvCache::~KvCache() = default;

void KvCache::set_fixed_decoder(std::unique_ptr<FixedDecoder> decoder) { fixed_ = std::move(decoder); }

at::Tensor KvCache::key(std::int64_t layer) const { return keys_.at(layer).narrow(1, 0, length()); }
at::Tensor KvCache::value(std::int64_t layer) const { return values_.at(layer).narrow(1, 0, length()); }

void KvCache::truncate(std::int64_t n) {
  if (n < 0) n = 0;
  if (n < length()) tokens_.resize(static_cast<std::size_t>(n));
}

std::int64_t KvCache::common_prefix(const std::vector<std::int64_t>& ids) const {
  std::size_t n = 0;
  while (n < ids.size() && n < tokens_.size() && ids[n] == tokens_[n]) ++n;
  return static_cast<std::int64_t>(n);
}

void KvCache::append_tokens(const std::int64_t* ids, std::int64_t n) {
  if (length() + n > capacity_) throw_error(ErrorKind::Internal, "KV cache: append past capacity");
  tokens_.insert(tokens_.end(), ids, ids + n);
}

}  // namespace seedcanvas::llm
