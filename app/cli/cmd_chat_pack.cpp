// chat [--pack DIR]: a multi-turn conversation with images on a model pack (entered from cmd_chat.cpp).
//   /image PATH   attach an image to the next message
//   /draw [TEXT]  make the next answer a picture (with TEXT: send TEXT now as that message)
//   /save N PATH  save generated image N (1-based, in order of appearance)
//   /reset        start over;  /help  these commands;  /quit  leave
//   Any other /word is refused rather than sent to the model.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/pack_session.h"
#include "common/command.h"
#include "core/error.h"

namespace seedcanvas::tool {

int run_pack_chat(std::vector<std::string> args, const std::string& one_shot_prompt) {
  CLI::App app{"Chat with a model pack (text and images)"};
  PackFlags flags;
  flags.add_to(app);
  std::string prompt = one_shot_prompt;
  app.add_option("--prompt", prompt, "answer this once and exit");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  auto p = flags.load();
  pipeline::ChatRequest request;
  request.settings = flags.settings;
  std::vector<pipeline::Event> generated;  // ImageReady events, in order
  std::vector<pipeline::ImageInput> pending;
  bool draw_next = false;

  auto turn = [&](const std::string& text) {
    pipeline::Message user;
    user.text = text;
    user.images = std::move(pending);
    pending.clear();
    request.history.push_back(std::move(user));
    request.settings.force_image = draw_next;
    draw_next = false;
    std::atomic<bool> cancel{false};
    pipeline::Message answer;
    answer.role = pipeline::Message::Role::Assistant;
    try {
      p->chat(request, cancel, [&](pipeline::Event e) {
        print_event(e, flags.quiet);
        if (e.kind == pipeline::EventKind::ImageReady) {
          answer.images.push_back({e.codes, nullptr});
          generated.push_back(e);
          std::fprintf(stderr, "[saved as image %zu: /save %zu PATH]\n", generated.size(), generated.size());
        }
        if (e.kind == pipeline::EventKind::Finished) answer.text = e.text;
      });
      request.history.push_back(std::move(answer));
    } catch (const Error& e) {
      request.history.pop_back();  // the turn did not happen
      std::fprintf(stderr, "error: %s\n", e.what());
    }
  };

  if (!prompt.empty()) {
    turn(prompt);
    return kOk;
  }
  const char* commands = "Commands: /image PATH, /draw [TEXT], /save N PATH, /reset, /help, /quit\n";
  std::fprintf(stderr, "Chatting with %s\n%s", p->pack().name.c_str(), commands);
  std::string line;
  while (std::fprintf(stderr, "> "), std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const std::string cmd = chat_command(line);
    std::istringstream in(line.substr(cmd.size()));  // the command's arguments
    if (cmd == "/quit" || cmd == "/exit") break;
    if (cmd == "/reset") {
      request.history.clear();
      generated.clear();
      pending.clear();
      draw_next = false;
      continue;
    }
    if (cmd == "/help") {
      std::fputs(commands, stderr);
      continue;
    }
    if (cmd == "/draw") {
      draw_next = true;
      std::string text;
      std::getline(in >> std::ws, text);
      if (!text.empty()) turn(text);
      continue;
    }
    if (cmd == "/image") {
      std::string path;
      std::getline(in >> std::ws, path);
      try {
        pending.push_back({{}, std::make_shared<RgbImage>(read_image_file(path))});
        std::fprintf(stderr, "[attached %s]\n", path.c_str());
      } catch (const Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
      }
      continue;
    }
    if (cmd == "/save") {
      std::size_t n = 0;
      std::string path;
      in >> n;
      std::getline(in >> std::ws, path);
      if (generated.empty()) {
        std::fputs("no picture to save yet: ask for one with /draw TEXT\n", stderr);
        continue;
      }
      if (n == 0 || n > generated.size() || path.empty()) {
        std::fprintf(stderr, "usage: /save N PATH with N from 1 to %zu\n", generated.size());
        continue;
      }
      try {
        const auto& e = generated[n - 1];
        write_image_file(path, *e.image, e.codes, e.seed, "", request.settings);
        std::fprintf(stderr, "[wrote %s]\n", path.c_str());
      } catch (const Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
      }
      continue;
    }
    if (!cmd.empty()) {  // an unknown command word is a typo, not a message
      std::fprintf(stderr, "unknown command %s\n%s", cmd.c_str(), commands);
      continue;
    }
    turn(line);
  }
  return kOk;
}

}  // namespace seedcanvas::tool
