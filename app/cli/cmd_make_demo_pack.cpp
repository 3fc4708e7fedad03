// make-demo-pack DIR: the tiny random-weight pack the app and the tests start on.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

#include "common/command.h"
#include "pipeline/demo_pack.h"

namespace seedcanvas::tool {
namespace {

int run(std::vector<std::string> args) {
  CLI::App app{"Write the demo model pack (deterministic random weights, real formats and layouts)"};
  std::string dir, corpus;
  pipeline::DemoPackOptions options;
  app.add_option("dir", dir, "folder to write")->required();
  app.add_option("--corpus", corpus, "text to train the demo tokenizer on (default: the bundled one)");
  app.add_option("--seed", options.seed, "weight seed")->capture_default_str();
  app.add_flag("--force", options.force, "replace an existing pack");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  char buf[4096];
  const auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  const auto exe_dir = n > 0 ? std::filesystem::path(std::string(buf, static_cast<std::size_t>(n))).parent_path()
                             : std::filesystem::current_path();
  options.corpus = corpus.empty() ? pipeline::find_demo_corpus(exe_dir) : std::filesystem::path(corpus);
  options.log = [](const std::string& s) { std::fprintf(stderr, "%s\n", s.c_str()); };
  pipeline::make_demo_pack(dir, options);
  return kOk;
}

}  // namespace

SEEDCANVAS_COMMAND(make_demo_pack, "make-demo-pack", "write the bundled demo model pack (random weights)", run);

}  // namespace seedcanvas::tool
