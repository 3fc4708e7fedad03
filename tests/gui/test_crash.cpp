// Kill -9 mid-generation: the app process (real engine, demo pack) is killed while it draws;
// every message committed before the kill is still there afterwards and SQLite's
// integrity_check passes. A first, clean run also proves chats survive a restart.
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

#include "chat_store.h"
#include "gui_support.h"
#include "support/fixtures.h"

using namespace seedcanvas;

namespace {

// id -> text of every committed message, read through a separate connection (WAL readers
// see only committed transactions).
QMap<qint64, QString> committed(const QString& dbPath) {
  QMap<qint64, QString> out;
  {
    auto db = QSqlDatabase::addDatabase("QSQLITE", "probe");
    db.setDatabaseName(dbPath);
    if (db.open()) {
      QSqlQuery q(db);
      if (q.exec("SELECT id, text FROM messages"))
        while (q.next()) out.insert(q.value(0).toLongLong(), q.value(1).toString());
      db.close();
    }
  }
  QSqlDatabase::removeDatabase("probe");
  return out;
}

}  // namespace

class CrashTest : public QObject {
  Q_OBJECT
 private slots:
  void killMidGenerationLosesNothingCommitted() {
    QString why;
    const QString pack = test::demoPack(&why);
    QVERIFY2(!pack.isEmpty(), qPrintable(why));
    const QString data = QString::fromStdString(test::scratch_dir("gui_crash").string());
    const QString app = QDir(test::buildDir()).filePath("app/gui/seedcanvas");
    const QString dbPath = QDir(data).filePath("chats.sqlite");

    // Run 1 finishes normally: one user turn and its answer.
    QProcess first;
    first.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    first.start(app, {"--data-dir", data, "--pack", pack, "--prompt", "hello there", "--quit-when-idle", "--trace"});
    QVERIFY2(first.waitForFinished(600000), "the first run did not finish");
    QCOMPARE(first.exitCode(), 0);
    const auto afterFirst = committed(dbPath);
    QCOMPARE(afterFirst.size(), 2);

    // Run 2 is killed while it draws a picture.
    QProcess second;
    second.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    second.start(app, {"--data-dir", data, "--pack", pack, "--prompt", "draw a boat", "--draw", "--trace"});
    QVERIFY(second.waitForStarted());
    bool drawing = false;
    QByteArray seen;
    QVERIFY(test::waitUntil(
        [&] {
          seen += second.readAllStandardOutput();
          drawing = seen.contains("image-tokens") || seen.contains("step ");
          return drawing || second.state() == QProcess::NotRunning;
        },
        600000));
    QVERIFY2(drawing, seen.constData());
    const auto beforeKill = committed(dbPath);
    second.kill();  // SIGKILL: no clean-up runs
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitStatus(), QProcess::CrashExit);

    QVERIFY(beforeKill.size() >= 3);  // run 1's turns and run 2's user message
    QVERIFY(beforeKill.values().contains("draw a boat"));
    ui::ChatStore store(data);
    QVERIFY2(store.open(), qPrintable(store.lastError()));
    QCOMPARE(store.integrityCheck(), QString("ok"));
    const auto after = committed(dbPath);
    for (auto it = beforeKill.begin(); it != beforeKill.end(); ++it) {
      QVERIFY2(after.contains(it.key()), qPrintable(QString("message %1 lost").arg(it.key())));
      QCOMPARE(after.value(it.key()), it.value());
    }
    QCOMPARE(store.chats().size(), 2);
  }
};

QTEST_GUILESS_MAIN(CrashTest)
#include "test_crash.moc"
