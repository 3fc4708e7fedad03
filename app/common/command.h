// Sub-command programs (seedcanvas-cli, seedcanvas-bench): each command lives in its own
// cmd_*.cpp and registers itself; `dispatch` runs one and turns every error into one line
// on stderr and an exit code below 128.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace seedcanvas::tool {

// Exit codes: 0 success, 1 bad input (file, config), 2 usage, 3 cancelled, 4 internal.
enum Exit { kOk = 0, kBadInput = 1, kUsage = 2, kCancelled = 3, kInternal = 4 };

struct Command {
  const char* name;
  const char* summary;
  int (*run)(std::vector<std::string> args);  // args exclude the program and command names
};

// The program's command table (defined once per program, in its main.cpp).
std::vector<Command>& registry();

struct Registrar {
  explicit Registrar(Command c) { registry().push_back(c); }
};

int dispatch(const char* program, int argc, char** argv);

// Parses a command's arguments. Returns the exit code when parsing ends the command (--help:
// kOk; bad usage: kUsage, with CLI11's message on stderr), nothing when the command should run.
std::optional<int> parse_command_line(CLI::App& app, std::vector<std::string> args);

}  // namespace seedcanvas::tool

#define SEEDCANVAS_COMMAND(ident, name, summary, fn) \
  static ::seedcanvas::tool::Registrar seedcanvas_command_##ident({name, summary, fn})
