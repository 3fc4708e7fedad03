// The model packs users really download, rebuilt with the demo pack's tiny random tensors:
// the file names, folder layouts and checkpoint quirks of AILab-CVC/seed-llama-8b-sft,
// AILab-CVC/SEED (seed_llama_14b_sft, seed_tokenizer), AILab-CVC/seed-tokenizer-2, BLIP-2's
// eva_vit_g.pth and stabilityai/stable-diffusion-2-1-unclip, as plain folders
// (huggingface-cli --local-dir), as a Hugging Face cache (models--Org--name/snapshots/<rev>/
// linking into blobs/) and half downloaded. Each must load, or fail with a message that names
// what is missing and what to do.
#include <ATen/ATen.h>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_file.h"
#include "demo_pack_fixture.h"
#include "diffusion/unclip_components.h"
#include "io/safetensors.h"
#include "io/tensor_source.h"
#include "llm/llama_model.h"
#include "pipeline/model_pack.h"
#include "pipeline/seed_pipeline.h"
#include "support/error_of.h"
#include "support/fixtures.h"
#include "vision/seed_image_tokenizer.h"
#include "unit/weight_builders.h"

using namespace seedcanvas;
using seedcanvas::test::error_of;
using namespace seedcanvas::pipeline;
namespace fs = std::filesystem;
using nlohmann::json;
using Tensors = std::map<std::string, at::Tensor>;

namespace {

Tensors load_tensors(const fs::path& path) { return io::load_all(*io::open_checkpoint(path)); }

void write_text(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}
void write_json(const fs::path& p, const json& j) { write_text(p, j.dump(2)); }

const char* storage_type(at::ScalarType t) {
  switch (t) {
    case at::kHalf: return "HalfStorage";
    case at::kBFloat16: return "BFloat16Storage";
    case at::kLong: return "LongStorage";
    default: return "FloatStorage";
  }
}

// torch.save(state_dict) as PyTorch >= 1.6 writes it; floating tensors stored as `dtype`
// (others kept). `shared` maps a name to another whose storage it reuses (tied weights).
void write_torch_save(const fs::path& path, const Tensors& tensors, at::ScalarType dtype, const std::string& top,
                      const std::map<std::string, std::string>& shared = {}) {
  std::vector<test::PickleTensor> specs;
  std::vector<std::pair<std::string, std::string>> storages;
  std::map<std::string, std::string> key_of;
  for (const auto& [name, t0] : tensors) {
    const auto t = (at::isFloatingType(t0.scalar_type()) ? t0.to(dtype) : t0).contiguous();
    test::PickleTensor p;
    p.name = name;
    p.storage_type = storage_type(t.scalar_type());
    p.storage_numel = t.numel();
    p.size.assign(t.sizes().begin(), t.sizes().end());
    p.stride.assign(t.strides().begin(), t.strides().end());
    if (auto it = shared.find(name); it != shared.end() && key_of.count(it->second)) {
      p.key = key_of.at(it->second);
    } else {
      p.key = std::to_string(storages.size());
      storages.emplace_back(p.key, test::tensor_bytes(t));
    }
    key_of[name] = p.key;
    specs.push_back(p);
  }
  fs::create_directories(path.parent_path());
  test::write_torch_checkpoint(path, test::state_dict_pickle(specs), storages, top);
}

// The tensors as a file holding `dtype` gives them back (what loading must reproduce).
at::Tensor stored_as(const at::Tensor& t, at::ScalarType dtype) {
  return at::isFloatingType(t.scalar_type()) ? t.to(dtype).to(at::kFloat) : t;
}

// A Hugging Face cache entry for `repo` whose snapshot `rev` holds `files` (relative path ->
// writer), each written as blobs/<n> and linked from the snapshot like huggingface_hub does.
fs::path hub_entry(const fs::path& cache, const std::string& repo, const std::string& rev, const fs::path& content) {
  std::string name = "models--" + repo;
  for (auto p = name.find('/'); p != std::string::npos; p = name.find('/')) name.replace(p, 1, "--");
  const auto entry = cache / name;
  const auto snap = entry / "snapshots" / rev;
  fs::create_directories(entry / "blobs");
  fs::create_directories(snap);
  write_text(entry / "refs" / "main", rev);
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(content)) {
    if (!e.is_regular_file()) continue;
    const auto rel = fs::relative(e.path(), content);
    const auto blob = entry / "blobs" / (rev + "_" + std::to_string(n++));
    fs::copy_file(e.path(), blob);
    fs::create_directories((snap / rel).parent_path());
    fs::create_symlink(fs::relative(blob, (snap / rel).parent_path()), snap / rel);
  }
  return snap;
}

}  // namespace

class RealPacksTest : public QObject {
  Q_OBJECT

  fs::path demo_;
  Tensors llm_, seed_;

  // seed-llama-8b-sft / seed_llama_14b_sft: config.json with the real files' fields,
  // generation_config.json, `pytorch_model-0000k-of-0000n.bin` shards (top folder named after
  // the file, as torch >= 1.13 writes it) with the index, rotary inv_freq buffers in fp32
  // beside `dtype` weights (the 14B shards mix HalfStorage and FloatStorage).
  void write_llm(const fs::path& dir, bool fourteen, at::ScalarType dtype, int shards) {
    auto config = read_json_file(demo_ / "llm" / "config.json");
    config.erase("rope_scaling");
    config["_name_or_path"] = "/apdcephfs/seed-llama";
    config["architectures"] = {"LlamaForCausalLM"};
    config["transformers_version"] = "4.30.2";
    config["torch_dtype"] = fourteen ? "float16" : "bfloat16";
    config["use_cache"] = false;
    if (fourteen) {
      config["pretraining_tp"] = 2;
      config["rope_scaling"] = nullptr;
      config["bos_token_id"] = 1, config["eos_token_id"] = 2, config["pad_token_id"] = 0;
      config["rms_norm_eps"] = 1e-5;
    } else {  // the 8B (Vicuna 1.1) keeps LLaMA-1's ids and max_sequence_length
      config["bos_token_id"] = 0, config["eos_token_id"] = 1, config["pad_token_id"] = -1;
      config["max_sequence_length"] = 2048;
    }
    write_json(dir / "config.json", config);
    write_json(dir / "generation_config.json", {{"_from_model_config", true}, {"bos_token_id", 1}, {"eos_token_id", 2},
                                               {"pad_token_id", 0}, {"transformers_version", "4.30.2"}});
    std::vector<Tensors> parts(shards);
    std::size_t i = 0;
    for (const auto& [name, t] : llm_) parts[i++ * shards / llm_.size()][name] = t;
    const auto layers = config["num_hidden_layers"].get<int>();
    const auto half = config["hidden_size"].get<int>() / config["num_attention_heads"].get<int>() / 2;
    json weight_map = json::object();
    for (int s = 0; s < shards; ++s) {
      char file[64];
      std::snprintf(file, sizeof file, "pytorch_model-%05d-of-%05d.bin", s + 1, shards);
      Tensors floats;  // inv_freq: fp32 beside the weights, as in the real 14B shards
      if (s == 0)
        for (int l = 0; l < layers; ++l)
          floats["model.layers." + std::to_string(l) + ".self_attn.rotary_emb.inv_freq"] = at::rand({half});
      write_mixed(dir / file, parts[s], dtype, floats, fs::path(file).stem().string());
      Tensors all = parts[s];
      for (const auto& [n, t] : floats) all[n] = t;
      for (const auto& [n, t] : all) weight_map[n] = file;
    }
    write_json(dir / "pytorch_model.bin.index.json", {{"metadata", {{"total_size", 1234}}}, {"weight_map", weight_map}});
  }

  // A shard whose weights are `dtype` and whose `fp32` tensors stay float32.
  static void write_mixed(const fs::path& path, const Tensors& weights, at::ScalarType dtype, const Tensors& fp32,
                          const std::string& top) {
    std::vector<test::PickleTensor> specs;
    std::vector<std::pair<std::string, std::string>> storages;
    auto add = [&](const std::string& name, const at::Tensor& t) {
      test::PickleTensor p;
      p.name = name;
      p.storage_type = storage_type(t.scalar_type());
      p.key = std::to_string(storages.size());
      p.storage_numel = t.numel();
      p.size.assign(t.sizes().begin(), t.sizes().end());
      p.stride.assign(t.strides().begin(), t.strides().end());
      storages.emplace_back(p.key, test::tensor_bytes(t));
      specs.push_back(p);
    };
    for (const auto& [n, t] : weights) add(n, t.to(dtype).contiguous());
    for (const auto& [n, t] : fp32) add(n, t.to(at::kFloat).contiguous());
    test::write_torch_checkpoint(path, test::state_dict_pickle(specs), storages, top);
  }

  // seed-tokenizer-2 (and AILab-CVC/SEED's seed_tokenizer): seed_quantizer.pt without the ViT
  // (FloatStorage + LongStorage: position_ids), the recon branch the inference code never runs,
  // LLaMA tokenizer files as transformers 4.30 saved them. The real folder has no config.json;
  // the tiny model needs one for its head counts (the real sizes are the built-in defaults).
  void write_seed_tokenizer(const fs::path& dir) {
    Tensors main;
    for (const auto& [name, t] : seed_)
      if (name.rfind("visual_encoder.", 0) != 0) main[name] = t;
    main["Qformer.bert.embeddings.position_ids"] = at::arange(512, at::kLong).view({1, 512});
    main["pos_embed"] = at::zeros_like(seed_.at("pos_embed_image"));
    main["blocks.0.norm1.weight"] = at::ones_like(seed_.at("blocks_image.0.norm1.weight"));
    write_torch_save(dir / "seed_quantizer.pt", main, at::kFloat, "archive");
    fs::copy_file(demo_ / "seed_tokenizer" / "config.json", dir / "config.json");
    for (const char* f : {"tokenizer.model", "added_tokens.json"}) fs::copy_file(demo_ / "llm" / f, dir / f);
    const json added = {{"__type", "AddedToken"}, {"lstrip", false}, {"normalized", true}, {"rstrip", false},
                        {"single_word", false}};
    auto token = [&](const char* c) {
      auto j = added;
      j["content"] = c;
      return j;
    };
    // tokenizer_config.json as transformers 4.30 wrote it (no "legacy"; 1e30 max length).
    write_text(dir / "tokenizer_config.json",
               json({{"add_bos_token", true}, {"add_eos_token", false}, {"bos_token", token("<s>")},
                     {"clean_up_tokenization_spaces", false}, {"eos_token", token("</s>")}, {"pad_token", nullptr},
                     {"sp_model_kwargs", json::object()}, {"tokenizer_class", "LlamaTokenizer"},
                     {"unk_token", token("<unk>")}})
                       .dump(2)
                       .replace(0, 1, "{\n  \"model_max_length\": 1000000000000000019884624838656,"));
    auto plain = [&](const char* c) {
      auto j = token(c);
      j.erase("__type");
      return j;
    };
    write_json(dir / "special_tokens_map.json", {{"additional_special_tokens", {"<img>", "</img>"}},
                                                 {"bos_token", plain("<s>")},
                                                 {"eos_token", plain("</s>")},
                                                 {"unk_token", plain("<unk>")}});
  }

  // LAVIS eva_vit_g.pth: the bare EVA-CLIP ViT (no visual_encoder. prefix), fp16, one block more
  // than BLIP-2 uses (EVA-CLIP-g has 40, BLIP-2 39).
  void write_eva_vit(const fs::path& path) {
    Tensors vit;
    int depth = 0;
    for (const auto& [name, t] : seed_) {
      if (name.rfind("visual_encoder.", 0) != 0) continue;
      const auto bare = name.substr(std::string("visual_encoder.").size());
      vit[bare] = t;
      if (bare.rfind("blocks.", 0) == 0) depth = std::max(depth, std::stoi(bare.substr(7)) + 1);
    }
    for (const auto& [name, t] : Tensors(vit))
      if (name.rfind("blocks.0.", 0) == 0) vit["blocks." + std::to_string(depth) + name.substr(8)] = at::randn_like(t);
    write_torch_save(path, vit, at::kHalf, "archive");
  }

  // stable-diffusion-2-1-unclip with only the fp16 variant files (variant="fp16" downloads);
  // `bin` puts the text encoder in as pytorch_model.bin instead (the .bin-only twins).
  void write_unclip(const fs::path& dir, bool bin) {
    fs::copy(demo_ / "unclip", dir, fs::copy_options::recursive);
    for (const char* part : {"unet", "vae", "image_normalizer", "text_encoder"}) {
      const auto folder = dir / part;
      const auto src = io::find_weights_in_folder(folder);
      const auto tensors = load_tensors(src);
      fs::remove(src);
      if (bin && std::string(part) == "text_encoder") {
        write_torch_save(folder / "pytorch_model.bin", tensors, at::kFloat, "pytorch_model");
        continue;
      }
      std::vector<std::pair<std::string, at::Tensor>> half;
      for (const auto& [n, t] : tensors) half.emplace_back(n, t.to(at::kHalf));
      const std::string stem = src.filename().string().substr(0, src.filename().string().find('.'));
      io::write_safetensors(folder / (stem + ".fp16.safetensors"), half);
    }
  }

  // The 8B system as four plain folders (huggingface-cli download --local-dir <name>).
  fs::path plain_pack(const std::string& name) {
    const auto root = test::scratch_dir(name);
    write_llm(root / "seed-llama-8b-sft", false, at::kFloat, 3);
    write_seed_tokenizer(root / "seed-tokenizer-2");
    write_eva_vit(root / "eva_vit_g.pth");
    write_unclip(root / "stable-diffusion-2-1-unclip", false);
    return root;
  }

 private slots:
  void initTestCase() {
    demo_ = test::demo_pack();
    llm_ = load_tensors(demo_ / "llm");
    seed_ = load_tensors(demo_ / "seed_tokenizer");
    // eva_vit_g.pth is also looked for in torch.hub's cache: keep this machine's out of the tests.
    const auto torch_home = test::scratch_dir("real_packs_torch_home");
    qputenv("TORCH_HOME", QByteArray::fromStdString(torch_home.string()));
  }

  // Every weight lands where it should: the LLM from fp16 shards (inv_freq skipped), the SEED
  // tokenizer from seed_quantizer.pt + the bare 40-block ViT, unCLIP from fp16 variants.
  void plainFoldersLoadEveryWeight() {
    const auto root = test::scratch_dir("real_packs_plain_fp16");
    write_llm(root / "seed-llama-8b-sft", false, at::kHalf, 3);
    write_seed_tokenizer(root / "seed-tokenizer-2");
    write_eva_vit(root / "eva_vit_g.pth");
    write_unclip(root / "stable-diffusion-2-1-unclip", false);
    const auto pack = find_pack(root);
    QCOMPARE(int(pack.chat_template), int(ChatTemplate::Vicuna8B));
    QCOMPARE(pack.vit, root / "eva_vit_g.pth");
    const auto report = validate_pack(pack, at::kFloat);
    QVERIFY(report.llm_has_image_tokens);

    llm::LlamaLoadOptions lo;
    auto model = llm::LlamaForCausalLM::load(pack.llm, lo);
    std::size_t checked = 0;
    for (const auto& p : model->named_parameters()) {
      QVERIFY2(llm_.count(p.name), p.name.c_str());
      QVERIFY2(at::equal(p.tensor->to(at::kFloat), stored_as(llm_.at(p.name), at::kHalf)), p.name.c_str());
      ++checked;
    }
    QCOMPARE(checked, llm_.size());

    auto paths = vision::SeedTokenizerPaths::resolve(pack.seed_tokenizer);
    paths.vit = pack.vit;
    auto tok = vision::SeedImageTokenizer::load(paths);
    const auto& model2 = tok->model();
    auto params = model2.named_parameters();
    QVERIFY(!model2.dims.vit_in_checkpoint);  // the ViT came from eva_vit_g.pth
    for (auto& p : model2.visual_encoder->named_parameters("visual_encoder.")) params.push_back(p);
    checked = 0;
    for (const auto& p : params) {
      const bool vit = p.name.rfind("visual_encoder.", 0) == 0;
      QVERIFY2(seed_.count(p.name), p.name.c_str());
      QVERIFY2(at::equal(p.tensor->to(at::kFloat), stored_as(seed_.at(p.name), vit ? at::kHalf : at::kFloat)),
               p.name.c_str());
      ++checked;
    }
    QCOMPARE(checked, seed_.size());

    auto unclip = diffusion::UnclipComponents::load(pack.unclip, c10::kCPU, at::kFloat);
    const auto unet = load_tensors(demo_ / "unclip" / "unet");
    for (const auto& p : unclip->unet.named_parameters())
      QVERIFY2(at::equal(*p.tensor, stored_as(unet.at(p.name), at::kHalf)), p.name.c_str());
  }

  // The whole pipeline loads from the layout the pack catalog downloads (fp32 shards, .bin
  // text encoder) and tokenizes an image.
  void pipelineLoadsThePlainLayout() {
    const auto root = test::scratch_dir("real_packs_pipeline");
    write_llm(root / "seed-llama-8b-sft", false, at::kFloat, 2);
    write_seed_tokenizer(root / "seed-tokenizer-2");
    write_eva_vit(root / "seed-tokenizer-2" / "eva_vit_g.pth");
    write_unclip(root / "stable-diffusion-2-1-unclip", true);
    LoadRequest request;
    request.pack_dir = root.string();
    request.dtype = "fp32";
    auto pipeline = SeedPipeline::load(request);
    const auto codes = pipeline->tokenize_image(RgbImage::blank(40, 30));
    QCOMPARE(codes.size(), std::size_t(32));
  }

  // ~/.cache/huggingface/hub: entries link into blobs/, refs/main names the revision to use
  // even when an older snapshot was touched later; AILab-CVC/SEED holds the 14B model and the
  // tokenizer as sub-folders of one repository.
  void huggingFaceCacheLayout() {
    const auto staging = test::scratch_dir("real_packs_hub_staging");
    write_llm(staging / "SEED" / "seed_llama_14b_sft", true, at::kHalf, 3);
    write_seed_tokenizer(staging / "SEED" / "seed_tokenizer");
    write_unclip(staging / "unclip", false);
    const auto home = test::scratch_dir("real_packs_hub_home");
    const auto cache = home / "hub";
    const auto seed = hub_entry(cache, "AILab-CVC/SEED", "aaaa1111", staging / "SEED");
    const auto unclip = hub_entry(cache, "stabilityai/stable-diffusion-2-1-unclip", "cccc3333", staging / "unclip");
    // An older, emptier snapshot with a newer time stamp must not win over refs/main.
    fs::create_directories(unclip.parent_path() / "0ld0ld");
    fs::last_write_time(unclip.parent_path() / "0ld0ld", fs::last_write_time(unclip) + std::chrono::hours(1));
    write_eva_vit(home / "eva_vit_g.pth");

    const auto pack = find_pack(home);  // the folder holding hub/, like ~/.cache/huggingface
    QCOMPARE(pack.llm, seed / "seed_llama_14b_sft");
    QCOMPARE(pack.seed_tokenizer, seed / "seed_tokenizer");
    QCOMPARE(pack.unclip, unclip);
    QCOMPARE(int(pack.chat_template), int(ChatTemplate::Llama2_14B));
    validate_pack(pack, at::kBFloat16);
    QCOMPARE(find_pack(cache).llm, pack.llm);  // the hub folder itself
    // A manifest may point at cache entries too.
    write_json(home / "manifest" / "seedcanvas-pack.json",
               {{"template", "14b"}, {"llm", (cache / "models--AILab-CVC--SEED").string() + "/snapshots/aaaa1111/seed_llama_14b_sft"},
                {"seed_tokenizer", (seed / "seed_tokenizer").string()}, {"vit", (home / "eva_vit_g.pth").string()},
                {"unclip", (cache / "models--stabilityai--stable-diffusion-2-1-unclip").string()}});
    QCOMPARE(find_pack(home / "manifest").unclip, unclip);
  }

  // A download still under way: the snapshot lacks a shard whose blob is `.incomplete`.
  void unfinishedHubDownloadSaysSo() {
    const auto staging = test::scratch_dir("real_packs_partial_staging");
    write_llm(staging / "llm", false, at::kFloat, 3);
    write_seed_tokenizer(staging / "tok");
    write_unclip(staging / "unclip", false);
    const auto cache = test::scratch_dir("real_packs_partial_hub");
    const auto llm = hub_entry(cache, "AILab-CVC/seed-llama-8b-sft", "bbbb", staging / "llm");
    hub_entry(cache, "AILab-CVC/seed-tokenizer-2", "dddd", staging / "tok");
    hub_entry(cache, "stabilityai/stable-diffusion-2-1-unclip", "eeee", staging / "unclip");
    write_eva_vit(cache / "eva_vit_g.pth");
    const auto shard = llm / "pytorch_model-00002-of-00003.bin";
    const auto blob = fs::canonical(shard);
    fs::remove(shard);
    fs::rename(blob, blob.string() + ".incomplete");
    const auto pack = find_pack(cache);
    const auto err = error_of([&] { validate_pack(pack, at::kFloat); });
    QVERIFY2(err.contains("pytorch_model-00002-of-00003.bin") && err.contains("missing"), qPrintable(err));
    QVERIFY2(err.contains("unfinished") && err.contains("huggingface-cli download AILab-CVC/seed-llama-8b-sft"),
             qPrintable(err));
  }

  // AILab-CVC/SEED holds the 14B model and its tokenizer: an unfinished tokenizer file there is
  // reported once, as that repository's download (not seed-tokenizer-2's).
  void unfinishedSeedRepositoryNamesItOnce() {
    const auto staging = test::scratch_dir("real_packs_partial_seed_staging");
    write_llm(staging / "SEED" / "seed_llama_14b_sft", true, at::kHalf, 2);
    write_seed_tokenizer(staging / "SEED" / "seed_tokenizer");
    write_unclip(staging / "unclip", false);
    const auto cache = test::scratch_dir("real_packs_partial_seed_hub");
    const auto seed = hub_entry(cache, "AILab-CVC/SEED", "ffff", staging / "SEED");
    hub_entry(cache, "stabilityai/stable-diffusion-2-1-unclip", "9999", staging / "unclip");
    write_eva_vit(cache / "eva_vit_g.pth");
    const auto model = seed / "seed_tokenizer" / "tokenizer.model";
    const auto blob = fs::canonical(model);
    fs::remove(model);
    fs::rename(blob, blob.string() + ".incomplete");
    const auto err = error_of([&] { validate_pack(find_pack(cache), at::kFloat); });
    QVERIFY2(err.contains("tokenizer.model"), qPrintable(err));
    QVERIFY2(err.contains("huggingface-cli download AILab-CVC/SEED"), qPrintable(err));
    QVERIFY2(!err.contains("seed-tokenizer-2"), qPrintable(err));
    QCOMPARE(err.count("is unfinished"), 1);
  }

  // huggingface-cli --local-dir keeps partial files under .cache/huggingface/download.
  void unfinishedLocalDirDownloadSaysSo() {
    const auto root = plain_pack("real_packs_partial_localdir");
    const auto unet = root / "stable-diffusion-2-1-unclip" / "unet";
    const auto weights = io::find_weights_in_folder(unet);
    fs::remove(weights);
    write_text(root / "stable-diffusion-2-1-unclip" / ".cache" / "huggingface" / "download" / "unet" /
                   "diffusion_pytorch_model.fp16.safetensors.0123abcd.incomplete",
               "partial");
    const auto err = error_of([&] { validate_pack(find_pack(root), at::kFloat); });
    QVERIFY2(err.contains("unet") && err.contains("no known weight file"), qPrintable(err));
    QVERIFY2(err.contains("unfinished") && err.contains("stabilityai/stable-diffusion-2-1-unclip"), qPrintable(err));
  }

  // The shard is gone with nothing pending, or cut short: named, with what to do.
  void missingOrTruncatedShardIsNamed() {
    const auto root = plain_pack("real_packs_missing_shard");
    fs::remove(root / "seed-llama-8b-sft" / "pytorch_model-00003-of-00003.bin");
    auto err = error_of([&] { validate_pack(find_pack(root), at::kFloat); });
    QVERIFY2(err.contains("pytorch_model-00003-of-00003.bin") && err.contains("1 of 3 shards absent") &&
                 err.contains("download"),
             qPrintable(err));

    const auto root2 = plain_pack("real_packs_truncated_shard");
    const auto shard = root2 / "seed-llama-8b-sft" / "pytorch_model-00002-of-00003.bin";
    fs::resize_file(shard, fs::file_size(shard) * 2 / 3);
    err = error_of([&] { validate_pack(find_pack(root2), at::kFloat); });
    QVERIFY2(err.contains("pytorch_model-00002-of-00003.bin") && err.contains("truncated") && err.contains("download it again"),
             qPrintable(err));

    const auto root3 = plain_pack("real_packs_truncated_unet");
    const auto unet = io::find_weights_in_folder(root3 / "stable-diffusion-2-1-unclip" / "unet");
    fs::resize_file(unet, fs::file_size(unet) - 100);
    err = error_of([&] { validate_pack(find_pack(root3), at::kFloat); });
    QVERIFY2(err.contains("diffusion_pytorch_model.fp16.safetensors") && err.contains("truncated"), qPrintable(err));
  }

  // A symlink into blobs/ whose blob was deleted (cache cleaned by hand).
  void danglingCacheLinkIsNamed() {
    const auto staging = test::scratch_dir("real_packs_dangling_staging");
    write_unclip(staging / "unclip", false);
    const auto cache = test::scratch_dir("real_packs_dangling");
    const auto snap = hub_entry(cache, "stabilityai/stable-diffusion-2-1-unclip", "ffff", staging / "unclip");
    const auto link = io::find_weights_in_folder(snap / "vae");
    fs::remove(fs::canonical(link));
    const auto err = error_of([&] { io::open_checkpoint(snap / "vae"); });
    QVERIFY2(err.contains("vae/diffusion_pytorch_model.fp16.safetensors") && err.contains("link to a file that is missing") &&
                 err.contains("download it again"),
             qPrintable(err));
  }

  // Legacy torch.save (pre-1.6 pickle stream) is refused by its magic number, whatever its
  // name, and never unpickled: the file below would run a shell command if it were.
  void legacyTorchSaveIsRefused() {
    const auto dir = test::scratch_dir("real_packs_legacy");
    test::PickleWriter w;
    w.proto(2);
    w.raw(std::string("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 12));
    w.op('.');
    w.proto(2).global("os", "system").str("touch " + (dir / "pwned").string()).op('\x85').op('R').op('.');
    for (const char* name : {"eva_vit_g.pth", "weights"}) {
      test::write_file(dir / name, w.bytes);
      const auto err = error_of([&] { io::open_checkpoint(dir / name); });
      QVERIFY2(err.contains(name) && err.contains("legacy torch.save") && err.contains("re-save"), qPrintable(err));
    }
    QVERIFY(!fs::exists(dir / "pwned"));
  }

  // Without eva_vit_g.pth the check fails before anything heavy loads, saying where to get it.
  void missingVitIsNamedEarly() {
    const auto root = plain_pack("real_packs_no_vit");
    fs::remove(root / "eva_vit_g.pth");
    const auto err = error_of([&] { validate_pack(find_pack(root), at::kFloat); });
    QVERIFY2(err.contains("seed_quantizer.pt") && err.contains("eva_vit_g.pth") &&
                 err.contains("storage.googleapis.com/sfr-vision-language-research/LAVIS/models/BLIP2/eva_vit_g.pth"),
             qPrintable(err));
    // Where upstream SEED/LAVIS downloaded it (torch.hub's cache) counts.
    const auto hub = fs::path(qgetenv("TORCH_HOME").toStdString()) / "hub" / "checkpoints";
    write_eva_vit(hub / "eva_vit_g.pth");
    const auto pack = find_pack(root);
    QCOMPARE(pack.vit, hub / "eva_vit_g.pth");
    validate_pack(pack, at::kFloat);
    fs::remove(hub / "eva_vit_g.pth");
  }

  // Tied embeddings saved as two names on one storage (tie_word_embeddings true).
  void tiedStoragesLoad() {
    const auto dir = test::scratch_dir("real_packs_tied");
    auto config = read_json_file(demo_ / "llm" / "config.json");
    config["tie_word_embeddings"] = true;
    write_json(dir / "config.json", config);
    Tensors tensors = llm_;
    tensors["lm_head.weight"] = tensors.at("model.embed_tokens.weight");
    write_torch_save(dir / "pytorch_model.bin", tensors, at::kBFloat16, "pytorch_model",
                     {{"model.embed_tokens.weight", "lm_head.weight"}});
    llm::LlamaLoadOptions lo;
    auto model = llm::LlamaForCausalLM::load(dir, lo);
    for (const auto& p : model->named_parameters())
      if (p.name == "model.embed_tokens.weight")
        QVERIFY(at::equal(p.tensor->to(at::kFloat), stored_as(llm_.at(p.name), at::kBFloat16)));
  }
};

QTEST_APPLESS_MAIN(RealPacksTest)
#include "test_real_packs.moc"
