#include "llm/rope.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace seedcanvas::llm {

LlamaRotaryEmbedding::LlamaRotaryEmbedding(const LlamaConfig& config)
    : dim_(config.head_dim()),
      base_(config.rope_theta),
      scaling_(config.rope_scaling_type),
      factor_(config.rope_scaling_factor),
      max_position_embeddings_(config.max_position_embeddings) {
  default_inv_freq_ = inv_freq(base_);
}

at::Tensor LlamaRotaryEmbedding::inv_freq(double base) const {
  // HF: 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim)), all in fp32 with a double scalar base.
  auto exponent = at::arange(0, dim_, 2, at::kLong).to(at::kFloat) / static_cast<double>(dim_);
  return at::reciprocal(at::pow(c10::Scalar(base), exponent));
}

double LlamaRotaryEmbedding::base_for(std::int64_t seq_len) const {
  if (scaling_ != RopeScaling::Dynamic || seq_len <= max_position_embeddings_) return base_;
  // HF (python doubles): base * ((factor * seq_len / max_pos) - (factor - 1)) ** (dim / (dim - 2))
  const double ratio = factor_ * static_cast<double>(seq_len) / static_cast<double>(max_position_embeddings_) -
                       (factor_ - 1.0);
  return base_ * std::pow(ratio, static_cast<double>(dim_) / static_cast<double>(dim_ - 2));
}

void LlamaRotaryEmbedding::build_table(std::int64_t length, c10::ScalarType dtype, c10::Device device) {
  table_ = {};
  table_ = rows(0, length, std::min(length, max_position_embeddings_), dtype, device);
}

RopeRows LlamaRotaryEmbedding::rows(std::int64_t start, std::int64_t count, std::int64_t seq_len,
                                    c10::ScalarType dtype, c10::Device device) const {
  const double base = base_for(seq_len);
  if (base == base_ && table_.cos.defined() && start + count <= table_.cos.size(0) &&
      table_.cos.scalar_type() == dtype && table_.cos.device() == device)
    return {table_.cos.narrow(0, start, count), table_.sin.narrow(0, start, count)};
  const at::Tensor freq = base == base_ ? default_inv_freq_ : inv_freq(base);
  auto t = at::arange(start, start + count, at::kLong).to(at::kFloat);  // positions, exact in fp32
  if (scaling_ == RopeScaling::Linear) t = t / factor_;
  auto freqs = at::outer(t, freq);           // [T, dim/2]
  auto emb = at::cat({freqs, freqs}, -1);    // [T, dim]: rotate_half pairs j with j + dim/2
  RopeRows r;
  r.cos = emb.cos().to(device, dtype).unsqueeze(1);  // [T, 1, dim]
  r.sin = emb.sin().to(device, dtype).unsqueeze(1);
  return r;
}

at::Tensor LlamaRotaryEmbedding::rotate_half(const at::Tensor& x) {
  const auto half = x.size(-1) / 2;
  return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

at::Tensor LlamaRotaryEmbedding::apply(const at::Tensor& x, const RopeRows& rope) {
  return x * rope.cos + rotate_half(x) * rope.sin;
}

}  // namespace seedcanvas::llm
