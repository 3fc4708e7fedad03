// The pack downloader against a loopback HTTP server (http_test_server.h) serving the demo
// pack: resume after a dropped connection and after pause (asserting the Range offset), SHA-256
// rejection (catalog hash and the server's LFS ETag), stall timeout, free-disk check, and a
// finished download that loads through pipeline::find_pack + validate_pack.
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "gui_support.h"
#include "http_test_server.h"
#include "pack_catalog.h"
#include "pack_download.h"
#include "pack_locator.h"
#include "pipeline/model_pack.h"

using seedcanvas::gui::PackDescription;
using seedcanvas::gui::PackDownloader;
using seedcanvas::gui::PackFile;
using seedcanvas::gui::PackRepo;
using seedcanvas::test::HttpTestServer;

namespace {

QByteArray sha256Of(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash h(QCryptographicHash::Sha256);
  h.addData(&f);
  return h.result().toHex();
}

// Accepts TLS connections with the given (self-signed) certificate and counts what arrives.
class TlsServer : public QTcpServer {
 public:
  TlsServer(QSslCertificate cert, QSslKey key) : m_cert(std::move(cert)), m_key(std::move(key)) {}
  int httpRequests = 0;

 protected:
  void incomingConnection(qintptr descriptor) override {
    auto* tls = new QSslSocket(this);
    if (!tls->setSocketDescriptor(descriptor)) return;
    tls->setLocalCertificate(m_cert);
    tls->setPrivateKey(m_key);
    connect(tls, &QSslSocket::readyRead, tls, [this, tls] {
      tls->readAll();
      ++httpRequests;
    });
    tls->startServerEncryption();
  }

 private:
  QSslCertificate m_cert;
  QSslKey m_key;
};

}  // namespace

class TestDownload : public QObject {
  Q_OBJECT

  QString m_demo;          // the demo pack (source of the served files)
  QTemporaryDir m_serve;   // <serve>/demo -> the demo pack: repo "demo/<component>"
  PackDescription m_pack;  // every demo pack file, with sizes, without hashes

  // The largest file of the pack, as the catalog names it (repo-relative) and its repo index.
  QPair<int, int> largest() const {
    QPair<int, int> best{0, 0};
    qint64 size = -1;
    for (int r = 0; r < m_pack.repos.size(); ++r)
      for (int f = 0; f < m_pack.repos[r].files.size(); ++f)
        if (m_pack.repos[r].files[f].size > size) {
          size = m_pack.repos[r].files[f].size;
          best = {r, f};
        }
    return best;
  }

  // Runs the downloader until it finishes or fails; returns its final state.
  static PackDownloader::State run(PackDownloader& d, int timeoutMs = 120000) {
    seedcanvas::test::waitUntil([&] {
      return d.state() != PackDownloader::State::Running;
    }, timeoutMs);
    return d.state();
  }

  static QStringList partFiles(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, {QStringLiteral("*.part")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) out << it.next();
    return out;
  }

 private slots:
  void initTestCase() {
    QString why;
    m_demo = seedcanvas::test::demoPack(&why);
    QVERIFY2(!m_demo.isEmpty(), qPrintable(why));
    QVERIFY(QFile::link(m_demo, m_serve.filePath(QStringLiteral("demo"))));
    // One repository per top-level folder of the demo pack, as the hub would hold them.
    m_pack.name = QStringLiteral("downloaded");
    m_pack.title = QStringLiteral("Downloaded demo");
    QFile manifest(QDir(m_demo).filePath(QStringLiteral("seedcanvas-pack.json")));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    m_pack.manifest = QJsonDocument::fromJson(manifest.readAll()).object();
    for (const auto& folder : QDir(m_demo).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
      PackRepo repo{QStringLiteral("demo/") + folder, folder, {}};
      const QDir base(QDir(m_demo).filePath(folder));
      QDirIterator it(base.path(), QDir::Files, QDirIterator::Subdirectories);
      while (it.hasNext()) {
        const QString path = it.next();
        repo.files.append({base.relativeFilePath(path), {}, QFileInfo(path).size(), {}});
      }
      QVERIFY(!repo.files.isEmpty());
      m_pack.repos.append(repo);
    }
    QVERIFY(m_pack.repos.size() >= 3);
  }

  void builtinCatalogNamesTheEngineFiles() {
    const auto catalog = seedcanvas::gui::builtinCatalog();
    QVERIFY(!catalog.isEmpty());
    QStringList repos;
    for (const auto& repo : catalog[0].repos) {
      repos << repo.repo;
      for (const auto& file : repo.files) {
        QVERIFY2(!file.path.contains("fp16") && !file.path.startsWith("image_encoder/") &&
                     !file.path.startsWith("feature_extractor/"),
                 qPrintable(file.path));
      }
    }
    QVERIFY(repos.contains("AILab-CVC/seed-llama-8b-sft"));
    QVERIFY(repos.contains("AILab-CVC/seed-tokenizer-2"));
    QVERIFY(repos.contains("stabilityai/stable-diffusion-2-1-unclip"));
    const auto& llm = catalog[0].repos[0];
    QCOMPARE(seedcanvas::gui::fileUrl(QUrl("https://huggingface.co/"), llm, llm.files[0]).toString(),
             "https://huggingface.co/" + llm.repo + "/resolve/main/" + llm.files[0].path);
    QString error;
    QVERIFY(seedcanvas::gui::parseCatalog(
                R"({"format":1,"packs":[{"name":"x","repos":[{"repo":"a/b","files":[{"path":"../evil"}]}]}]})", "t.json",
                &error).isEmpty());
    QVERIFY2(error.contains("t.json") && error.contains("../evil"), qPrintable(error));
  }

  void finishedPackLoads() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    server.redirectWithEtag = true;  // hashes come from the server, as on the hub
    QTemporaryDir data;
    const QString packDir = data.filePath(QStringLiteral("packs/") + m_pack.name);
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    QSignalSpy finished(&d, &PackDownloader::finished);
    QSignalSpy files(&d, &PackDownloader::fileFinished);
    QSignalSpy total(&d, &PackDownloader::totalProgress);
    d.start(m_pack, packDir);
    QCOMPARE(run(d), PackDownloader::State::Finished);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(files.count(), m_pack.fileCount());
    QCOMPARE(total.last().at(0).toLongLong(), m_pack.knownBytes());
    QCOMPARE(total.last().at(1).toLongLong(), m_pack.knownBytes());
    QVERIFY(partFiles(packDir).isEmpty());
    QVERIFY(!QFileInfo::exists(QDir(packDir).filePath(seedcanvas::gui::kDownloadMarker)));
    for (const auto& repo : m_pack.repos)
      for (const auto& file : repo.files)
        QCOMPARE(sha256Of(seedcanvas::gui::fileTarget(packDir, repo, file)),
                 sha256Of(QDir(m_demo).filePath(repo.folder + '/' + file.path)));

    const auto pack = seedcanvas::pipeline::find_pack(packDir.toStdString());
    const auto report = seedcanvas::pipeline::validate_pack(pack, c10::ScalarType::Float);
    QVERIFY(report.total_bytes() > 0);
    QVERIFY(pack.random_weights);

    // A second start finds everything in place and asks the server for nothing.
    const int before = server.requests.size();
    PackDownloader again;
    again.setBaseUrl(QUrl(server.baseUrl()));
    again.start(m_pack, packDir);
    QCOMPARE(run(again), PackDownloader::State::Finished);
    QCOMPARE(server.requests.size(), before);
  }

  void interruptedTransferResumes() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    const auto [r, f] = largest();
    const PackFile big = m_pack.repos[r].files[f];
    const qint64 cut = big.size / 2 + 17;
    server.cutAfter.insert(HttpTestServer::key(m_pack.repos[r].repo, big.path), cut);
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    d.start(m_pack, data.path());
    QCOMPARE(run(d), PackDownloader::State::Finished);
    const auto requests = server.requestsFor(m_pack.repos[r].repo, big.path);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[0].rangeStart, qint64(-1));
    QCOMPARE(requests[1].rangeStart, cut);  // continued exactly where the dropped transfer stopped
    QCOMPARE(sha256Of(seedcanvas::gui::fileTarget(data.path(), m_pack.repos[r], big)),
             sha256Of(QDir(m_demo).filePath(m_pack.repos[r].folder + '/' + big.path)));
  }

  void pauseAndResumeUseRange() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    const auto [r, f] = largest();
    PackDescription pack = m_pack;
    pack.repos = {m_pack.repos[r]};
    pack.repos[0].files = {m_pack.repos[r].files[f]};
    const PackFile big = pack.repos[0].files[0];
    server.stall.insert(HttpTestServer::key(pack.repos[0].repo, big.path));  // half the file, then silence: time to press pause
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    d.start(pack, data.path());
    const QString part = seedcanvas::gui::fileTarget(data.path(), pack.repos[0], big) + ".part";
    QVERIFY(seedcanvas::test::waitUntil([&] { return d.receivedBytes() == big.size / 2; }, 20000));
    d.pause();
    QCOMPARE(d.state(), PackDownloader::State::Paused);
    QCOMPARE(QFileInfo(part).size(), big.size / 2);
    server.stall.clear();
    d.resume();
    QCOMPARE(run(d), PackDownloader::State::Finished);
    const auto requests = server.requestsFor(pack.repos[0].repo, big.path);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[1].rangeStart, big.size / 2);
    QVERIFY(!QFileInfo::exists(part));
  }

  void wrongCatalogHashIsRejected() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    PackDescription pack = m_pack;
    PackFile& victim = pack.repos[0].files[0];
    victim.sha256 = QString::fromLatin1(QCryptographicHash::hash("not this file", QCryptographicHash::Sha256).toHex());
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    QSignalSpy failed(&d, &PackDownloader::failed);
    d.start(pack, data.path());
    QCOMPARE(run(d), PackDownloader::State::Failed);
    QCOMPARE(failed.count(), 1);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains("SHA-256") && message.contains(victim.path) && message.contains(victim.sha256),
             qPrintable(message));
    const QString target = seedcanvas::gui::fileTarget(data.path(), pack.repos[0], victim);
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(!QFileInfo::exists(target + ".part"));
    QVERIFY(!QFileInfo::exists(QDir(data.path()).filePath("seedcanvas-pack.json")));
    // The unfinished folder is marked, so pack_locator does not offer it as a pack.
    QVERIFY(QFileInfo::exists(QDir(data.path()).filePath(seedcanvas::gui::kDownloadMarker)));
    QTemporaryDir appData;
    QVERIFY(QDir().mkpath(appData.filePath("packs")));
    QVERIFY(QFile::link(data.path(), appData.filePath("packs/unfinished")));
    QStringList searched;
    const QString found = seedcanvas::gui::findPack({}, appData.path(), &searched);
    QVERIFY2(searched.contains(QDir::cleanPath(appData.filePath("packs/unfinished"))), qPrintable(searched.join(", ")));
    QVERIFY2(!found.endsWith("unfinished"), qPrintable(found));
  }

  void wrongServerEtagIsRejected() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    server.redirectWithEtag = true;
    const PackFile victim = m_pack.repos[1].files[0];
    const QByteArray bogus = QCryptographicHash::hash("bogus", QCryptographicHash::Sha256).toHex();
    server.wrongEtag.insert(HttpTestServer::key(m_pack.repos[1].repo, victim.path), bogus);
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    QSignalSpy failed(&d, &PackDownloader::failed);
    d.start(m_pack, data.path());
    QCOMPARE(run(d), PackDownloader::State::Failed);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains("SHA-256") && message.contains(QString::fromLatin1(bogus)), qPrintable(message));
    const QString target = seedcanvas::gui::fileTarget(data.path(), m_pack.repos[1], victim);
    QVERIFY(!QFileInfo::exists(target) && !QFileInfo::exists(target + ".part"));
    QVERIFY(!QFileInfo::exists(QDir(data.path()).filePath("seedcanvas-pack.json")));
  }

  void stalledServerTimesOut() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    const auto [r, f] = largest();
    const PackFile big = m_pack.repos[r].files[f];
    server.stall.insert(HttpTestServer::key(m_pack.repos[r].repo, big.path));
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    d.setStallTimeout(400);
    QSignalSpy failed(&d, &PackDownloader::failed);
    d.start(m_pack, data.path());
    QCOMPARE(run(d), PackDownloader::State::Failed);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains("timed out") && message.contains(big.path), qPrintable(message));
    // The bytes that did arrive stay for a resume; nothing got its final name.
    const QString target = seedcanvas::gui::fileTarget(data.path(), m_pack.repos[r], big);
    QCOMPARE(QFileInfo(target + ".part").size(), big.size / 2);
    QVERIFY(!QFileInfo::exists(target));

    // A later session (a new downloader) continues the .part file with a Range request.
    server.stall.clear();
    PackDownloader later;
    later.setBaseUrl(QUrl(server.baseUrl()));
    later.start(m_pack, data.path());
    QCOMPARE(run(later), PackDownloader::State::Finished);
    const auto requests = server.requestsFor(m_pack.repos[r].repo, big.path);
    QCOMPARE(requests.size(), 2);
    QCOMPARE(requests[1].rangeStart, big.size / 2);
    QCOMPARE(sha256Of(target), sha256Of(QDir(m_demo).filePath(m_pack.repos[r].folder + '/' + big.path)));
  }

  // Loopback throughput with hashing, for BENCHMARKS.md: SEEDCANVAS_DOWNLOAD_BENCH_MB=512.
  void throughput() {
    const qint64 mb = qEnvironmentVariableIntValue("SEEDCANVAS_DOWNLOAD_BENCH_MB");
    if (mb <= 0) QSKIP("set SEEDCANVAS_DOWNLOAD_BENCH_MB to measure");
    QTemporaryDir serve;
    QVERIFY(QDir().mkpath(serve.filePath("bench/blob")));
    QFile blob(serve.filePath("bench/blob/data.bin"));
    QVERIFY(blob.open(QIODevice::WriteOnly));
    QByteArray chunk(1 << 20, '\0');
    for (int i = 0; i < chunk.size(); ++i) chunk[i] = char((i * 2654435761u) >> 24);
    for (qint64 i = 0; i < mb; ++i) blob.write(chunk);
    blob.close();
    HttpTestServer server(serve.path());
    QVERIFY(server.listen());
    PackDescription pack;
    pack.name = "bench";
    pack.repos = {PackRepo{"bench/blob", "blob", {PackFile{"data.bin", QString::fromLatin1(sha256Of(blob.fileName())), mb << 20, {}}}}};
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    QElapsedTimer t;
    t.start();
    d.start(pack, data.path());
    QCOMPARE(run(d, 600000), PackDownloader::State::Finished);
    qInfo("downloaded and verified %lld MiB in %.2f s: %.0f MiB/s", mb, t.elapsed() / 1000.0, mb * 1000.0 / t.elapsed());
  }

  void missingFileReportsTheHttpStatus() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    PackDescription pack = m_pack;
    pack.repos[0].files.append({QStringLiteral("not-on-the-server.bin"), {}, -1, {}});
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    QSignalSpy failed(&d, &PackDownloader::failed);
    d.start(pack, data.path());
    QCOMPARE(run(d), PackDownloader::State::Failed);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains("404") && message.contains("not-on-the-server.bin"), qPrintable(message));
    QVERIFY(!QFileInfo::exists(QDir(data.path()).filePath(pack.repos[0].folder + "/not-on-the-server.bin")));
  }

  // TLS verification is never switched off: a server with a self-signed certificate is refused
  // before any HTTP request reaches it.
  void selfSignedServerIsRefused() {
    if (!QSslSocket::supportsSsl()) QSKIP("Qt has no TLS backend here");
    QTemporaryDir keys;
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout",
                   keys.filePath("key.pem"), "-out", keys.filePath("cert.pem")});
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0) QSKIP("openssl cannot make a test certificate");
    QFile certFile(keys.filePath("cert.pem")), keyFile(keys.filePath("key.pem"));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate cert(&certFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
    QVERIFY(!cert.isNull() && !key.isNull());

    TlsServer server(cert, key);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort())));
    QSignalSpy failed(&d, &PackDownloader::failed);
    d.start(m_pack, data.path());
    d.setStallTimeout(10000);
    QCOMPARE(run(d, 30000), PackDownloader::State::Failed);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains("SSL", Qt::CaseInsensitive) || message.contains("certificate", Qt::CaseInsensitive),
             qPrintable(message));
    QCOMPARE(server.httpRequests, 0);
    const auto& first = m_pack.repos[0];
    QVERIFY(!QFileInfo::exists(seedcanvas::gui::fileTarget(data.path(), first, first.files[0])));
  }

  void notEnoughDiskFailsBeforeStarting() {
    HttpTestServer server(m_serve.path());
    QVERIFY(server.listen());
    PackDescription pack = m_pack;
    pack.repos[0].files[0].size = qint64(1) << 60;  // an exbibyte
    QTemporaryDir data;
    PackDownloader d;
    d.setBaseUrl(QUrl(server.baseUrl()));
    QSignalSpy failed(&d, &PackDownloader::failed);
    d.start(pack, data.path());
    QCOMPARE(d.state(), PackDownloader::State::Failed);
    QVERIFY2(failed.first().first().toString().contains("free disk space"), qPrintable(d.errorString()));
    QVERIFY(server.requests.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestDownload)
#include "test_download.moc"
