#include "chat_store.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QRegularExpression>
#include <QUuid>

namespace seedcanvas::ui {

namespace {

QString codesToText(const QList<int>& codes) {
  QStringList parts;
  for (int c : codes) parts << QString::number(c);
  return parts.join(QLatin1Char(' '));
}

QList<int> codesFromText(const QString& text) {
  QList<int> codes;
  for (const auto& p : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) codes << p.toInt();
  return codes;
}

// A null QString binds as SQL NULL; the schema wants text.
QString nn(const QString& s) { return s.isNull() ? QStringLiteral("") : s; }

QString slug(QString title) {
  title.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]+")), QStringLiteral("-"));
  title = title.left(60);
  return title.isEmpty() ? QStringLiteral("chat") : title;
}

}  // namespace

ChatStore::ChatStore(const QString& dataDir, QObject* parent)
    : QObject(parent), m_dataDir(dataDir),
      m_connection(QStringLiteral("chatstore-") + QUuid::createUuid().toString(QUuid::WithoutBraces)) {}

ChatStore::~ChatStore() { close(); }

QString ChatStore::databasePath() const { return QDir(m_dataDir).filePath(QStringLiteral("chats.sqlite")); }

bool ChatStore::fail(const QString& what) const {
  m_lastError = what;
  qWarning("ChatStore: %s", qPrintable(what));
  return false;
}

bool ChatStore::open() {
  if (!QDir().mkpath(m_dataDir)) return fail(tr("%1: cannot create the data folder").arg(m_dataDir));
  auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
  db.setDatabaseName(databasePath());
  if (!db.open()) return fail(tr("%1: cannot open the database: %2").arg(databasePath(), db.lastError().text()));
  // WAL: readers never block the writer and a killed process loses at most the open transaction.
  QSqlQuery q(db);
  if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next() ||
      q.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0)
    return fail(tr("%1: cannot switch the database to WAL mode").arg(databasePath()));
  return exec(QStringLiteral("PRAGMA synchronous=NORMAL")) && exec(QStringLiteral("PRAGMA foreign_keys=ON")) &&
         exec(QStringLiteral("CREATE TABLE IF NOT EXISTS chats (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
                             "created INTEGER NOT NULL, updated INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, "
                             "shown_leaf INTEGER NOT NULL DEFAULT 0)")) &&
         exec(QStringLiteral("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, "
                             "chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE, "
                             "parent_id INTEGER NOT NULL DEFAULT 0, role INTEGER NOT NULL, text TEXT NOT NULL, "
                             "created INTEGER NOT NULL, status TEXT NOT NULL, settings TEXT NOT NULL DEFAULT '')")) &&
         exec(QStringLiteral("CREATE TABLE IF NOT EXISTS images (message_id INTEGER NOT NULL REFERENCES "
                             "messages(id) ON DELETE CASCADE, idx INTEGER NOT NULL, file TEXT NOT NULL, "
                             "codes TEXT NOT NULL DEFAULT '', seed TEXT NOT NULL DEFAULT '0', "
                             "settings TEXT NOT NULL DEFAULT '', PRIMARY KEY (message_id, idx))")) &&
         exec(QStringLiteral("CREATE INDEX IF NOT EXISTS messages_chat ON messages(chat_id)")) &&
         // A side table, so databases made before per-chat settings open unchanged.
         exec(QStringLiteral("CREATE TABLE IF NOT EXISTS chat_settings (chat_id INTEGER PRIMARY KEY REFERENCES "
                             "chats(id) ON DELETE CASCADE, settings TEXT NOT NULL)")) &&
         // Each stored picture's size, so a chat opens without reading its files (cards keep the
         // pictures' shapes while they load). Rows from before it are filled when first read.
         exec(QStringLiteral("CREATE TABLE IF NOT EXISTS image_sizes (message_id INTEGER NOT NULL, idx INTEGER NOT "
                             "NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, PRIMARY KEY (message_id, idx), "
                             "FOREIGN KEY (message_id, idx) REFERENCES images(message_id, idx) ON DELETE CASCADE)"));
}

QJsonObject ChatStore::chatOverrides(qint64 chat) const {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  q.prepare(QStringLiteral("SELECT settings FROM chat_settings WHERE chat_id = ?"));
  q.addBindValue(chat);
  if (!q.exec() || !q.next()) return {};
  return QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
}

bool ChatStore::setChatOverrides(qint64 chat, const QJsonObject& overrides) {
  if (overrides.isEmpty()) return exec(QStringLiteral("DELETE FROM chat_settings WHERE chat_id = ?"), {chat});
  return exec(QStringLiteral("INSERT OR REPLACE INTO chat_settings (chat_id, settings) VALUES (?, ?)"),
              {chat, QString::fromUtf8(QJsonDocument(overrides).toJson(QJsonDocument::Compact))});
}

void ChatStore::close() {
  if (!QSqlDatabase::contains(m_connection)) return;
  { QSqlDatabase::database(m_connection, false).close(); }
  QSqlDatabase::removeDatabase(m_connection);
}

bool ChatStore::exec(const QString& sql, const QVariantList& args) const {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  if (!q.prepare(sql)) return fail(tr("%1: %2").arg(databasePath(), q.lastError().text()));
  for (const auto& a : args) q.addBindValue(a);
  if (!q.exec()) return fail(tr("%1: %2").arg(databasePath(), q.lastError().text()));
  return true;
}

QList<ChatSummary> ChatStore::chats(const QString& search) const {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  QString sql = QStringLiteral("SELECT id, title, updated FROM chats WHERE deleted = 0");
  if (!search.isEmpty())
    sql += QStringLiteral(" AND (title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m "
                          "WHERE m.chat_id = chats.id AND m.text LIKE ? ESCAPE '\\'))");
  sql += QStringLiteral(" ORDER BY updated DESC, id DESC");
  q.prepare(sql);
  if (!search.isEmpty()) {
    QString pattern = search;
    pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    const QString like = QLatin1Char('%') + pattern + QLatin1Char('%');
    q.addBindValue(like);
    q.addBindValue(like);
  }
  QList<ChatSummary> out;
  if (!q.exec()) {
    fail(q.lastError().text());
    return out;
  }
  while (q.next())
    out.append({q.value(0).toLongLong(), q.value(1).toString(),
                QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong())});
  return out;
}

qint64 ChatStore::createChat(const QString& title) {
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  q.prepare(QStringLiteral("INSERT INTO chats (title, created, updated) VALUES (?, ?, ?)"));
  q.addBindValue(nn(title));
  q.addBindValue(now);
  q.addBindValue(now);
  if (!q.exec()) return fail(q.lastError().text()), 0;
  return q.lastInsertId().toLongLong();
}

bool ChatStore::renameChat(qint64 chat, const QString& title) {
  return exec(QStringLiteral("UPDATE chats SET title = ? WHERE id = ?"), {nn(title), chat});
}

bool ChatStore::setChatDeleted(qint64 chat, bool deleted) {
  return exec(QStringLiteral("UPDATE chats SET deleted = ? WHERE id = ?"), {deleted ? 1 : 0, chat});
}

int ChatStore::purgeDeleted() {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  q.exec(QStringLiteral("SELECT id FROM chats WHERE deleted = 1"));
  QList<qint64> ids;
  while (q.next()) ids << q.value(0).toLongLong();
  for (qint64 id : ids) {
    if (!exec(QStringLiteral("DELETE FROM chats WHERE id = ?"), {id})) continue;
    QDir(QDir(m_dataDir).filePath(QStringLiteral("images/%1").arg(id))).removeRecursively();
  }
  return static_cast<int>(ids.size());
}

QString ChatStore::chatTitle(qint64 chat) const {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  q.prepare(QStringLiteral("SELECT title FROM chats WHERE id = ?"));
  q.addBindValue(chat);
  return q.exec() && q.next() ? q.value(0).toString() : QString();
}

QList<ChatMessage> ChatStore::messages(qint64 chat, bool pixels) const {
  auto db = QSqlDatabase::database(m_connection, false);
  QSqlQuery q(db);
  q.prepare(QStringLiteral("SELECT id, parent_id, role, text, created, status, settings FROM messages "
                           "WHERE chat_id = ? ORDER BY id"));
  q.addBindValue(chat);
  QList<ChatMessage> out;
  if (!q.exec()) return fail(q.lastError().text()), out;
  QHash<qint64, int> row;
  while (q.next()) {
    ChatMessage m;
    m.id = q.value(0).toLongLong();
    m.parentId = q.value(1).toLongLong();
    m.role = q.value(2).toInt() == 1 ? Role::Assistant : Role::User;
    m.text = q.value(3).toString();
    m.created = QDateTime::fromMSecsSinceEpoch(q.value(4).toLongLong());
    m.status = q.value(5).toString();
    m.settings = q.value(6).toString();
    row.insert(m.id, static_cast<int>(out.size()));
    out.append(m);
  }
  QSqlQuery qi(db);
  qi.prepare(QStringLiteral("SELECT i.message_id, i.idx, i.file, i.codes, i.seed, i.settings, s.width, s.height "
                            "FROM images i JOIN messages m ON m.id = i.message_id LEFT JOIN image_sizes s ON "
                            "s.message_id = i.message_id AND s.idx = i.idx WHERE m.chat_id = ? "
                            "ORDER BY i.message_id, i.idx"));
  qi.addBindValue(chat);
  struct Measured {
    qint64 message;
    int idx;
    QSize size;
  };
  QList<Measured> measured;  // pictures stored before their sizes were
  if (qi.exec()) {
    while (qi.next()) {
      const auto r = row.value(qi.value(0).toLongLong(), -1);
      if (r < 0) continue;
      ChatImage img;
      img.file = QDir(m_dataDir).filePath(qi.value(2).toString());
      if (pixels) {
        img.image.load(img.file);  // a missing file shows as an empty card, not a crash
      } else {
        img.loading = true;
        // The card keeps the shape the picture will have: the stored size, else the file's header.
        QSize whole(qi.value(6).toInt(), qi.value(7).toInt());
        if (qi.value(6).isNull()) {
          whole = QImageReader(img.file).size();
          if (whole.isValid()) measured.append({qi.value(0).toLongLong(), qi.value(1).toInt(), whole});
        }
        img.storedSize = ChatImage::displaySize(whole);
      }
      img.codes = codesFromText(qi.value(3).toString());
      img.seed = qi.value(4).toString().toULongLong();
      img.settings = qi.value(5).toString();
      out[r].images.append(img);
    }
  }
  // Best effort (a read-only database stays as it is): the next open reads those headers again.
  for (const auto& m : measured) {
    QSqlQuery qs(db);
    qs.prepare(QStringLiteral("INSERT OR IGNORE INTO image_sizes (message_id, idx, width, height) VALUES (?, ?, ?, ?)"));
    for (const QVariant& v : {QVariant(m.message), QVariant(m.idx), QVariant(m.size.width()), QVariant(m.size.height())})
      qs.addBindValue(v);
    qs.exec();
  }
  return out;
}

QByteArray ChatStore::encodePicture(const QImage& image) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  if (image.isNull() || !buffer.open(QIODevice::WriteOnly) || !image.save(&buffer, "PNG")) return {};
  return bytes;
}

bool ChatStore::addMessage(qint64 chat, ChatMessage& message) {
  auto db = QSqlDatabase::database(m_connection, false);
  if (!message.created.isValid()) message.created = QDateTime::currentDateTime();
  // Pictures first: written under fresh names, so an aborted transaction leaves only orphans.
  const QString rel = QStringLiteral("images/%1").arg(chat);
  QDir(m_dataDir).mkpath(rel);
  QStringList relFiles;
  QList<QSize> sizes;
  const QString stem = QUuid::createUuid().toString(QUuid::Id128).left(12);
  for (int i = 0; i < message.images.size(); ++i) {
    auto& img = message.images[i];
    const QString file = QStringLiteral("%1/%2_%3.png").arg(rel, stem).arg(i);
    QSaveFile out(QDir(m_dataDir).filePath(file));
    const QByteArray bytes = img.png.isEmpty() ? encodePicture(img.pixels()) : img.png;
    if (bytes.isEmpty() || !out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
      return fail(tr("%1: cannot write the picture").arg(out.fileName()));
    img.png.clear();  // on disk now; the pixels stay for the view
    relFiles << file;
    QBuffer header;  // the size from the PNG header in memory
    header.setData(bytes);
    header.open(QIODevice::ReadOnly);
    sizes << QImageReader(&header, "png").size();
  }
  if (!db.transaction()) return fail(db.lastError().text());
  QSqlQuery q(db);
  q.prepare(QStringLiteral("INSERT INTO messages (chat_id, parent_id, role, text, created, status, settings) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  q.addBindValue(chat);
  q.addBindValue(message.parentId);
  q.addBindValue(message.role == Role::Assistant ? 1 : 0);
  q.addBindValue(nn(message.text));
  q.addBindValue(message.created.toMSecsSinceEpoch());
  q.addBindValue(nn(message.status));
  q.addBindValue(nn(message.settings));
  bool ok = q.exec();
  QString why = ok ? QString() : q.lastError().text();
  const qint64 id = q.lastInsertId().toLongLong();
  for (int i = 0; ok && i < message.images.size(); ++i) {
    const auto& img = message.images[i];
    QSqlQuery qi(db);
    qi.prepare(QStringLiteral("INSERT INTO images (message_id, idx, file, codes, seed, settings) VALUES (?, ?, ?, ?, ?, ?)"));
    qi.addBindValue(id);
    qi.addBindValue(i);
    qi.addBindValue(relFiles[i]);
    qi.addBindValue(nn(codesToText(img.codes)));
    qi.addBindValue(QString::number(img.seed));
    qi.addBindValue(nn(img.settings));
    ok = qi.exec();
    if (!ok) why = qi.lastError().text();
    if (ok && sizes[i].isValid()) {
      QSqlQuery qs(db);
      qs.prepare(QStringLiteral("INSERT INTO image_sizes (message_id, idx, width, height) VALUES (?, ?, ?, ?)"));
      qs.addBindValue(id);
      qs.addBindValue(i);
      qs.addBindValue(sizes[i].width());
      qs.addBindValue(sizes[i].height());
      ok = qs.exec();
      if (!ok) why = qs.lastError().text();
    }
  }
  if (ok) {
    QSqlQuery qu(db);
    qu.prepare(QStringLiteral("UPDATE chats SET updated = ?, shown_leaf = ? WHERE id = ?"));
    qu.addBindValue(QDateTime::currentMSecsSinceEpoch());
    qu.addBindValue(id);
    qu.addBindValue(chat);
    ok = qu.exec();
    if (!ok) why = qu.lastError().text();
  }
  if (!ok || !db.commit()) {
    if (why.isEmpty()) why = db.lastError().text();
    db.rollback();
    for (const auto& f : relFiles) QFile::remove(QDir(m_dataDir).filePath(f));
    return fail(tr("%1: cannot store the message: %2").arg(databasePath(), why));
  }
  message.id = id;
  for (int i = 0; i < message.images.size(); ++i) message.images[i].file = QDir(m_dataDir).filePath(relFiles[i]);
  return true;
}

bool ChatStore::setImageCodes(qint64 message, int index, const QList<int>& codes) {
  return exec(QStringLiteral("UPDATE images SET codes = ? WHERE message_id = ? AND idx = ?"),
              {nn(codesToText(codes)), message, index});
}

bool ChatStore::setShownLeaf(qint64 chat, qint64 leaf) {
  return exec(QStringLiteral("UPDATE chats SET shown_leaf = ? WHERE id = ?"), {leaf, chat});
}

qint64 ChatStore::shownLeaf(qint64 chat) const {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  q.prepare(QStringLiteral("SELECT shown_leaf FROM chats WHERE id = ?"));
  q.addBindValue(chat);
  return q.exec() && q.next() ? q.value(0).toLongLong() : 0;
}

bool ChatStore::exportMarkdown(const QString& title, const QList<ChatMessage>& branch, const QString& mdPath) {
  const QFileInfo info(mdPath);
  const QString folderName = info.completeBaseName() + QStringLiteral("_images");
  QDir dir = info.absoluteDir();
  if (!dir.mkpath(folderName)) return fail(tr("%1: cannot create the picture folder").arg(dir.filePath(folderName)));
  QString md = QStringLiteral("# %1\n\n").arg(title);
  int n = 0;
  for (const auto& m : branch) {
    md += m.role == Role::User ? tr("**You:**") : tr("**SeedCanvas:**");
    md += QStringLiteral("\n\n");
    QStringList links;
    for (const auto& img : m.images) {
      const QString name = QStringLiteral("%1/%2-%3.png").arg(folderName, slug(title)).arg(++n, 3, 10, QLatin1Char('0'));
      // A stored picture is already the PNG wanted: copying it costs nothing, encoding ~0.1 s each.
      const QString target = dir.filePath(name);
      QFile::remove(target);
      const bool copied = !img.file.isEmpty() && QFileInfo(img.file).isFile() && QFile::copy(img.file, target);
      if (!copied && !img.pixels().save(target, "PNG")) return fail(tr("%1: cannot write the picture").arg(target));
      links << QStringLiteral("![image %1](%2)").arg(n).arg(name);
    }
    QString text = m.text;
    // Assistant pictures sit where their markers are; a user's pictures come first.
    int used = 0;
    while (used < links.size() && text.contains(imageMarker()))
      text.replace(text.indexOf(imageMarker()), imageMarker().size(), QStringLiteral("\n\n") + links[used++] + QStringLiteral("\n\n"));
    QString lead;
    for (int i = used; i < links.size(); ++i) lead += links[i] + QStringLiteral("\n\n");
    md += (m.role == Role::User ? lead + text : text + QStringLiteral("\n\n") + lead).trimmed() + QStringLiteral("\n\n");
  }
  QSaveFile out(mdPath);
  if (!out.open(QIODevice::WriteOnly) || out.write(md.toUtf8()) < 0 || !out.commit())
    return fail(tr("%1: cannot write the Markdown file").arg(mdPath));
  return true;
}

QString ChatStore::integrityCheck() const {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  if (!q.exec(QStringLiteral("PRAGMA integrity_check"))) return q.lastError().text();
  QStringList rows;
  while (q.next()) rows << q.value(0).toString();
  return rows.join(QLatin1Char('\n'));
}

QString ChatStore::journalMode() const {
  QSqlQuery q(QSqlDatabase::database(m_connection, false));
  return q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next() ? q.value(0).toString() : QString();
}

}  // namespace seedcanvas::ui
