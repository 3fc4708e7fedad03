// Chats on disk: SQLite through Qt SQL in WAL mode, one transaction per message. Pictures are
// PNG files beside the database (images/<chat>/<message>_<n>.png), written and synced before
// the transaction that names them commits, so a committed row never points at a missing file.
// Deleting a chat only hides it until purge(), which is what makes "undo" possible.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

#include "chat_types.h"

namespace seedcanvas::ui {

class ChatStore : public QObject {
  Q_OBJECT
 public:
  explicit ChatStore(const QString& dataDir, QObject* parent = nullptr);
  ~ChatStore() override;

  bool open();  // creates the folder, the schema and switches to WAL; false: see lastError()
  void close();
  QString lastError() const { return m_lastError; }
  QString dataDir() const { return m_dataDir; }
  QString databasePath() const;

  QList<ChatSummary> chats(const QString& search = {}) const;  // newest first; search: all text
  qint64 createChat(const QString& title);
  bool renameChat(qint64 chat, const QString& title);
  bool setChatDeleted(qint64 chat, bool deleted);
  int purgeDeleted();  // removes hidden chats with their pictures; returns how many
  QString chatTitle(qint64 chat) const;

  // The chat's messages (any order). With `pixels` false the pictures are not read: each has
  // its file and `loading` set, for a PictureLoader to fill in.
  QList<ChatMessage> messages(qint64 chat, bool pixels = true) const;
  // Stores one message and its pictures in one transaction; fills message.id and the files.
  // A picture's `png` bytes, when set (encodePicture on a worker thread), are written as they are.
  bool addMessage(qint64 chat, ChatMessage& message);
  // A picture as the store writes it (PNG); thread-safe, so it can run off the GUI thread.
  static QByteArray encodePicture(const QImage& image);
  bool setImageCodes(qint64 message, int index, const QList<int>& codes);
  bool setShownLeaf(qint64 chat, qint64 leaf);
  qint64 shownLeaf(qint64 chat) const;
  // Per-chat overrides of the generation settings (only the keys that differ; see app_settings.h).
  QJsonObject chatOverrides(qint64 chat) const;
  bool setChatOverrides(qint64 chat, const QJsonObject& overrides);  // empty: none

  // Writes the branch as Markdown (file `mdPath`) with its pictures in a folder beside it.
  bool exportMarkdown(const QString& title, const QList<ChatMessage>& branch, const QString& mdPath);

  QString integrityCheck() const;  // "ok" when SQLite finds nothing wrong
  QString journalMode() const;

 private:
  bool exec(const QString& sql, const QVariantList& args = {}) const;
  bool fail(const QString& what) const;
  QString m_dataDir;
  QString m_connection;
  mutable QString m_lastError;
};

}  // namespace seedcanvas::ui
