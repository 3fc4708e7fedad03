#include "pipeline/model_pack.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/json_file.h"
#include "core/user_dirs.h"
#include "io/tensor_source.h"
#include "text/seed_tokenizer.h"
#include "vision/seed_image_tokenizer.h"

namespace seedcanvas::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifest = "seedcanvas-pack.json";

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}
bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// A Hugging Face cache entry (`models--Org--name`): the snapshot `refs/main` names, else the
// newest one. Empty when the entry has no snapshot yet (its first file is still downloading).
fs::path hub_snapshot(const fs::path& entry) {
  std::error_code ec;
  std::ifstream ref(entry / "refs" / "main");
  std::string hash;
  if (ref >> hash && !hash.empty() && hash.find('/') == std::string::npos && hash != "." && hash != ".." &&
      is_dir(entry / "snapshots" / hash))
    return entry / "snapshots" / hash;
  fs::path newest;
  fs::file_time_type newest_time{};
  for (const auto& snap : fs::directory_iterator(entry / "snapshots", ec)) {
    if (!is_dir(snap.path())) continue;
    auto t = fs::last_write_time(snap.path(), ec);
    if (newest.empty() || t > newest_time) newest = snap.path(), newest_time = t;
  }
  return newest;
}

bool is_hub_entry(const fs::path& p) {
  return p.filename().string().rfind("models--", 0) == 0 && is_dir(p / "snapshots");
}

std::vector<fs::path> sorted_subdirs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (is_dir(e.path()) && e.path().filename().string().rfind('.', 0) != 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Where a component folder may sit below the folder the user chose: `dir/name` (one folder per
// repository, e.g. huggingface-cli --local-dir), `dir/<repo>/name` (a sub-folder of a multi-model
// repository such as AILab-CVC/SEED's seed_llama_14b_sft), a Hugging Face cache entry
// `dir/models--Org--name` (or `dir/hub/...`: ~/.cache/huggingface) and a sub-folder of a cache
// entry's snapshot. Cache entries resolve to the snapshot refs/main names.
fs::path locate(const fs::path& dir, const std::vector<std::string>& names) {
  std::vector<fs::path> roots = {dir};
  if (is_dir(dir / "hub")) roots.push_back(dir / "hub");
  for (const auto& name : names)
    for (const auto& root : roots)
      if (is_dir(root / name)) return is_hub_entry(root / name) ? hub_snapshot(root / name) : root / name;
  for (const auto& name : names) {
    for (const auto& root : roots) {
      for (const auto& sub : sorted_subdirs(root)) {
        const std::string f = sub.filename().string();
        if (is_hub_entry(sub)) {
          const auto snap = hub_snapshot(sub);
          if (snap.empty()) continue;
          // models--Org--name: the repository name follows the last "--".
          const auto sep = f.rfind("--");
          if (sep != std::string::npos && f.compare(sep + 2, std::string::npos, name) == 0) return snap;
          if (is_dir(snap / name)) return snap / name;
        } else if (is_dir(sub / name)) {
          return sub / name;
        }
      }
    }
  }
  return {};
}

// Adds the `*.incomplete` files in `dir` (and below it when `recursive`) to `found`, at most 100.
void add_partial_files(const fs::path& dir, bool recursive, std::vector<fs::path>& found) {
  if (!is_dir(dir)) return;
  std::error_code ec;
  auto consider = [&](const fs::directory_entry& e) {
    if (e.path().extension() == ".incomplete" && found.size() < 100) found.push_back(e.path());
  };
  if (recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) consider(e);
  } else {
    for (const auto& e : fs::directory_iterator(dir, ec)) consider(e);
  }
}

// Partial files a Hugging Face download left next to `folder`: `blobs/*.incomplete` of the cache
// entry holding it, or `.cache/huggingface/download/**/*.incomplete` (older: `.huggingface/`)
// of a --local-dir folder or its parent.
std::vector<fs::path> unfinished_downloads(const fs::path& folder) {
  std::vector<fs::path> found;
  auto scan = [&](const fs::path& dir, bool recursive) { add_partial_files(dir, recursive, found); };
  for (fs::path p = folder; !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (p.parent_path().filename() == "snapshots") {
      scan(p.parent_path().parent_path() / "blobs", false);
      break;
    }
  }
  for (const auto& base : {folder, folder.parent_path()}) {
    scan(base / ".cache" / "huggingface" / "download", true);
    scan(base / ".huggingface" / "download", true);
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

// Runs `check` on one component; a failure there gains a note when a download into the
// component's folder is unfinished, since that, not a broken file, is then the likely cause.
template <typename F>
auto with_download_note(const fs::path& folder, const std::string& repo, F&& check) {
  try {
    return check();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Cancelled) throw;
    const auto partial = unfinished_downloads(folder);
    if (partial.empty()) throw;
    throw Error(e.kind(), std::string(e.what()) + ". The download of " + repo + " is unfinished (" +
                              std::to_string(partial.size()) + " partial file(s), e.g. " + partial.front().string() +
                              "): let it finish, or run `huggingface-cli download " + repo +
                              "` again (with the same --local-dir, if one was used) to resume it");
  }
}

// eva_vit_g.pth where LAVIS/SEED downloaded it (torch.hub's cache), for users who ran upstream.
fs::path torch_hub_checkpoint(const std::string& name) {
  std::vector<fs::path> dirs;
  if (const char* t = std::getenv("TORCH_HOME"); t && *t) dirs.push_back(fs::path(t) / "hub" / "checkpoints");
  else if (const auto cache = user_cache_dir(); !cache.empty()) dirs.push_back(cache / "torch" / "hub" / "checkpoints");
  for (const auto& d : dirs)
    if (is_file(d / name)) return d / name;
  return {};
}

fs::path resolve(const fs::path& root, const nlohmann::json& j, const char* key, bool required,
                 const std::string& manifest) {
  auto value = json_get<std::string>(j, key, "", manifest);
  if (value.empty()) {
    if (required) throw_error(ErrorKind::Config, describe(manifest, std::string("'") + key + "' is missing"));
    return {};
  }
  fs::path p(value);
  p = p.is_absolute() ? p : root / p;
  // A manifest may name a Hugging Face cache entry: use its current snapshot.
  if (is_hub_entry(p)) {
    if (auto snap = hub_snapshot(p); !snap.empty()) return snap;
  }
  return p;
}

ModelPack read_manifest(const fs::path& dir) {
  const std::string file = (dir / kManifest).string();
  auto j = read_json_file(dir / kManifest);
  ModelPack pack;
  pack.root = dir;
  pack.name = json_get<std::string>(j, "name", dir.filename().string(), file);
  pack.random_weights = json_get<bool>(j, "random_weights", false, file);
  const auto tmpl = json_get<std::string>(j, "template", "8b", file);
  if (tmpl == "8b")
    pack.chat_template = ChatTemplate::Vicuna8B;
  else if (tmpl == "14b")
    pack.chat_template = ChatTemplate::Llama2_14B;
  else
    throw_error(ErrorKind::Config, describe(file, "'template' must be \"8b\" or \"14b\", not \"" + tmpl + "\""));
  pack.llm = resolve(dir, j, "llm", true, file);
  pack.text_tokenizer = resolve(dir, j, "text_tokenizer", false, file);
  if (pack.text_tokenizer.empty()) pack.text_tokenizer = pack.llm;
  pack.seed_tokenizer = resolve(dir, j, "seed_tokenizer", true, file);
  pack.vit = resolve(dir, j, "vit", false, file);
  pack.unclip = resolve(dir, j, "unclip", true, file);
  return pack;
}

void require_file(const fs::path& p, const std::string& what) {
  if (!is_file(p)) throw_error(ErrorKind::NotFound, describe(p.string(), what + " is missing"));
}

std::uint64_t bytes_at(const io::TensorSource& source, c10::ScalarType dtype) {
  std::uint64_t total = 0;
  for (const auto& t : source.tensors()) {
    if (!at::isFloatingType(t.dtype)) {
      total += t.nbytes;
      continue;
    }
    total += t.nbytes / io::element_size(t.dtype) * io::element_size(dtype);
  }
  return total;
}

std::uint64_t available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit) {
    if (key == "MemAvailable:") return kb * 1024;
  }
  return 0;
}

bool cpu_has_bf16() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) == 0) return line.find("avx512_bf16") != std::string::npos || line.find("amx_bf16") != std::string::npos;
  }
  return false;
}

}  // namespace

ModelPack find_pack(const fs::path& dir) {
  if (!is_dir(dir)) throw_error(ErrorKind::NotFound, describe(dir.string(), "model pack folder not found"));
  if (is_file(dir / kManifest)) return read_manifest(dir);

  ModelPack pack;
  pack.root = dir;
  pack.name = dir.filename().string();
  // The 14B SFT model lives in AILab-CVC/SEED (seed_llama_14b_sft/, next to seed_tokenizer/).
  fs::path llm14 = locate(dir, {"seed-llama-14b-sft", "seed_llama_14b_sft"});
  fs::path llm8 = locate(dir, {"seed-llama-8b-sft", "seed_llama_8b_sft"});
  pack.llm = !llm8.empty() ? llm8 : llm14;
  pack.chat_template = (llm8.empty() && !llm14.empty()) ? ChatTemplate::Llama2_14B : ChatTemplate::Vicuna8B;
  pack.seed_tokenizer = locate(dir, {"seed-tokenizer-2", "seed_tokenizer"});
  pack.text_tokenizer = pack.seed_tokenizer;
  pack.unclip = locate(dir, {"stable-diffusion-2-1-unclip"});
  // BLIP-2's ViT: in the pack, beside the SEED tokenizer, or where upstream SEED/LAVIS put it.
  for (const auto& candidate : {dir / "eva_vit_g.pth", dir / "eva_vit_g.safetensors", pack.seed_tokenizer / "eva_vit_g.pth",
                                pack.seed_tokenizer / "eva_vit_g.safetensors", torch_hub_checkpoint("eva_vit_g.pth")})
    if (pack.vit.empty() && !candidate.empty() && !pack.seed_tokenizer.empty() && is_file(candidate)) pack.vit = candidate;

  std::vector<std::string> missing;
  if (pack.llm.empty()) missing.push_back("seed-llama-8b-sft (or AILab-CVC/SEED's seed_llama_14b_sft folder)");
  if (pack.seed_tokenizer.empty()) missing.push_back("seed-tokenizer-2");
  if (pack.unclip.empty()) missing.push_back("stable-diffusion-2-1-unclip");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    std::string note;
    // A cache entry without a snapshot yet: its first file is still coming.
    for (const auto& sub : sorted_subdirs(dir)) {
      std::vector<fs::path> partial;
      if (sub.filename().string().rfind("models--", 0) == 0 && hub_snapshot(sub).empty())
        add_partial_files(sub / "blobs", false, partial);
      if (!partial.empty()) note += (note.empty() ? "" : ", ") + sub.filename().string();
    }
    if (!note.empty()) note = " (downloads still unfinished: " + note + ")";
    throw_error(ErrorKind::NotFound,
                describe(dir.string(), std::string("not a model pack: no ") + kManifest + " and no " + list + " folder" + note));
  }
  return pack;
}

std::uint64_t PackReport::total_bytes() const {
  std::uint64_t total = 0;
  for (const auto& c : components) total += c.weight_bytes + c.working_bytes;
  return total;
}

PackReport validate_pack(const ModelPack& pack, c10::ScalarType dtype, std::size_t context_length) {
  PackReport report;
  const auto dsize = io::element_size(dtype);
  const std::string llm_repo =
      pack.chat_template == ChatTemplate::Llama2_14B ? "AILab-CVC/SEED" : "AILab-CVC/seed-llama-8b-sft";
  // AILab-CVC/SEED ships its own copy as seed_tokenizer/, next to the 14B model.
  const std::string tokenizer_repo =
      pack.seed_tokenizer.filename() == "seed_tokenizer" ? "AILab-CVC/SEED" : "AILab-CVC/seed-tokenizer-2";

  // LLM: config, weights, then the vocabulary's agreement with the tokenizer (each check notes
  // its own folder's unfinished download).
  std::int64_t vocab = 0;
  std::string llm_cfg;
  with_download_note(pack.llm, llm_repo, [&] {
    const auto llm_config_path = pack.llm / "config.json";
    require_file(llm_config_path, "LLM config.json");
    const auto llm_config = read_json_file(llm_config_path);
    llm_cfg = llm_config_path.string();
    vocab = json_require<std::int64_t>(llm_config, "vocab_size", llm_cfg);
    const auto hidden = json_require<std::int64_t>(llm_config, "hidden_size", llm_cfg);
    const auto layers = json_require<std::int64_t>(llm_config, "num_hidden_layers", llm_cfg);
    const auto heads = json_require<std::int64_t>(llm_config, "num_attention_heads", llm_cfg);
    const auto kv_heads = json_get<std::int64_t>(llm_config, "num_key_value_heads", heads, llm_cfg);
    auto llm = io::open_checkpoint(pack.llm);
    if (const auto* embed = llm->find("model.embed_tokens.weight"); !embed)
      throw_error(ErrorKind::Mismatch, describe(llm->origin(), "no model.embed_tokens.weight: not a LLaMA checkpoint"));
    else if (embed->shape.size() != 2 || embed->shape[0] != vocab || embed->shape[1] != hidden)
      throw_error(ErrorKind::Mismatch, describe(llm->origin(), "embedding shape does not match config.json "
                                                               "(vocab_size/hidden_size)", "model.embed_tokens.weight"));
    const std::uint64_t kv = 2ull * layers * kv_heads * (hidden / heads) * context_length * dsize;
    report.components.push_back({"language model", bytes_at(*llm, dtype), kv});
  });
  with_download_note(pack.text_tokenizer, tokenizer_repo, [&] {
    require_file(pack.text_tokenizer / "tokenizer.model", "tokenizer.model");
    require_file(pack.text_tokenizer / "added_tokens.json", "added_tokens.json");
    auto tokenizer = text::SeedTokenizer::load(pack.text_tokenizer);
    if (vocab < tokenizer->sp_piece_count())
      throw_error(ErrorKind::Mismatch,
                  describe(llm_cfg, "vocab_size " + std::to_string(vocab) + " is smaller than the tokenizer's " +
                                        std::to_string(tokenizer->sp_piece_count()) + " text pieces (" +
                                        (pack.text_tokenizer / "tokenizer.model").string() + ")"));
    report.llm_has_image_tokens = vocab >= tokenizer->vocab_size();
  });

  // SEED tokenizer, the files SeedPipeline::load reads (+ BLIP-2's ViT, separate in the real
  // download): a missing ViT is found here, not after the language model has loaded.
  with_download_note(pack.seed_tokenizer, tokenizer_repo, [&] {
    auto paths = vision::SeedTokenizerPaths::resolve(pack.seed_tokenizer);
    if (!pack.vit.empty()) paths.vit = pack.vit;
    auto seed = io::open_checkpoint(paths.quantizer);
    std::uint64_t seed_bytes = bytes_at(*seed, dtype);
    if (!seed->contains("visual_encoder.cls_token")) {
      if (paths.vit.empty())
        throw_error(ErrorKind::NotFound,
                    describe(paths.quantizer.string(),
                             "holds no ViT weights (visual_encoder.*), and BLIP-2's eva_vit_g.pth was not found (looked in " +
                                 pack.root.string() + ", " + paths.quantizer.parent_path().string() +
                                 " and torch.hub's checkpoints folder); download it from "
                                 "https://storage.googleapis.com/sfr-vision-language-research/LAVIS/models/BLIP2/"
                                 "eva_vit_g.pth into " + pack.root.string()));
      seed_bytes += bytes_at(*io::open_checkpoint(paths.vit), dtype);
    }
    report.components.push_back({"SEED image tokenizer", seed_bytes, 64ull << 20});
  });

  // unCLIP: the folder layout, then each network's weights (the image encoder is never loaded).
  with_download_note(pack.unclip, "stabilityai/stable-diffusion-2-1-unclip", [&] {
    require_file(pack.unclip / "model_index.json", "unCLIP model_index.json");
    std::uint64_t unclip_bytes = 0;
    nlohmann::json unet_config;
    for (const char* part : {"unet", "vae", "text_encoder"}) {
      require_file(pack.unclip / part / "config.json", std::string("unCLIP ") + part + "/config.json");
      auto config = read_json_file(pack.unclip / part / "config.json");
      if (std::string(part) == "unet") unet_config = std::move(config);
      unclip_bytes += bytes_at(*io::open_checkpoint(pack.unclip / part), dtype);
    }
    for (const char* file : {"scheduler/scheduler_config.json", "image_noising_scheduler/scheduler_config.json",
                             "tokenizer/vocab.json", "tokenizer/merges.txt"})
      require_file(pack.unclip / file, std::string("unCLIP ") + file);
    unclip_bytes += bytes_at(*io::open_checkpoint(pack.unclip / "image_normalizer"), dtype);
    const auto sample = json_get<std::int64_t>(unet_config, "sample_size", 96, (pack.unclip / "unet/config.json").string());
    // Rough: ~40 live feature maps of the first block's width at batch 2 (guidance).
    const std::uint64_t activations = 2ull * 320 * sample * sample * dsize * 40;
    report.components.push_back({"unCLIP decoder", unclip_bytes, activations});
  });

  report.available_bytes = available_memory();
  return report;
}

c10::ScalarType parse_dtype(const std::string& name) {
  if (name == "fp32" || name == "float32" || name == "float") return c10::ScalarType::Float;
  if (name == "bf16" || name == "bfloat16") return c10::ScalarType::BFloat16;
  if (name == "fp16" || name == "float16" || name == "half") return c10::ScalarType::Half;
  throw_error(ErrorKind::Config, "unknown dtype '" + name + "' (use fp32, bf16 or fp16)");
}

DeviceChoice choose_device(std::optional<std::string> device_override, std::optional<std::string> dtype_override) {
  DeviceChoice choice;
  if (device_override) {
    choice.device = c10::Device(*device_override);
    if (choice.device.is_cuda() && !at::hasCUDA())
      throw_error(ErrorKind::Unsupported, "device '" + *device_override + "' asked for, but this build has no CUDA");
    choice.reason = "device " + *device_override + " (setting)";
  } else if (at::hasCUDA()) {
    choice.device = c10::Device(c10::kCUDA, 0);
    choice.reason = "CUDA GPU found";
  } else {
    choice.reason = "no CUDA GPU: running on the CPU";
  }
  if (dtype_override) {
    choice.dtype = parse_dtype(*dtype_override);
    choice.reason += ", " + *dtype_override + " (setting)";
  } else if (choice.device.is_cuda()) {
    choice.dtype = c10::ScalarType::BFloat16;
    choice.reason += ", bf16";
  } else if (cpu_has_bf16()) {
    choice.dtype = c10::ScalarType::BFloat16;
    choice.reason += ", bf16 (this CPU has native bf16 instructions)";
  } else {
    choice.dtype = c10::ScalarType::Float;
    choice.reason += ", fp32 (this CPU has no native bf16)";
  }
  return choice;
}

std::string chat_template_name(ChatTemplate t) { return t == ChatTemplate::Llama2_14B ? "14b" : "8b"; }

}  // namespace seedcanvas::pipeline
