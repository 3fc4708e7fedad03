// seedcanvas-cli chat: talk to a SEED-LLaMA (or any HF LLaMA) folder, one-shot (--prompt) or as
// an interactive multi-turn REPL, streaming the answer to stdout. Ctrl-C stops an answer; at
// the prompt it quits. REPL commands: /reset (new conversation), /quit.
// Without --model it runs on a model pack (cmd_chat_pack.cpp): images in and out.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "common/command.h"
#include "core/error.h"
#include "llm/chat_session.h"
#include "llm/llama_model.h"

#include "cli/pack_session.h"
#include "text/seed_tokenizer.h"

namespace seedcanvas::tool {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<bool> g_generating{false};

extern "C" void on_sigint(int) {
  if (g_generating.load()) {
    g_cancel.store(true);
  } else {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}

struct ChatArgs {
  std::string model, tokenizer, prompt, tmpl = "8b", dtype = "fp32";
  double temperature = 1.0, top_p = 0.5, repetition_penalty = 1.0;
  std::int64_t top_k = 50, max_new_tokens = 512, context = 0;
  std::uint64_t seed = 0;
  int threads = 0;
  bool greedy = false, no_image_rule = false, force_image = false, stats = false;
};


int chat(const ChatArgs& a) {
  auto tokenizer = text::SeedTokenizer::load(a.tokenizer.empty() ? a.model : a.tokenizer);
  llm::LlamaLoadOptions lo;
  lo.dtype = a.dtype == "bf16" ? at::kBFloat16 : at::kFloat;
  lo.threads = a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::fprintf(stderr, "loading %s (%s)...\n", a.model.c_str(), a.dtype.c_str());
  auto model = llm::LlamaForCausalLM::load(a.model, lo);
  if (tokenizer->vocab_size() > model->config().vocab_size)
    throw_error(ErrorKind::Mismatch, a.model + ": the tokenizer has " + std::to_string(tokenizer->vocab_size()) +
                                         " tokens, the model only " + std::to_string(model->config().vocab_size));

  llm::TokenIds ids;
  ids.bos = tokenizer->bos_id();
  ids.eos = tokenizer->eos_id();  // </s> (2), also for the 8B whose config names 1 (spec 6.3)
  ids.boi = tokenizer->boi_id();
  ids.eoi = tokenizer->eoi_id();
  ids.image_shift = tokenizer->image_id_shift();
  ids.image_count = tokenizer->image_code_count();

  llm::ChatOptions options;
  options.prompt_template = llm::parse_template(a.tmpl);
  options.sampling.greedy = a.greedy;
  options.sampling.temperature = a.temperature;
  options.sampling.top_k = a.top_k;
  options.sampling.top_p = a.top_p;
  options.sampling.repetition_penalty = a.repetition_penalty;
  options.sampling.seed = a.seed;
  options.sampling.image_span_rule = !a.no_image_rule;
  options.max_new_tokens = a.max_new_tokens;
  options.context = a.context;
  options.force_image = a.force_image;
  const auto& tok = *tokenizer;
  llm::ChatSession session(
      *model, ids, [&tok](const std::string& t) { return tok.encode(t); },
      [&tok](const std::vector<std::int64_t>& v) { return tok.decode(v, true); }, options);

  std::signal(SIGINT, on_sigint);
  auto run_turn = [&](const std::string& line) {
    text::SeedTokenizer::StreamingDecoder stream(tok);
    g_cancel = false;
    g_generating = true;
    llm::ChatTurn turn;
    try {
      turn = session.send(
          {llm::Role::User, {llm::Segment::of_text(line)}},
          [](const llm::GenerationStep& s) {
            if (!s.text.empty()) std::fputs(s.text.c_str(), stdout);
            if (s.in_image) std::fprintf(stderr, "\r[image %lld/32]", static_cast<long long>(s.image_progress));
            std::fflush(stdout);
            return true;
          },
          &g_cancel, [&stream](std::int64_t id) { return stream.push(id); }, [&stream] { return stream.flush(); });
    } catch (...) {
      g_generating = false;
      throw;
    }
    g_generating = false;
    std::fputs(turn.generation.trailing_text.c_str(), stdout);
    std::fputc('\n', stdout);
    for (const auto& seg : turn.parsed.segments) {
      if (seg.kind == llm::OutputSegment::Image) {
        std::printf("<image codes:");
        for (auto c : seg.codes) std::printf(" %lld", static_cast<long long>(c));
        std::printf(">\n");
      } else if (seg.kind == llm::OutputSegment::Malformed) {
        std::fprintf(stderr, "[malformed image span: %s]\n", seg.problem.c_str());
      }
    }
    const auto& g = turn.generation;
    if (a.stats || g.finish == llm::FinishReason::Cancelled)
      std::fprintf(stderr, "[%s: %zu tokens, prompt %lld (%lld reused), first token %.0f ms, %.1f tokens/s]\n",
                   llm::finish_reason_name(g.finish), g.ids.size(), static_cast<long long>(g.prompt_tokens),
                   static_cast<long long>(g.reused_tokens), g.time_to_first_token * 1e3, g.decode_tokens_per_second());
    std::fflush(stdout);
  };

  if (!a.prompt.empty()) {
    run_turn(a.prompt);
    return kOk;
  }
  const char* commands = "/reset starts over, /help shows this, /quit or Ctrl-D leaves\n";
  std::fprintf(stderr, "chat with %s; %s", a.model.c_str(), commands);
  std::string line;
  while (true) {
    std::fprintf(stderr, "> ");
    if (!std::getline(std::cin, line)) break;
    const std::string cmd = chat_command(line);
    if (cmd == "/quit" || cmd == "/exit") break;
    if (cmd == "/reset") {
      session.reset();
      continue;
    }
    if (line.empty()) continue;
    if (!cmd.empty()) {  // /help, or an unknown command word: a typo, not a message
      if (cmd != "/help") std::fprintf(stderr, "unknown command %s\n", cmd.c_str());
      std::fputs(commands, stderr);
      continue;
    }
    try {
      run_turn(line);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::Resource) throw;
      std::fprintf(stderr, "%s; use /reset\n", e.what());  // context full: the REPL stays usable
    }
  }
  return kOk;
}

int run_chat(std::vector<std::string> args) {
  // With a model pack (or no --model at all: the demo pack) the chat takes images too.
  const bool has_model = std::any_of(args.begin(), args.end(), [](const std::string& a) { return a.rfind("--model", 0) == 0; });
  if (!has_model) return run_pack_chat(std::move(args), "");
  CLI::App app{"Chat with a SEED-LLaMA / LLaMA model folder (HF config.json + weights + tokenizer files)", "chat"};
  ChatArgs a;
  app.add_option("--model", a.model, "model folder (config.json, weights)")->required();
  app.add_option("--tokenizer", a.tokenizer, "tokenizer folder (default: the model folder)");
  app.add_option("--template", a.tmpl, "prompt template")->check(CLI::IsMember({"8b", "14b"}));
  app.add_option("--prompt", a.prompt, "one question, then exit (default: interactive)");
  app.add_option("--temperature", a.temperature, "sampling temperature (0 = greedy)")->check(CLI::Range(0.0, 100.0));
  app.add_option("--top-k", a.top_k, "keep the k most likely tokens (0 = off)")->check(CLI::Range(0, 1 << 30));
  app.add_option("--top-p", a.top_p, "nucleus mass (1 = off)")->check(CLI::Range(1e-9, 1.0));
  app.add_option("--repetition-penalty", a.repetition_penalty, "HF repetition penalty (1 = off)")
      ->check(CLI::Range(1e-3, 100.0));
  app.add_option("--max-new-tokens", a.max_new_tokens, "tokens per answer")->check(CLI::Range(1, 1 << 20));
  app.add_option("--seed", a.seed, "sampling seed");
  app.add_option("--threads", a.threads, "intra-op threads (default: all cores)")->check(CLI::Range(1, 256));
  app.add_option("--dtype", a.dtype, "compute dtype")->check(CLI::IsMember({"fp32", "bf16"}));
  app.add_option("--context", a.context, "context length (default: max_position_embeddings)")
      ->check(CLI::Range(1, 1 << 20));
  app.add_flag("--greedy", a.greedy, "argmax instead of sampling");
  app.add_flag("--no-image-rule", a.no_image_rule, "let the model alone decide image spans (as upstream)");
  app.add_flag("--force-image", a.force_image, "append <img> to the prompt (text-to-image)");
  app.add_flag("--stats", a.stats, "print timings after each answer");
  if (auto done = ::seedcanvas::tool::parse_command_line(app, std::move(args))) return *done;
  return chat(a);
}

}  // namespace
}  // namespace seedcanvas::tool

SEEDCANVAS_COMMAND(chat, "chat", "chat with a SEED-LLaMA model (streaming, multi-turn)", seedcanvas::tool::run_chat);
