// Broken and malicious weight files: each must fail with an Error naming the file and the
// problem, and the CLI must answer with one line and an exit code below 128 (never a
// signal, never a hang).
#include <ATen/ATen.h>
#include <QProcess>
#include <QtTest>

#include <sys/stat.h>

#include <chrono>
#include <functional>
#include <thread>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "io/tensor_source.h"
#include "support/fixtures.h"
#include "weight_builders.h"

using namespace seedcanvas;
namespace fs = std::filesystem;

namespace {

std::string with_header(const std::string& json, std::size_t data_bytes) {
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((json.size() >> (8 * i)) & 0xff));
  return out + json + std::string(data_bytes, '\0');
}

// A one-tensor state dict whose storage "0" holds `numel` floats.
std::string one_tensor_pickle(std::int64_t numel, std::vector<std::int64_t> size, std::vector<std::int64_t> stride,
                              const std::string& key = "0") {
  return test::state_dict_pickle({{"w", "FloatStorage", key, numel, 0, std::move(size), std::move(stride)}});
}

// What the exploit pickles would create if anything in them ran.
const fs::path kOwnedMarker = "/tmp/seedcanvas-owned";

// A pickle that calls module.name(arg) the way an exploit would: GLOBAL, args tuple, REDUCE.
std::string call_pickle(const std::string& module, const std::string& name) {
  test::PickleWriter w;
  w.proto(2).global(module, name).str("echo owned > " + kOwnedMarker.string()).op(static_cast<char>(0x85)).op('R').op('.');
  return w.bytes;
}

void write_ckpt(const fs::path& path, const std::string& pickle, const std::string& storage = std::string(16, '\0')) {
  test::write_torch_checkpoint(path, pickle, {{"0", storage}});
}

struct Case {
  const char* tag;
  const char* file;      // created in the scratch folder
  const char* expected;  // part of the error message
  std::function<void(const fs::path&)> make;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      // safetensors
      {"st empty", "empty.safetensors", "truncated", [](auto& p) { test::write_file(p, ""); }},
      {"st truncated", "t.safetensors", "truncated", [](auto& p) { test::write_file(p, "abc"); }},
      {"st header past end", "h.safetensors", "past the end",
       [](auto& p) { test::write_file(p, with_header("{}", 0).replace(0, 1, 1, '\xc8')); }},
      {"st overlap", "o.safetensors", "overlaps", [](auto& p) {
         test::write_file(p, with_header(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                         R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12));
       }},
      {"st out of range", "r.safetensors", "past the end of the data", [](auto& p) {
         test::write_file(p, with_header(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[1000,1016]}})", 16));
       }},
      {"st size mismatch", "s.safetensors", "size mismatch", [](auto& p) {
         test::write_file(p, with_header(R"({"a":{"dtype":"F32","shape":[3,3],"data_offsets":[0,8]}})", 8));
       }},
      {"st absurd dims", "d.safetensors", "overflows", [](auto& p) {
         test::write_file(p, with_header(R"({"a":{"dtype":"BF16","shape":[9223372036854775807,9223372036854775807],)"
                                         R"("data_offsets":[0,8]}})", 8));
       }},
      {"st bad dtype", "b.safetensors", "unsupported dtype", [](auto& p) {
         test::write_file(p, with_header(R"({"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}})", 8));
       }},
      // zip container
      {"zip truncated", "cut.bin", "end-of-central-directory", [](auto& p) {
         write_ckpt(p, one_tensor_pickle(4, {4}, {1}));
         auto bytes = test::read_file(p);
         test::write_file(p, bytes.substr(0, bytes.size() * 6 / 10));
       }},
      {"zip entry past end", "long.bin", "runs past the end of the file", [](auto& p) {
         std::vector<test::ZipItem> items = {{"archive/data.pkl", one_tensor_pickle(4, {4}, {1})},
                                             {"archive/data/0", std::string(16, '\0')}};
         items[1].declared_size = items[1].declared_csize = 0xfffffff0u;
         test::write_file(p, test::build_zip(items));
       }},
      {"zip traversal dotdot", "dotdot.bin", "unsafe zip entry name", [](auto& p) {
         test::write_file(p, test::build_zip({{"archive/data.pkl", one_tensor_pickle(4, {4}, {1})},
                                              {"../../../tmp/evil", "x"}}));
       }},
      {"zip traversal absolute", "abs.bin", "unsafe zip entry name", [](auto& p) {
         test::write_file(p, test::build_zip({{"/etc/passwd", "x"}}));
       }},
      {"zip duplicate entry", "dup.bin", "twice", [](auto& p) {
         test::write_file(p, test::build_zip({{"archive/data.pkl", "a"}, {"archive/data.pkl", "b"}}));
       }},
      {"zip bomb over the cap", "bomb.bin", "zip bomb", [](auto& p) {
         test::ZipItem pkl{"archive/data.pkl", std::string(65u << 20, '\0'), true};
         test::write_file(p, test::build_zip({pkl}));
       }},
      {"zip bomb lying size", "liar.bin", "inflates past its declared size", [](auto& p) {
         test::ZipItem pkl{"archive/data.pkl", std::string(8u << 20, '\0'), true};
         pkl.declared_size = 1000;
         test::write_file(p, test::build_zip({pkl}));
       }},
      {"crc mismatch", "crc.bin", "CRC-32", [](auto& p) {
         const std::string pickle = one_tensor_pickle(4, {4}, {1});
         auto bytes = test::build_zip({{"archive/data.pkl", pickle}, {"archive/data/0", std::string(16, '\0')}});
         bytes[bytes.find(pickle) + pickle.size() / 2] ^= 0x20;
         test::write_file(p, bytes);
       }},
      {"not a zip", "legacy.bin", "not a torch.save zip archive",
       [](auto& p) { test::write_file(p, std::string("\x80\x02\x8a\x0alegacy magic number", 23)); }},
      // pickle
      {"os.system", "os.bin", "refused global 'os.system'", [](auto& p) { write_ckpt(p, call_pickle("os", "system")); }},
      {"builtins.eval", "eval.bin", "refused global 'builtins.eval'",
       [](auto& p) { write_ckpt(p, call_pickle("builtins", "eval")); }},
      {"posix.system", "posix.bin", "refused global 'posix.system'",
       [](auto& p) { write_ckpt(p, call_pickle("posix", "system")); }},
      // Look-alikes inside allowed modules: torch.load on embedded bytes, a nested attribute.
      {"torch storage from bytes", "frombytes.bin", "refused global 'torch.storage._load_from_bytes'",
       [](auto& p) { write_ckpt(p, call_pickle("torch.storage", "_load_from_bytes")); }},
      {"attribute path", "attr.bin", "refused global 'collections.OrderedDict.fromkeys'",
       [](auto& p) { write_ckpt(p, call_pickle("collections", "OrderedDict.fromkeys")); }},
      {"stack global", "sg.bin", "refused global 'os.system'", [](auto& p) {
         test::PickleWriter w;
         w.proto(4).raw("\x8c\x02os\x8c\x06system\x93").str("id").op(static_cast<char>(0x85)).op('R').op('.');
         write_ckpt(p, w.bytes);
       }},
      {"unknown opcode", "inst.bin", "unsupported opcode 0x69 'i'", [](auto& p) {
         test::PickleWriter w;
         w.proto(2).op('(').raw("ios\nsystem\n").op('.');
         write_ckpt(p, w.bytes);
       }},
      {"pickle truncated", "trunc.bin", "truncated", [](auto& p) {
         const auto pickle = one_tensor_pickle(4, {4}, {1});
         write_ckpt(p, pickle.substr(0, pickle.size() - 20));
       }},
      {"pickle not a dict", "list.bin", "not a state dict", [](auto& p) {
         test::PickleWriter w;
         w.proto(2).op(']').op('.');
         write_ckpt(p, w.bytes);
       }},
      {"memo never stored", "memo.bin", "never stored", [](auto& p) {
         test::PickleWriter w;
         w.proto(2).binget(7).op('.');
         write_ckpt(p, w.bytes);
       }},
      {"deep nesting", "deep.bin", "nested deeper", [](auto& p) {
         test::PickleWriter w;
         w.proto(2);
         for (int i = 0; i < 200; ++i) w.op('}').str("k");
         w.op('}');
         for (int i = 0; i < 200; ++i) w.op('s');
         w.op('.');
         write_ckpt(p, w.bytes);
       }},
      {"exponential sharing", "laughs.bin", "entries", [](auto& p) {
         // d0 = {}, d(n+1) = {"k0".."k9": d(n)}: 10^8 entries to visit from a 1 kB pickle.
         test::PickleWriter w;
         w.proto(2).op('}').binput(0);
         for (int level = 1; level <= 8; ++level) {
           w.op('}').op('(');
           for (int k = 0; k < 10; ++k) w.str("k" + std::to_string(k)).binget(static_cast<std::uint8_t>(level - 1));
           w.op('u').binput(static_cast<std::uint8_t>(level));
         }
         w.op('.');
         write_ckpt(p, w.bytes);
       }},
      {"too many marks", "marks.bin", "too many MARKs", [](auto& p) {
         test::PickleWriter w;
         w.proto(2).raw(std::string((1u << 20) + 8, '('));
         write_ckpt(p, w.bytes);
       }},
      {"memo flood", "memoize.bin", "memo slots", [](auto& p) {
         test::PickleWriter w;
         w.proto(4).op('N').raw(std::string((1u << 20) + 8, '\x94'));  // MEMOIZE, each a new slot
         write_ckpt(p, w.bytes);
       }},
      {"negative size", "neg.bin", "negative size or stride", [](auto& p) { write_ckpt(p, one_tensor_pickle(4, {-4}, {1})); }},
      {"stride past storage", "stride.bin", "reach element",
       [](auto& p) { write_ckpt(p, one_tensor_pickle(4, {3, 4}, {4, 1})); }},
      {"storage key missing", "nokey.bin", "missing from the archive",
       [](auto& p) { write_ckpt(p, one_tensor_pickle(4, {4}, {1}, "7")); }},
      {"storage size mismatch", "short.bin", "needs 40",
       [](auto& p) { write_ckpt(p, one_tensor_pickle(10, {10}, {1})); }},
      // folders and indexes
      {"index names missing shard", "model.safetensors.index.json", "missing",
       [](auto& p) { test::write_file(p, R"({"weight_map": {"w": "model-00001-of-00002.safetensors"}})"); }},
      {"index escapes folder", "escape.index.json", "not a plain file name",
       [](auto& p) { test::write_file(p, R"({"weight_map": {"w": "../../etc/x.safetensors"}})"); }},
      {"fifo", "pipe.safetensors", "not a regular file", [](auto& p) { ::mkfifo(p.c_str(), 0600); }},
  };
  return all;
}

}  // namespace

class HostileWeightsTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { dir_ = test::scratch_dir("unit_hostile_weights"); }

  void refused_data() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < cases().size(); ++i) QTest::newRow(cases()[i].tag) << static_cast<int>(i);
  }
  void refused() {
    QFETCH(int, index);
    const Case& c = cases()[index];
    const fs::path path = dir_ / c.file;
    c.make(path);
    fs::remove(kOwnedMarker);
    QString error;
    ErrorKind kind = ErrorKind::Internal;
    try {
      io::load_all(*io::open_checkpoint(path));
    } catch (const Error& e) {
      error = QString::fromStdString(e.what());
      kind = e.kind();
    }
    QVERIFY2(!error.isEmpty(), "the file was accepted");
    QVERIFY2(error.contains(c.expected), qPrintable("got: " + error));
    QVERIFY2(error.contains(QString::fromStdString(path.string())), qPrintable("does not name the file: " + error));
    QVERIFY2(kind != ErrorKind::Internal, "an internal error is not a diagnosis");
    QVERIFY2(!fs::exists(kOwnedMarker), "the loader ran code from the file");
  }

  // The CLI turns the same files into one line on stderr and an exit code below 128.
  // `convert` opens and reads every tensor, so it meets every problem; `inspect` (open only)
  // runs on a few. The processes run concurrently: each pays LibTorch's start-up time.
  void cliExitsCleanly() {
    struct Run {
      const Case* c;
      fs::path path;
      QString command;
      std::unique_ptr<QProcess> process;
    };
    std::vector<Run> runs;
    const fs::path cli_dir = dir_ / "cli";
    fs::create_directories(cli_dir);
    for (const auto& c : cases()) {
      const fs::path path = cli_dir / c.file;
      c.make(path);
      runs.push_back({&c, path, "convert", nullptr});
      const std::string tag = c.tag;
      if (tag == "fifo" || tag == "os.system" || tag == "stride past storage" || tag == "zip truncated")
        runs.push_back({&c, path, "inspect", nullptr});
    }
    const fs::path out = dir_ / "converted.safetensors";
    fs::remove(kOwnedMarker);
    constexpr std::size_t kParallel = 6;
    for (std::size_t first = 0; first < runs.size(); first += kParallel) {
      const std::size_t last = std::min(runs.size(), first + kParallel);
      for (std::size_t i = first; i < last; ++i) {
        auto& r = runs[i];
        QStringList args = {r.command, QString::fromStdString(r.path.string())};
        if (r.command == "convert") args << QString::fromStdString(out.string());
        r.process = std::make_unique<QProcess>();
        r.process->start(SEEDCANVAS_CLI_PATH, args);
      }
      for (std::size_t i = first; i < last; ++i) {
        auto& r = runs[i];
        const QString what = r.command + " on '" + r.c->tag + "'";
        QVERIFY2(r.process->waitForFinished(60000), qPrintable(what + ": the CLI hung"));
        const QString err = QString::fromUtf8(r.process->readAllStandardError()).trimmed();
        QVERIFY2(r.process->exitStatus() == QProcess::NormalExit, qPrintable(what + ": crashed"));
        const int rc = r.process->exitCode();
        QVERIFY2(rc > 0 && rc < 128, qPrintable(what + ": exit code " + QString::number(rc)));
        QVERIFY2(!err.contains('\n'), qPrintable(what + ": more than one line: " + err));
        QVERIFY2(err.contains(QString::fromStdString(r.path.string())), qPrintable(what + ": does not name the file: " + err));
        QVERIFY2(err.contains(r.c->expected), qPrintable(what + ": " + err));
      }
    }
    QVERIFY2(!fs::exists(out), "a failed convert left its output behind");
    QVERIFY2(!fs::exists(kOwnedMarker), "the CLI ran code from a file");
  }

  // `convert` killed (SIGKILL, no clean-up runs) while it writes over an existing file: the
  // existing file is still whole and loads; only the temporary beside it can be left.
  void killedConvertKeepsTheTarget() {
    const fs::path dir = dir_ / "killed";
    fs::create_directories(dir);
    const fs::path src = dir / "big.safetensors", dst = dir / "target.safetensors";
    io::write_safetensors(src, {{"w", at::randn({32, 1024, 1024})}});  // 128 MiB to write out
    const auto old = at::arange(8, at::kFloat);
    io::write_safetensors(dst, {{"old", old}});
    const std::string before = test::read_file(dst);

    QProcess p;
    p.start(SEEDCANVAS_CLI_PATH, {"convert", QString::fromStdString(src.string()), QString::fromStdString(dst.string())});
    QVERIFY(p.waitForStarted());
    bool writing = false;  // the temporary beside the target has data: the write is under way
    for (int i = 0; i < 60000 && !writing && p.state() != QProcess::NotRunning; ++i) {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().filename().string().rfind("target.safetensors.partial-", 0) == 0 && fs::file_size(e.path(), ec) > 0)
          writing = true;
      if (!writing) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    p.kill();
    p.waitForFinished();
    QVERIFY2(writing, "convert finished (or failed) before it was seen writing");
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);
    QVERIFY2(test::read_file(dst) == before, "the existing file was damaged");
    auto reloaded = io::open_checkpoint(dst);
    QVERIFY(reloaded->contains("old"));
    QVERIFY(at::equal(reloaded->load("old"), old));

    // The killed writer's temporary is still there; the next write to that target removes it
    // (no live writer holds its lock), while a live writer's temporary is left alone.
    auto partials = [&] {
      int n = 0;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind("target.safetensors.partial-", 0) == 0) ++n;
      return n;
    };
    QCOMPARE(partials(), 1);
    {
      io::AtomicFile live(dst);  // a writer under way, holding its temporary
      QCOMPARE(partials(), 1);   // the abandoned one went, its own came
      io::write_safetensors(dst, {{"new", old + 1}});
      QCOMPARE(partials(), 1);  // the live writer's temporary survived the second writer
    }
    QCOMPARE(partials(), 0);
    QVERIFY(at::equal(io::open_checkpoint(dst)->load("new"), old + 1));
  }

 private:
  fs::path dir_;
};

QTEST_APPLESS_MAIN(HostileWeightsTest)
#include "test_hostile_weights.moc"
