// summarizePack on a Hugging Face cache (~/.cache/huggingface/hub): snapshot files are links
// into blobs/, and the cache holds other models too. The size shown is the pack's own files,
// each counted once.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "gui_support.h"
#include "pack_summary.h"

namespace {

// Copies `from` into a cache entry: every file becomes blobs/<n>, linked from snapshots/<rev>/.
qint64 makeEntry(const QString& cache, const QString& entry, const QString& from) {
  const QDir root(QDir(cache).filePath(entry));
  const QString snap = root.filePath(QStringLiteral("snapshots/rev1"));
  QDir().mkpath(root.filePath(QStringLiteral("blobs")));
  QDir().mkpath(root.filePath(QStringLiteral("refs")));
  QFile ref(root.filePath(QStringLiteral("refs/main")));
  if (ref.open(QIODevice::WriteOnly)) ref.write("rev1");
  ref.close();
  qint64 bytes = 0;
  int n = 0;
  QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    const QString rel = QDir(from).relativeFilePath(it.filePath());
    const QString blob = root.filePath(QStringLiteral("blobs/b%1").arg(n++));
    QFile::copy(it.filePath(), blob);
    const QString link = QDir(snap).filePath(rel);
    QDir().mkpath(QFileInfo(link).path());
    QFile::link(QFileInfo(link).dir().relativeFilePath(blob), link);
    bytes += QFileInfo(blob).size();
  }
  return bytes;
}

}  // namespace

class TestPackSummary : public QObject {
  Q_OBJECT

 private slots:
  void hubCacheSizeCountsThePackOnce() {
    QStandardPaths::setTestModeEnabled(true);
    QString why;
    const QString demo = seedcanvas::test::demoPack(&why);
    QVERIFY2(!demo.isEmpty(), qPrintable(why));
    QTemporaryDir home;
    qputenv("TORCH_HOME", home.path().toUtf8());  // no eva_vit_g.pth from this machine's torch.hub cache
    const QString cache = QDir(home.path()).filePath(QStringLiteral("hub"));
    QDir().mkpath(cache);
    qint64 expected = 0;
    expected += makeEntry(cache, QStringLiteral("models--AILab-CVC--seed-llama-8b-sft"), demo + QStringLiteral("/llm"));
    // seed-tokenizer-2 holds the text tokenizer files and the SEED weights.
    const QString tok = QDir(home.path()).filePath(QStringLiteral("tok"));
    QDir().mkpath(tok);
    for (const auto& dir : {QStringLiteral("/seed_tokenizer"), QStringLiteral("/llm")})  // SEED config.json wins
      for (const auto& f : QDir(demo + dir).entryList(QDir::Files))
        if (!f.startsWith(QStringLiteral("model.")) || dir.endsWith(QStringLiteral("seed_tokenizer")))
          QFile::copy(demo + dir + QLatin1Char('/') + f, tok + QLatin1Char('/') + f);
    expected += makeEntry(cache, QStringLiteral("models--AILab-CVC--seed-tokenizer-2"), tok);
    expected += makeEntry(cache, QStringLiteral("models--stabilityai--stable-diffusion-2-1-unclip"),
                          demo + QStringLiteral("/unclip"));
    // Another model in the same cache is not part of the pack.
    makeEntry(cache, QStringLiteral("models--someone--other-model"), demo + QStringLiteral("/unclip"));

    const auto summary = seedcanvas::gui::summarizePack(home.path(), QStringLiteral("cpu"), QStringLiteral("fp32"));
    QVERIFY2(summary.valid, qPrintable(summary.error));
    QCOMPARE(summary.diskBytes, expected);
  }
};

QTEST_MAIN(TestPackSummary)
#include "test_pack_summary.moc"
