// Plain value types exchanged with the engine service. No tensors and no Qt: the UI adapts
// these to its own types, and they may be copied across threads freely.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/image.h"

namespace seedcanvas::pipeline {

using Codes = std::vector<std::int32_t>;  // one image: 32 SEED codes

// An image in a conversation: its codes when known (user images are tokenized once, generated
// images carry the codes they were drawn from); pixels otherwise.
struct ImageInput {
  Codes codes;
  std::shared_ptr<const RgbImage> pixels;
  // When neither codes nor pixels are set: produces the pixels on the engine thread, so a caller
  // need not read or convert a large picture on its own (UI) thread. Null: unreadable.
  std::function<std::shared_ptr<const RgbImage>()> read_pixels;
};

struct Message {
  enum class Role { User, Assistant };
  Role role = Role::User;
  std::string text;                 // "<image>" marks where each image goes, in order
  std::vector<ImageInput> images;   // as many as "<image>" markers (extra images go first)
};

struct SamplingSettings {
  double temperature = 1.0;  // upstream scripts: 1.0, top-p 0.5, top-k 50
  int top_k = 50;
  double top_p = 0.5;
  double repetition_penalty = 1.0;
  int max_new_tokens = 512;
  std::uint64_t seed = 0;
  bool constrain_image_spans = true;  // after <img>: only codes, 32 of them, then </img>
};

struct DiffusionSettings {
  int steps = 20;
  double guidance = 10.0;
  std::string scheduler = "pndm";  // pndm | ddim | dpmpp
  std::uint64_t seed = 0;
  int preview_every = 1;           // a preview thumbnail every k steps (0: none)
};

struct GenerationSettings {
  SamplingSettings sampling;
  DiffusionSettings diffusion;
  bool force_image = false;  // append <img> to the prompt, as upstream's force_boi
  bool stop_after_image = false;  // end the answer at the first </img> (one-shot image tools)
};

struct LoadRequest {
  std::string pack_dir;
  std::optional<std::string> device;  // "cpu", "cuda", "cuda:1"
  std::optional<std::string> dtype;   // "fp32", "bf16", "fp16"
  int threads = 0;                    // 0: number of physical cores
  std::string gemv_choices;           // file keeping the GPU's projection kernels (llm/gemv_tuning.h); "": none
};

struct ChatRequest {
  std::vector<Message> history;  // the shown branch, ending with the new user message
  GenerationSettings settings;
};

enum class FinishReason { Eos, Length, Stop, Cancelled, Error };
const char* finish_reason_name(FinishReason r);

struct Stats {
  double time_to_first_token_s = 0;
  double tokens_per_s = 0;
  int new_tokens = 0;
  int prompt_tokens = 0;
  int reused_prompt_tokens = 0;  // served from the KV cache of earlier turns
  double seconds_per_image = 0;
  int images = 0;
};

enum class EventKind {
  LoadProgress,    // text: stage, step/total
  Loaded,          // text: pack description (device, dtype, reason)
  ImageTokenized,  // message/index: which input image; codes
  TextDelta,       // text: the new text
  ImageTokens,     // index: answer image; step: k of total (32)
  DiffusionStep,   // index; step/total; image: preview thumbnail (may be null)
  ImageReady,      // index; image: full picture; codes; seed
  MalformedImage,  // index; text: why the span was not drawn
  Finished,        // reason; stats; text: the whole answer text ("<image>" where images are)
  Failed,          // error_kind; text: a message a user can act on
};

struct Event {
  EventKind kind = EventKind::Failed;
  std::uint64_t request = 0;
  std::string text;
  int message = 0;
  int index = 0;
  int step = 0;
  int total = 0;
  Codes codes;
  std::uint64_t seed = 0;
  std::shared_ptr<const RgbImage> image;
  FinishReason reason = FinishReason::Eos;
  Stats stats;
  ErrorKind error_kind = ErrorKind::Internal;
};

}  // namespace seedcanvas::pipeline
