// What the pack workflows (ask, generate, edit, chat --pack) share: pack location, sampling
// and diffusion flags, and a console printer of engine events (text to stdout, progress to
// stderr).
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "pipeline/seed_pipeline.h"
#include "pipeline/service_types.h"

namespace seedcanvas::tool {

struct PackFlags {
  std::string pack;
  std::optional<std::string> device, dtype;
  int threads = 0;
  pipeline::GenerationSettings settings;
  bool quiet = false;

  void add_to(CLI::App& app);
  // --pack, else $SEEDCANVAS_PACK, else the demo pack of the build tree or the installation.
  std::filesystem::path resolve_pack() const;
  std::unique_ptr<pipeline::SeedPipeline> load() const;
};

// Prints an event: text deltas to stdout as they come; progress lines to stderr.
void print_event(const pipeline::Event& e, bool quiet);

// Reads an image file (needs the image-I/O library).
RgbImage read_image_file(const std::string& path);
// Writes a PNG/JPEG with the settings and codes in its text metadata.
void write_image_file(const std::string& path, const RgbImage& image, const pipeline::Codes& codes,
                      std::uint64_t seed, const std::string& prompt, const pipeline::GenerationSettings& settings);

// The command word a chat line starts with ("/draw a cat" -> "/draw"), or "" when the line is a
// message: a path typed as text (/home/me/...) is a message, not a command.
std::string chat_command(const std::string& line);

// The pack chat REPL (or one answer with --prompt); cmd_chat.cpp hands over when --model is absent.
int run_pack_chat(std::vector<std::string> args, const std::string& one_shot_prompt);

}  // namespace seedcanvas::tool
