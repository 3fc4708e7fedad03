// The components `seedcanvas-bench check` runs: each loads a fixture folder's networks onto the
// device and reports every comparison with the recorded upstream outputs (check_report.h).
// Shapes, lengths and variants come from the files; tolerances mirror tests/conformance.
#pragma once

#include <c10/core/Device.h>

#include <filesystem>

#include "check_report.h"

namespace seedcanvas::tool::check {

// DIR/llama: every variant folder (fp32 prefill, KV cache, greedy decode; bf16 where recorded).
void check_llama(const std::filesystem::path& dir, c10::Device device, Report& report);
// DIR/seed_tokenizer: encoder stages and codes, de-tokenizer embedding; bf16 (and fp16 on CUDA).
void check_seed_tokenizer(const std::filesystem::path& dir, c10::Device device, Report& report);
// DIR/diffusion: UNet and VAE of the tiny unCLIP pipeline, text encoder; bf16 (and fp16 on CUDA).
void check_diffusion(const std::filesystem::path& dir, c10::Device device, Report& report);

}  // namespace seedcanvas::tool::check
