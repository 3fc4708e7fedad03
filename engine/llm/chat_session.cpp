#include "llm/chat_session.h"

#include "core/error.h"

namespace seedcanvas::llm {

ChatSession::ChatSession(const LlamaForCausalLM& model, TokenIds ids, TextEncoder encode, TextDecoder decode,
                         ChatOptions options)
    : model_(model),
      ids_(ids),
      decode_(std::move(decode)),
      options_(std::move(options)),
      builder_(options_.prompt_template, ids, std::move(encode)),
      sampler_(options_.sampling, ids),
      cache_(model.new_cache(options_.context)) {
  if (ids.has_images() && ids.image_shift + ids.image_count > model.config().vocab_size)
    throw_error(ErrorKind::Mismatch, model.config().source + ": vocab_size " +
                                         std::to_string(model.config().vocab_size) +
                                         " has no room for the tokenizer's image tokens");
}

void ChatSession::reset() {
  history_.clear();
  cache_.clear();
}

ChatTurn ChatSession::send(Message user, const StepCallback& on_step, const std::atomic<bool>* cancel,
                           std::function<std::string(std::int64_t)> text_delta,
                           std::function<std::string()> text_flush) {
  user.role = Role::User;
  history_.push_back(std::move(user));
  std::vector<std::int64_t> prompt;
  try {
    prompt = builder_.encode(history_, options_.force_image);
  } catch (...) {
    history_.pop_back();
    throw;
  }
  GenerationSettings gs;
  gs.max_new_tokens = options_.max_new_tokens;
  gs.stop_ids = options_.stop_ids;
  gs.text_delta = std::move(text_delta);
  gs.text_flush = std::move(text_flush);

  ChatTurn turn;
  try {
    turn.generation = generate(model_, cache_, prompt, sampler_, gs, on_step, cancel);
  } catch (...) {
    history_.pop_back();
    throw;
  }
  // A forced <img> is part of the answer: parse it together with the generated codes.
  std::vector<std::int64_t> answer;
  if (options_.force_image) answer.push_back(ids_.boi);
  answer.insert(answer.end(), turn.generation.ids.begin(), turn.generation.ids.end());
  turn.parsed = parse_output(answer, ids_);

  turn.reply.role = Role::Assistant;
  for (const auto& seg : turn.parsed.segments) {
    if (seg.kind == OutputSegment::Text && decode_) {
      auto text = decode_(seg.ids);
      if (!text.empty()) turn.reply.segments.push_back(Segment::of_text(std::move(text)));
    } else if (seg.kind == OutputSegment::Image) {
      turn.reply.segments.push_back(Segment::of_image(seg.codes));
    }
  }
  history_.push_back(turn.reply);
  return turn;
}

}  // namespace seedcanvas::llm
