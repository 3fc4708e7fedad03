// A model pack: the folders one SEED-LLaMA system needs (LLM + text tokenizer, SEED image
// tokenizer, unCLIP decoder). Found from a `seedcanvas-pack.json` manifest or by recognising
// the Hugging Face download layouts. Validation reads only headers and configs, so a missing,
// truncated or mismatched file is reported before any heavy loading.
#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seedcanvas::pipeline {

enum class ChatTemplate { Vicuna8B, Llama2_14B };

struct ModelPack {
  std::filesystem::path root;
  std::string name;
  bool random_weights = false;  // the demo pack: say so wherever it is used
  ChatTemplate chat_template = ChatTemplate::Vicuna8B;
  std::filesystem::path llm;             // HF LLaMA folder (config.json + weights)
  std::filesystem::path text_tokenizer;  // tokenizer.model + added_tokens.json
  std::filesystem::path seed_tokenizer;  // seed_quantizer.pt or model.safetensors (+ config)
  std::filesystem::path vit;             // BLIP-2 eva_vit_g.pth when separate; empty otherwise
  std::filesystem::path unclip;          // diffusers StableUnCLIPImg2ImgPipeline folder
};

// Reads `dir/seedcanvas-pack.json`, or recognises a folder holding the upstream downloads
// (seed-llama-8b-sft | seed-llama-14b-sft | seed_llama_14b_sft, seed-tokenizer-2,
// stable-diffusion-2-1-unclip, eva_vit_g.pth), also inside a Hugging Face cache
// (models--Org--name/snapshots/<rev>/). Throws Error(NotFound) naming what is missing.
ModelPack find_pack(const std::filesystem::path& dir);

struct ComponentEstimate {
  std::string component;
  std::uint64_t weight_bytes = 0;   // at the chosen dtype
  std::uint64_t working_bytes = 0;  // caches and activations (rough)
};

struct PackReport {
  std::vector<ComponentEstimate> components;
  std::uint64_t total_bytes() const;
  std::uint64_t available_bytes = 0;  // what the device has free now (0: unknown)
  bool fits() const { return available_bytes == 0 || total_bytes() <= available_bytes; }
  // False when the LLM's vocabulary ends before the tokenizer's image tokens (a plain LLaMA or
  // Vicuna next to a SEED tokenizer): the pack then chats in text only.
  bool llm_has_image_tokens = true;
};

// Checks every file the pack needs (presence, headers, configs, vocabulary agreement between
// the LLM and its tokenizer) without reading tensor data, and estimates memory at `dtype`.
// Throws Error naming the first bad file; returns the estimate otherwise.
PackReport validate_pack(const ModelPack& pack, c10::ScalarType dtype, std::size_t context_length = 2048);

struct DeviceChoice {
  c10::Device device = c10::kCPU;
  c10::ScalarType dtype = c10::ScalarType::Float;
  std::string reason;  // shown to the user
};

// CUDA when LibTorch has it (fp16, or bf16 where supported); else the CPU in bf16 when it has
// native bf16 instructions, fp32 otherwise. Overrides win and are named in the reason.
DeviceChoice choose_device(std::optional<std::string> device_override = std::nullopt,
                           std::optional<std::string> dtype_override = std::nullopt);

c10::ScalarType parse_dtype(const std::string& name);  // fp32|float32|bf16|bfloat16|fp16|float16
std::string chat_template_name(ChatTemplate t);

}  // namespace seedcanvas::pipeline
