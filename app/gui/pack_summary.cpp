#include "pack_summary.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QSettings>

#include <exception>
#include <map>

#include "core/error.h"
#include "io/tensor_source.h"
#include "pack_catalog.h"
#include "pipeline/model_pack.h"

namespace seedcanvas::gui {

namespace {

// Each file once: a Hugging Face cache links snapshots/<rev>/<file> into blobs/, and
// --local-dir downloads may link into the global cache, so links count as their targets.
qint64 folderBytes(const QStringList& paths) {
  qint64 total = 0;
  QSet<QString> seen;
  auto count = [&](const QFileInfo& info) {
    const QString target = info.canonicalFilePath();
    if (target.isEmpty() || seen.contains(target)) return;  // dangling link, or counted already
    seen.insert(target);
    total += QFileInfo(target).size();
  };
  for (const auto& path : paths) {
    if (QFileInfo(path).isFile()) {
      count(QFileInfo(path));
      continue;
    }
    QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
    while (it.hasNext()) {
      it.next();
      count(it.fileInfo());
    }
  }
  return total;
}

// The floating dtypes of the LLM's weights, largest share first.
QString weightDtypes(const io::TensorSource& source) {
  std::map<std::string, std::uint64_t> bytes;
  for (const auto& t : source.tensors())
    if (at::isFloatingType(t.dtype)) bytes[io::dtype_name(t.dtype)] += t.nbytes;
  std::vector<std::pair<std::uint64_t, std::string>> order;
  for (const auto& [name, n] : bytes) order.emplace_back(n, name);
  std::sort(order.rbegin(), order.rend());
  QStringList names;
  for (const auto& [n, name] : order) names << QString::fromStdString(name);
  return names.join('+');
}

}  // namespace

QString formatBytes(qint64 bytes) {
  const double gib = double(bytes) / double(1ll << 30);
  if (gib >= 1.0) return QCoreApplication::translate("PackSummary", "%1 GiB").arg(gib, 0, 'f', 1);
  return QCoreApplication::translate("PackSummary", "%1 MiB").arg(double(bytes) / double(1 << 20), 0, 'f', 1);
}

PackSummary summarizePack(const QString& dir, const QString& device, const QString& dtype) {
  PackSummary s;
  s.dir = QDir(dir).absolutePath();
  s.name = QFileInfo(s.dir).fileName();
  QStringList counted{s.dir};  // walked once, below: a shared cache can hold many other models
  try {
    const auto pack = pipeline::find_pack(s.dir.toStdString());
    // A recognised download layout may sit in a shared cache (~/.cache/huggingface/hub): count
    // the pack's own folders, not every model there.
    if (!QFileInfo::exists(QDir(s.dir).filePath(QStringLiteral("seedcanvas-pack.json")))) {
      counted.clear();
      for (const auto& p : {pack.llm, pack.text_tokenizer, pack.seed_tokenizer, pack.unclip, pack.vit})
        if (!p.empty()) counted << QString::fromStdString(p.string());
    }
    s.name = QString::fromStdString(pack.name);
    s.randomWeights = pack.random_weights;
    s.weightDtype = weightDtypes(*io::open_checkpoint(pack.llm));
    const auto choice = pipeline::choose_device(device == "auto" ? std::nullopt : std::optional(device.toStdString()),
                                                dtype == "auto" ? std::nullopt : std::optional(dtype.toStdString()));
    s.estimateDtype = QString::fromStdString(io::dtype_name(choice.dtype));
    const auto report = pipeline::validate_pack(pack, choice.dtype);
    s.estimateBytes = qint64(report.total_bytes());
    s.availableBytes = qint64(report.available_bytes);
    s.fits = report.fits();
    s.textOnly = !report.llm_has_image_tokens;
    for (const auto& c : report.components)
      s.components << QStringLiteral("%1: %2").arg(QString::fromStdString(c.component),
                                                  formatBytes(qint64(c.weight_bytes + c.working_bytes)));
    s.valid = true;
  } catch (const std::exception& e) {
    s.error = QString::fromStdString(e.what());
  }
  s.diskBytes = folderBytes(counted);
  return s;
}

QStringList knownPackDirs(const QString& dataDir) {
  QStringList candidates;
  const QDir packs(QDir(dataDir).filePath(QStringLiteral("packs")));
  for (const auto& d : packs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
    // Folders a download is still filling are shown by the download panel, not as packs.
    if (!QFileInfo::exists(QDir(packs.filePath(d)).filePath(QString::fromLatin1(kDownloadMarker))))
      candidates << packs.filePath(d);
  }
  const QSettings settings;
  candidates << settings.value(QStringLiteral("pack")).toString();
  candidates << settings.value(QStringLiteral("packs/added")).toStringList();
  const QDir appDir(QCoreApplication::applicationDirPath());
  candidates << appDir.filePath(QStringLiteral("../share/seedcanvas/demo-pack"));
#ifdef SEEDCANVAS_BUILD_DIR
  candidates << QDir(QStringLiteral(SEEDCANVAS_BUILD_DIR)).filePath(QStringLiteral("demo-pack"));
#endif
  QStringList out;
  for (const auto& c : candidates) {
    if (c.isEmpty() || !QFileInfo(c).isDir()) continue;
    const QString canonical = QFileInfo(c).canonicalFilePath();
    if (!out.contains(canonical)) out << canonical;
  }
  return out;
}

void rememberAddedPack(const QString& dir) {
  QSettings settings;
  QStringList added = settings.value(QStringLiteral("packs/added")).toStringList();
  if (!added.contains(dir)) added << dir;
  settings.setValue(QStringLiteral("packs/added"), added);
}

}  // namespace seedcanvas::gui
