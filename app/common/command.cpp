#include "common/command.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>

#include "core/cuda_allocator.h"
#include "core/error.h"

namespace seedcanvas::tool {
namespace {

void usage(const char* program) {
  std::fprintf(stderr, "usage: %s <command> [options]\n\ncommands:\n", program);
  auto cmds = registry();
  std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return std::string(a.name) < b.name; });
  for (const auto& c : cmds) std::fprintf(stderr, "  %-16s %s\n", c.name, c.summary);
  std::fprintf(stderr, "\n'%s <command> --help' shows a command's options.\n", program);
}

}  // namespace

int dispatch(const char* program, int argc, char** argv) {
  prefer_expandable_cuda_segments();
  if (argc < 2) {
    usage(program);
    return kUsage;
  }
  const std::string name = argv[1];
  if (name == "--version" || name == "version") {
    std::printf("%s %s\n", program, SEEDCANVAS_VERSION);
    return kOk;
  }
  if (name == "--help" || name == "-h" || name == "help") {
    usage(program);
    return kOk;
  }
  for (const auto& c : registry()) {
    if (name != c.name) continue;
    try {
      return c.run(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const Error& e) {
      std::fprintf(stderr, "%s %s: error (%s): %s\n", program, c.name, error_kind_name(e.kind()), e.what());
      return e.kind() == ErrorKind::Cancelled ? kCancelled : kBadInput;
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "%s %s: error: out of memory\n", program, c.name);
      return kBadInput;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s %s: internal error: %s\n", program, c.name, e.what());
      return kInternal;
    }
  }
  std::fprintf(stderr, "%s: unknown command '%s'\n", program, name.c_str());
  usage(program);
  return kUsage;
}

std::optional<int> parse_command_line(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector form in reverse order
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  return std::nullopt;
}

}  // namespace seedcanvas::tool
