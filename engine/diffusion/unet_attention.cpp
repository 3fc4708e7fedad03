#include "diffusion/unet_attention.h"

#include <ATen/ATen.h>
#include <torch/version.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "diffusion/unet_resnet.h"

namespace seedcanvas::diffusion {
namespace {

std::atomic<std::int64_t> g_slice_bytes{256ll << 20};

// [B,N,H*d] -> [B*H,N,d]
at::Tensor split_heads(const at::Tensor& x, std::int64_t heads) {
  const auto b = x.size(0), n = x.size(1), d = x.size(2) / heads;
  return x.reshape({b, n, heads, d}).permute({0, 2, 1, 3}).reshape({b * heads, n, d});
}

// [B*H,N,d] -> [B,N,H*d]
at::Tensor merge_heads(const at::Tensor& x, std::int64_t heads) {
  const auto bh = x.size(0), n = x.size(1), d = x.size(2);
  return x.reshape({bh / heads, heads, n, d}).permute({0, 2, 1, 3}).reshape({bh / heads, n, heads * d});
}

#if TORCH_VERSION_MAJOR < 2
// Scores of one slice: baddbmm with beta 0 as diffusers' AttnProcessor, softmax in fp32 for
// reduced precision (the reference SDPA path keeps fp32 accumulation too).
at::Tensor attend_slice(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, double scale, bool causal,
                        std::int64_t row0) {
  auto scores = at::baddbmm(at::empty({q.size(0), q.size(1), k.size(1)}, q.options()), q, k.transpose(1, 2),
                            /*beta=*/0, /*alpha=*/scale);
  const bool reduced = q.scalar_type() == at::kHalf || q.scalar_type() == at::kBFloat16;
  if (reduced) scores = scores.to(at::kFloat);
  if (causal) {
    // Row r (absolute row0 + r) sees keys 0..row0 + r.
    auto rows = at::arange(row0, row0 + q.size(1), q.options().dtype(at::kLong)).unsqueeze(1);
    auto cols = at::arange(k.size(1), q.options().dtype(at::kLong)).unsqueeze(0);
    scores = scores.masked_fill(cols > rows, -std::numeric_limits<float>::infinity());
  }
  auto probs = scores.softmax(-1);
  if (reduced) probs = probs.to(q.scalar_type());
  return at::bmm(probs, v);
}
#endif

}  // namespace

void set_attention_slice_bytes(std::int64_t bytes) { g_slice_bytes = std::max<std::int64_t>(bytes, 1 << 20); }

at::Tensor multi_head_attention(const at::Tensor& q_in, const at::Tensor& k_in, const at::Tensor& v_in,
                                std::int64_t heads, bool causal) {
  const std::int64_t head_dim = q_in.size(2) / heads;
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
#if TORCH_VERSION_MAJOR >= 2
  (void)scale;
  const auto b = q_in.size(0);
  auto to4 = [&](const at::Tensor& x) { return x.reshape({b, x.size(1), heads, head_dim}).transpose(1, 2); };
  auto out = at::scaled_dot_product_attention(to4(q_in), to4(k_in), to4(v_in), {}, 0.0, causal);  // [B,H,N,d]
  return out.transpose(1, 2).reshape({b, q_in.size(1), heads * head_dim});
#else
  auto q = split_heads(q_in, heads), k = split_heads(k_in, heads), v = split_heads(v_in, heads);  // [BH,N,d]
  const std::int64_t bh = q.size(0), n = q.size(1), m = k.size(1);
  const std::int64_t score_bytes = 4;  // scores are fp32 or upcast to it
  const std::int64_t per_row = std::max<std::int64_t>(m * score_bytes, 1);
  const std::int64_t budget_rows = std::max<std::int64_t>(g_slice_bytes.load() / per_row, 1);
  if (bh * n <= budget_rows) return merge_heads(attend_slice(q, k, v, scale, causal, 0), heads);
  // Slice over batch*heads, then over query rows, so one score block stays within the budget.
  auto out = at::empty_like(q);
  const std::int64_t rows = std::min(n, budget_rows);
  const std::int64_t bh_step = std::max<std::int64_t>(budget_rows / n, 1);
  for (std::int64_t i = 0; i < bh; i += bh_step) {
    const auto i1 = std::min(bh, i + bh_step);
    for (std::int64_t r = 0; r < n; r += rows) {
      const auto r1 = std::min(n, r + rows);
      out.slice(0, i, i1).slice(1, r, r1).copy_(
          attend_slice(q.slice(0, i, i1).slice(1, r, r1), k.slice(0, i, i1), v.slice(0, i, i1), scale, causal, r));
    }
  }
  return merge_heads(out, heads);
#endif
}

Attention::Attention(const Options& o)
    : options(o),
      to_q(o.query_dim, o.heads * o.dim_head, o.bias),
      to_k(o.cross_attention_dim ? o.cross_attention_dim : o.query_dim, o.heads * o.dim_head, o.bias),
      to_v(o.cross_attention_dim ? o.cross_attention_dim : o.query_dim, o.heads * o.dim_head, o.bias),
      to_out_0(o.heads * o.dim_head, o.query_dim, true) {
  if (o.norm_num_groups > 0) {
    group_norm = std::make_unique<nn::GroupNorm>(o.norm_num_groups, o.query_dim, o.norm_eps);
    register_module("group_norm", group_norm.get());
  }
  register_module("to_q", &to_q);
  register_module("to_k", &to_k);
  register_module("to_v", &to_v);
  register_module("to_out.0", &to_out_0);
}

at::Tensor Attention::forward(const at::Tensor& x, const at::Tensor& context) const {
  const auto& kv = context.defined() ? context : x;
  auto out = multi_head_attention(to_q.forward(x), to_k.forward(kv), to_v.forward(kv), options.heads);
  return to_out_0.forward(out);
}

at::Tensor Attention::forward_spatial(const at::Tensor& x) const {
  const auto b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
  auto y = group_norm ? diffusion::group_norm(*group_norm, x) : x;
  y = y.reshape({b, c, h * w}).transpose(1, 2);  // [B,HW,C]
  y = forward(y);
  y = y.transpose(1, 2).reshape({b, c, h, w});   // [B,C,H,W]
  if (options.residual_connection) y = y + x;
  return y;
}

}  // namespace seedcanvas::diffusion
