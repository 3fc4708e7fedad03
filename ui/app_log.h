// The app's log: every qDebug/qInfo/qWarning line goes (through qInstallMessageHandler) to
// <dataDir>/logs/seedcanvas.log, rotated at maxBytes into seedcanvas.log.1 … .<keep-1>, and
// to stderr as before. The newest lines are kept in memory for "Copy diagnostics".
#pragma once

#include <QString>
#include <QStringList>

namespace seedcanvas::ui {

void installLogFile(const QString& logDir, qint64 maxBytes = 1 << 20, int keep = 5);
void uninstallLogFile();
QString logFilePath();             // empty when no log file is installed
QStringList recentLogLines(int n);  // the last n lines logged in this run

// Versions, pack, device and the last 200 log lines, for bug reports.
QString diagnosticsText(const QString& packStatus, const QString& placement);

}  // namespace seedcanvas::ui
