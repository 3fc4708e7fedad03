// Finding the SentencePiece plugin: clear errors when it is missing or not a plugin, the
// $SEEDCANVAS_SPM_PLUGIN override, and the fallback to the build tree's copy.
#include <QtTest>

#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "support/fixtures.h"
#include "text/spm_library.h"

using namespace seedcanvas;

namespace {

std::pair<QString, ErrorKind> error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return {QString::fromStdString(e.what()), e.kind()};
  }
  return {{}, ErrorKind::Internal};
}

}  // namespace

class SpmPluginTest : public QObject {
  Q_OBJECT
 private slots:
  // Runs first, before anything has loaded the process-wide plugin.
  void missingPluginIsAClearError() {
    qputenv(text::SpmLibrary::kEnvVar, "/nonexistent/seedcanvas/libseedcanvas_spm.so");
    const auto [message, kind] = error_of([] { text::SpmLibrary::instance(); });
    QCOMPARE(kind, ErrorKind::NotFound);
    QVERIFY2(message.contains("/nonexistent/seedcanvas/libseedcanvas_spm.so"), qPrintable(message));
    QVERIFY2(message.contains(text::SpmLibrary::kEnvVar), qPrintable(message));
    qunsetenv(text::SpmLibrary::kEnvVar);
  }

  void notAPluginIsAClearError() {
    const auto dir = test::scratch_dir("unit_text_spm_plugin");
    const auto fake = dir / "libseedcanvas_spm.so";
    std::ofstream(fake) << "not an ELF file";
    const auto [message, kind] = error_of([&] { text::SpmLibrary::open(fake); });
    QCOMPARE(kind, ErrorKind::Format);
    QVERIFY2(message.contains(QString::fromStdString(fake.string())) && message.contains("cannot load"),
             qPrintable(message));
    const auto [missing, kind2] = error_of([&] { text::SpmLibrary::open(dir / "absent.so"); });
    QCOMPARE(kind2, ErrorKind::NotFound);
    QVERIFY(missing.contains("absent.so"));
  }

  void foundWithoutSettings() {
    qunsetenv(text::SpmLibrary::kEnvVar);
    const auto& lib = text::SpmLibrary::instance();
    QVERIFY(std::filesystem::exists(lib.path()));
    QCOMPARE(QString::fromStdString(lib.path().filename().string()), QString(text::SpmLibrary::kFileName));
    // The override also accepts the plugin's folder.
    qputenv(text::SpmLibrary::kEnvVar, QByteArray::fromStdString(lib.path().parent_path().string()));
    const auto candidates = text::SpmLibrary::candidates();
    QCOMPARE(candidates.size(), std::size_t(1));
    QCOMPARE(candidates[0], lib.path().parent_path() / text::SpmLibrary::kFileName);
    qunsetenv(text::SpmLibrary::kEnvVar);
    // A fresh handle of the same file works and reports bad models with the name given.
    auto again = text::SpmLibrary::open(lib.path());
    const auto [message, kind] =
        error_of([&] { text::SentencePieceModel::load_bytes("\x0a\xff\xff", "bytes.model", *again); });
    QCOMPARE(kind, ErrorKind::Format);
    QVERIFY2(message.contains("bytes.model"), qPrintable(message));
  }
};

QTEST_APPLESS_MAIN(SpmPluginTest)
#include "test_text_spm_plugin.moc"
