// The unCLIP decoder's networks against the upstream fixtures (diffusion/MANIFEST.md):
// UNet forward, VAE decode, noise augmentation, empty-prompt text encoding and the recorded
// per-call UNet outputs of the pipeline runs, from both .safetensors and .bin folders.
#include <ATen/ATen.h>
#include <QtTest>
#include <c10/core/GradMode.h>

#include <fstream>
#include <map>

#include "core/error.h"
#include "core/json_file.h"
#include "diffusion/diffusers_folder.h"
#include "diffusion/unclip_components.h"
#include "io/safetensors.h"
#include "nn/load.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
namespace fs = std::filesystem;

namespace {

fs::path fixture_dir() { return test::fixture("diffusion"); }
fs::path pipeline_dir() { return fixture_dir() / "pipeline"; }

std::unique_ptr<io::SafetensorsFile> open_fixture(const std::string& name) {
  return io::SafetensorsFile::open(fixture_dir() / name);
}

std::vector<std::string> names_with_prefix(const io::TensorSource& src, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& t : src.tensors())
    if (t.name.rfind(prefix, 0) == 0) out.push_back(t.name);
  return out;
}

std::vector<fs::path> run_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fixture_dir()))
    if (e.path().filename().string().rfind("run_", 0) == 0 && e.path().extension() == ".safetensors")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// A copy of the pipeline folder whose weight files are only the `.bin` (or only the
// `.safetensors`) ones, so each format is exercised on its own. Files are symlinked.
fs::path folder_with_only(const std::string& extension) {
  auto dst = test::scratch_dir("diffusion_models_" + extension.substr(1));
  for (const auto& e : fs::recursive_directory_iterator(pipeline_dir())) {
    const auto rel = fs::relative(e.path(), pipeline_dir());
    if (e.is_directory()) {
      fs::create_directories(dst / rel);
      continue;
    }
    const auto ext = e.path().extension().string();
    if ((ext == ".bin" || ext == ".safetensors") && ext != extension) continue;
    fs::create_symlink(e.path(), dst / rel);
  }
  return dst;
}

}  // namespace

class DiffusionModelsTest : public QObject {
  Q_OBJECT

  std::map<std::string, std::unique_ptr<diffusion::UnclipComponents>> loaded_;

  // Loads (once) the components of a weight format; both formats are readable, so a load
  // error propagates and fails the test.
  diffusion::UnclipComponents* components(const std::string& format) {
    auto it = loaded_.find(format);
    if (it != loaded_.end()) return it->second.get();
    fs::path dir = format == "safetensors" ? folder_with_only(".safetensors") : folder_with_only(".bin");
    diffusion::UnclipLoadOptions options;
    options.keep_text_encoder = true;
    loaded_[format] = diffusion::UnclipComponents::load(dir, options);
    return loaded_[format].get();
  }

  static void formats() {
    QTest::addColumn<QString>("format");
    QTest::newRow("safetensors") << "safetensors";
    QTest::newRow("bin") << "bin";
  }

#define SC_COMPONENTS(var)                                                              \
  QFETCH(QString, format);                                                              \
  auto* var = components(format.toStdString());                                         \
  QVERIFY2(var, "no components loaded");

 private slots:
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    // A missing fixture root fails: conformance without fixtures checks nothing.
    QVERIFY2(fs::exists(pipeline_dir() / "model_index.json"),
             qPrintable("fixtures not found at " + QString::fromStdString(fixture_dir().string())));
    at::manual_seed(0);
  }

  void unetForward_data() { formats(); }
  void unetForward() {
    SC_COMPONENTS(c);
    auto f = open_fixture("unet_forward.safetensors");
    const auto sample = f->load("sample"), ehs = f->load("encoder_hidden_states"), labels = f->load("class_labels");
    const auto outs = names_with_prefix(*f, "out_t");
    QVERIFY(!outs.empty());
    for (const auto& name : outs) {
      const auto t = f->load("timestep_" + name.substr(5));
      c10::NoGradGuard no_grad;
      SC_EXPECT_CLOSE(c->unet.forward(sample, t, ehs, labels), f->load(name), 1e-4, 1e-4, name);
    }
  }

  void vaeDecode_data() { formats(); }
  void vaeDecode() {
    SC_COMPONENTS(c);
    auto f = open_fixture("vae_decode.safetensors");
    SC_EXPECT_CLOSE(c->vae.decode(f->load("latents")), f->load("decoded"), 1e-4, 1e-4, "decoded");
  }

  void noiseAugmentation_data() { formats(); }
  void noiseAugmentation() {
    SC_COMPONENTS(c);
    auto f = open_fixture("noise_augmentation.safetensors");
    SC_EXPECT_CLOSE(c->noise.alphas_cumprod, f->load("noising_alphas_cumprod"), 0, 1e-6, "alphas_cumprod");
    SC_EXPECT_EQUAL(c->noise.image_normalizer.mean, f->load("image_normalizer.mean"), "mean");
    SC_EXPECT_EQUAL(c->noise.image_normalizer.std, f->load("image_normalizer.std"), "std");
    const auto levels = names_with_prefix(*f, "noised_level");
    QVERIFY(!levels.empty());
    for (const auto& name : levels) {
      const auto level = std::stoll(name.substr(std::string("noised_level").size()));
      auto got = c->noise.noise_image_embeddings(f->load("image_embeds"), level, f->load("noise"));
      SC_EXPECT_CLOSE(got, f->load(name), 1e-5, 0, name);
    }
  }

  void emptyPrompt_data() { formats(); }
  void emptyPrompt() {
    SC_COMPONENTS(c);
    for (const auto& run : run_files()) {
      auto f = io::SafetensorsFile::open(run);
      const auto tag = run.stem().string();
      SC_EXPECT_EQUAL(c->tokenizer.encode_padded(""), f->load("text_input_ids"), tag + " text_input_ids");
      SC_EXPECT_CLOSE(c->empty_prompt_embeds(), f->load("prompt_embeds"), 1e-5, 0, tag + " prompt_embeds");
      SC_EXPECT_CLOSE(c->encode_prompt(""), f->load("prompt_embeds"), 1e-5, 0, tag + " encode_prompt");
      // Both CFG branches use the same empty prompt.
      auto both = at::cat({c->empty_prompt_embeds(), c->empty_prompt_embeds()}, 0);
      SC_EXPECT_CLOSE(both, f->load("unet_encoder_hidden_states"), 1e-5, 0, tag + " unet_encoder_hidden_states");
    }
  }

  // Every recorded UNet call of every run, from its recorded inputs.
  void runUnetCalls_data() { formats(); }
  void runUnetCalls() {
    SC_COMPONENTS(c);
    const auto runs = run_files();
    QVERIFY(!runs.empty());
    for (const auto& run : runs) {
      auto f = io::SafetensorsFile::open(run);
      const auto ehs = f->load("unet_encoder_hidden_states"), labels = f->load("unet_class_labels");
      const auto samples = names_with_prefix(*f, "step");
      int calls = 0;
      for (const auto& name : samples) {
        const auto dot = name.find('.');
        if (name.substr(dot + 1) != "unet_sample") continue;
        const auto step = name.substr(0, dot);
        c10::NoGradGuard no_grad;
        auto out = c->unet.forward(f->load(name), f->load(step + ".timestep"), ehs, labels);
        SC_EXPECT_CLOSE(out, f->load(step + ".unet_output"), 1e-4, 1e-4, run.stem().string() + " " + step);
        ++calls;
      }
      QCOMPARE(calls, static_cast<int>(f->load("timesteps").numel()));
      SC_EXPECT_CLOSE(c->vae.decode_unscaled(f->load("vae_decode_input")), f->load("vae_decode_output"), 2e-4, 0,
                      run.stem().string() + " vae_decode_output");
    }
  }

  // The legacy VAE attention spelling (query/key/value/proj_attn) loads through the rename table.
  void legacyVaeKeys() {
    auto dir = test::scratch_dir("diffusion_models_legacy_vae");
    auto src = io::open_checkpoint(pipeline_dir() / "vae");
    std::vector<std::pair<std::string, at::Tensor>> renamed;
    int changed = 0;
    for (const auto& t : src->tensors()) {
      std::string key = t.name;
      for (const auto& [now, old] : std::vector<std::pair<std::string, std::string>>{
               {".to_q.", ".query."}, {".to_k.", ".key."}, {".to_v.", ".value."}, {".to_out.0.", ".proj_attn."}}) {
        auto pos = key.find(now);
        if (pos != std::string::npos && key.find("attentions.0") != std::string::npos) {
          key.replace(pos, now.size(), old);
          ++changed;
        }
      }
      renamed.emplace_back(key, src->load(t.name));
    }
    QVERIFY(changed > 0);
    io::write_safetensors(dir / "diffusion_pytorch_model.safetensors", renamed);
    auto config = read_config(pipeline_dir() / "vae" / "config.json");
    diffusion::AutoencoderKLDecoder vae(diffusion::AutoencoderKLConfig::from_json(config, "vae/config.json"));
    nn::LoadOptions lo;
    lo.ignore = {"encoder.*", "quant_conv.*"};
    nn::load_state(vae, *diffusion::rename_keys(io::open_checkpoint(dir), diffusion::vae_attention_renames()), lo);
    auto f = open_fixture("vae_decode.safetensors");
    SC_EXPECT_CLOSE(vae.decode(f->load("latents")), f->load("decoded"), 1e-4, 1e-4, "decoded (legacy keys)");
  }

  // Tiled decode of a larger latent stays close to the whole-image decode. The tiny random VAE
  // is far more sensitive than a trained one (tile-local attention and statistics), so the
  // bound is relative: much closer to the whole decode than a decode of another latent is.
  void tiledVaeDecode() {
    auto* c = components("safetensors");
    QVERIFY(c);
    const auto channels = c->configs.vae.latent_channels;
    auto smooth_latent = [&] {  // upsampled coarse noise, smooth like real latents
      return at::upsample_bilinear2d(at::randn({1, channels, 4, 5}), {30, 38}, false) * c->configs.vae.scaling_factor;
    };
    auto latents = smooth_latent();
    c10::NoGradGuard no_grad;
    auto& vae = c->vae;
    vae.tiling = {};
    auto whole = vae.decode(latents);
    const double unrelated = (vae.decode(smooth_latent()) - whole).abs().mean().item<double>();
    struct Case {
      std::int64_t tile, overlap;
      double bound;  // mean |diff| as a fraction of `unrelated`
    };
    for (auto [tile, overlap, bound] : {Case{32, 8, 0.3}, Case{24, 12, 0.75}}) {
      vae.tiling = {true, tile, overlap};
      auto tiled = vae.decode(latents);
      QCOMPARE(tiled.sizes(), whole.sizes());
      const double err = (tiled - whole).abs().mean().item<double>();
      qInfo("tile %lld overlap %lld: mean |diff| %.4g (unrelated latent: %.4g)", static_cast<long long>(tile),
            static_cast<long long>(overlap), err, unrelated);
      QVERIFY2(err < bound * unrelated, "tiled decode drifts from the whole decode");
    }
    // A tile covering the latent is the plain decode.
    vae.tiling = {true, 64, 8};
    SC_EXPECT_CLOSE(vae.decode(latents), whole, 1e-6, 0, "one tile");
    vae.tiling = {};
  }

  // Settings: channels-last gives the same numbers; bf16 on CPU stays close to fp32.
  void settingsKeepNumerics() {
    auto* c = components("safetensors");
    QVERIFY(c);
    auto f = open_fixture("unet_forward.safetensors");
    const auto sample = f->load("sample"), ehs = f->load("encoder_hidden_states"), labels = f->load("class_labels");
    // Any recorded timestep will do: the first one the file lists (names come from the file).
    const auto outs = names_with_prefix(*f, "out_t");
    QVERIFY(!outs.empty());
    const auto t = f->load("timestep_" + outs.front().substr(5)), expected = f->load(outs.front());
    c10::NoGradGuard no_grad;
    c->unet.set_channels_last(true);
    auto cl = c->unet.forward(sample, t, ehs, labels);
    c->unet.set_channels_last(false);
    SC_EXPECT_CLOSE(cl, expected, 1e-4, 1e-4, "channels-last UNet");

    diffusion::UnclipLoadOptions options;
    options.dtype = at::kBFloat16;
    auto bf = diffusion::UnclipComponents::load(folder_with_only(".safetensors"), options);
    QCOMPARE(bf->unet.dtype(), at::kBFloat16);
    auto out = bf->unet.forward(sample, t, ehs, labels);
    QCOMPARE(out.scalar_type(), at::kBFloat16);
    const double rel = (out.to(at::kFloat) - expected).norm().item<double>() / expected.norm().item<double>();
    qInfo("bf16 UNet relative error %.4g", rel);
    QVERIFY2(rel < 0.05, "bf16 UNet is far from fp32");
    auto v = open_fixture("vae_decode.safetensors");
    auto img = bf->vae.decode(v->load("latents"));
    const double vrel = (img.to(at::kFloat) - v->load("decoded")).norm().item<double>() / v->load("decoded").norm().item<double>();
    qInfo("bf16 VAE relative error %.4g", vrel);
    QVERIFY2(vrel < 0.05, "bf16 VAE is far from fp32");
    SC_EXPECT_CLOSE(bf->empty_prompt_embeds().to(at::kFloat), c->empty_prompt_embeds(), 0.05, 0.05, "bf16 prompt");
  }

  // Bad configs and folders fail with messages naming the file and key.
  void badInputIsReported() {
    auto dir = folder_with_only(".safetensors");
    auto unet_config = read_config(dir / "unet" / "config.json");
    auto expect = [&](const nlohmann::json& cfg, const QString& needle, const QString& file = "config.json") {
      fs::remove(dir / "unet" / "config.json");
      std::ofstream(dir / "unet" / "config.json") << cfg.dump();
      try {
        diffusion::UnclipComponents::load(dir, at::kCPU, at::kFloat);
        QFAIL("loading should fail");
      } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(needle), e.what());
        QVERIFY2(QString(e.what()).contains(file), e.what());
      }
    };
    auto broken = unet_config;
    broken["block_out_channels"] = "wide";
    expect(broken, "block_out_channels");
    broken = unet_config;
    broken["up_block_types"][0] = "SimpleUpBlock";
    expect(broken, "up_block_types");
    broken = unet_config;
    broken["projection_class_embeddings_input_dim"] = 100;
    expect(broken, "projection_class_embeddings_input_dim");
    broken = unet_config;
    broken["attention_head_dim"] = nlohmann::json::array({3, 5});
    expect(broken, "attention_head_dim");
    // Shapes that do not fit the config are reported by key, not crashed on.
    broken = unet_config;
    broken["layers_per_block"] = 2;
    expect(broken, "down_blocks.0.resnets.1", "diffusion_pytorch_model");
    std::ofstream(dir / "unet" / "config.json", std::ios::trunc) << unet_config.dump();

    auto throws = [](auto&& fn) {
      try {
        fn();
      } catch (const Error&) {
        return true;
      }
      return false;
    };
    QVERIFY(throws([&] { diffusion::UnclipComponents::load(dir / "nope", at::kCPU, at::kFloat); }));
    auto c = components("safetensors");
    QVERIFY(c);
    const auto e = c->noise.embedding_dim();
    QVERIFY(throws([&] {
      c->unet.forward(at::zeros({1, 3, 8, 8}), at::zeros({1}), c->empty_prompt_embeds(), at::zeros({1, 2 * e}));
    }));
    QVERIFY(throws([&] { c->noise.noise_image_embeddings(at::zeros({1, e}), 5000, at::zeros({1, e})); }));
  }

 private:
  static nlohmann::json read_config(const fs::path& p) { return seedcanvas::read_json_file(p); }
};

QTEST_APPLESS_MAIN(DiffusionModelsTest)
#include "test_diffusion_models.moc"
