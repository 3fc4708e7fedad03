// The bundled demo pack: a complete, tiny SEED-LLaMA system with deterministic random weights
// in the real file formats and folder layouts (HF LLaMA folder with a SentencePiece tokenizer
// trained on resources/demo/corpus.txt plus the 8192 image tokens; a SEED tokenizer; a
// diffusers unCLIP folder). It exercises every code path a real download does; its answers and
// pictures are noise, and it says so (`random_weights` in its manifest).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace seedcanvas::vision {
struct QuantizerDims;
}

namespace seedcanvas::pipeline {

struct DemoPackOptions {
  std::filesystem::path corpus;  // text the tokenizer is trained on
  std::uint64_t seed = 20240101;
  std::int64_t text_vocab = 1000;  // SentencePiece pieces (image tokens come on top)
  bool force = false;              // replace an existing pack
  std::function<void(const std::string&)> log;
};

// Writes the pack into `dir` (created; built in a temporary sibling and renamed into place, so
// an interrupted run never leaves a half pack behind). Throws Error on failure.
void make_demo_pack(const std::filesystem::path& dir, const DemoPackOptions& options);

// The demo pack's component sizes as configs (its files hold exactly these), for tools that
// build the same tiny system in memory (seedcanvas-bench pipeline --tiny).
nlohmann::json demo_llama_config(std::int64_t vocab);  // vocab: text pieces + 8192 codes + 2
vision::QuantizerDims demo_seed_tokenizer_dims();      // image embedding 64
nlohmann::json demo_unet_config();                     // cross-attention 32, class input 2 x 64
nlohmann::json demo_vae_config();
// stable-diffusion-2-1-unclip's scheduler and image-noising scheduler (spec 4.5): the real values.
nlohmann::json unclip_scheduler_config();
nlohmann::json unclip_noising_scheduler_config();

// resources/demo/corpus.txt in the source tree or the installed share folder, beside `exe_dir`.
std::filesystem::path find_demo_corpus(const std::filesystem::path& exe_dir);

}  // namespace seedcanvas::pipeline
