#include "pack_locator.h"

#include <QCoreApplication>
#include <algorithm>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>

namespace seedcanvas::gui {

namespace {

bool looksLikePack(const QString& dir) {
  // A folder a download is still filling (pack_download.h) is not a pack yet.
  if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("seedcanvas-download.json")))) return false;
  return QFileInfo(QDir(dir).filePath(QStringLiteral("seedcanvas-pack.json"))).isFile() ||
         (QFileInfo(dir).isDir() && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
}

}  // namespace

QString dataDirectory(const QString& option) {
  if (!option.isEmpty()) return QDir(option).absolutePath();
  const QString env = qEnvironmentVariable("SEEDCANVAS_DATA_DIR");
  if (!env.isEmpty()) return QDir(env).absolutePath();
  // Settings > Data folder (used from the next start on).
  const QString chosen = QSettings().value(QStringLiteral("dataFolder")).toString();
  if (!chosen.isEmpty()) return QDir(chosen).absolutePath();
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString findPack(const QString& option, const QString& dataDir, QStringList* searched) {
  QStringList candidates;
  if (!option.isEmpty()) return QDir(option).absolutePath();  // what the user asked for, even if broken
  const QString env = qEnvironmentVariable("SEEDCANVAS_PACK");
  if (!env.isEmpty()) return QDir(env).absolutePath();
  const QString saved = QSettings().value(QStringLiteral("pack")).toString();
  if (!saved.isEmpty()) candidates << saved;
  const QDir packs(QDir(dataDir).filePath(QStringLiteral("packs")));
  // Real packs before the demo pack: "demo" sorts after the names the user chose only by chance.
  QStringList inData = packs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
  std::stable_partition(inData.begin(), inData.end(),
                        [&](const QString& d) { return !packHasRandomWeights(packs.filePath(d)); });
  for (const auto& d : inData) candidates << packs.filePath(d);
  const QDir appDir(QCoreApplication::applicationDirPath());
  candidates << appDir.filePath(QStringLiteral("../share/seedcanvas/demo-pack"));
#ifdef SEEDCANVAS_BUILD_DIR
  candidates << QDir(QStringLiteral(SEEDCANVAS_BUILD_DIR)).filePath(QStringLiteral("demo-pack"));
#endif
  for (const auto& c : candidates) {
    if (searched) searched->append(QDir::cleanPath(c));
    if (looksLikePack(c)) return QDir(c).absolutePath();
  }
  return {};
}

bool packHasRandomWeights(const QString& packDir) {
  QFile f(QDir(packDir).filePath(QStringLiteral("seedcanvas-pack.json")));
  if (!f.open(QIODevice::ReadOnly)) return false;
  return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("random_weights")).toBool(false);
}

QString demoPackTarget(const QString& dataDir) { return QDir(dataDir).filePath(QStringLiteral("packs/demo")); }

QString cliProgram() {
  const QDir appDir(QCoreApplication::applicationDirPath());
  for (const auto& c : {appDir.filePath(QStringLiteral("seedcanvas-cli")),
                        appDir.filePath(QStringLiteral("../cli/seedcanvas-cli"))})
    if (QFileInfo(c).isExecutable()) return QDir::cleanPath(c);
  return {};
}

}  // namespace seedcanvas::gui
