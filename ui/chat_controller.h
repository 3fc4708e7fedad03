// Drives one conversation: turns user actions (send, regenerate, edit, variations, stop,
// switch branch) into generation requests on the backend, streams the answer into the
// conversation model's last row, and commits each finished message to the store.
// Lives on the GUI thread and never waits on the backend.
#pragma once

#include <QObject>
#include <QPointer>
#include <optional>

#include "backend.h"
#include "chat_list_model.h"
#include "chat_store.h"
#include "conversation_model.h"
#include "picture_loader.h"

namespace seedcanvas::ui {

class ChatController : public QObject {
  Q_OBJECT
 public:
  ChatController(ChatStore* store, Backend* backend, QObject* parent = nullptr);

  ConversationModel* conversation() { return &m_conversation; }
  // False while the open chat's stored pictures are still being read.
  bool picturesLoaded() const { return m_pictures.idle(); }
  ChatListModel* chatList() { return &m_chatList; }
  ChatStore* store() { return m_store; }
  qint64 currentChat() const { return m_chat; }
  // Generating, or storing a turn with pictures (encoded off the GUI thread first).
  bool busy() const { return m_request != 0 || m_saving; }
  qint64 replyId() const { return m_replyId; }
  GenerationOptions& options() { return m_options; }  // the global defaults (Settings)
  // What the next turn of the current chat uses: the defaults with the chat's overrides.
  GenerationOptions effectiveOptions() const;

 public slots:
  void loadPack(const QString& packDir);
  void newChat();
  void openChat(qint64 chat);
  void refreshChats(const QString& search = {});
  void send(const QString& text, const QList<QImage>& images, bool forceImage);
  void editAndSend(int row, const QString& text, const QList<QImage>& images, bool forceImage);
  void regenerate(int row);        // the reply at row (or the reply to the user turn at row)
  void variation(int row);         // the same turn again, another seed, a picture forced
  void stop();
  void showSibling(int row, int delta);
  void renameChat(qint64 chat, const QString& title);
  void deleteChat(qint64 chat);    // hidden until purgeDeleted(); undoDelete() brings it back
  void undoDelete();
  void purgeDeleted();
  bool exportChat(const QString& markdownPath);

 signals:
  void busyChanged(bool busy);
  void loadProgress(const QString& stage, int step, int total);
  void packLoaded(const QString& description);
  void packFailed(const QString& message);
  void chatChanged(qint64 chat);
  void chatDeleted(qint64 chat, const QString& title);
  void generationFinished(const seedcanvas::ui::GenerationStats& stats, const QString& reason);
  void errorMessage(const QString& message);  // store problems and the like

 private:
  void startReply(qint64 userId, quint64 seed, bool forceImage, bool keepImageSeed = true);
  void onTextDelta(quint64 request, const QString& text);
  void onImageTokenized(quint64 request, int message, int index, const QList<int>& codes);
  void onImageTokens(quint64 request, int index, int step, int total);
  void onDiffusionStep(quint64 request, int index, int step, int total, const QImage& preview);
  void onImageReady(quint64 request, int index, const QImage& image, const QList<int>& codes, quint64 seed);
  void onMalformedImage(quint64 request, int index, const QString& why);
  void onFinished(quint64 request, int reason, const GenerationStats& stats, const QString& text);
  void onFailed(quint64 request, const QString& message);
  bool ensureChat(const QString& firstText);
  void commitUser(ChatMessage& message);
  // A user turn under `parentId` (stored, shown), then the reply to it.
  void sendUser(qint64 parentId, const QString& text, const QList<QImage>& images, bool forceImage);
  void setBusy(quint64 request);
  void setSaving(bool saving);
  // Leaving the chat of a reply being written sets the reply aside: it still ends (stopped) and is
  // stored in its own chat, shown again if that chat is open by then.
  void leaveChat();
  void updateReply(const std::function<void(ChatMessage&)>& change);
  // Stores `message` in `chat` and calls done(stored, ok) on the GUI thread. Pictures are
  // encoded on a worker thread first (a photo takes up to a second); text-only turns store at once.
  void storeInBackground(qint64 chat, const ChatMessage& message,
                         const std::function<void(ChatMessage& stored, bool ok)>& done);
  // Shows a message stored from its temporary `tempId` in place (renamed when `ok`), when its
  // chat is the open one, and moves the chat up the list.
  void placeStored(qint64 chat, qint64 tempId, const ChatMessage& stored, bool ok);
  void onPictureLoaded(qint64 message, int index, const QString& file, const QImage& image, bool reduced);

  ChatStore* m_store;
  QPointer<Backend> m_backend;
  ConversationModel m_conversation;
  ChatListModel m_chatList;
  PictureLoader m_pictures;
  GenerationOptions m_options;
  qint64 m_chat = 0;
  quint64 m_loadRequest = 0;
  quint64 m_request = 0;             // the reply being generated (0: idle)
  bool m_saving = false;             // a user turn with pictures is being stored
  bool m_sendCancelled = false;      // Stop (or another chat) came while it was
  qint64 m_replyId = 0;              // its temporary (negative) id in the tree
  qint64 m_replyChat = 0;            // the chat it belongs to
  std::optional<ChatMessage> m_replyAside;  // the reply, once its chat was left
  QList<qint64> m_historyIds;        // the request's history, for ImageTokenized
  GenerationOptions m_replyOptions;
  QList<int> m_markedSpans;          // the reply's image spans with a marker in its text, in order
  bool m_malformed = false;          // a span of the reply could not be drawn (a note took its place)
  qint64 m_nextTempId = -1;
  qint64 m_lastDeleted = 0;
};

}  // namespace seedcanvas::ui
