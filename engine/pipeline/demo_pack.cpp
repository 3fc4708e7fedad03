#include "pipeline/demo_pack.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "core/error.h"
#include "diffusion/clip_text_encoder.h"
#include "diffusion/noise_augmentation.h"
#include "diffusion/unet.h"
#include "diffusion/vae.h"
#include "llm/llama_model.h"
#include "nn/module_io.h"
#include "text/spm_library.h"
#include "vision/qformer_quantizer.h"

namespace seedcanvas::pipeline {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

constexpr std::int64_t kImageCodes = 8192;  // SEED's codebook: the LLM's image vocabulary
constexpr std::int64_t kEmbedding = 64;     // de-tokenizer output = unCLIP image embedding
constexpr std::int64_t kTextWidth = 32;     // CLIP text encoder width = UNet cross-attention width

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw Error(ErrorKind::Resource, describe(path.string(), "cannot write"));
}

void write_json(const fs::path& path, const json& j) { write_text(path, j.dump(2) + "\n"); }

// --- language model and its text tokenizer ------------------------------------------------

json added_token(const std::string& content) {
  return {{"__type", "AddedToken"}, {"content", content}, {"lstrip", false}, {"normalized", true},
          {"rstrip", false},        {"single_word", false}};
}

std::int64_t write_text_tokenizer(const fs::path& dir, const DemoPackOptions& o) {
  if (!fs::is_regular_file(o.corpus))
    throw Error(ErrorKind::NotFound, describe(o.corpus.string(), "demo corpus not found"));
  // LLaMA's trainer settings: BPE, byte fallback, digits split, identity normaliser, no pad.
  std::ostringstream args;
  args << "--input=" << o.corpus.string() << " --model_prefix=" << (dir / "tokenizer").string()
       << " --model_type=bpe --vocab_size=" << o.text_vocab
       << " --character_coverage=1.0 --byte_fallback=true --split_digits=true --add_dummy_prefix=true"
       << " --remove_extra_whitespaces=false --normalization_rule_name=identity --unk_id=0 --bos_id=1 --eos_id=2"
       << " --pad_id=-1 --allow_whitespace_only_pieces=true";
  text::SpmLibrary::instance().train(args.str());
  fs::remove(dir / "tokenizer.vocab");

  json added = json::object();
  char name[32];
  for (std::int64_t c = 0; c < kImageCodes; ++c) {
    std::snprintf(name, sizeof name, "<img_%05lld>", static_cast<long long>(c));
    added[name] = o.text_vocab + c;
  }
  added["<img>"] = o.text_vocab + kImageCodes;
  added["</img>"] = o.text_vocab + kImageCodes + 1;
  write_json(dir / "added_tokens.json", added);
  write_json(dir / "special_tokens_map.json", {{"additional_special_tokens", {"<img>", "</img>"}},
                                               {"bos_token", "<s>"},
                                               {"eos_token", "</s>"},
                                               {"pad_token", "<unk>"},
                                               {"unk_token", "<unk>"}});
  write_json(dir / "tokenizer_config.json", {{"add_bos_token", true},
                                             {"add_eos_token", false},
                                             {"bos_token", added_token("<s>")},
                                             {"eos_token", added_token("</s>")},
                                             {"unk_token", added_token("<unk>")},
                                             {"clean_up_tokenization_spaces", false},
                                             {"legacy", nullptr},
                                             {"model_max_length", 1024},
                                             {"pad_token", nullptr},
                                             {"sp_model_kwargs", json::object()},
                                             {"tokenizer_class", "LlamaTokenizer"}});
  return o.text_vocab + kImageCodes + 2;
}

void write_llm(const fs::path& dir, std::int64_t vocab, std::uint64_t seed) {
  const auto config_json = demo_llama_config(vocab);
  write_json(dir / "config.json", config_json);
  write_json(dir / "generation_config.json", {{"bos_token_id", 1}, {"eos_token_id", 2}, {"pad_token_id", 0}});
  const auto config = llm::LlamaConfig::from_json(config_json, (dir / "config.json").string());
  llm::LlamaForCausalLM model(config);
  nn::randomize(model, seed);
  nn::save_safetensors(model, dir / "model.safetensors");
}

// --- SEED image tokenizer ----------------------------------------------------------------

void write_seed_tokenizer(const fs::path& dir, std::uint64_t seed) {
  const auto d = demo_seed_tokenizer_dims();
  vision::Blip2QformerQuantizer model(d);
  nn::randomize(model, seed);
  nn::save_safetensors(model, dir / "model.safetensors");
  write_json(dir / "config.json", {{"img_size", 224},
                                   {"pixel_mean", {0.48145466, 0.4578275, 0.40821073}},
                                   {"pixel_std", {0.26862954, 0.26130258, 0.27577711}},
                                   {"vit_heads", d.vit.heads},
                                   {"vit_layernorm_eps", 1e-6},
                                   {"ln_vision_eps", 1e-5},
                                   {"qf_heads", d.qformer.heads},
                                   {"qformer_layernorm_eps", 1e-12},
                                   {"decode_block_heads", d.decode_block.heads},
                                   {"decode_block_ln_eps", 1e-6},
                                   {"n_embed", d.n_embed},
                                   {"num_query", d.num_query},
                                   {"image_features_dim", d.image_features_dim}});
}

// --- unCLIP decoder (diffusers StableUnCLIPImg2ImgPipeline layout) --------------------------

// CLIP's byte-level vocabulary without merges: every byte is a token, plus start/end.
void write_clip_tokenizer(const fs::path& dir) {
  std::vector<int> printable;
  for (int b = '!'; b <= '~'; ++b) printable.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) printable.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) printable.push_back(b);
  std::vector<int> code_of(256, -1);
  for (int b : printable) code_of[b] = b;
  int next = 256;
  std::vector<int> order = printable;
  for (int b = 0; b < 256; ++b)
    if (code_of[b] < 0) code_of[b] = next++, order.push_back(b);
  auto utf8 = [](int cp) {
    std::string s;
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
  };
  json vocab = json::object();
  std::int64_t id = 0;
  for (int b : order) vocab[utf8(code_of[b])] = id++;
  for (int b : order) vocab[utf8(code_of[b]) + "</w>"] = id++;
  vocab["<|startoftext|>"] = id++;
  vocab["<|endoftext|>"] = id++;
  write_json(dir / "vocab.json", vocab);
  write_text(dir / "merges.txt", "#version: 0.2\n");
  const json eos = {{"content", "<|endoftext|>"}, {"lstrip", false}, {"normalized", true}, {"rstrip", false},
                    {"single_word", false}};
  write_json(dir / "special_tokens_map.json",
             {{"bos_token", {{"content", "<|startoftext|>"}, {"lstrip", false}, {"normalized", true}, {"rstrip", false},
                             {"single_word", false}}},
              {"eos_token", eos},
              {"pad_token", "!"},
              {"unk_token", eos}});
  write_json(dir / "tokenizer_config.json", {{"clean_up_tokenization_spaces", true},
                                             {"errors", "replace"},
                                             {"model_max_length", 77},
                                             {"pad_token", "!"},
                                             {"tokenizer_class", "CLIPTokenizer"}});
}

template <typename Module, typename Config>
void write_network(const fs::path& dir, const std::string& weights, const json& config_json, std::uint64_t seed) {
  fs::create_directories(dir);
  write_json(dir / "config.json", config_json);
  const auto config = Config::from_json(config_json, (dir / "config.json").string());
  Module module(config);
  nn::randomize(module, seed);
  nn::save_safetensors(module, dir / weights);
}

void write_unclip(const fs::path& dir, std::uint64_t seed) {
  const json version = {{"_diffusers_version", "0.20.2"}};
  write_json(dir / "model_index.json", {{"_class_name", "StableUnCLIPImg2ImgPipeline"},
                                        {"_diffusers_version", "0.20.2"},
                                        {"feature_extractor", {nullptr, nullptr}},
                                        {"image_encoder", {nullptr, nullptr}},
                                        {"image_noising_scheduler", {"diffusers", "DDPMScheduler"}},
                                        {"image_normalizer", {"stable_diffusion", "StableUnCLIPImageNormalizer"}},
                                        {"scheduler", {"diffusers", "PNDMScheduler"}},
                                        {"text_encoder", {"transformers", "CLIPTextModel"}},
                                        {"tokenizer", {"transformers", "CLIPTokenizer"}},
                                        {"unet", {"diffusers", "UNet2DConditionModel"}},
                                        {"vae", {"diffusers", "AutoencoderKL"}}});
  fs::create_directories(dir / "scheduler");
  write_json(dir / "scheduler" / "scheduler_config.json", unclip_scheduler_config());
  fs::create_directories(dir / "image_noising_scheduler");
  write_json(dir / "image_noising_scheduler" / "scheduler_config.json", unclip_noising_scheduler_config());
  fs::create_directories(dir / "tokenizer");
  write_clip_tokenizer(dir / "tokenizer");

  const std::int64_t text_dim = kTextWidth;
  write_network<diffusion::CLIPTextEncoder, diffusion::CLIPTextConfig>(
      dir / "text_encoder", "model.safetensors",
      {{"architectures", {"CLIPTextModel"}}, {"model_type", "clip_text_model"}, {"hidden_act", "gelu"},
       {"hidden_size", text_dim}, {"intermediate_size", 64}, {"num_hidden_layers", 2}, {"num_attention_heads", 2},
       {"max_position_embeddings", 77}, {"layer_norm_eps", 1e-5}, {"vocab_size", 514}, {"bos_token_id", 512},
       {"eos_token_id", 513}, {"pad_token_id", 1}, {"projection_dim", text_dim}, {"torch_dtype", "float32"}},
      seed + 1);
  write_network<diffusion::UNet2DConditionModel, diffusion::UNet2DConditionConfig>(
      dir / "unet", "diffusion_pytorch_model.safetensors", demo_unet_config(), seed + 2);
  write_network<diffusion::AutoencoderKLDecoder, diffusion::AutoencoderKLConfig>(
      dir / "vae", "diffusion_pytorch_model.safetensors", demo_vae_config(), seed + 3);

  // Image normalizer: identity statistics, as the H conversion of the real model has.
  fs::create_directories(dir / "image_normalizer");
  write_json(dir / "image_normalizer" / "config.json",
             {{"_class_name", "StableUnCLIPImageNormalizer"}, {"_diffusers_version", "0.20.2"}, {"embedding_dim", kEmbedding}});
  diffusion::StableUnCLIPImageNormalizer normalizer(kEmbedding);
  normalizer.mean = at::zeros({1, kEmbedding});
  normalizer.std = at::ones({1, kEmbedding});
  nn::save_safetensors(normalizer, dir / "image_normalizer" / "diffusion_pytorch_model.safetensors");
}

}  // namespace

// --- presets shared with seedcanvas-bench pipeline --tiny ------------------------------------

json demo_llama_config(std::int64_t vocab) {
  return {{"architectures", {"LlamaForCausalLM"}},
          {"model_type", "llama"},
          {"hidden_act", "silu"},
          {"hidden_size", 64},
          {"intermediate_size", 172},
          {"num_hidden_layers", 2},
          {"num_attention_heads", 4},
          {"num_key_value_heads", 4},
          {"max_position_embeddings", 1024},
          {"rms_norm_eps", 1e-6},
          {"rope_theta", 10000.0},
          {"rope_scaling", nullptr},
          {"initializer_range", 0.02},
          {"pretraining_tp", 1},
          {"tie_word_embeddings", false},
          {"torch_dtype", "float32"},
          {"bos_token_id", 1},
          {"eos_token_id", 2},
          {"pad_token_id", 0},
          {"vocab_size", vocab},
          {"use_cache", true}};
}

vision::QuantizerDims demo_seed_tokenizer_dims() {
  vision::QuantizerDims d;
  d.vit_in_checkpoint = true;  // one file, like a safetensors conversion of the real pair
  d.vit.width = d.vit.all_head_dim = 64;
  d.vit.depth = 2;
  d.vit.heads = 4;
  d.vit.mlp_hidden = 128;
  d.qformer.hidden = 48;
  d.qformer.heads = 4;
  d.qformer.intermediate = 96;
  d.qformer.encoder_width = 64;
  d.qformer.num_layers = 2;
  d.qformer.cross_attention = {true, false};
  d.num_query = 32;
  d.n_embed = kImageCodes;
  d.codebook_dim = 32;
  d.encode_hidden = 48;
  d.decode_hidden = 32;
  d.decode_block = {48, 4, 96, 1e-6};
  d.decode_depth = 1;
  d.image_down = {48, 32, 32, 32};
  d.image_features_dim = kEmbedding;
  return d;
}

json demo_unet_config() {
  return {{"_class_name", "UNet2DConditionModel"}, {"_diffusers_version", "0.20.2"}, {"act_fn", "silu"},
          {"attention_head_dim", {2, 4}}, {"block_out_channels", {16, 32}}, {"class_embed_type", "projection"},
          {"cross_attention_dim", kTextWidth}, {"down_block_types", {"CrossAttnDownBlock2D", "DownBlock2D"}},
          {"downsample_padding", 1}, {"flip_sin_to_cos", true}, {"freq_shift", 0}, {"in_channels", 4},
          {"layers_per_block", 1}, {"mid_block_scale_factor", 1}, {"mid_block_type", "UNetMidBlock2DCrossAttn"},
          {"norm_eps", 1e-5}, {"norm_num_groups", 8}, {"out_channels", 4},
          {"projection_class_embeddings_input_dim", 2 * kEmbedding}, {"sample_size", 16},
          {"up_block_types", {"UpBlock2D", "CrossAttnUpBlock2D"}}, {"upcast_attention", true},
          {"use_linear_projection", true}};
}

json demo_vae_config() {
  return {{"_class_name", "AutoencoderKL"}, {"_diffusers_version", "0.20.2"}, {"act_fn", "silu"},
          {"block_out_channels", {16, 16, 32, 32}},
          {"down_block_types", {"DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"}},
          {"up_block_types", {"UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"}},
          {"in_channels", 3}, {"out_channels", 3}, {"latent_channels", 4}, {"layers_per_block", 1},
          {"norm_num_groups", 8}, {"sample_size", 128}, {"scaling_factor", 0.18215}};
}

json unclip_scheduler_config() {
  // The real repository's scheduler (spec 4.5): PLMS, v-prediction, scaled-linear betas.
  return {{"_class_name", "PNDMScheduler"}, {"_diffusers_version", "0.20.2"}, {"beta_end", 0.012},
          {"beta_schedule", "scaled_linear"}, {"beta_start", 0.00085}, {"num_train_timesteps", 1000},
          {"prediction_type", "v_prediction"}, {"set_alpha_to_one", false}, {"skip_prk_steps", true},
          {"steps_offset", 1}, {"trained_betas", nullptr}};
}

json unclip_noising_scheduler_config() {
  return {{"_class_name", "DDPMScheduler"}, {"_diffusers_version", "0.20.2"}, {"beta_schedule", "squaredcos_cap_v2"},
          {"clip_sample", true}, {"num_train_timesteps", 1000}, {"prediction_type", "epsilon"},
          {"variance_type", "fixed_small"}};
}

void make_demo_pack(const fs::path& dir, const DemoPackOptions& o) {
  auto log = [&](const std::string& s) {
    if (o.log) o.log(s);
  };
  if (fs::exists(dir / "seedcanvas-pack.json") && !o.force) {
    log("demo pack already present at " + dir.string());
    return;
  }
  // Build beside the target, then swap it in: a killed run leaves no half pack behind.
  const fs::path temp = dir.parent_path() / (dir.filename().string() + ".partial");
  fs::remove_all(temp);
  fs::create_directories(temp / "llm");
  fs::create_directories(temp / "seed_tokenizer");
  fs::create_directories(temp / "unclip");
  log("training the demo tokenizer on " + o.corpus.string());
  const auto vocab = write_text_tokenizer(temp / "llm", o);
  log("writing the language model (random weights)");
  write_llm(temp / "llm", vocab, o.seed);
  log("writing the SEED image tokenizer (random weights)");
  write_seed_tokenizer(temp / "seed_tokenizer", o.seed + 10);
  log("writing the unCLIP decoder (random weights)");
  write_unclip(temp / "unclip", o.seed + 20);
  write_json(temp / "seedcanvas-pack.json", {{"format", 1},
                                             {"name", "SeedCanvas demo (random weights)"},
                                             {"random_weights", true},
                                             {"template", "8b"},
                                             {"llm", "llm"},
                                             {"text_tokenizer", "llm"},
                                             {"seed_tokenizer", "seed_tokenizer"},
                                             {"unclip", "unclip"}});
  write_text(temp / "README.txt",
             "SeedCanvas demo pack\n\nEvery weight in this folder is random: the model's answers and pictures are noise.\n"
             "It exists so that SeedCanvas runs out of the box and its tests exercise the same code paths as a real\n"
             "SEED-LLaMA pack (AILab-CVC/seed-llama-8b-sft, AILab-CVC/seed-tokenizer-2 and\n"
             "stabilityai/stable-diffusion-2-1-unclip). Install a real pack from the app's model manager.\n");
  fs::remove_all(dir);
  fs::rename(temp, dir);
  log("demo pack written to " + dir.string());
}

fs::path find_demo_corpus(const fs::path& exe_dir) {
  for (const auto& candidate : {exe_dir / "../share/seedcanvas/demo-corpus.txt",
                                fs::path(SEEDCANVAS_SOURCE_ROOT) / "resources/demo/corpus.txt"}) {
    if (fs::is_regular_file(candidate)) return fs::weakly_canonical(candidate);
  }
  return fs::path(SEEDCANVAS_SOURCE_ROOT) / "resources/demo/corpus.txt";
}

}  // namespace seedcanvas::pipeline
