#include "llm/llama_model.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/core/InferenceMode.h>

#include <limits>

#include "core/error.h"
#include "io/tensor_source.h"
#include "nn/load.h"

namespace seedcanvas::llm {

LlamaModel::LlamaModel(const LlamaConfig& c)
    : embed_tokens(c.vocab_size, c.hidden_size), norm(c.hidden_size, c.rms_norm_eps) {
  register_module("embed_tokens", &embed_tokens);
  for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
    layers.push_back(std::make_unique<LlamaDecoderLayer>(c));
    register_module("layers." + std::to_string(i), layers.back().get());
  }
  register_module("norm", &norm);
}

LlamaForCausalLM::LlamaForCausalLM(const LlamaConfig& config)
    : model(config), lm_head(config.hidden_size, config.vocab_size, false), config_(config), rotary_emb_(config) {
  config_.validate();
  register_module("model", &model);
  if (!config.tie_word_embeddings) register_module("lm_head", &lm_head);
}

const at::Tensor& LlamaForCausalLM::output_weight() const {
  return config_.tie_word_embeddings ? model.embed_tokens.weight : lm_head.weight;
}

void LlamaForCausalLM::fuse() {
  for (auto& layer : model.layers) {
    layer->self_attn.fuse();
    layer->mlp.fuse();
  }
}

std::uint64_t LlamaForCausalLM::decode_weight_bytes() const {
  std::uint64_t total = 0;
  for (const auto& p : named_parameters())
    if (p.name != "model.embed_tokens.weight") total += p.tensor->nbytes();
  if (config_.tie_word_embeddings) total += model.embed_tokens.weight.nbytes();  // read again as lm_head
  return total;
}

std::unique_ptr<LlamaForCausalLM> LlamaForCausalLM::load(const std::filesystem::path& dir,
                                                         const LlamaLoadOptions& options,
                                                         const std::filesystem::path& weights) {
  auto config = LlamaConfig::load(dir);
  auto source = io::open_checkpoint(weights.empty() ? dir : weights);
  auto m = std::make_unique<LlamaForCausalLM>(config);
  nn::LoadOptions lo;
  lo.device = options.device;
  lo.dtype = options.dtype;
  lo.progress = options.progress;
  // Non-persistent buffers that transformers <= 4.30 still saved; recomputed from the config.
  lo.ignore = {"model.layers.*.self_attn.rotary_emb.inv_freq"};
  if (config.tie_word_embeddings) lo.ignore.push_back("lm_head.weight");
  nn::load_state(*m, *source, lo);
  m->dtype_ = options.dtype;
  m->device_ = options.device;
  m->fuse();
  return m;
}

std::unique_ptr<LlamaForCausalLM> LlamaForCausalLM::random(const LlamaConfig& config, c10::ScalarType dtype,
                                                           double std, std::uint64_t seed) {
  c10::InferenceMode guard;
  auto m = std::make_unique<LlamaForCausalLM>(config);
  auto gen = at::detail::createCPUGenerator(seed);
  for (auto& p : m->named_parameters()) {
    const bool is_norm = p.shape.size() == 1;
    auto t = at::empty(p.shape, at::kFloat);
    if (is_norm)
      t.fill_(1.0);
    else
      t.normal_(0.0, std, gen);
    *p.tensor = t.to(dtype);
  }
  m->dtype_ = dtype;
  m->fuse();
  return m;
}

KvCache LlamaForCausalLM::new_cache(std::int64_t capacity) const {
  return KvCache(config_, capacity > 0 ? capacity : config_.max_position_embeddings, dtype_, device_);
}

at::Tensor LlamaForCausalLM::forward(const std::vector<std::int64_t>& ids, KvCache& cache, bool all_logits) const {
  return forward_full(ids, cache, all_logits, false).logits;
}

ForwardOutput LlamaForCausalLM::forward_full(const std::vector<std::int64_t>& ids, KvCache& cache, bool all_logits,
                                             bool want_hidden) const {
  c10::InferenceMode guard;
  const std::int64_t T = static_cast<std::int64_t>(ids.size()), past = cache.length();
  if (T == 0) throw_error(ErrorKind::Internal, "LLaMA forward: no tokens");
  if (cache.layers() != config_.num_hidden_layers || cache.dtype() != dtype_ || cache.device() != device_)
    throw_error(ErrorKind::Internal, "LLaMA forward: the KV cache was made for another model");
  if (past + T > cache.capacity())
    throw_error(ErrorKind::Resource, "context full: " + std::to_string(past + T) + " tokens exceed the session's " +
                                         std::to_string(cache.capacity()));
  for (auto id : ids)
    if (id < 0 || id >= config_.vocab_size)
      throw_error(ErrorKind::Format, "token id " + std::to_string(id) + " is outside the vocabulary (" +
                                         std::to_string(config_.vocab_size) + ")");

  auto ids_t = at::from_blob(const_cast<std::int64_t*>(ids.data()), {T}, at::kLong).to(device_);
  at::Tensor x = at::embedding(model.embed_tokens.weight, ids_t);  // [T, hidden], owned: layers add in place
  const RopeRows rope = rotary_emb_.rows(past, T, past + T, dtype_, device_);
  at::Tensor mask;
  if (T > 1) {
    // Row t sees keys 0 .. past + t (HF _make_causal_mask shifted by the cached length).
    auto cols = at::arange(past + T, at::TensorOptions().dtype(at::kLong).device(device_));
    auto rows = at::arange(past, past + T, at::TensorOptions().dtype(at::kLong).device(device_)).unsqueeze(1);
    mask = at::zeros({T, past + T}, x.options()).masked_fill(cols.unsqueeze(0) > rows,
                                                              -std::numeric_limits<double>::infinity());
  }
  LayerStep step;
  step.past = past;
  step.rope = &rope;
  step.mask = &mask;
  step.buffers = T == 1 ? &cache.decode_buffers() : nullptr;

  ForwardOutput out;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    if (want_hidden) out.hidden_states.push_back(x.clone());
    x = model.layers[i]->forward(x, cache.key_storage(static_cast<std::int64_t>(i)),
                                 cache.value_storage(static_cast<std::int64_t>(i)), step);
  }
  cache.append_tokens(ids.data(), T);

  if (!all_logits && !want_hidden) x = x.narrow(0, T - 1, 1);
  auto h = model.norm.forward(x);  // [T or 1, hidden]
  if (want_hidden) out.hidden_states.push_back(h);
  if (!all_logits) h = h.narrow(0, h.size(0) - 1, 1);
  at::Tensor logits = T == 1 ? cache.decode_buffers().logits : at::empty({h.size(0), config_.vocab_size}, h.options());
  project(logits, h, output_weight());
  out.logits = logits.to(at::kFloat);  // HF 4.33 upcasts logits; also detaches from the buffer below
  if (out.logits.data_ptr() == logits.data_ptr()) out.logits = out.logits.clone();
  return out;
}

}  // namespace seedcanvas::llm
