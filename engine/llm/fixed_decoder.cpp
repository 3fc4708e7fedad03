#include "llm/fixed_decoder.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>

#include "core/error.h"
#include "llm/kv_cache.h"
#include "llm/llama_model.h"

namespace seedcanvas::llm {

FixedDecoder::FixedDecoder(const LlamaForCausalLM& model, bool capture_graphs)
    : model_(&model), capture_graphs_(capture_graphs && cuda_graphs_built()),
      kernels_(model.decode_kernels()),
      folds_(model.decode_folds()) {
  const auto longs = at::TensorOptions().dtype(at::kLong).device(model.device());
  token_ = at::zeros({1}, longs);
  position_ = at::zeros({1}, longs);
  logits_ = at::empty({1, model.config().vocab_size}, at::TensorOptions().dtype(at::kFloat).device(model.device()));
}

FixedDecoder::~FixedDecoder() = default;

bool FixedDecoder::serves(const LlamaForCausalLM& model) const {
  return &model == model_ && model.decode_kernels() == kernels_ && model.decode_folds() == folds_;
}

std::int64_t FixedDecoder::window_for(std::int64_t position, std::int64_t rows) {
  std::int64_t window = 256;
  while (window <= position) window *= 2;
  return std::min(window, rows);
}

bool FixedDecoder::can_step(const KvCache& cache) const {
  const std::int64_t position = cache.length();
  return position < cache.capacity() && position < model_->rope_table_length();
}

at::Tensor FixedDecoder::step(KvCache& cache, std::int64_t token) {
  c10::InferenceMode guard;
  if (!can_step(cache)) throw_error(ErrorKind::Internal, "fixed decode step past its RoPE table or cache");
  const std::int64_t position = cache.length();
  const std::int64_t window = window_for(position, cache.storage_rows());
  token_.fill_(token);
  position_.fill_(position);
  auto body = [this, window, &cache] { model_->forward_fixed(token_, position_, window, cache, logits_); };
  auto found = graphs_.find(window);
  if (found != graphs_.end()) {
    found->second->replay();
  } else if (capture_graphs_) {
    std::string why;
    auto work = run_and_capture(body, &why);  // this step's real work runs inside
    if (work) {
      graphs_.emplace(window, std::move(work));
    } else {
      capture_error_ = why;
      capture_graphs_ = false;  // stay eager rather than retrying a failing capture every step
    }
  } else {
    body();
  }
  cache.append_tokens(&token, 1);
  return logits_.clone();
}

}  // namespace seedcanvas::llm
