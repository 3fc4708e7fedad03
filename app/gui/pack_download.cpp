#include "pack_download.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStorageInfo>

namespace seedcanvas::gui {

namespace {

constexpr int kMaxRedirects = 10;

// The hub's LFS files carry their SHA-256 as (X-Linked-)ETag; other ETags are opaque.
QString shaFromEtag(QByteArray etag) {
  etag = etag.trimmed();
  if (etag.startsWith("W/")) etag = etag.mid(2);
  etag.replace('"', "");
  static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
  const QString value = QString::fromLatin1(etag).toLower();
  return hex64.match(value).hasMatch() ? value : QString();
}

// The free bytes of the volume that will hold `dir` (its nearest existing ancestor).
qint64 freeBytes(const QString& dir) {
  QFileInfo info(dir);
  while (!info.exists() && !info.isRoot() && info.absoluteFilePath() != info.absolutePath())
    info = QFileInfo(info.absolutePath());
  return QStorageInfo(info.absoluteFilePath()).bytesAvailable();
}

QString megabytes(qint64 bytes) { return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + " MiB"; }

}  // namespace

PackDownloader::PackDownloader(QObject* parent) : QObject(parent), m_network(new QNetworkAccessManager(this)) {
  m_stallTimer.setSingleShot(true);
  connect(&m_stallTimer, &QTimer::timeout, this, &PackDownloader::onStall);
}

PackDownloader::~PackDownloader() {
  m_state = State::Idle;  // a reply aborted by its deletion must not call back into us
  if (m_reply) m_reply->abort();
}

QString PackDownloader::relative(const Item& item) const {
  return QDir(m_packDir).relativeFilePath(target(item));
}

void PackDownloader::setState(State s) {
  if (m_state == s) return;
  m_state = s;
  emit stateChanged(s);
}

void PackDownloader::fail(const QString& message) {
  m_error = message;
  m_stallTimer.stop();
  setState(State::Failed);  // before abort(): the reply's finished() then finds us stopped
  if (m_reply) m_reply->abort();
  m_part.close();
  emit failed(message);
}

void PackDownloader::start(const PackDescription& pack, const QString& packDir) {
  if (m_state == State::Running) return;
  m_pack = pack;
  m_packDir = QDir::cleanPath(packDir);
  m_items.clear();
  m_index = 0;
  m_doneBytes = 0;
  m_fileReceived = 0;
  m_totalBytes = 0;
  m_error.clear();

  // Bytes still missing according to the catalog, against the free space of the target volume.
  qint64 needed = 0;
  for (const auto& repo : pack.repos) {
    for (const auto& file : repo.files) {
      Item item{repo, file};
      m_items.append(item);
      const QFileInfo done(target(item));
      const QFileInfo part(target(item) + ".part");
      if (file.size >= 0) {
        m_totalBytes += file.size;
        if (!done.exists()) needed += std::max<qint64>(0, file.size - (part.exists() ? part.size() : 0));
      } else if (done.exists()) {
        m_totalBytes += done.size();
      }
    }
  }
  const qint64 available = freeBytes(m_packDir);
  if (available >= 0 && needed > available) {
    setState(State::Running);
    fail(tr("Not enough free disk space in %1: the pack needs %2 more, %3 are free.")
             .arg(m_packDir, megabytes(needed), megabytes(available)));
    return;
  }
  if (!QDir().mkpath(m_packDir)) {
    setState(State::Running);
    fail(tr("Cannot create the folder %1.").arg(m_packDir));
    return;
  }
  // The marker keeps pack_locator from taking the half-filled folder for a pack until the
  // manifest is written; it also records where the files come from.
  QSaveFile marker(QDir(m_packDir).filePath(QString::fromLatin1(kDownloadMarker)));
  if (!marker.open(QIODevice::WriteOnly) ||
      marker.write(QJsonDocument(QJsonObject{{"name", pack.name}, {"base_url", m_baseUrl.toString()}}).toJson()) < 0 ||
      !marker.commit()) {
    setState(State::Running);
    fail(tr("Cannot write %1: %2").arg(marker.fileName(), marker.errorString()));
    return;
  }
  setState(State::Running);
  startCurrent();
}

void PackDownloader::pause() {
  if (m_state != State::Running) return;
  if (m_reply) {
    m_pausing = true;
    m_reply->abort();  // finished() sees m_pausing and keeps the .part file
  } else {
    m_part.close();
    setState(State::Paused);
  }
}

void PackDownloader::resume() {
  if (m_state != State::Paused && m_state != State::Failed) return;
  m_error.clear();
  m_retries = 0;
  setState(State::Running);
  startCurrent();
}

void PackDownloader::cancel() {
  m_stallTimer.stop();
  setState(State::Idle);
  if (m_reply) m_reply->abort();
  m_part.close();
}

void PackDownloader::startCurrent() {
  // Files already in place were verified before they got their final name.
  while (m_index < m_items.size()) {
    const Item& item = m_items[m_index];
    const QFileInfo done(target(item));
    if (!done.exists() || (item.file.size >= 0 && done.size() != item.file.size)) break;
    m_doneBytes += done.size();
    emit fileFinished(relative(item));
    ++m_index;
  }
  emit totalProgress(receivedBytes(), m_totalBytes);
  if (m_index >= m_items.size()) {
    writeManifest();
    return;
  }
  const Item& item = m_items[m_index];
  const QString finalPath = target(item);
  if (!QDir().mkpath(QFileInfo(finalPath).absolutePath())) {
    fail(tr("Cannot create the folder %1.").arg(QFileInfo(finalPath).absolutePath()));
    return;
  }
  QFile::remove(finalPath);  // a file of the wrong size is not the one the catalog names
  m_part.close();
  m_part.setFileName(finalPath + ".part");
  if (!m_part.open(QIODevice::ReadWrite)) {
    fail(tr("Cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()));
    return;
  }
  m_expectedSha = item.file.sha256;
  m_expectedSize = item.file.size;
  if (m_expectedSize >= 0 && m_part.size() > m_expectedSize) m_part.resize(0);
  // The hash covers the whole file: feed it what an earlier transfer left.
  m_hash.reset();
  m_part.seek(0);
  while (!m_part.atEnd()) m_hash.addData(m_part.read(1 << 20));
  m_fileReceived = m_part.size();
  emit fileStarted(relative(item), m_index, m_items.size());
  if (m_expectedSize >= 0 && m_fileReceived == m_expectedSize) {
    completeFile();
    return;
  }
  m_originUrl = fileUrl(m_baseUrl, item.repo, item.file);
  m_redirects = 0;
  sendRequest(m_originUrl);
}

void PackDownloader::sendRequest(const QUrl& url) {
  QNetworkRequest request(url);
  // Redirects are followed by hand: the hub's first answer carries the LFS hash (X-Linked-ETag).
  request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
  request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("SeedCanvas"));
  request.setRawHeader("Accept-Encoding", "identity");  // byte ranges of the file itself
  if (m_fileReceived > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(m_fileReceived) + "-");
  m_accepted = false;
  m_stalled = false;
  QNetworkReply* reply = m_network->get(request);
  m_reply = reply;
  connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
    if (reply == m_reply) onMetaData();
  });
  connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
    if (reply == m_reply) onReadyRead();
  });
  connect(reply, &QNetworkReply::finished, this, [this, reply] {
    reply->deleteLater();
    if (reply != m_reply) return;
    onFinished();
  });
  m_stallTimer.start(m_stallTimeoutMs);
}

void PackDownloader::onMetaData() {
  m_stallTimer.start(m_stallTimeoutMs);
  if (m_expectedSha.isEmpty()) {
    m_expectedSha = shaFromEtag(m_reply->rawHeader("X-Linked-ETag"));
    if (m_expectedSha.isEmpty()) m_expectedSha = shaFromEtag(m_reply->rawHeader("ETag"));
  }
  const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  if (status == 200 || status == 206) m_accepted = acceptHeaders();
}

bool PackDownloader::acceptHeaders() {
  const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  const QString rel = relative(m_items[m_index]);
  qint64 fullSize = -1;
  if (status == 206) {
    // "bytes START-END/TOTAL": the server must continue exactly where the .part file ends.
    static const QRegularExpression re(QStringLiteral("^bytes (\\d+)-(\\d+)/(\\d+|\\*)$"));
    const auto m = re.match(QString::fromLatin1(m_reply->rawHeader("Content-Range")).trimmed());
    if (!m.hasMatch() || m.captured(1).toLongLong() != m_fileReceived) {
      fail(tr("The server answered the resume request for %1 with the wrong range (%2).")
               .arg(rel, QString::fromLatin1(m_reply->rawHeader("Content-Range"))));
      return false;
    }
    if (m.captured(3) != "*") fullSize = m.captured(3).toLongLong();
  } else {
    if (m_fileReceived > 0) {  // the server ignored Range: start the file over
      m_part.resize(0);
      m_part.seek(0);
      m_hash.reset();
      m_fileReceived = 0;
    }
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid()) fullSize = length.toLongLong();
  }
  if (m_expectedSize < 0 && fullSize >= 0) {
    m_expectedSize = fullSize;
    m_totalBytes += fullSize;
    const qint64 available = freeBytes(m_packDir);
    if (available >= 0 && fullSize - m_fileReceived > available) {
      fail(tr("Not enough free disk space in %1 for %2: it needs %3, %4 are free.")
               .arg(m_packDir, rel, megabytes(fullSize - m_fileReceived), megabytes(available)));
      return false;
    }
  } else if (m_expectedSize >= 0 && fullSize >= 0 && fullSize != m_expectedSize) {
    fail(tr("The server offers %1 with %2 bytes; the catalog says %3.").arg(rel).arg(fullSize).arg(m_expectedSize));
    return false;
  }
  return true;
}

void PackDownloader::onReadyRead() {
  const QByteArray data = m_reply->readAll();
  if (!m_accepted || m_state != State::Running) return;  // redirect and error bodies
  m_stallTimer.start(m_stallTimeoutMs);
  if (m_part.write(data) != data.size()) {
    fail(tr("Cannot write %1: %2").arg(m_part.fileName(), m_part.errorString()));
    return;
  }
  m_hash.addData(data);
  m_fileReceived += data.size();
  emit fileProgress(relative(m_items[m_index]), m_fileReceived, m_expectedSize);
  emit totalProgress(receivedBytes(), m_totalBytes);
}

void PackDownloader::onStall() {
  if (!m_reply) return;
  m_stalled = true;
  m_reply->abort();
}

void PackDownloader::onFinished() {
  QNetworkReply* reply = m_reply;
  if (m_state == State::Running && !m_pausing && reply->bytesAvailable() > 0) onReadyRead();  // the last bytes
  m_reply = nullptr;
  m_stallTimer.stop();
  if (m_state != State::Running) return;  // failed or cancelled meanwhile
  const QString rel = relative(m_items[m_index]);
  if (m_pausing) {
    m_pausing = false;
    m_part.flush();
    m_part.close();
    setState(State::Paused);
    return;
  }
  if (m_stalled) {
    m_part.flush();
    fail(tr("Download of %1 timed out: %2 sent no data for %3 s. Resume to try again.")
             .arg(rel, reply->url().host())
             .arg(m_stallTimeoutMs / 1000.0));
    return;
  }
  const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
    // Raw header: QNetworkRequest::LocationHeader drops relative locations, which the hub sends.
    const QUrl next = reply->url().resolved(QUrl::fromEncoded(reply->rawHeader("Location").trimmed()));
    if (reply->rawHeader("Location").trimmed().isEmpty()) {
      fail(tr("The server redirected %1 without saying where to.").arg(rel));
      return;
    }
    if (++m_redirects > kMaxRedirects) {
      fail(tr("Too many redirects while downloading %1.").arg(rel));
    } else if (reply->url().scheme() == "https" && next.scheme() != "https") {
      fail(tr("Refusing to follow a redirect from HTTPS to %1 for %2.").arg(next.toString(), rel));
    } else {
      sendRequest(next);
    }
    return;
  }
  if (status == 416 && m_fileReceived > 0 && m_retries < m_maxRetries) {
    // The .part file is not a prefix the server can continue: start the file over.
    ++m_retries;
    m_part.resize(0);
    m_part.seek(0);
    m_hash.reset();
    m_fileReceived = 0;
    sendRequest(m_originUrl);
    return;
  }
  const bool interrupted =
      (reply->error() != QNetworkReply::NoError && status < 400) ||
      (reply->error() == QNetworkReply::NoError && m_expectedSize >= 0 && m_fileReceived < m_expectedSize);
  if (interrupted && m_accepted && m_retries < m_maxRetries) {
    // A dropped connection: continue from the end of the .part file.
    ++m_retries;
    m_part.flush();
    QTimer::singleShot(100 * m_retries, this, [this] {
      if (m_state == State::Running && !m_reply) sendRequest(m_originUrl);
    });
    return;
  }
  if (reply->error() != QNetworkReply::NoError) {
    m_part.flush();
    if (status >= 400)
      fail(tr("Downloading %1 failed: the server answered HTTP %2 for %3.").arg(rel).arg(status).arg(reply->url().toString()));
    else
      fail(tr("Downloading %1 failed: %2").arg(rel, reply->errorString()));
    return;
  }
  completeFile();
}

void PackDownloader::completeFile() {
  const Item& item = m_items[m_index];
  const QString rel = relative(item);
  const QString finalPath = target(item);
  m_part.flush();
  m_part.close();
  if (m_expectedSize >= 0 && m_fileReceived != m_expectedSize) {
    QFile::remove(m_part.fileName());
    fail(tr("%1 has %2 bytes instead of %3; the partial file was removed.").arg(rel).arg(m_fileReceived).arg(m_expectedSize));
    return;
  }
  if (!m_expectedSha.isEmpty()) {
    const QString got = QString::fromLatin1(m_hash.result().toHex());
    if (got != m_expectedSha) {
      QFile::remove(m_part.fileName());
      fail(tr("%1 failed its SHA-256 check (expected %2, got %3); the file was removed.").arg(rel, m_expectedSha, got));
      return;
    }
  }
  // Only a checked file gets its final name (rename within one folder is atomic).
  QFile::remove(finalPath);
  if (!QFile::rename(m_part.fileName(), finalPath)) {
    fail(tr("Cannot move %1 into place.").arg(m_part.fileName()));
    return;
  }
  m_doneBytes += m_fileReceived;
  m_fileReceived = 0;
  m_retries = 0;
  emit fileFinished(rel);
  ++m_index;
  startCurrent();
}

void PackDownloader::writeManifest() {
  QJsonObject manifest = m_pack.manifest;
  if (!manifest.contains("format")) manifest.insert("format", 1);
  if (!manifest.contains("name")) manifest.insert("name", m_pack.title);
  QSaveFile file(QDir(m_packDir).filePath(QStringLiteral("seedcanvas-pack.json")));
  if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(manifest).toJson()) < 0 || !file.commit()) {
    fail(tr("Cannot write %1: %2").arg(file.fileName(), file.errorString()));
    return;
  }
  QFile::remove(QDir(m_packDir).filePath(QString::fromLatin1(kDownloadMarker)));
  setState(State::Finished);
  emit finished(m_packDir);
}

}  // namespace seedcanvas::gui
