#include "llm/llama_model.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "io/tensor_source.h"
#include "llm/cuda_graph.h"
#include "llm/decode_kernels.h"
#include "llm/fixed_decoder.h"
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
  rotary_emb_.build_table(config_.max_position_embeddings, dtype_, device_);
  const char* graphs = std::getenv("SEEDCANVAS_CUDA_GRAPHS");
  const bool graphs_off = graphs && std::string(graphs) == "0";
  const char* fused = std::getenv("SEEDCANVAS_DECODE_KERNELS");
  decode_kernels_ = kernels::supports(device_, dtype_) && !(fused && std::string(fused) == "0");
  // Off: each fold decoded the 8B model more slowly on an H100 (BENCHMARKS.md, sixth session);
  // SEEDCANVAS_DECODE_FOLDS=all (or a list) turns them on.
  const char* folds = std::getenv("SEEDCANVAS_DECODE_FOLDS");
  decode_folds_ = folds ? DecodeFolds::parse(folds) : DecodeFolds{};
  // The CPU keeps the ATen ops: the fused loops measured no faster there (the projections
  // dominate), and ATen's own reductions keep bf16 norms bit-identical to upstream.
  decode_mode_ = device_.is_cuda() && cuda_graphs_built() && !graphs_off ? DecodeMode::Graphs : DecodeMode::Eager;
  const char* tune = std::getenv("SEEDCANVAS_DECODE_GEMV_TUNE");
  if (!(tune && std::string(tune) == "0") && kernels::gemv_variant() == kernels::GemvKernel::Auto) {
    try {
      tune_projections();
    } catch (const std::exception&) {
      // Tuning is an optimisation: a failure in it (memory for the reference product, say) must
      // not fail the load. The shapes it did not record take kernel 0.
      tuning_.clear();
    }
  }
}

std::vector<LlamaForCausalLM::WeightClass> LlamaForCausalLM::projection_classes() const {
  std::vector<WeightClass> classes = {
      {"qkv", {}}, {"o_proj", {}}, {"gate_up", {}}, {"down_proj", {}}, {"lm_head", {&output_weight()}}};
  for (const auto& l : model.layers) {
    classes[0].second.push_back(&l->self_attn.qkv_weight);
    classes[1].second.push_back(&l->self_attn.o_proj.weight);
    classes[2].second.push_back(&l->mlp.gate_up_weight);
    classes[3].second.push_back(&l->mlp.down_proj.weight);
  }
  return classes;
}

const std::vector<GemvTuning>& LlamaForCausalLM::tune_projections() {
  tuning_.clear();
  if (!device_.is_cuda() || dtype_ != at::kBFloat16 || !kernels::gemv_enabled()) return tuning_;
  c10::InferenceMode guard;
  using kernels::GemvKernel;
  const std::vector<GemvKernel> candidates = {GemvKernel::Staged, GemvKernel::Rows2, GemvKernel::Batched,
                                              GemvKernel::Split2, GemvKernel::Cublas};
  const auto flag = at::zeros({1}, at::TensorOptions().dtype(at::kFloat).device(device_));
  const DeviceSync sync = [&flag] { flag.item<float>(); };  // a device-to-host read waits for the stream
  const GemvRunner run = [](at::Tensor& out, const at::Tensor& x, const at::Tensor& w, GemvKernel kernel) {
    kernels::gemv(out, x, w, kernel);
  };
  const std::string device = gemv_choices_file_.empty() ? std::string() : gemv_device_key(device_);
  const GemvChoices kept = gemv_choices_file_.empty() ? GemvChoices{} : read_gemv_choices(gemv_choices_file_, device);
  bool timed = false;
  for (const auto& [name, weights] : projection_classes()) {
    if (weights.empty() || !weights.front()->defined()) continue;
    const at::Tensor& w0 = *weights.front();
    const auto x = at::empty({1, w0.size(1)}, w0.options());
    auto out = at::empty({1, w0.size(0)}, w0.options());
    if (!kernels::gemv_applies(out, x, w0)) continue;  // project() takes at::mm for these anyway
    if (const auto it = kept.find({w0.size(0), w0.size(1)});
        it != kept.end() && std::find(candidates.begin(), candidates.end(), it->second) != candidates.end()) {
      GemvTuning t;  // chosen (and checked) by an earlier run of this engine on this GPU
      t.name = name;
      t.rows = w0.size(0);
      t.k = w0.size(1);
      t.chosen = it->second;
      tuning_.push_back(t);
    } else {
      tuning_.push_back(tune_gemv_class(name, weights, candidates, run, sync));
      timed = true;
    }
    record_gemv_choice(tuning_.back());
  }
  if (timed && !gemv_choices_file_.empty()) write_gemv_choices(gemv_choices_file_, device, tuning_);
  return tuning_;
}

std::int64_t LlamaForCausalLM::rope_table_length() const {
  const auto& table = rotary_emb_.table();
  return table.cos.defined() ? table.cos.size(0) : 0;
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
  if (options.threads > 0) at::set_num_threads(options.threads);
  if (options.device.is_cpu() && options.dtype != at::kFloat && options.dtype != at::kBFloat16)
    throw_error(ErrorKind::Unsupported, dir.string() + ": compute dtype " + c10::toString(options.dtype) +
                                            " is not supported on the CPU (use fp32 or bf16)");
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
  m->gemv_choices_file_ = options.gemv_choices;
  m->fuse();
  return m;
}

std::unique_ptr<LlamaForCausalLM> LlamaForCausalLM::random(const LlamaConfig& config, c10::ScalarType dtype,
                                                           double std, std::uint64_t seed, c10::Device device) {
  c10::InferenceMode guard;
  auto m = std::make_unique<LlamaForCausalLM>(config);
  auto gen = at::detail::createCPUGenerator(seed);
  if (!device.is_cpu()) at::manual_seed(seed);  // multi-GB models: draw where they live
  for (auto& p : m->named_parameters()) {
    const bool is_norm = p.shape.size() == 1;
    if (!device.is_cpu()) {
      auto t = at::empty(p.shape, at::TensorOptions().dtype(dtype).device(device));
      *p.tensor = is_norm ? t.fill_(1.0) : t.normal_(0.0, std);
      continue;
    }
    auto t = at::empty(p.shape, at::kFloat);
    if (is_norm)
      t.fill_(1.0);
    else
      t.normal_(0.0, std, gen);
    *p.tensor = t.to(dtype);
  }
  m->dtype_ = dtype;
  m->device_ = device;
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

  if (T == 1 && !all_logits && !want_hidden && decode_mode_ == DecodeMode::Fused && past < rope_table_length()) {
    const auto longs = at::TensorOptions().dtype(at::kLong).device(device_);
    ForwardOutput out;
    out.logits = at::empty({1, config_.vocab_size}, at::TensorOptions().dtype(at::kFloat).device(device_));
    forward_fixed(at::full({1}, ids[0], longs), at::full({1}, past, longs), past + 1, cache, out.logits,
                  /*mask_tail=*/false);
    cache.append_tokens(ids.data(), 1);
    return out;
  }
  if (T == 1 && !all_logits && !want_hidden &&
      (decode_mode_ == DecodeMode::Fixed || decode_mode_ == DecodeMode::Graphs)) {
    auto* fixed = cache.fixed_decoder();
    if (!fixed || !fixed->serves(*this)) {
      cache.set_fixed_decoder(std::make_unique<FixedDecoder>(*this, decode_mode_ == DecodeMode::Graphs));
      fixed = cache.fixed_decoder();
    }
    if (fixed->can_step(cache)) {
      ForwardOutput out;
      out.logits = fixed->step(cache, ids[0]);
      return out;
    }
  }

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

namespace seedcanvas::llm {

void LlamaForCausalLM::forward_fixed(const at::Tensor& token, const at::Tensor& position, std::int64_t window,
                                     KvCache& cache, at::Tensor& logits, bool mask_tail) const {
  c10::InferenceMode guard;
  const auto& table = rotary_emb_.table();
  at::Tensor x = at::embedding(model.embed_tokens.weight, token);  // [1, hidden]
  const bool fused = decode_kernels_ && kernels::supports(device_, dtype_);
  RopeRows rope;  // the fused kernel reads the table itself
  if (!fused) rope = {table.cos.index_select(0, position), table.sin.index_select(0, position)};
  auto& buffers = cache.decode_buffers();
  LayerStep step;
  step.folds = fused ? decode_folds_ : DecodeFolds{};
  // The attention kernel reads only the rows up to the position: no mask to build.
  step.folds.attention = step.folds.attention &&
                         kernels::attention_applies(buffers.q, cache.key_storage(0), config_.num_attention_heads, window);
  const auto longs = at::TensorOptions().dtype(at::kLong).device(device_);
  at::Tensor mask;
  if (mask_tail && !step.folds.attention)
    mask = at::zeros({1, window}, x.options())
               .masked_fill_(at::arange(window, longs).gt(position).unsqueeze(0), -std::numeric_limits<double>::infinity());
  step.rope = &rope;
  step.mask = &mask;
  step.buffers = &buffers;
  step.position = &position;
  step.window = window;
  step.rope_table = &table;
  if (fused) {
    ResidualStream stream{x};
    for (std::size_t i = 0; i < model.layers.size(); ++i)
      model.layers[i]->forward_fused(stream, cache.key_storage(static_cast<std::int64_t>(i)),
                                     cache.value_storage(static_cast<std::int64_t>(i)), step);
    norm_project(buffers.logits, stream, model.norm, output_weight(), buffers.normed, step.folds);
  } else {
    for (std::size_t i = 0; i < model.layers.size(); ++i)
      x = model.layers[i]->forward(x, cache.key_storage(static_cast<std::int64_t>(i)),
                                   cache.value_storage(static_cast<std::int64_t>(i)), step);
    project(buffers.logits, model.norm.forward(x), output_weight());
  }
  logits.copy_(buffers.logits);  // HF 4.33 upcasts logits to fp32
}

}  // namespace seedcanvas::llm
