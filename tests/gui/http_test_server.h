// A loopback HTTP/1.1 file server for the download tests: serves `root` under Hugging Face
// URLs ({repo}/resolve/main/{file}), honours "Range: bytes=N-", records every request, and has
// faults the tests switch on per file: drop the connection after N bytes, stall mid-body, send
// a redirect with an X-Linked-ETag (the hub's LFS hash), send a wrong ETag.
#pragma once

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>

namespace seedcanvas::test {

class HttpTestServer : public QObject {
 public:
  struct Request {
    QString path;
    qint64 rangeStart = -1;  // -1: no Range header
  };

  explicit HttpTestServer(QString root) : m_root(std::move(root)) {
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
      while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
      }
    });
  }
  bool listen() { return m_server.listen(QHostAddress::LocalHost); }
  QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()); }

  QList<Request> requests;
  // Faults are keyed by "/{repo}/{file}" (key()).
  QHash<QString, qint64> cutAfter;      // drop the connection after this byte offset (once)
  QSet<QString> stall;                  // send half the body, then nothing
  QHash<QString, QByteArray> wrongEtag; // X-Linked-ETag to send instead of the real one
  bool redirectWithEtag = false;        // answer /resolve/main/ with 302 + X-Linked-ETag first

  static QString key(const QString& repo, const QString& file) { return '/' + repo + '/' + file; }

  // Requests for one file, at its hub URL or its redirect target.
  QList<Request> requestsFor(const QString& repo, const QString& file) const {
    QList<Request> out;
    for (const auto& r : requests)
      if (r.path == '/' + repo + "/resolve/main/" + file || r.path == "/cdn" + key(repo, file)) out.append(r);
    return out;
  }

 private:
  void onRead(QTcpSocket* socket) {
    QByteArray& buffer = m_buffers[socket];
    buffer += socket->readAll();
    const int end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    buffer.clear();
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    const QString urlPath = QString::fromUtf8(QByteArray::fromPercentEncoding(first.value(1)));
    qint64 rangeStart = -1;
    for (const auto& line : lines) {
      static const QRegularExpression range(QStringLiteral("^range:\\s*bytes=(\\d+)-\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
      const auto m = range.match(QString::fromLatin1(line.trimmed()));
      if (m.hasMatch()) rangeStart = m.captured(1).toLongLong();
    }
    requests.append({urlPath, rangeStart});

    // /{repo}/resolve/main/{file} (hub) or /cdn/{repo}/{file} (after the redirect)
    QString relative;
    bool hubUrl = false;
    if (const int at = urlPath.indexOf("/resolve/main/"); at > 0) {
      relative = urlPath.left(at) + '/' + urlPath.mid(at + 14);
      hubUrl = true;
    } else if (urlPath.startsWith("/cdn/")) {
      relative = urlPath.mid(4);
    }
    QFile file(m_root + relative);
    if (relative.isEmpty() || relative.contains("..") || !file.open(QIODevice::ReadOnly)) {
      reply(socket, "404 Not Found", {}, {});
      return;
    }
    const QByteArray data = file.readAll();
    const QString& name = relative;  // "/{repo}/{file}": what the faults are keyed by
    QByteArray etag = QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
    if (wrongEtag.contains(name)) etag = wrongEtag[name];
    if (hubUrl && redirectWithEtag) {
      reply(socket, "302 Found", {{"Location", "/cdn" + relative.toUtf8()}, {"X-Linked-ETag", '"' + etag + '"'}}, {});
      return;
    }
    const qint64 size = data.size();
    const qint64 start = rangeStart < 0 ? 0 : rangeStart;
    if (start > size) {
      reply(socket, "416 Range Not Satisfiable", {{"Content-Range", "bytes */" + QByteArray::number(size)}}, {});
      return;
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    if (rangeStart >= 0)
      headers.append({"Content-Range", "bytes " + QByteArray::number(start) + '-' + QByteArray::number(size - 1) + '/' +
                                           QByteArray::number(size)});
    headers.append({"Content-Length", QByteArray::number(size - start)});
    const QByteArray status = rangeStart >= 0 ? "206 Partial Content" : "200 OK";
    QByteArray body = data.mid(start);
    if (stall.contains(name)) {
      writeHead(socket, status, headers);
      socket->write(body.left(body.size() / 2));  // and then silence, connection kept open
      return;
    }
    if (cutAfter.contains(name) && cutAfter[name] > start) {
      const qint64 cut = cutAfter.take(name);
      writeHead(socket, status, headers);
      socket->write(body.left(cut - start));
      socket->disconnectFromHost();  // after the buffered bytes: a dropped transfer
      return;
    }
    reply(socket, status, headers, body);
  }

  static void writeHead(QTcpSocket* socket, const QByteArray& status, const QList<QPair<QByteArray, QByteArray>>& headers) {
    QByteArray head = "HTTP/1.1 " + status + "\r\nConnection: close\r\n";
    for (const auto& h : headers) head += h.first + ": " + h.second + "\r\n";
    socket->write(head + "\r\n");
  }

  static void reply(QTcpSocket* socket, const QByteArray& status, QList<QPair<QByteArray, QByteArray>> headers,
                    const QByteArray& body) {
    bool hasLength = false;
    for (const auto& h : headers) hasLength |= h.first == "Content-Length";
    if (!hasLength) headers.append({"Content-Length", QByteArray::number(body.size())});
    writeHead(socket, status, headers);
    socket->write(body);
    socket->disconnectFromHost();
  }

  QString m_root;
  QTcpServer m_server;
  QHash<QTcpSocket*, QByteArray> m_buffers;
};

}  // namespace seedcanvas::test
