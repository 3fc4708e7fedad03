// seedcanvas-cli tokenize: encode text (or decode ids) with a SEED-LLaMA tokenizer folder,
// for checking prompts by hand.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

#include "common/command.h"
#include "core/error.h"
#include "text/seed_tokenizer.h"

namespace {

using seedcanvas::tool::Exit;

int run_tokenize(std::vector<std::string> args) {
  CLI::App app{"Encode text with a SEED-LLaMA tokenizer (or decode ids with --decode)", "seedcanvas-cli tokenize"};
  std::string dir;
  std::vector<std::string> inputs;
  bool with_bos = false, decode = false, skip_special = false;
  app.add_option("--tokenizer", dir, "folder with tokenizer.model and added_tokens.json")->required();
  app.add_flag("--bos", with_bos, "encode as tokenizer(text) does (adds <s>)");
  app.add_flag("--decode", decode, "the inputs are token ids to decode");
  app.add_flag("--skip-special", skip_special, "when decoding, drop special tokens");
  app.add_option("inputs", inputs, "texts to encode, or ids to decode")->required();
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  const auto tok = seedcanvas::text::SeedTokenizer::load(dir);
  if (decode) {
    std::vector<std::int64_t> ids;
    for (const auto& s : inputs) {
      try {
        std::size_t used = 0;
        ids.push_back(std::stoll(s, &used));
        if (used != s.size()) throw std::invalid_argument(s);
      } catch (const std::exception&) {
        seedcanvas::throw_error(seedcanvas::ErrorKind::Format, "'" + s + "' is not a token id");
      }
    }
    std::printf("%s\n", tok->decode(ids, skip_special).c_str());
    return seedcanvas::tool::kOk;
  }
  for (const auto& text : inputs) {
    const auto ids = with_bos ? tok->encode_with_bos(text) : tok->encode(text);
    std::string line;
    for (auto id : ids) line += (line.empty() ? "" : " ") + std::to_string(id);
    std::printf("ids:    %s\n", line.c_str());
    line.clear();
    for (const auto& p : tok->tokenize(text)) line += (line.empty() ? "'" : " '") + p + "'";
    std::printf("pieces: %s\n", line.c_str());
  }
  return seedcanvas::tool::kOk;
}

}  // namespace

SEEDCANVAS_COMMAND(tokenize, "tokenize", "encode text / decode ids with a SEED-LLaMA tokenizer", run_tokenize);
