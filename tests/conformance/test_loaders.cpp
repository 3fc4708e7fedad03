// Every weight file under the fixture root loads; torch.save (.bin/.pt), sharded and
// safetensors copies of one model are bit-identical; bf16/fp16 files are casts of the fp32
// ones; the legacy checkpoint carries exactly the rotary inv_freq extras; and the CLI's
// `inspect --json` and `convert` agree with the engine. Files are found by listing; the
// MANIFESTs describe weight files in prose only, so each model's safetensors copy is the
// reference for names and shapes.
#include <ATen/ATen.h>
#include <QProcess>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <set>

#include "core/error.h"
#include "core/json_file.h"
#include "io/tensor_source.h"
#include "nn/load.h"
#include "support/fixtures.h"
#include "support/tensor_compare.h"

using namespace seedcanvas;
namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_torch_file(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".bin" || ext == ".pt" || ext == ".pth" || ext == ".ckpt";
}
bool is_index(const fs::path& p) { return ends_with(p.filename().string(), ".index.json"); }
bool is_weight_file(const fs::path& p) { return is_torch_file(p) || is_index(p) || p.extension() == ".safetensors"; }

std::vector<fs::path> list_files(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && is_weight_file(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Files named by some index's weight_map: compared through their index, not one by one.
std::set<fs::path> shard_files(const std::vector<fs::path>& files) {
  std::set<fs::path> out;
  for (const auto& f : files) {
    if (!is_index(f)) continue;
    const auto index = read_json_file(f);
    for (const auto& [name, shard] : index.at("weight_map").items()) out.insert(f.parent_path() / shard.get<std::string>());
  }
  return out;
}

// The fp32 safetensors copy of the model a file belongs to: beside it, or, for the index
// of a `sharded/` folder, one level up.
fs::path twin_of(const fs::path& file) {
  std::vector<fs::path> dirs = {file.parent_path()};
  if (is_index(file)) dirs.push_back(file.parent_path().parent_path());
  for (const auto& dir : dirs)
    for (const char* name : {"model.safetensors", "diffusion_pytorch_model.safetensors"})
      if (fs::is_regular_file(dir / name) && dir / name != file) return dir / name;
  return {};
}

// Torch files and indexes that have a safetensors twin, each with that twin.
std::vector<std::pair<fs::path, fs::path>> twin_pairs(const std::vector<fs::path>& files) {
  const auto shards = shard_files(files);
  std::vector<std::pair<fs::path, fs::path>> out;
  for (const auto& f : files) {
    if ((!is_torch_file(f) && !is_index(f)) || shards.count(f)) continue;
    const auto twin = twin_of(f);
    if (!twin.empty()) out.emplace_back(f, twin);
  }
  return out;
}

constexpr const char* kLegacyExtra = "model.layers.*.self_attn.rotary_emb.inv_freq";

struct CliResult {
  int code = -1;
  QByteArray out, err;
};

// Runs the CLI for each argument list, a few at a time (each pays LibTorch's start-up).
std::vector<CliResult> run_cli(const std::vector<QStringList>& calls) {
  std::vector<CliResult> results(calls.size());
  constexpr std::size_t kParallel = 4;
  for (std::size_t first = 0; first < calls.size(); first += kParallel) {
    std::vector<std::unique_ptr<QProcess>> procs;
    const std::size_t last = std::min(calls.size(), first + kParallel);
    for (std::size_t i = first; i < last; ++i) {
      procs.push_back(std::make_unique<QProcess>());
      procs.back()->start(SEEDCANVAS_CLI_PATH, calls[i]);
    }
    for (std::size_t i = first; i < last; ++i) {
      auto& p = *procs[i - first];
      if (!p.waitForFinished(120000)) p.kill();
      results[i] = {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                    p.readAllStandardError()};
    }
  }
  return results;
}

}  // namespace

class LoadersTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    SEEDCANVAS_SKIP_WITHOUT_FIXTURES();
    root_ = test::fixtures_root();
    // A missing fixture root fails: conformance without fixtures checks nothing.
    QVERIFY2(fs::is_directory(root_), qPrintable("no fixtures at " + QString::fromStdString(root_.string()) +
                                                 " (set SEEDCANVAS_FIXTURES)"));
    files_ = list_files(root_);
    QVERIFY2(!files_.empty(), "no weight files under the fixture root");
  }

  void everyWeightFileLoads() {
    std::size_t tensors = 0;
    for (const auto& f : files_) {
      std::unique_ptr<io::TensorSource> source;
      try {
        source = io::open_checkpoint(f);
        for (const auto& info : source->tensors()) {
          at::Tensor t = source->load(info.name);
          const std::string what = f.string() + " [" + info.name + "]";
          QVERIFY2(t.scalar_type() == info.dtype, what.c_str());
          QVERIFY2(t.sizes() == at::IntArrayRef(info.shape), what.c_str());
          QVERIFY2(static_cast<std::uint64_t>(t.numel() * t.element_size()) == info.nbytes, what.c_str());
          ++tensors;
        }
      } catch (const Error& e) {
        QFAIL(e.what());
      }
      if (is_index(f)) {  // the index's declared total matches what its shards hold
        const auto index = read_json_file(f);
        if (index.contains("metadata") && index["metadata"].contains("total_size"))
          QCOMPARE(source->total_bytes(), index["metadata"]["total_size"].get<std::uint64_t>());
      }
    }
    qInfo("%zu files, %zu tensors", files_.size(), tensors);
  }

  void torchCopiesAreBitIdentical() {
    const auto pairs = twin_pairs(files_);
    QVERIFY2(!pairs.empty(), "no .bin/.pt/index file with a safetensors copy was found");
    for (const auto& [file, twin] : pairs) {
      auto source = io::open_checkpoint(file);
      auto reference = io::open_checkpoint(twin);
      for (const auto& info : reference->tensors()) {
        const std::string what = file.string() + " [" + info.name + "]";
        QVERIFY2(source->contains(info.name), ("missing: " + what).c_str());
        at::Tensor a = source->load(info.name), b = reference->load(info.name);
        QVERIFY2(a.scalar_type() == b.scalar_type(), ("dtype differs: " + what).c_str());
        QVERIFY2(a.sizes() == b.sizes(), ("shape differs: " + what).c_str());
        QVERIFY2(at::equal(a.contiguous(), b.contiguous()), ("bits differ: " + what).c_str());
      }
      for (const auto& info : source->tensors())
        if (!reference->contains(info.name))
          QVERIFY2(nn::glob_match(kLegacyExtra, info.name), ("unexpected extra: " + file.string() + " [" + info.name + "]").c_str());
      qInfo("%s == %s (%zu tensors)", file.c_str(), twin.filename().c_str(), reference->tensors().size());
    }
  }

  void reducedPrecisionFilesAreCasts() {
    std::size_t checked = 0;
    for (const auto& f : files_) {
      // model.<dtype>.safetensors beside model.safetensors
      const std::string name = f.filename().string();
      const std::string stem = "model.";
      if (name.rfind(stem, 0) != 0 || !ends_with(name, ".safetensors") || name == "model.safetensors") continue;
      const std::string tag = name.substr(stem.size(), name.size() - stem.size() - std::string(".safetensors").size());
      const at::ScalarType dtype = tag == "bf16" ? at::kBFloat16 : tag == "fp16" ? at::kHalf : at::kFloat;
      if (dtype == at::kFloat) continue;
      auto lowp = io::open_checkpoint(f);
      auto fp32 = io::open_checkpoint(f.parent_path() / "model.safetensors");
      QCOMPARE(lowp->tensors().size(), fp32->tensors().size());
      for (const auto& info : fp32->tensors()) {
        at::Tensor t = lowp->load(info.name);
        QCOMPARE(t.scalar_type(), dtype);
        SC_EXPECT_EQUAL(t, fp32->load(info.name).to(dtype), f.string() + " [" + info.name + "]");
      }
      ++checked;
    }
    if (checked == 0) QSKIP("no model.<bf16|fp16>.safetensors files in this fixture set");
  }

  void legacyInvFreqExtras() {
    std::size_t checked = 0;
    for (const auto& f : files_) {
      if (f.filename().string().find("legacy_inv_freq") == std::string::npos) continue;
      const auto config = read_json_file(f.parent_path() / "config.json");
      const auto layers = config.at("num_hidden_layers").get<std::int64_t>();
      const auto head_dim = config.at("hidden_size").get<std::int64_t>() / config.at("num_attention_heads").get<std::int64_t>();
      const double theta = config.value("rope_theta", 10000.0);
      auto source = io::open_checkpoint(f);
      auto twin = io::open_checkpoint(twin_of(f));
      std::set<std::string> extras;
      for (const auto& info : source->tensors())
        if (!twin->contains(info.name)) extras.insert(info.name);
      std::set<std::string> expected;
      for (std::int64_t i = 0; i < layers; ++i) expected.insert("model.layers." + std::to_string(i) + ".self_attn.rotary_emb.inv_freq");
      QCOMPARE(extras, expected);
      // inv_freq[j] = theta^(-2j/head_dim): the buffer LlamaRotaryEmbedding registers.
      auto want = at::pow(theta, -at::arange(0, head_dim, 2, at::kDouble) / static_cast<double>(head_dim));
      for (const auto& name : expected) SC_EXPECT_CLOSE(source->load(name), want, 1e-6, 1e-6, name);
      ++checked;
    }
    if (checked == 0) QSKIP("no *legacy_inv_freq* checkpoint in this fixture set");
  }

  // `inspect --json` lists the engine's names, dtypes, shapes and byte counts, and (for torch
  // files and indexes) the same names and shapes as the safetensors copy. `convert` writes
  // safetensors files bit-identical to those copies.
  void cliAgreesWithEngine() {
    const auto pairs = twin_pairs(files_);
    const auto scratch = test::scratch_dir("conformance_loaders");
    std::vector<QStringList> calls;
    for (const auto& [file, twin] : pairs) calls.push_back({"inspect", "--json", QString::fromStdString(file.string())});
    for (std::size_t i = 0; i < pairs.size(); ++i)
      calls.push_back({"convert", QString::fromStdString(pairs[i].first.string()),
                       QString::fromStdString((scratch / (std::to_string(i) + ".safetensors")).string())});
    const auto results = run_cli(calls);

    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto& [file, twin] = pairs[i];
      const auto& r = results[i];
      QVERIFY2(r.code == 0, qPrintable("inspect failed on " + QString::fromStdString(file.string()) + ": " + r.err));
      const auto json = nlohmann::json::parse(r.out.toStdString());
      auto engine = io::open_checkpoint(file);
      auto reference = io::open_checkpoint(twin);
      QCOMPARE(json.at("tensors").size(), engine->tensors().size());
      std::uint64_t total = 0;
      for (const auto& t : json.at("tensors")) {
        const auto name = t.at("name").get<std::string>();
        const io::TensorInfo* info = engine->find(name);
        QVERIFY2(info, name.c_str());
        QCOMPARE(t.at("dtype").get<std::string>(), io::dtype_name(info->dtype));
        QCOMPARE(t.at("shape").get<std::vector<std::int64_t>>(), info->shape);
        QCOMPARE(t.at("bytes").get<std::uint64_t>(), info->nbytes);
        total += info->nbytes;
        if (const io::TensorInfo* ref = reference->find(name))
          QCOMPARE(t.at("shape").get<std::vector<std::int64_t>>(), ref->shape);
        else
          QVERIFY2(nn::glob_match(kLegacyExtra, name), name.c_str());
      }
      QCOMPARE(json.at("total_bytes").get<std::uint64_t>(), total);

      const auto& c = results[pairs.size() + i];
      QVERIFY2(c.code == 0, qPrintable("convert failed on " + QString::fromStdString(file.string()) + ": " + c.err));
      auto converted = io::open_checkpoint(scratch / (std::to_string(i) + ".safetensors"));
      QCOMPARE(converted->tensors().size(), engine->tensors().size());
      for (const auto& info : reference->tensors())
        QVERIFY2(at::equal(converted->load(info.name), reference->load(info.name)), (file.string() + " [" + info.name + "]").c_str());
    }
  }

  void cliConvertCastsAndListsPipelines() {
    const auto scratch = test::scratch_dir("conformance_loaders_cast");
    std::vector<QStringList> calls;
    std::vector<std::pair<fs::path, fs::path>> casts;  // (fp32 source, bf16 reference)
    for (const auto& f : files_)
      if (f.filename() == "model.bf16.safetensors" && fs::exists(f.parent_path() / "pytorch_model.bin")) casts.emplace_back(f.parent_path() / "pytorch_model.bin", f);
    for (std::size_t i = 0; i < casts.size(); ++i)
      calls.push_back({"convert", QString::fromStdString(casts[i].first.string()),
                       QString::fromStdString((scratch / (std::to_string(i) + ".safetensors")).string()), "--dtype", "bf16"});
    // A folder of model folders (a diffusers pipeline) is listed component by component.
    std::vector<fs::path> pipelines;
    for (const auto& e : fs::recursive_directory_iterator(root_))
      if (e.is_regular_file() && e.path().filename() == "model_index.json") pipelines.push_back(e.path().parent_path());
    for (const auto& p : pipelines) calls.push_back({"inspect", "--json", QString::fromStdString(p.string())});
    if (calls.empty()) QSKIP("no bf16 copy or pipeline folder in this fixture set");
    const auto results = run_cli(calls);

    for (std::size_t i = 0; i < casts.size(); ++i) {
      QVERIFY2(results[i].code == 0, results[i].err.constData());
      auto converted = io::open_checkpoint(scratch / (std::to_string(i) + ".safetensors"));
      auto reference = io::open_checkpoint(casts[i].second);
      QCOMPARE(converted->tensors().size(), reference->tensors().size());
      for (const auto& info : reference->tensors()) SC_EXPECT_EQUAL(converted->load(info.name), reference->load(info.name), info.name);
    }
    for (std::size_t i = 0; i < pipelines.size(); ++i) {
      const auto& r = results[casts.size() + i];
      QVERIFY2(r.code == 0, r.err.constData());
      const auto json = nlohmann::json::parse(r.out.toStdString());
      std::set<std::string> listed;
      for (const auto& c : json.at("components")) {
        const auto name = c.at("name").get<std::string>();
        listed.insert(name);
        auto engine = io::open_checkpoint(pipelines[i] / name);
        QCOMPARE(c.at("tensor_count").get<std::size_t>(), engine->tensors().size());
        QCOMPARE(c.at("total_bytes").get<std::uint64_t>(), engine->total_bytes());
      }
      for (const auto& e : fs::directory_iterator(pipelines[i]))
        if (e.is_directory() && !io::find_weights_in_folder(e.path()).empty())
          QVERIFY2(listed.count(e.path().filename().string()), e.path().c_str());
    }
  }

 private:
  fs::path root_;
  std::vector<fs::path> files_;
};

QTEST_APPLESS_MAIN(LoadersTest)
#include "test_loaders.moc"
