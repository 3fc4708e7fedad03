#include "pack_catalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

// The catalog lives in a static library: its resource must be registered by name.
static void initCatalogResource() { Q_INIT_RESOURCE(pack_catalog); }

namespace seedcanvas::gui {

qint64 PackDescription::knownBytes() const {
  qint64 total = 0;
  for (const auto& repo : repos)
    for (const auto& file : repo.files)
      if (file.size > 0) total += file.size;
  return total;
}

int PackDescription::fileCount() const {
  int n = 0;
  for (const auto& repo : repos) n += repo.files.size();
  return n;
}

namespace {

// A path from the catalog must stay inside the pack folder.
bool safeRelative(const QString& path) {
  if (path.isEmpty() || path.startsWith('/') || path.contains('\\')) return false;
  for (const auto& part : path.split('/'))
    if (part.isEmpty() || part == "." || part == "..") return false;
  return true;
}

}  // namespace

QList<PackDescription> parseCatalog(const QByteArray& json, const QString& origin, QString* error) {
  auto fail = [&](const QString& message) {
    if (error) *error = origin + ": " + message;
    return QList<PackDescription>{};
  };
  QJsonParseError parseError;
  const auto doc = QJsonDocument::fromJson(json, &parseError);
  if (doc.isNull()) return fail(parseError.errorString());
  if (doc.object().value("format").toInt() != 1) return fail(QStringLiteral("'format' must be 1"));
  static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
  QList<PackDescription> packs;
  for (const auto& packValue : doc.object().value("packs").toArray()) {
    const auto o = packValue.toObject();
    PackDescription pack;
    pack.name = o.value("name").toString();
    pack.title = o.value("title").toString(pack.name);
    pack.manifest = o.value("manifest").toObject();
    if (!safeRelative(pack.name) || pack.name.contains('/'))
      return fail(QStringLiteral("pack name '%1' is not a plain folder name").arg(pack.name));
    for (const auto& repoValue : o.value("repos").toArray()) {
      const auto r = repoValue.toObject();
      PackRepo repo;
      repo.repo = r.value("repo").toString();
      repo.folder = r.value("folder").toString();
      if (!repo.folder.isEmpty() && !safeRelative(repo.folder))
        return fail(QStringLiteral("folder '%1' of %2 leaves the pack").arg(repo.folder, pack.name));
      for (const auto& fileValue : r.value("files").toArray()) {
        const auto f = fileValue.toObject();
        PackFile file;
        file.path = f.value("path").toString();
        file.sha256 = f.value("sha256").toString().toLower();
        file.size = f.value("size").toInteger(-1);
        if (f.contains("url")) file.url = QUrl(f.value("url").toString());
        if (!safeRelative(file.path))
          return fail(QStringLiteral("file '%1' of %2 leaves the pack").arg(file.path, repo.repo));
        if (!file.sha256.isEmpty() && !hex64.match(file.sha256).hasMatch())
          return fail(QStringLiteral("sha256 of %1 is not 64 hex digits").arg(file.path));
        if (file.url.isEmpty() && repo.repo.isEmpty())
          return fail(QStringLiteral("file '%1' has neither a repository nor a url").arg(file.path));
        repo.files.append(file);
      }
      pack.repos.append(repo);
    }
    packs.append(pack);
  }
  return packs;
}

QList<PackDescription> builtinCatalog() {
  initCatalogResource();
  QFile file(QStringLiteral(":/seedcanvas/pack_catalog.json"));
  if (!file.open(QIODevice::ReadOnly)) return {};
  QString error;
  return parseCatalog(file.readAll(), file.fileName(), &error);
}

QUrl fileUrl(const QUrl& base, const PackRepo& repo, const PackFile& file) {
  if (!file.url.isEmpty()) return file.url;
  QString root = base.toString();
  while (root.endsWith('/')) root.chop(1);
  return QUrl(root + '/' + repo.repo + "/resolve/main/" + file.path);
}

QString fileTarget(const QString& packDir, const PackRepo& repo, const PackFile& file) {
  QDir dir(packDir);
  return QDir::cleanPath(dir.filePath(repo.folder.isEmpty() ? file.path : repo.folder + '/' + file.path));
}

}  // namespace seedcanvas::gui
