#include "pipeline/seed_pipeline.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "diffusion/scheduler.h"
#include "diffusion/unclip_components.h"
#include "diffusion/unclip_pipeline.h"
#include "llm/generate.h"
#include "llm/llama_model.h"
#include "llm/output_parser.h"
#include "llm/prompt.h"
#include "llm/sampler.h"
#include "text/seed_tokenizer.h"
#include "vision/seed_image_tokenizer.h"

namespace seedcanvas::pipeline {

llm::SamplerSettings sampler_settings(const SamplingSettings& s) {
  llm::SamplerSettings out;
  out.temperature = s.temperature;
  out.top_k = s.top_k;
  out.top_p = s.top_p;
  out.repetition_penalty = s.repetition_penalty;
  out.seed = s.seed;
  out.image_span_rule = s.constrain_image_spans;
  out.validate();
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string gigabytes(std::uint64_t bytes) {
  std::ostringstream s;
  s.precision(1);
  s << std::fixed << bytes / 1e9 << " GB";
  return s.str();
}

llm::TokenIds token_ids_of(const text::SeedTokenizer& tok, bool with_images) {
  llm::TokenIds ids;
  ids.bos = tok.bos_id();
  ids.eos = tok.eos_id();
  if (!with_images) return ids;
  ids.boi = tok.boi_id();
  ids.eoi = tok.eoi_id();
  ids.image_shift = tok.image_id_shift();
  ids.image_count = tok.image_code_count();
  return ids;
}

// "<image>" markers in a message's text say where its images go; images beyond the markers
// come first, as upstream places a lone image before the question.
llm::Message to_llm_message(const Message& m, std::size_t index) {
  static const std::string kMarker = "<image>";
  llm::Message out;
  out.role = m.role == Message::Role::User ? llm::Role::User : llm::Role::Assistant;
  std::size_t markers = 0;
  for (auto p = m.text.find(kMarker); p != std::string::npos; p = m.text.find(kMarker, p + kMarker.size())) ++markers;
  if (markers > m.images.size())
    throw Error(ErrorKind::Config, "message " + std::to_string(index + 1) + " has " + std::to_string(markers) +
                                       " image markers but " + std::to_string(m.images.size()) + " images");
  auto image_segment = [&](std::size_t i) {
    const auto& codes = m.images[i].codes;
    if (codes.empty())
      throw Error(ErrorKind::Internal, "image " + std::to_string(i + 1) + " of message " + std::to_string(index + 1) +
                                           " has not been tokenized");
    return llm::Segment::of_image(std::vector<std::int64_t>(codes.begin(), codes.end()));
  };
  std::size_t next_image = 0;
  for (; next_image < m.images.size() - markers; ++next_image) out.segments.push_back(image_segment(next_image));
  std::size_t pos = 0;
  for (;;) {
    const auto p = m.text.find(kMarker, pos);
    const std::string chunk = m.text.substr(pos, p == std::string::npos ? std::string::npos : p - pos);
    if (!chunk.empty()) out.segments.push_back(llm::Segment::of_text(chunk));
    if (p == std::string::npos) break;
    out.segments.push_back(image_segment(next_image++));
    pos = p + kMarker.size();
  }
  return out;
}

FinishReason finish_of(llm::FinishReason r) {
  switch (r) {
    case llm::FinishReason::Eos: return FinishReason::Eos;
    case llm::FinishReason::Length: return FinishReason::Length;
    case llm::FinishReason::Stop: return FinishReason::Stop;
    case llm::FinishReason::Cancelled: return FinishReason::Cancelled;
  }
  return FinishReason::Error;
}

}  // namespace

SeedPipeline::~SeedPipeline() = default;

std::unique_ptr<SeedPipeline> SeedPipeline::load(const LoadRequest& request, const LoadProgress& progress) {
  auto report = [&](const std::string& stage, int step, int total) {
    if (progress && !progress(stage, step, total)) throw Error(ErrorKind::Cancelled, "loading cancelled");
  };
  auto tensors = [&](const std::string& stage) {
    return [&, stage](std::size_t done, std::size_t total) {
      report(stage, static_cast<int>(done), static_cast<int>(total));
      return true;
    };
  };

  std::unique_ptr<SeedPipeline> p(new SeedPipeline());
  report("Checking the model pack", 0, 1);
  p->pack_ = find_pack(request.pack_dir);
  p->device_ = choose_device(request.device, request.dtype);
  const int threads = request.threads > 0 ? request.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  const auto estimate = validate_pack(p->pack_, p->device_.dtype);
  if (!p->device_.device.is_cuda() && !estimate.fits())
    throw Error(ErrorKind::Resource, "The model pack needs about " + gigabytes(estimate.total_bytes()) + " of memory but only " +
                                         gigabytes(estimate.available_bytes) +
                                         " is free. Close other programs or choose bf16 in the settings.");
  p->images_supported_ = estimate.llm_has_image_tokens;
  report("Checking the model pack", 1, 1);

  const auto dtype = p->device_.dtype;
  const auto device = p->device_.device;
  p->tokenizer_ = text::SeedTokenizer::load(p->pack_.text_tokenizer);

  llm::LlamaLoadOptions llm_options;
  llm_options.device = device;
  llm_options.dtype = dtype;
  llm_options.progress = tensors("Loading the language model");
  llm_options.gemv_choices = request.gemv_choices;
  p->llm_ = llm::LlamaForCausalLM::load(p->pack_.llm, llm_options);
  p->cache_ = std::make_unique<llm::KvCache>(p->llm_->new_cache());

  vision::SeedTokenizerOptions vision_options;
  vision_options.device = device;
  vision_options.dtype = dtype == c10::ScalarType::Half && !device.is_cuda() ? c10::ScalarType::Float : dtype;
  vision_options.progress = tensors("Loading the image tokenizer");
  auto paths = vision::SeedTokenizerPaths::resolve(p->pack_.seed_tokenizer);
  if (!p->pack_.vit.empty()) paths.vit = p->pack_.vit;
  p->image_tokenizer_ = vision::SeedImageTokenizer::load(paths, vision_options);

  diffusion::UnclipLoadOptions unclip_options;
  unclip_options.device = device;
  unclip_options.dtype = vision_options.dtype;
  unclip_options.channels_last = device.is_cuda();  // UNet only (see UnclipLoadOptions)
  unclip_options.progress = tensors("Loading the image decoder");
  p->decoder_ = diffusion::UnclipPipeline::load(p->pack_.unclip, unclip_options);
  return p;
}

std::string SeedPipeline::description() const {
  std::string text = "SEED-LLaMA " + std::string(pack_.chat_template == ChatTemplate::Llama2_14B ? "14B" : "8B") +
                     " pack '" + pack_.name + "' on " + device_.device.str() + ", " +
                     std::string(c10::toString(device_.dtype)) + " (" + device_.reason + ")";
  if (pack_.random_weights) text += ". Demo pack with RANDOM weights: answers and pictures are noise";
  if (!images_supported_) text += ". Text only: this language model has no image tokens";
  return text;
}

void SeedPipeline::reset_session() { cache_->clear(); }

Codes SeedPipeline::tokenize_image(const RgbImage& image) const {
  auto codes = image_tokenizer_->encode(image);
  return Codes(codes.begin(), codes.end());
}

std::vector<std::int64_t> SeedPipeline::prompt_ids(const std::vector<Message>& history, bool force_image) const {
  std::vector<llm::Message> conversation;
  for (std::size_t i = 0; i < history.size(); ++i) conversation.push_back(to_llm_message(history[i], i));
  const auto tmpl = pack_.chat_template == ChatTemplate::Llama2_14B ? llm::PromptTemplate::Seed14B : llm::PromptTemplate::Seed8B;
  llm::PromptBuilder builder(tmpl, token_ids_of(*tokenizer_, images_supported_), [this](const std::string& t) { return tokenizer_->encode(t); });
  return builder.encode(conversation, force_image);
}

RgbImage SeedPipeline::draw(const Codes& codes, const DiffusionSettings& settings, const std::atomic<bool>* cancel,
                            const DrawProgress& progress) {
  const auto embedding = image_tokenizer_->decode(std::vector<int>(codes.begin(), codes.end()));  // [1, E]
  diffusion::DecodeOptions options;
  options.steps = settings.steps;
  options.guidance_scale = settings.guidance;
  options.scheduler = diffusion::parse_scheduler_kind(settings.scheduler);
  options.seed = settings.seed;
  options.cancel = cancel;
  options.preview = settings.preview_every > 0 ? diffusion::PreviewMode::Latent : diffusion::PreviewMode::None;
  options.preview_every = std::max(1, settings.preview_every);
  if (progress) {
    options.on_step = [&](const diffusion::StepInfo& step) {
      std::shared_ptr<const RgbImage> preview;
      if (step.preview.defined()) preview = std::make_shared<RgbImage>(diffusion::to_rgb_image(step.preview));
      return progress(static_cast<int>(step.index + 1), static_cast<int>(step.total), preview);
    };
  }
  auto result = decoder_->decode(embedding, options);
  return diffusion::to_rgb_image(result.image);
}

void SeedPipeline::chat(ChatRequest& request, const std::atomic<bool>& cancel, const EventFn& on_event) {
  auto& history = request.history;
  if (history.empty() || history.back().role != Message::Role::User)
    throw Error(ErrorKind::Config, "the conversation must end with a user message");

  if (!images_supported_) {
    bool has_images = request.settings.force_image;
    for (const auto& m : history) has_images = has_images || !m.images.empty();
    if (has_images)
      throw Error(ErrorKind::Unsupported,
                  "The language model of this pack has no image tokens, so it can only chat in text. "
                  "Install a SEED-LLaMA pack to ask about or draw images.");
  }
  // 1. Images without codes are tokenized once; the caller keeps the codes for later turns.
  for (std::size_t m = 0; m < history.size(); ++m) {
    for (std::size_t i = 0; i < history[m].images.size(); ++i) {
      auto& image = history[m].images[i];
      if (!image.codes.empty()) continue;
      const std::string which = "image " + std::to_string(i + 1) + " of message " + std::to_string(m + 1);
      if ((!image.pixels || image.pixels->empty()) && image.read_pixels) {
        try {
          image.pixels = image.read_pixels();
        } catch (const std::exception& e) {
          throw Error(ErrorKind::Format, which + " could not be read: " + e.what());
        }
        if (!image.pixels || image.pixels->empty())
          throw Error(ErrorKind::NotFound, which + " could not be read (its file is missing or damaged); "
                                                   "edit that message to attach the picture again");
      }
      if (!image.pixels || image.pixels->empty())
        throw Error(ErrorKind::Config, which + " has neither pixels nor codes");
      if (cancel) throw Error(ErrorKind::Cancelled, "stopped");
      image.codes = tokenize_image(*image.pixels);
      Event e;
      e.kind = EventKind::ImageTokenized;
      e.message = static_cast<int>(m);
      e.index = static_cast<int>(i);
      e.codes = image.codes;
      on_event(std::move(e));
    }
  }

  // 2. Prompt and generation; the KV cache keeps what earlier turns computed.
  const auto& s = request.settings;
  last_prompt_ = prompt_ids(history, s.force_image);
  const auto ids = token_ids_of(*tokenizer_, images_supported_);
  llm::Sampler sampler(sampler_settings(s.sampling), ids);

  const auto capacity = cache_->capacity();
  const auto prompt_len = static_cast<std::int64_t>(last_prompt_.size());
  if (prompt_len >= capacity)
    throw Error(ErrorKind::Resource, "This conversation (" + std::to_string(prompt_len) +
                                         " tokens) no longer fits the model's context of " + std::to_string(capacity) +
                                         " tokens. Start a new chat, or edit an earlier message to shorten it.");
  text::SeedTokenizer::StreamingDecoder decoder(*tokenizer_, /*skip_special_tokens=*/true);
  llm::GenerationSettings generation;
  generation.max_new_tokens = std::min<std::int64_t>(s.sampling.max_new_tokens, capacity - prompt_len);
  generation.text_delta = [&](std::int64_t id) { return decoder.push(id); };
  generation.text_flush = [&] { return decoder.flush(); };
  if (s.stop_after_image && ids.has_images()) generation.stop_ids.push_back(ids.eoi);
  // With force_image the prompt ends in <img>: the answer starts inside a span.
  int image_index = 0;
  auto on_step = [&](const llm::GenerationStep& step) {
    if (!step.text.empty()) {
      Event e;
      e.kind = EventKind::TextDelta;
      e.text = step.text;
      on_event(std::move(e));
    }
    if (step.in_image && step.image_progress > 0 && ids.is_image_code(step.token)) {
      Event e;
      e.kind = EventKind::ImageTokens;
      e.index = image_index;
      e.step = static_cast<int>(step.image_progress);
      e.total = static_cast<int>(llm::TokenIds::kCodesPerImage);
      on_event(std::move(e));
    }
    if (step.token == ids.eoi) ++image_index;
    return true;
  };
  auto result = llm::generate(*llm_, *cache_, last_prompt_, sampler, generation, on_step, &cancel);
  if (!result.trailing_text.empty()) {
    Event e;
    e.kind = EventKind::TextDelta;
    e.text = result.trailing_text;
    on_event(std::move(e));
  }
  last_generated_ = result.ids;

  Stats stats;
  stats.time_to_first_token_s = result.time_to_first_token;
  stats.tokens_per_s = result.decode_tokens_per_second();
  stats.new_tokens = static_cast<int>(result.ids.size());
  stats.prompt_tokens = static_cast<int>(result.prompt_tokens);
  stats.reused_prompt_tokens = static_cast<int>(result.reused_tokens);
  FinishReason reason = finish_of(result.finish);

  // 3. Every well-formed span becomes a picture; the rest is reported, not drawn.
  std::vector<std::int64_t> parsed_ids;
  if (s.force_image) parsed_ids.push_back(ids.boi);  // the span opened in the prompt
  parsed_ids.insert(parsed_ids.end(), result.ids.begin(), result.ids.end());
  const auto parsed = llm::parse_output(parsed_ids, ids);
  std::string answer;
  int drawn = 0;
  double draw_seconds = 0;
  int index = 0;
  for (const auto& segment : parsed.segments) {
    if (segment.kind == llm::OutputSegment::Text) {
      answer += tokenizer_->decode(segment.ids, true);
      continue;
    }
    const int this_index = index++;
    if (segment.kind == llm::OutputSegment::Malformed) {
      Event e;
      e.kind = EventKind::MalformedImage;
      e.index = this_index;
      e.text = "The model wrote an incomplete image (" + segment.problem + "); it was not drawn.";
      on_event(std::move(e));
      continue;
    }
    answer += "<image>";
    if (reason == FinishReason::Cancelled) continue;
    DiffusionSettings diffusion = s.diffusion;
    if (diffusion.seed == 0) diffusion.seed = s.sampling.seed * 1000003ull + static_cast<std::uint64_t>(this_index) + 1;
    const auto t0 = Clock::now();
    Codes codes(segment.codes.begin(), segment.codes.end());
    try {
      auto picture = draw(codes, diffusion, &cancel, [&](int step, int total, std::shared_ptr<const RgbImage> preview) {
        Event e;
        e.kind = EventKind::DiffusionStep;
        e.index = this_index;
        e.step = step;
        e.total = total;
        e.image = std::move(preview);
        on_event(std::move(e));
        return true;
      });
      Event e;
      e.kind = EventKind::ImageReady;
      e.index = this_index;
      e.codes = std::move(codes);
      e.seed = diffusion.seed;
      e.image = std::make_shared<RgbImage>(std::move(picture));
      on_event(std::move(e));
      ++drawn;
      draw_seconds += seconds_since(t0);
    } catch (const Error& err) {
      if (err.kind() != ErrorKind::Cancelled) throw;
      reason = FinishReason::Cancelled;
    }
  }
  stats.images = drawn;
  stats.seconds_per_image = drawn ? draw_seconds / drawn : 0.0;

  Event done;
  done.kind = EventKind::Finished;
  done.reason = reason;
  done.stats = stats;
  done.text = answer;
  on_event(std::move(done));
}

}  // namespace seedcanvas::pipeline
