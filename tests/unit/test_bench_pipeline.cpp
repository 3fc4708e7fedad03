// `seedcanvas-bench pipeline --tiny --json` on the CPU: one JSON object whose figures match what
// the request must have done (32 codes + </img>, PNDM's steps + 1 UNet calls, the asked-for
// picture size and prompt length), every stage timed, and bad options refused in one line.
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

namespace {

struct Run {
  int exit_code = -1;
  QString err;
  std::string out;
};

Run bench(const QStringList& args, const QString& command = "pipeline") {
  QProcess p;
  p.start(SEEDCANVAS_BENCH_PATH, QStringList{command} + args);
  Run r;
  if (!p.waitForFinished(90000)) {
    p.kill();
    p.waitForFinished();
    r.err = "timed out";
    return r;
  }
  r.exit_code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.err = QString::fromUtf8(p.readAllStandardError()).trimmed();
  r.out = p.readAllStandardOutput().toStdString();
  return r;
}

}  // namespace

class BenchPipelineTest : public QObject {
  Q_OBJECT
 private slots:
  void tinyRequestReportsEveryStage() {
    const int size = 96, steps = 5;  // 96 is not the tiny UNet's native 128: --size must be applied
    const auto r = bench({"--tiny", "--json", "--size", QString::number(size), "--steps", QString::number(steps),
                          "--runs", "2", "--threads", "1"});  // 1 thread: OpenMP spins on a shared CI machine
    QVERIFY2(r.exit_code == 0, qPrintable("exit " + QString::number(r.exit_code) + ": " + r.err));
    const auto j = nlohmann::json::parse(r.out);  // exactly one object on stdout

    const auto& und = j.at("understanding");
    QCOMPARE(und.at("prompt_tokens").get<int>(), 64);
    QCOMPARE(und.at("image_px").get<int>(), 224);
    for (const char* key : {"tokenize_ms", "prefill_ms", "time_to_first_token_ms", "total_ms"})
      QVERIFY2(und.at(key).get<double>() > 0, key);
    QVERIFY(und.at("total_ms").get<double>() >= und.at("tokenize_ms").get<double>());

    const auto& t2i = j.at("text_to_image");
    QCOMPARE(t2i.at("codes").get<int>(), 32);
    QCOMPARE(t2i.at("generated_tokens").get<int>(), 33);  // the codes and </img>
    QCOMPARE(t2i.at("steps").get<int>(), steps);
    QCOMPARE(t2i.at("unet_calls").get<int>(), steps + 1);  // PNDM in PLMS mode: one extra call
    QCOMPARE(t2i.at("image").at("width").get<int>(), size);
    QCOMPARE(t2i.at("image").at("height").get<int>(), size);
    QCOMPARE(t2i.at("image").at("dtype").get<std::string>(), std::string("uint8"));
    for (const char* key : {"llm_ms", "llm_prefill_ms", "llm_decode_ms_per_token", "detokenize_ms", "diffusion_ms",
                            "vae_ms", "total_ms"})
      QVERIFY2(t2i.at(key).get<double>() > 0, key);
    // Each run's total spans its stages, so the medians keep that order too.
    for (const char* key : {"llm_ms", "detokenize_ms", "diffusion_ms", "vae_ms"})
      QVERIFY2(t2i.at("total_ms").get<double>() >= t2i.at(key).get<double>(), key);
    QCOMPARE(t2i.at("total_ms_runs").size(), std::size_t(2));

    for (const char* c : {"llm", "seed_tokenizer", "unet", "vae_decoder"})
      QVERIFY2(j.at("components").at(c).at("params").get<std::int64_t>() > 0, c);
    const auto& mem = j.at("memory");
    QVERIFY(mem.at("peak_rss_mib").get<double>() >= mem.at("rss_after_load_mib").get<double>());
    QVERIFY(mem.at("rss_after_load_mib").get<double>() > 0);
    QVERIFY(!mem.contains("cuda"));  // a CPU run has no CUDA figures
  }

  // `seedcanvas-bench load` writes its file, loads it both ways and leaves nothing behind.
  void loadBenchReportsAndCleansUp() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto r = bench({"--mib", "8", "--runs", "1", "--json", "--file-dtype", "fp32", "--dtype", "bf16", "--dir",
                          dir.path()},
                         "load");
    QVERIFY2(r.exit_code == 0, qPrintable("exit " + QString::number(r.exit_code) + ": " + r.err));
    const auto j = nlohmann::json::parse(r.out);
    QVERIFY(j.at("file_bytes").get<double>() >= 8.0 * (1 << 20));
    for (const char* key : {"staged_gbs", "plain_gbs", "host_read_gbs"}) QVERIFY2(j.at(key).get<double>() > 0, key);
    QVERIFY(j.at("staged_equals_plain").get<bool>());
    QVERIFY2(QDir(dir.path()).entryList(QDir::Files).isEmpty(), "the temporary weight file is removed");
  }

  void badOptionsFailInOneLine() {
    for (const auto& args : {QStringList{"--tiny", "--threads", "1", "--size", "100"},
                             QStringList{"--tiny", "--threads", "1", "--prompt-tokens", "10"},
                             QStringList{"--tiny", "--image-dtype", "int8"}}) {
      const auto r = bench(args);
      QVERIFY2(r.exit_code == 1, qPrintable(args.join(' ') + ": exit " + QString::number(r.exit_code)));
      QVERIFY2(!r.err.isEmpty() && !r.err.contains('\n'), qPrintable(r.err));
    }
  }
};

QTEST_APPLESS_MAIN(BenchPipelineTest)
#include "test_bench_pipeline.moc"
