#include "app_log.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QSysInfo>
#include <cstdio>

namespace seedcanvas::ui {

namespace {

struct LogState {
  QMutex mutex;  // messages come from any thread
  QString dir;
  qint64 maxBytes = 1 << 20;
  int keep = 5;
  QFile file;
  QStringList recent;
  QtMessageHandler previous = nullptr;
};

LogState& state() {
  static LogState s;
  return s;
}

QString fileName(const QString& dir, int i) {
  return QDir(dir).filePath(i == 0 ? QStringLiteral("seedcanvas.log") : QStringLiteral("seedcanvas.log.%1").arg(i));
}

// seedcanvas.log → .1 → … → .<keep-1>; the oldest falls off. Called with the mutex held.
void rotate(LogState& s) {
  s.file.close();
  QFile::remove(fileName(s.dir, s.keep - 1));
  for (int i = s.keep - 2; i >= 0; --i) QFile::rename(fileName(s.dir, i), fileName(s.dir, i + 1));
  s.file.setFileName(fileName(s.dir, 0));
  s.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text);
}

const char* levelName(QtMsgType type) {
  switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "critical";
    case QtFatalMsg: return "fatal";
  }
  return "?";
}

void handler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  LogState& s = state();
  {
    QMutexLocker lock(&s.mutex);
    const QString line = QStringLiteral("%1 [%2] %3")
                             .arg(QDateTime::currentDateTime().toString(Qt::ISODateWithMs),
                                  QString::fromLatin1(levelName(type)), message);
    s.recent << line;
    if (s.recent.size() > 1000) s.recent.remove(0, s.recent.size() - 1000);
    if (s.file.isOpen()) {
      const QByteArray bytes = line.toUtf8() + '\n';
      if (s.file.size() + bytes.size() > s.maxBytes) rotate(s);
      s.file.write(bytes);
      s.file.flush();
    }
  }
  if (s.previous) s.previous(type, context, message);
  else std::fprintf(stderr, "%s\n", qPrintable(message));
}

}  // namespace

void installLogFile(const QString& logDir, qint64 maxBytes, int keep) {
  LogState& s = state();
  {
    QMutexLocker lock(&s.mutex);
    QDir().mkpath(logDir);
    s.dir = logDir;
    s.maxBytes = qMax<qint64>(maxBytes, 1024);
    s.keep = qMax(keep, 1);
    s.file.close();
    s.file.setFileName(fileName(logDir, 0));
    s.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text);
  }
  QtMessageHandler old = qInstallMessageHandler(handler);
  if (old != handler) s.previous = old;
}

void uninstallLogFile() {
  LogState& s = state();
  qInstallMessageHandler(s.previous);
  QMutexLocker lock(&s.mutex);
  s.file.close();
  s.dir.clear();
  s.previous = nullptr;
}

QString logFilePath() {
  LogState& s = state();
  QMutexLocker lock(&s.mutex);
  return s.file.isOpen() ? s.file.fileName() : QString();
}

QStringList recentLogLines(int n) {
  LogState& s = state();
  QMutexLocker lock(&s.mutex);
  return s.recent.mid(qMax(0, s.recent.size() - n));
}

QString diagnosticsText(const QString& packStatus, const QString& placement) {
  QStringList out;
  out << QStringLiteral("SeedCanvas %1").arg(QApplication::applicationVersion());
  out << QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()));
  out << QStringLiteral("LibTorch %1").arg(qApp->property("seedcanvas.libtorchVersion").toString());
  out << QStringLiteral("OS %1 (%2)").arg(QSysInfo::prettyProductName(), QSysInfo::currentCpuArchitecture());
  out << QStringLiteral("Pack: %1").arg(packStatus);
  out << QStringLiteral("Device: %1").arg(placement);
  out << QStringLiteral("Log file: %1").arg(logFilePath());
  out << QString() << QStringLiteral("Last log lines:");
  out << recentLogLines(200);
  return out.join(QLatin1Char('\n'));
}

}  // namespace seedcanvas::ui
