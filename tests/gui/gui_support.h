// Shared by the GUI tests that drive the real engine: the demo pack in the build tree
// (made with seedcanvas-cli make-demo-pack on first use) and a helper to wait for signals.
#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QtTest>

namespace seedcanvas::test {

inline QString buildDir() {
  const QString env = qEnvironmentVariable("SEEDCANVAS_BUILD_DIR");
  return env.isEmpty() ? QStringLiteral(SEEDCANVAS_TEST_BUILD_DIR) : env;
}

// The demo pack; empty (and `why` set) when it can be neither found nor made.
inline QString demoPack(QString* why) {
  const QString dir = QDir(buildDir()).filePath(QStringLiteral("demo-pack"));
  if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("seedcanvas-pack.json")))) return dir;
  const QString cli = QDir(buildDir()).filePath(QStringLiteral("app/cli/seedcanvas-cli"));
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(cli, {QStringLiteral("make-demo-pack"), dir});
  if (!p.waitForFinished(300000) || p.exitCode() != 0) {
    *why = QStringLiteral("%1 make-demo-pack %2 failed: %3").arg(cli, dir, QString::fromLocal8Bit(p.readAll()));
    return {};
  }
  return dir;
}

// Spins the event loop until `done` or the timeout; true when done.
template <typename F>
bool waitUntil(F done, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeoutMs) return false;
    QTest::qWait(10);
  }
  return true;
}

}  // namespace seedcanvas::test
