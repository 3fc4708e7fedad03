// Downloads a model pack (pack_catalog.h) into <data>/packs/<name>/ over HTTPS with Qt Network:
// resumable `.part` files (HTTP Range), SHA-256 verification (catalog or the hub's LFS ETag),
// a stall timeout, a free-disk check before starting, and atomic placement: a file gets its
// final name only after its size and hash are checked, and seedcanvas-pack.json is written
// last, so a half-downloaded pack is never taken for a complete one. TLS errors are never
// ignored.
#pragma once

#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include "pack_catalog.h"

class QNetworkAccessManager;
class QNetworkReply;

namespace seedcanvas::gui {

class PackDownloader : public QObject {
  Q_OBJECT
 public:
  enum class State { Idle, Running, Paused, Failed, Finished };
  Q_ENUM(State)

  explicit PackDownloader(QObject* parent = nullptr);
  ~PackDownloader() override;

  void setBaseUrl(const QUrl& base) { m_baseUrl = base; }
  QUrl baseUrl() const { return m_baseUrl; }
  // No bytes for this long (ms) aborts the transfer with a timeout error.
  void setStallTimeout(int ms) { m_stallTimeoutMs = ms; }
  // Automatic resumes after a dropped connection, per file.
  void setMaxRetries(int n) { m_maxRetries = n; }

  // Starts (or continues, reusing finished files and .part files) downloading `pack` into
  // `packDir`. Emits failed() when the disk lacks room for what the catalog says is missing.
  void start(const PackDescription& pack, const QString& packDir);
  void pause();   // keeps the .part file; resume() continues with a Range request
  void resume();
  void cancel();  // stops; .part files stay for a later start()

  State state() const { return m_state; }
  QString packDir() const { return m_packDir; }
  QString errorString() const { return m_error; }
  qint64 receivedBytes() const { return m_doneBytes + m_fileReceived; }
  qint64 totalBytes() const { return m_totalBytes; }

 signals:
  void stateChanged(seedcanvas::gui::PackDownloader::State state);
  void fileStarted(const QString& path, int index, int count);  // path relative to the pack
  void fileProgress(const QString& path, qint64 received, qint64 total);  // total -1: unknown
  void totalProgress(qint64 received, qint64 total);
  void fileFinished(const QString& path);
  void finished(const QString& packDir);
  void failed(const QString& message);

 private:
  struct Item {
    PackRepo repo;
    PackFile file;
  };
  void setState(State s);
  void fail(const QString& message);
  void startCurrent();
  void sendRequest(const QUrl& url);
  void onMetaData();
  void onReadyRead();
  void onFinished();
  void onStall();
  bool acceptHeaders();
  void completeFile();
  void nextFile();
  void writeManifest();
  QString relative(const Item& item) const;
  QString target(const Item& item) const { return fileTarget(m_packDir, item.repo, item.file); }

  QNetworkAccessManager* m_network;
  QUrl m_baseUrl{QString::fromLatin1(kDefaultHubUrl)};
  int m_stallTimeoutMs = 30000;
  int m_maxRetries = 3;

  PackDescription m_pack;
  QString m_packDir;
  QList<Item> m_items;
  int m_index = 0;
  State m_state = State::Idle;
  QString m_error;

  QPointer<QNetworkReply> m_reply;
  QTimer m_stallTimer;
  QFile m_part;
  QCryptographicHash m_hash{QCryptographicHash::Sha256};
  QUrl m_originUrl;          // the catalog URL of the current file (redirects start from it)
  int m_redirects = 0;
  int m_retries = 0;
  bool m_accepted = false;   // this response's body goes to the .part file
  bool m_pausing = false;
  bool m_stalled = false;
  QString m_expectedSha;     // catalog's, else the server's ETag
  qint64 m_expectedSize = -1;
  qint64 m_fileReceived = 0; // bytes of the current file on disk (.part)
  qint64 m_doneBytes = 0;    // bytes of finished files
  qint64 m_totalBytes = 0;
};

}  // namespace seedcanvas::gui
