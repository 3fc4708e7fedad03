// Chat persistence: WAL mode, messages and pictures survive reopening, branches and the shown
// leaf come back, search finds text in any message, delete can be undone, export writes
// Markdown with its pictures.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

#include "chat_store.h"
#include "conversation_model.h"
#include "support/disk_full.h"
#include "support/fixtures.h"

using namespace seedcanvas;
using namespace seedcanvas::ui;

namespace {

QImage pattern(int w, int h, int salt) {
  QImage img(w, h, QImage::Format_RGB888);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) img.setPixelColor(x, y, QColor((x * 7 + salt) % 256, (y * 5) % 256, (x ^ y) % 256));
  return img;
}

ChatMessage message(qint64 parent, Role role, const QString& text) {
  ChatMessage m;
  m.parentId = parent;
  m.role = role;
  m.text = text;
  return m;
}

}  // namespace

class StoreTest : public QObject {
  Q_OBJECT
 private slots:
  void persistsAcrossReopen() {
    const QString dir = QString::fromStdString(test::scratch_dir("gui_store_reopen").string());
    QList<int> codes;
    for (int i = 0; i < 32; ++i) codes << (i * 257) % 8192;
    const QImage drawn = pattern(40, 24, 3);
    qint64 chat = 0, user = 0, first = 0, second = 0;
    {
      ChatStore store(dir);
      QVERIFY2(store.open(), qPrintable(store.lastError()));
      QCOMPARE(store.journalMode().toLower(), QString("wal"));
      chat = store.createChat("Cats");
      QVERIFY(chat > 0);
      auto u = message(0, Role::User, "Draw a cat");
      u.images.append({{}, pattern(16, 16, 1), {}, 0, {}});
      QVERIFY(store.addMessage(chat, u));
      user = u.id;
      QVERIFY(QFile::exists(u.images[0].file));
      auto a = message(user, Role::Assistant, "Here you go <image> enjoy");
      a.images.append({{}, drawn, codes, 1234567890123ULL, R"({"steps":20})"});
      a.settings = R"({"seed":"1"})";
      QVERIFY(store.addMessage(chat, a));
      first = a.id;
      auto b = message(user, Role::Assistant, "Another take");  // regenerated: a sibling
      b.status = "stopped";
      QVERIFY(store.addMessage(chat, b));
      second = b.id;
      QVERIFY(store.setShownLeaf(chat, first));
      QVERIFY(store.setImageCodes(user, 0, codes));
    }
    ChatStore store(dir);
    QVERIFY(store.open());
    QCOMPARE(store.integrityCheck(), QString("ok"));
    const auto chats = store.chats();
    QCOMPARE(chats.size(), 1);
    QCOMPARE(chats[0].title, QString("Cats"));
    const auto messages = store.messages(chat);
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages[0].images.size(), 1);
    QCOMPARE(messages[0].images[0].codes, codes);
    const auto& a = messages[1];
    QCOMPARE(a.text, QString("Here you go <image> enjoy"));
    QCOMPARE(a.images.size(), 1);
    QCOMPARE(a.images[0].codes, codes);
    QCOMPARE(a.images[0].seed, 1234567890123ULL);
    QCOMPARE(a.images[0].image.convertToFormat(QImage::Format_RGB888), drawn);  // PNG is lossless
    QCOMPARE(messages[2].status, QString("stopped"));
    QCOMPARE(store.shownLeaf(chat), first);

    ConversationModel model;
    model.setMessages(messages, store.shownLeaf(chat));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1).data(ConversationModel::IdRole).toLongLong(), first);
    QCOMPARE(model.index(1).data(ConversationModel::SiblingCountRole).toInt(), 2);
    QVERIFY(model.showSibling(1, +1));
    QCOMPARE(model.leafId(), second);
  }

  // A chat opens without reading its pictures: their sizes (the cards' shapes while they load)
  // come from the database, and rows stored before that are measured once and then kept.
  void pictureSizesComeFromTheDatabase() {
    const QString dir = QString::fromStdString(test::scratch_dir("gui_store_sizes").string());
    ChatStore store(dir);
    QVERIFY2(store.open(), qPrintable(store.lastError()));
    const qint64 chat = store.createChat("Sizes");
    auto u = message(0, Role::User, "a photo");
    u.images.append({{}, pattern(1600, 1200, 2), {}, 0, {}});
    QVERIFY(store.addMessage(chat, u));
    auto a = message(u.id, Role::Assistant, "small <image>");
    a.images.append({{}, pattern(40, 24, 5), {}, 0, {}});
    QVERIFY(store.addMessage(chat, a));
    const QString photo = u.images[0].file;
    auto opened = [&] {
      QVERIFY(QFile::rename(photo, photo + ".away"));  // unreadable: the size cannot come from it
      const auto shown = store.messages(chat, false);
      QVERIFY(QFile::rename(photo + ".away", photo));
      QCOMPARE(shown.size(), 2);
      QCOMPARE(shown[0].images[0].storedSize, QSize(1024, 768));  // the display copy of 1600 x 1200
      QCOMPARE(shown[1].images[0].storedSize, QSize(40, 24));
    };
    opened();
    {  // as a database from before the sizes were stored
      auto old = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
      old.setDatabaseName(store.databasePath());
      QVERIFY(old.open());
      QSqlQuery q(old);
      QVERIFY(q.exec(QStringLiteral("DELETE FROM image_sizes")));
      old.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));
    const auto measured = store.messages(chat, false);  // the headers are read this once
    QCOMPARE(measured[0].images[0].storedSize, QSize(1024, 768));
    opened();
    QVERIFY(store.setChatDeleted(chat, true));
    QCOMPARE(store.purgeDeleted(), 1);
    {
      auto check = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
      check.setDatabaseName(store.databasePath());
      QVERIFY(check.open());
      QSqlQuery q(check);
      QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM image_sizes")) && q.next());
      QCOMPARE(q.value(0).toInt(), 0);  // gone with their pictures
      check.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
  }

  void searchDeleteUndoExport() {
    const QString dir = QString::fromStdString(test::scratch_dir("gui_store_search").string());
    ChatStore store(dir);
    QVERIFY(store.open());
    const qint64 a = store.createChat("Lighthouse");
    const qint64 b = store.createChat("Foxes");
    auto m = message(0, Role::User, "a red fox in 100% snow_white");
    QVERIFY(store.addMessage(b, m));
    auto r = message(m.id, Role::Assistant, "Sure <image>");
    r.images.append({{}, pattern(8, 8, 9), {}, 5, {}});
    QVERIFY(store.addMessage(b, r));
    QCOMPARE(store.chats("fox").size(), 1);
    QCOMPARE(store.chats("100%").size(), 1);       // LIKE wildcards are literal
    QCOMPARE(store.chats("100%25").size(), 0);
    QCOMPARE(store.chats("snow_white").size(), 1);
    QCOMPARE(store.chats("snowXwhite").size(), 0);
    QCOMPARE(store.chats("LIGHT").size(), 1);      // titles too, case-insensitively
    QCOMPARE(store.chats().first().id, b);          // the chat with the newest message first
    QVERIFY(store.renameChat(a, "Beacon"));
    QCOMPARE(store.chatTitle(a), QString("Beacon"));

    QVERIFY(store.setChatDeleted(b, true));
    QCOMPARE(store.chats().size(), 1);
    QVERIFY(store.setChatDeleted(b, false));  // undo
    QCOMPARE(store.chats().size(), 2);

    const QString md = QDir(dir).filePath("export/foxes.md");
    QDir().mkpath(QFileInfo(md).absolutePath());
    QVERIFY(store.exportMarkdown("Foxes", store.messages(b), md));
    QFile f(md);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY(text.contains("a red fox"));
    QVERIFY(text.contains("](foxes_images/Foxes-001.png)"));
    QVERIFY(!text.contains("<image>"));
    QVERIFY(QFile::exists(QDir(dir).filePath("export/foxes_images/Foxes-001.png")));
    const QImage exported(QDir(dir).filePath("export/foxes_images/Foxes-001.png"));
    QCOMPARE(exported.convertToFormat(QImage::Format_RGB888), pattern(8, 8, 9).convertToFormat(QImage::Format_RGB888));
    // Again, over the first export: from a branch whose pictures were never read (the view
    // loads them later), and with a picture not stored yet (no file: it is encoded).
    auto unread = store.messages(b, /*pixels=*/false);
    QVERIFY(unread[1].images[0].image.isNull());
    auto unsaved = message(r.id, Role::User, "and this <image>");
    unsaved.images.append({{}, pattern(6, 4, 3), {}, 0, {}});
    unread.append(unsaved);
    QVERIFY(store.exportMarkdown("Foxes", unread, md));
    QCOMPARE(QImage(QDir(dir).filePath("export/foxes_images/Foxes-001.png")).convertToFormat(QImage::Format_RGB888),
             exported.convertToFormat(QImage::Format_RGB888));
    QCOMPARE(QImage(QDir(dir).filePath("export/foxes_images/Foxes-002.png")).convertToFormat(QImage::Format_RGB888),
             pattern(6, 4, 3).convertToFormat(QImage::Format_RGB888));

    const QString pictures = QDir(dir).filePath(QString("images/%1").arg(b));
    QVERIFY(QDir(pictures).exists());
    QVERIFY(store.setChatDeleted(b, true));
    QCOMPARE(store.purgeDeleted(), 1);
    QVERIFY(!QDir(pictures).exists());
    QVERIFY(store.messages(b).isEmpty());
    QCOMPARE(store.integrityCheck(), QString("ok"));
  }

  // The disk fills up while a turn is stored: once while its picture is written, once inside
  // the SQLite transaction. Each time addMessage() says so, and every earlier message, picture
  // and the database itself are intact, before and after reopening; with space again it works.
  void fullDiskLosesNothingStored() {
    const QString dir = QString::fromStdString(test::scratch_dir("gui_store_full").string());
    auto largestFile = [&] {
      qint64 n = 0;
      for (QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) n = std::max(n, QFileInfo(it.next()).size());
      return n;
    };
    qint64 chat = 0;
    QList<ChatMessage> before;
    {
      ChatStore store(dir);
      QVERIFY2(store.open(), qPrintable(store.lastError()));
      chat = store.createChat("Boats");
      auto u = message(0, Role::User, "Draw a boat");
      QVERIFY(store.addMessage(chat, u));
      auto a = message(u.id, Role::Assistant, "Here <image>");
      a.images.append({{}, pattern(24, 16, 4), {1, 2, 3}, 77, {}});
      QVERIFY(store.addMessage(chat, a));
      before = store.messages(chat);
      QCOMPARE(before.size(), 2);

      // 1. No room for the picture of the next turn (a noisy 512x512 PNG is ~750 kB).
      QImage noisy(512, 512, QImage::Format_RGB888);
      quint32 x = 99;
      for (int y = 0; y < noisy.height(); ++y)
        for (int i = 0; i < noisy.bytesPerLine(); ++i) noisy.scanLine(y)[i] = uchar((x = x * 1664525u + 1013904223u) >> 24);
      auto withPicture = message(a.id, Role::Assistant, "Another <image>");
      withPicture.images.append({{}, noisy, {4, 5}, 78, {}});
      {
        test::DiskFull full(largestFile() + 64 * 1024);
        QVERIFY(full.active());
        QVERIFY2(!store.addMessage(chat, withPicture), "a picture past the free space was stored");
      }
      qInfo("picture: %s", qPrintable(store.lastError()));
      QVERIFY2(store.lastError().contains(".png"), qPrintable(store.lastError()));

      // 2. No room in the database for the next turn's text (1 MB).
      auto longText = message(a.id, Role::User, QString(1 << 20, QChar('w')));
      {
        test::DiskFull full(largestFile() + 64 * 1024);
        QVERIFY(full.active());
        QVERIFY2(!store.addMessage(chat, longText), "a message past the free space was stored");
      }
      qInfo("text: %s", qPrintable(store.lastError()));
      QVERIFY2(store.lastError().contains("chats.sqlite"), qPrintable(store.lastError()));

      QCOMPARE(store.integrityCheck(), QString("ok"));
      const auto now = store.messages(chat);
      QCOMPARE(now.size(), before.size());
      for (int i = 0; i < now.size(); ++i) {
        QCOMPARE(now[i].id, before[i].id);
        QCOMPARE(now[i].text, before[i].text);
      }
      // With space again the same turn is stored.
      QVERIFY2(store.addMessage(chat, longText), qPrintable(store.lastError()));
    }
    ChatStore reopened(dir);
    QVERIFY2(reopened.open(), qPrintable(reopened.lastError()));
    QCOMPARE(reopened.integrityCheck(), QString("ok"));
    const auto after = reopened.messages(chat);
    QCOMPARE(after.size(), before.size() + 1);
    for (int i = 0; i < before.size(); ++i) {
      QCOMPARE(after[i].id, before[i].id);
      QCOMPARE(after[i].text, before[i].text);
      QCOMPARE(after[i].images.size(), before[i].images.size());
      for (int k = 0; k < before[i].images.size(); ++k) {
        QCOMPARE(after[i].images[k].image.convertToFormat(QImage::Format_RGB888),
                 before[i].images[k].image.convertToFormat(QImage::Format_RGB888));
        QCOMPARE(after[i].images[k].codes, before[i].images[k].codes);
      }
    }
    // The failed turn left no picture behind: only the stored one is in the images folder.
    int pngs = 0;
    for (QDirIterator it(dir + "/images", {"*.png"}, QDir::Files, QDirIterator::Subdirectories); it.hasNext(); it.next()) ++pngs;
    QCOMPARE(pngs, 1);
  }

  void badFolderIsAnError() {
    ChatStore store("/proc/seedcanvas-cannot-exist");
    QVERIFY(!store.open());
    QVERIFY(store.lastError().contains("/proc/seedcanvas-cannot-exist"));
  }
};

QTEST_GUILESS_MAIN(StoreTest)
#include "test_store.moc"
