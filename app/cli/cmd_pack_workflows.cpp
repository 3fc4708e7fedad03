// ask / generate / edit: one turn against a model pack through the same pipeline the app uses.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

#include "cli/pack_session.h"
#include "common/command.h"
#include "core/error.h"

namespace seedcanvas::tool {
namespace {

using pipeline::Event;
using pipeline::EventKind;
using pipeline::Message;

struct Outcome {
  std::vector<Event> images;  // ImageReady events
  bool failed = false;
  pipeline::FinishReason reason = pipeline::FinishReason::Eos;
};

Outcome run_turn(pipeline::SeedPipeline& p, pipeline::ChatRequest& request, bool quiet) {
  Outcome out;
  std::atomic<bool> cancel{false};
  p.chat(request, cancel, [&](Event e) {
    print_event(e, quiet);
    if (e.kind == EventKind::ImageReady) out.images.push_back(e);
    if (e.kind == EventKind::Finished) out.reason = e.reason;
  });
  return out;
}

int save_first_image(const Outcome& out, const std::string& path, const std::string& prompt, const PackFlags& flags) {
  if (out.images.empty()) {
    std::fprintf(stderr, "the model's answer contains no image (finish: %s); try --draw or another --seed\n",
                 pipeline::finish_reason_name(out.reason));
    return kBadInput;
  }
  const auto& e = out.images.front();
  write_image_file(path, *e.image, e.codes, e.seed, prompt, flags.settings);
  if (!flags.quiet) std::fprintf(stderr, "wrote %s\n", path.c_str());
  return kOk;
}

int run_ask(std::vector<std::string> args) {
  CLI::App app{"Ask a question about an image"};
  PackFlags flags;
  flags.add_to(app);
  std::vector<std::string> images;
  std::string question;
  // One path per --image (repeat it for several): a list would swallow the question after it.
  app.add_option("--image", images, "image file to ask about (repeat for several)")->required()->expected(1)->allow_extra_args(false)->take_all();
  app.add_option("question", question, "the question")->required();
  if (auto done = parse_command_line(app, std::move(args))) return *done;

  auto p = flags.load();
  pipeline::ChatRequest request;
  Message user;
  user.text = question;
  for (const auto& path : images)
    user.images.push_back({{}, std::make_shared<RgbImage>(read_image_file(path))});
  request.history.push_back(std::move(user));
  request.settings = flags.settings;
  run_turn(*p, request, flags.quiet);
  return kOk;
}

int run_generate(std::vector<std::string> args) {
  CLI::App app{"Generate an image from a description"};
  PackFlags flags;
  flags.add_to(app);
  std::string prompt, output;
  bool no_force = false;
  app.add_option("prompt", prompt, "what to draw")->required();
  app.add_option("-o,--output", output, "PNG or JPEG file to write")->required();
  app.add_flag("--no-draw", no_force, "do not force an image: let the model decide whether to draw");
  if (auto done = parse_command_line(app, std::move(args))) return *done;

  auto p = flags.load();
  pipeline::ChatRequest request;
  request.history.push_back({Message::Role::User, prompt, {}});
  request.settings = flags.settings;
  request.settings.force_image = !no_force;
  request.settings.stop_after_image = true;
  return save_first_image(run_turn(*p, request, flags.quiet), output, prompt, flags);
}

int run_edit(std::vector<std::string> args) {
  CLI::App app{"Edit an image by instruction (the source image goes into the prompt as its 32 codes)"};
  PackFlags flags;
  flags.add_to(app);
  std::string image, instruction, output;
  app.add_option("--image", image, "the image to edit")->required();
  app.add_option("instruction", instruction, "what to change")->required();
  app.add_option("-o,--output", output, "PNG or JPEG file to write")->required();
  if (auto done = parse_command_line(app, std::move(args))) return *done;

  auto p = flags.load();
  pipeline::ChatRequest request;
  request.history.push_back({Message::Role::User, "<image>" + instruction, {{{}, std::make_shared<RgbImage>(read_image_file(image))}}});
  request.settings = flags.settings;
  request.settings.force_image = true;
  request.settings.stop_after_image = true;
  return save_first_image(run_turn(*p, request, flags.quiet), output, instruction, flags);
}

}  // namespace

SEEDCANVAS_COMMAND(ask, "ask", "ask a question about an image (--pack DIR --image IMG \"question\")", run_ask);
SEEDCANVAS_COMMAND(generate, "generate", "generate an image (--pack DIR \"prompt\" -o out.png)", run_generate);
SEEDCANVAS_COMMAND(edit, "edit", "edit an image (--pack DIR --image IMG \"instruction\" -o out.png)", run_edit);

}  // namespace seedcanvas::tool
