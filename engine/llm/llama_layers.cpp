#include "llm/llama_layers.h"

#include "llm/decode_kernels.h"
#include "llm/gemv_cpu.h"

#include <ATen/ATen.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.h"

namespace seedcanvas::llm {

void project(at::Tensor& out, const at::Tensor& x, const at::Tensor& w) {
  if (x.size(0) == 1 && x.is_cuda() && kernels::gemv_applies(out, x, w)) {
    kernels::gemv(out, x, w);
  } else if (x.size(0) == 1 && x.is_cpu() && cpu_gemv::applies(out, x, w)) {
    cpu_gemv::run(out, x, w);
  } else if (x.size(0) == 1 && x.scalar_type() == at::kFloat && x.is_cpu()) {
    auto row = out.view({w.size(0)});
    at::mv_out(row, w, x.view({w.size(1)}));
  } else {
    at::mm_out(out, x, w.t());
  }
}

DecodeFolds DecodeFolds::parse(const std::string& list) {
  if (list.empty() || list == "0" || list == "none") return {};
  if (list == "1" || list == "all") return all();
  DecodeFolds f;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, comma - start);
    if (item == "norm") f.norm = true;
    else if (item == "residual") f.residual = true;
    else if (item == "swiglu") f.swiglu = true;
    else if (item == "attention") f.attention = true;
    else throw_error(ErrorKind::Config, "decode folds: unknown fold '" + item +
                                            "' (use all, none or a list of norm, residual, swiglu, attention)");
    start = comma + 1;
  }
  return f;
}

std::string DecodeFolds::name() const {
  if (!any()) return "none";
  if (norm && residual && swiglu && attention) return "all";
  std::string out;
  for (const auto& [on, item] : {std::pair{norm, "norm"}, std::pair{residual, "residual"},
                                 std::pair{swiglu, "swiglu"}, std::pair{attention, "attention"}})
    if (on) out += (out.empty() ? "" : ",") + std::string(item);
  return out;
}

namespace {

void settle(ResidualStream& stream) {
  if (stream.pending) stream.x.add_(*stream.pending);
  stream.pending = nullptr;
}

}  // namespace

void norm_project(at::Tensor& out, ResidualStream& stream, const LlamaRMSNorm& norm, const at::Tensor& w,
                  at::Tensor& normed, const DecodeFolds& folds) {
  const kernels::FoldedInput in{kernels::FoldedInput::Op::RmsNorm, &stream.x, &norm.weight, norm.variance_epsilon};
  if (folds.norm && kernels::folded_applies(out, in, w)) {
    settle(stream);
    kernels::gemv_folded(out, in, w, false);
    return;
  }
  kernels::rms_norm(normed, stream.x, stream.pending, norm.weight, norm.variance_epsilon);  // adds what is pending
  stream.pending = nullptr;
  project(out, normed, w);
}

void add_projection(ResidualStream& stream, const at::Tensor& input, bool swiglu, const at::Tensor& w, at::Tensor& act,
                    at::Tensor& scratch, const DecodeFolds& folds) {
  using Op = kernels::FoldedInput::Op;
  settle(stream);  // x must be current before it is accumulated into (a no-op after norm_project)
  kernels::FoldedInput in{swiglu ? Op::SwiGlu : Op::Row, &input};
  if (swiglu && !(folds.swiglu && kernels::folded_applies(scratch, in, w))) {
    kernels::silu_mul(act, input);
    in = {Op::Row, &act};
  }
  if (folds.residual && kernels::folded_applies(stream.x, in, w)) {
    kernels::gemv_folded(stream.x, in, w, true);
  } else if (in.op == Op::SwiGlu) {
    kernels::gemv_folded(scratch, in, w, false);
    stream.pending = &scratch;
  } else {
    project(scratch, *in.x, w);
    stream.pending = &scratch;
  }
}

namespace {

at::Tensor new_rows(const at::Tensor& like, std::int64_t rows, std::int64_t cols) {
  return at::empty({rows, cols}, like.options());
}

// The cache holds post-RoPE keys, [n_kv, capacity, hd]; this step's rows are written in place.
void write_cache(at::Tensor& key, at::Tensor& value, const at::Tensor& k, const at::Tensor& v, const LayerStep& step,
                 std::int64_t T) {
  if (step.position) {
    key.index_copy_(1, *step.position, k.transpose(0, 1));
    value.index_copy_(1, *step.position, v.transpose(0, 1));
  } else {
    key.narrow(1, step.past, T).copy_(k.transpose(0, 1));
    value.narrow(1, step.past, T).copy_(v.transpose(0, 1));
  }
}

}  // namespace

LlamaRMSNorm::LlamaRMSNorm(std::int64_t hidden_size, double eps) : variance_epsilon(eps) {
  register_parameter("weight", &weight, {hidden_size});
}

at::Tensor LlamaRMSNorm::forward(const at::Tensor& x) const {
  const auto input_dtype = x.scalar_type();
  auto xf = x.to(at::kFloat);
  auto variance = xf.pow(2).mean(-1, /*keepdim=*/true);  // [T, 1]
  auto normed = (xf * at::rsqrt(variance + variance_epsilon)).to(input_dtype);
  return weight * normed;
}

LlamaAttention::LlamaAttention(const LlamaConfig& c)
    : q_proj(c.hidden_size, c.num_attention_heads * c.head_dim(), false),
      k_proj(c.hidden_size, c.num_key_value_heads * c.head_dim(), false),
      v_proj(c.hidden_size, c.num_key_value_heads * c.head_dim(), false),
      o_proj(c.num_attention_heads * c.head_dim(), c.hidden_size, false),
      num_heads(c.num_attention_heads),
      num_key_value_heads(c.num_key_value_heads),
      head_dim(c.head_dim()) {
  register_module("q_proj", &q_proj);
  register_module("k_proj", &k_proj);
  register_module("v_proj", &v_proj);
  register_module("o_proj", &o_proj);
}

void LlamaAttention::fuse() {
  qkv_weight = at::cat({q_proj.weight, k_proj.weight, v_proj.weight}, 0);
  const auto nq = q_proj.weight.size(0), nkv = k_proj.weight.size(0);
  q_proj.weight = qkv_weight.narrow(0, 0, nq);
  k_proj.weight = qkv_weight.narrow(0, nq, nkv);
  v_proj.weight = qkv_weight.narrow(0, nq + nkv, nkv);
}

at::Tensor LlamaAttention::forward(const at::Tensor& h, at::Tensor& key, at::Tensor& value,
                                   const LayerStep& step) const {
  const std::int64_t T = h.size(0), nq = num_heads * head_dim, nkv = num_key_value_heads * head_dim;

  at::Tensor qkv = step.buffers ? step.buffers->qkv : new_rows(h, T, nq + 2 * nkv);
  project(qkv, h, qkv_weight);  // [T, nq + 2 nkv]
  // q and k heads sit side by side in qkv: rotate them in one go.
  auto qk = LlamaRotaryEmbedding::apply(
      qkv.narrow(1, 0, nq + nkv).view({T, num_heads + num_key_value_heads, head_dim}), *step.rope);
  const auto q = qk.narrow(1, 0, num_heads);              // [T, nh, hd], rotated
  auto k = qk.narrow(1, num_heads, num_key_value_heads);  // [T, nkv, hd]
  auto v = qkv.narrow(1, nq + nkv, nkv).view({T, num_key_value_heads, head_dim});
  write_cache(key, value, k, v, step, T);
  const at::Tensor merged = attend(q, key, value, step);  // [T, nh*hd]
  at::Tensor result = step.buffers ? step.buffers->o : new_rows(h, T, o_proj.weight.size(0));
  project(result, merged, o_proj.weight);  // [T, hidden]
  return result;
}

at::Tensor LlamaAttention::attend(const at::Tensor& q, const at::Tensor& key, const at::Tensor& value,
                                  const LayerStep& step) const {
  const std::int64_t T = q.size(0), S = step.position ? step.window : step.past + T;
  const std::int64_t groups = num_heads / num_key_value_heads, nq = num_heads * head_dim;
  auto keys = key.narrow(1, 0, S);    // [nkv, S, hd]
  auto values = value.narrow(1, 0, S);

  // Query heads kv*groups + g share kv head kv (HF repeat_kv): group them instead of repeating.
  auto qg = q.transpose(0, 1).reshape({num_key_value_heads, groups * T, head_dim});  // [nkv, g*T, hd]
  const bool masked = step.mask && step.mask->defined();
  at::Tensor out;                                                                     // [nkv, g*T, hd]
#if TORCH_VERSION_MAJOR >= 2
  const bool fused_attention = q.scalar_type() == at::kFloat || !q.is_cpu();
#else
  const bool fused_attention = false;
#endif
  if (fused_attention) {
#if TORCH_VERSION_MAJOR >= 2
    c10::optional<at::Tensor> mask;
    // Rows are ordered (g, t): a one-token mask [1, S] broadcasts over the groups as it is.
    if (masked) mask = T == 1 ? *step.mask : step.mask->repeat({groups, 1});
    if (masked || q.is_cpu()) {
      // As [batch 1, kv heads, g*T rows, hd]: LibTorch's fused kernels take 4-D inputs only.
      out = at::scaled_dot_product_attention(qg.unsqueeze(0), keys.unsqueeze(0), values.unsqueeze(0), mask).squeeze(0);
    } else {
      // An unmasked CUDA decode step changes the key length every token; the 4-D fused
      // backends rebuild their plans per shape (a 4x slower step, seen on an H200).
      out = at::scaled_dot_product_attention(qg, keys, values, mask);
    }
#endif
  } else {
    // HF 4.33 order and rounding points: matmul, / sqrt(hd), + mask, softmax in fp32, cast back.
    auto scores = at::bmm(qg, keys.transpose(1, 2)) / std::sqrt(static_cast<double>(head_dim));  // [nkv, g*T, S]
    if (masked)  // the [T, S] mask applies to every group of query heads
      scores = (scores.view({num_key_value_heads, groups, T, S}) + *step.mask).view({num_key_value_heads, groups * T, S});
    auto probs = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
    out = at::bmm(probs, values);
  }
  // reshape, not view: the 4-D fused attention kernels return [kv heads, g*T, hd] with the rows
  // outermost in memory, which only a copy can regroup when g > 1 (grouped-query attention).
  return out.reshape({num_heads, T, head_dim}).transpose(0, 1).reshape({T, nq});  // [T, nh*hd]
}

LlamaMLP::LlamaMLP(const LlamaConfig& c)
    : gate_proj(c.hidden_size, c.intermediate_size, false),
      up_proj(c.hidden_size, c.intermediate_size, false),
      down_proj(c.intermediate_size, c.hidden_size, false),
      intermediate_size(c.intermediate_size) {
  register_module("gate_proj", &gate_proj);
  register_module("up_proj", &up_proj);
  register_module("down_proj", &down_proj);
}

void LlamaMLP::fuse() {
  gate_up_weight = at::cat({gate_proj.weight, up_proj.weight}, 0);
  gate_proj.weight = gate_up_weight.narrow(0, 0, intermediate_size);
  up_proj.weight = gate_up_weight.narrow(0, intermediate_size, intermediate_size);
}

at::Tensor LlamaMLP::forward(const at::Tensor& h, const LayerStep& step) const {
  const std::int64_t T = h.size(0), I = intermediate_size;
  auto* b = step.buffers;
  at::Tensor gate_up = b ? b->gate_up : new_rows(h, T, 2 * I);
  project(gate_up, h, gate_up_weight);  // [T, 2I]
  at::Tensor act = b ? b->act : new_rows(h, T, I);
  at::silu_out(act, gate_up.narrow(1, 0, I));
  act.mul_(gate_up.narrow(1, I, I));  // [T, I]
  at::Tensor down = b ? b->down : new_rows(h, T, down_proj.weight.size(0));
  project(down, act, down_proj.weight);  // [T, hidden]
  return down;
}

LlamaDecoderLayer::LlamaDecoderLayer(const LlamaConfig& c)
    : self_attn(c), mlp(c), input_layernorm(c.hidden_size, c.rms_norm_eps),
      post_attention_layernorm(c.hidden_size, c.rms_norm_eps) {
  register_module("self_attn", &self_attn);
  register_module("mlp", &mlp);
  register_module("input_layernorm", &input_layernorm);
  register_module("post_attention_layernorm", &post_attention_layernorm);
}

void LlamaDecoderLayer::forward_fused(ResidualStream& stream, at::Tensor& key, at::Tensor& value,
                                      const LayerStep& step) const {
  auto& b = *step.buffers;
  const auto& attn = self_attn;
  norm_project(b.qkv, stream, input_layernorm, attn.qkv_weight, b.normed, step.folds);  // [1, nq + 2 nkv]
  kernels::rope_and_cache(b.qkv, step.rope_table->cos, step.rope_table->sin, *step.position, attn.num_heads,
                          attn.num_key_value_heads, b.q, key, value);
  at::Tensor merged;  // [1, nh*hd]
  if (step.folds.attention) {  // forward_fixed checked kernels::attention_applies for this window
    kernels::decode_attention(b.attn, b.q, key, value, *step.position, step.window);
    merged = b.attn;
  } else {
    merged = attn.attend(b.q.view({1, attn.num_heads, attn.head_dim}), key, value, step);
  }
  add_projection(stream, merged, false, attn.o_proj.weight, b.act, b.o, step.folds);
  norm_project(b.gate_up, stream, post_attention_layernorm, mlp.gate_up_weight, b.normed, step.folds);  // [1, 2I]
  add_projection(stream, b.gate_up, true, mlp.down_proj.weight, b.act, b.down, step.folds);
}

at::Tensor LlamaDecoderLayer::forward(at::Tensor x, at::Tensor& key, at::Tensor& value, const LayerStep& step) const {
  x.add_(self_attn.forward(input_layernorm.forward(x), key, value, step));
  x.add_(mlp.forward(post_attention_layernorm.forward(x), step));
  return x;
}

}  // namespace seedcanvas::llm
