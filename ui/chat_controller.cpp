#include "chat_controller.h"

#include "app_settings.h"

#include <QFutureWatcher>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtConcurrent/QtConcurrentRun>

namespace seedcanvas::ui {

namespace {

QString titleFrom(const QString& text) {
  QString t = text.simplified();
  t.remove(imageMarker());
  if (t.isEmpty()) return QObject::tr("Image chat");
  return t.size() > 48 ? t.left(47) + QChar(0x2026) : t;
}

quint64 freshSeed() { return QRandomGenerator::global()->generate64() >> 1; }

// Where the n-th (0-based) image marker starts in `text`, or -1.
qsizetype markerAt(const QString& text, int n) {
  qsizetype at = -1;
  for (int i = 0; i <= n; ++i) {
    at = text.indexOf(imageMarker(), at < 0 ? 0 : at + imageMarker().size());
    if (at < 0) return -1;
  }
  return at;
}

// Drops markers past the first `keep`: places of pictures that were never drawn (stopped).
void keepMarkers(QString& text, int keep) {
  if (const qsizetype from = markerAt(text, keep); from >= 0) text = text.left(from) + text.mid(from).remove(imageMarker());
}

}  // namespace

ChatController::ChatController(ChatStore* store, Backend* backend, QObject* parent)
    : QObject(parent), m_store(store), m_backend(backend) {
  connect(backend, &Backend::loadProgress, this, [this](quint64 r, const QString& stage, int step, int total) {
    if (r == m_loadRequest) emit loadProgress(stage, step, total);
  });
  connect(backend, &Backend::loaded, this, [this](quint64 r, const QString& description) {
    if (r == m_loadRequest) emit packLoaded(description);
  });
  connect(backend, &Backend::textDelta, this, &ChatController::onTextDelta);
  connect(backend, &Backend::imageTokenized, this, &ChatController::onImageTokenized);
  connect(backend, &Backend::imageTokens, this, &ChatController::onImageTokens);
  connect(backend, &Backend::diffusionStep, this, &ChatController::onDiffusionStep);
  connect(backend, &Backend::imageReady, this, &ChatController::onImageReady);
  connect(backend, &Backend::malformedImage, this, &ChatController::onMalformedImage);
  connect(backend, &Backend::finished, this, &ChatController::onFinished);
  connect(backend, &Backend::failed, this, &ChatController::onFailed);
  connect(&m_chatList, &ChatListModel::renameRequested, this, &ChatController::renameChat);
  connect(&m_pictures, &PictureLoader::loaded, this, &ChatController::onPictureLoaded);
}

void ChatController::loadPack(const QString& packDir) {
  if (m_backend) m_loadRequest = m_backend->load(packDir);
}

void ChatController::refreshChats(const QString& search) { m_chatList.setChats(m_store->chats(search)); }

void ChatController::leaveChat() {
  stop();
  m_pictures.cancel();
  if (const auto* live = m_replyId ? m_conversation.tree().find(m_replyId) : nullptr) m_replyAside = *live;
}

void ChatController::updateReply(const std::function<void(ChatMessage&)>& change) {
  if (m_conversation.tree().contains(m_replyId)) m_conversation.updateMessage(m_replyId, change);
  else if (m_replyAside) change(*m_replyAside);
}

void ChatController::newChat() {
  leaveChat();
  m_chat = 0;
  m_conversation.clear();
  emit chatChanged(0);
}

void ChatController::openChat(qint64 chat) {
  if (chat == m_chat) return;
  leaveChat();
  m_chat = chat;
  // The chat shows at once; its pictures follow from disk, the shown branch's newest first.
  const auto messages = m_store->messages(chat, /*pixels=*/false);
  m_conversation.setMessages(messages, m_store->shownLeaf(chat));
  QList<PictureLoader::Job> jobs;
  auto queue = [&](const ChatMessage& m) {
    for (int i = 0; i < m.images.size(); ++i)
      if (m.images[i].loading) jobs.append({m.id, i, m.images[i].file});
  };
  const auto shown = m_conversation.tree().shownBranch();
  for (auto it = shown.rbegin(); it != shown.rend(); ++it) queue(*m_conversation.tree().find(*it));
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (!shown.contains(it->id)) queue(*it);
  m_pictures.load(jobs);
  emit chatChanged(chat);
}

void ChatController::onPictureLoaded(qint64 message, int index, const QString& file, const QImage& image,
                                     bool reduced) {
  m_conversation.updateMessage(message, [&](ChatMessage& m) {
    if (index >= m.images.size() || m.images[index].file != file) return;
    m.images[index].image = image;
    m.images[index].reduced = reduced;
    m.images[index].loading = false;
  });
}

bool ChatController::ensureChat(const QString& firstText) {
  if (m_chat != 0) return true;
  m_chat = m_store->createChat(titleFrom(firstText));
  if (m_chat == 0) {
    emit errorMessage(m_store->lastError());
    return false;
  }
  m_chatList.upsert({m_chat, m_store->chatTitle(m_chat), QDateTime::currentDateTime()});
  emit chatChanged(m_chat);
  return true;
}

void ChatController::commitUser(ChatMessage& message) {
  if (!m_store->addMessage(m_chat, message)) {
    emit errorMessage(m_store->lastError());
    message.id = m_nextTempId--;  // still shown, so the user sees what failed to save
  }
  m_conversation.addMessage(message);
  m_chatList.upsert({m_chat, m_store->chatTitle(m_chat), QDateTime::currentDateTime()});
}

void ChatController::send(const QString& text, const QList<QImage>& images, bool forceImage) {
  if (busy() || (text.trimmed().isEmpty() && images.isEmpty())) return;
  if (!ensureChat(text)) return;
  sendUser(m_conversation.leafId(), text, images, forceImage);
}

void ChatController::editAndSend(int row, const QString& text, const QList<QImage>& images, bool forceImage) {
  const auto* old = m_conversation.messageAt(row);
  if (busy() || !old || old->role != Role::User) return;
  sendUser(old->parentId, text, images, forceImage);  // a sibling of the edited turn: the old branch stays
}

void ChatController::sendUser(qint64 parentId, const QString& text, const QList<QImage>& images, bool forceImage) {
  ChatMessage m;
  m.parentId = parentId;
  m.role = Role::User;
  m.text = text;
  for (const auto& img : images) m.images.append({{}, img, {}, 0, {}});
  const quint64 configured = effectiveOptions().seed;
  const quint64 seed = configured ? configured : freshSeed();
  if (images.isEmpty()) {
    commitUser(m);
    startReply(m.id, seed, forceImage);
    return;
  }
  // With pictures: shown at once under a temporary id, stored once they are encoded, then answered.
  const qint64 chat = m_chat;
  const qint64 tempId = m_nextTempId--;
  m.id = tempId;
  m_conversation.addMessage(m);
  m_sendCancelled = false;
  setSaving(true);
  storeInBackground(chat, m, [this, chat, tempId, seed, forceImage](ChatMessage& stored, bool ok) {
    if (!ok) {
      emit errorMessage(m_store->lastError());
      stored.id = tempId;  // still shown, so the user sees what failed to save
    }
    placeStored(chat, tempId, stored, ok);
    if (m_chat == chat && !m_sendCancelled) startReply(stored.id, seed, forceImage);
    setSaving(false);
  });
}

void ChatController::placeStored(qint64 chat, qint64 tempId, const ChatMessage& stored, bool ok) {
  if (ok) m_chatList.upsert({chat, m_store->chatTitle(chat), QDateTime::currentDateTime()});
  if (m_chat != chat) return;  // it shows when its chat is opened again
  if (m_conversation.tree().contains(tempId)) {
    m_conversation.updateMessage(tempId, [&](ChatMessage& live) {
      live = stored;
      live.id = tempId;  // renamed below, with the rows that follow it
    });
    if (ok) m_conversation.renameMessage(tempId, stored.id);
  } else if (ok && (stored.parentId == 0 || m_conversation.tree().contains(stored.parentId))) {
    m_conversation.addMessage(stored);  // its chat was left and opened again meanwhile
  }
}

void ChatController::storeInBackground(qint64 chat, const ChatMessage& message,
                                       const std::function<void(ChatMessage&, bool)>& done) {
  ChatMessage m = message;
  if (m.images.isEmpty()) {
    const bool ok = chat != 0 && m_store->addMessage(chat, m);
    done(m, ok);
    return;
  }
  QList<QImage> pictures;
  for (const auto& img : m.images) pictures << img.pixels();
  auto* watcher = new QFutureWatcher<QList<QByteArray>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, chat, m, done]() mutable {
    watcher->deleteLater();
    // The whole pictures stay in memory for this session: the first answer to a photo tokenizes
    // its pixels, and reading them back from disk then would cost the GUI thread what this saved.
    const QList<QByteArray> encoded = watcher->result();
    for (int i = 0; i < m.images.size() && i < encoded.size(); ++i) m.images[i].png = encoded[i];
    const bool ok = chat != 0 && m_store->addMessage(chat, m);
    done(m, ok);
  });
  watcher->setFuture(QtConcurrent::run([pictures] {
    QList<QByteArray> out;
    for (const QImage& p : pictures) out << ChatStore::encodePicture(p);
    return out;
  }));
}

void ChatController::regenerate(int row) {
  const auto* m = m_conversation.messageAt(row);
  if (busy() || !m) return;
  const qint64 userId = m->role == Role::User ? m->id : m->parentId;
  const bool forceImage = m->role == Role::Assistant &&
                          GenerationOptions::fromJson(QJsonDocument::fromJson(m->settings.toUtf8()).object()).forceImage;
  startReply(userId, freshSeed(), forceImage, /*keepImageSeed=*/false);
}

void ChatController::variation(int row) {
  const auto* m = m_conversation.messageAt(row);
  if (busy() || !m) return;
  startReply(m->role == Role::User ? m->id : m->parentId, freshSeed(), true, /*keepImageSeed=*/false);
}

GenerationOptions ChatController::effectiveOptions() const {
  return m_chat > 0 ? applyOverrides(m_options, m_store->chatOverrides(m_chat)) : m_options;
}

void ChatController::startReply(qint64 userId, quint64 seed, bool forceImage, bool keepImageSeed) {
  if (!m_backend || !m_conversation.tree().contains(userId)) return;
  TurnRequest request;
  request.options = effectiveOptions();
  request.options.seed = seed;
  if (!keepImageSeed) request.options.imageSeed = 0;  // regenerate and variations: a new picture
  request.options.forceImage = forceImage;
  m_replyOptions = request.options;
  m_historyIds = m_conversation.tree().branchThrough(userId);
  while (!m_historyIds.isEmpty() && m_historyIds.last() != userId) m_historyIds.removeLast();
  for (qint64 id : m_historyIds) request.history.append(*m_conversation.tree().find(id));

  ChatMessage reply;
  reply.id = m_nextTempId--;
  reply.parentId = userId;
  reply.role = Role::Assistant;
  reply.streaming = true;
  reply.created = QDateTime::currentDateTime();
  reply.settings = QString::fromUtf8(QJsonDocument(request.options.toJson()).toJson(QJsonDocument::Compact));
  reply.progress = tr("Thinking…");
  m_replyId = reply.id;
  m_replyChat = m_chat;
  m_replyAside.reset();
  m_markedSpans.clear();
  m_malformed = false;
  m_conversation.addMessage(reply);
  setBusy(m_backend->chat(request));
}

void ChatController::setBusy(quint64 request) {
  const bool was = busy();
  m_request = request;
  if (was != busy()) emit busyChanged(busy());
}

void ChatController::setSaving(bool saving) {
  const bool was = busy();
  m_saving = saving;
  if (was != busy()) emit busyChanged(busy());
}

void ChatController::stop() {
  if (m_saving) m_sendCancelled = true;  // the turn is still stored, but not answered
  if (m_request && m_backend) m_backend->stop(m_request);
}

void ChatController::showSibling(int row, int delta) {
  if (busy()) return;  // the reply being written belongs to the shown branch
  if (m_conversation.showSibling(row, delta) && m_chat && m_conversation.leafId() > 0)
    m_store->setShownLeaf(m_chat, m_conversation.leafId());
}

void ChatController::onTextDelta(quint64 request, const QString& text) {
  if (request != m_request) return;
  updateReply([&](ChatMessage& m) {
    m.text += text;
    if (!m.progress.isEmpty() && m.preview.isNull()) m.progress.clear();
  });
}

void ChatController::onImageTokenized(quint64 request, int message, int index, const QList<int>& codes) {
  if (request != m_request || message < 0 || message >= m_historyIds.size()) return;
  const qint64 id = m_historyIds[message];
  // Tokenize a user's picture once: later turns send its codes instead of its pixels.
  m_conversation.updateMessage(id, [&](ChatMessage& m) {
    if (index >= 0 && index < m.images.size()) m.images[index].codes = codes;
  });
  if (id > 0) m_store->setImageCodes(id, index, codes);
}

void ChatController::onImageTokens(quint64 request, int index, int step, int total) {
  if (request != m_request) return;
  updateReply([&](ChatMessage& m) {
    // The picture's place is where its codes begin: text the model writes after it stays below
    // it, and the drawing is shown there (pictures are drawn once the whole answer is written).
    if (!m_markedSpans.contains(index)) {
      m.text += imageMarker();
      m_markedSpans.append(index);
    }
    m.progress = tr("Image %1: image tokens %2/%3").arg(index + 1).arg(step).arg(total);
  });
}

void ChatController::onDiffusionStep(quint64 request, int index, int step, int total, const QImage& preview) {
  if (request != m_request) return;
  updateReply([&](ChatMessage& m) {
    m.progress = tr("Image %1: drawing, step %2/%3").arg(index + 1).arg(step).arg(total);
    if (!preview.isNull()) m.preview = preview;
  });
}

void ChatController::onImageReady(quint64 request, int index, const QImage& image, const QList<int>& codes,
                                  quint64 seed) {
  if (request != m_request) return;
  updateReply([&](ChatMessage& m) {
    // Pictures are kept in the order of their markers; a span with no marker yet gets one here.
    m.images.append({{}, image, codes, seed, m.settings});
    m.preview = {};
    m.progress.clear();
    if (!m_markedSpans.contains(index)) {
      m.text += imageMarker();
      m_markedSpans.append(index);
    }
  });
}

void ChatController::onMalformedImage(quint64 request, int index, const QString& why) {
  if (request != m_request) return;
  updateReply([&](ChatMessage& m) {
    m.progress.clear();
    m.preview = {};
    const QString note = QStringLiteral("\n\n*") + tr("Image %1 could not be drawn: %2").arg(index + 1).arg(why) +
                         QStringLiteral("*\n\n");
    // The note takes the place the span had, so later pictures keep theirs.
    const auto span = m_markedSpans.indexOf(index);
    const auto at = span < 0 ? -1 : markerAt(m.text, static_cast<int>(span));
    if (at >= 0) {
      m.text.replace(at, imageMarker().size(), note);
      m_markedSpans.removeAt(span);
    } else {
      m.text += note;
    }
    m_malformed = true;
  });
}

void ChatController::onFinished(quint64 request, int reason, const GenerationStats& stats, const QString& text) {
  if (request != m_request) return;
  const qint64 tempId = m_replyId;
  const auto* live = m_conversation.tree().find(tempId);
  ChatMessage m = live ? *live : m_replyAside.value_or(ChatMessage{});
  m_replyAside.reset();
  const auto why = static_cast<FinishReason>(reason);
  // The engine's whole answer replaces the streamed text unless a note stands in it; either way
  // there is one marker per picture (a stopped run leaves places it never drew).
  if (!m_malformed && !text.isEmpty() && text.count(imageMarker()) >= m.images.size()) m.text = text;
  keepMarkers(m.text, static_cast<int>(m.images.size()));
  m.streaming = false;
  m.progress.clear();
  m.preview = {};
  m.status = why == FinishReason::Cancelled ? QStringLiteral("stopped") : QStringLiteral("done");
  const QString outcome = why == FinishReason::Cancelled ? tr("stopped") : tr("done");
  if (m.text.trimmed().isEmpty() && m.images.isEmpty()) {
    // Stopped before anything came: nothing worth a branch.
    m_conversation.removeMessage(tempId);
    m_replyId = 0;
    setBusy(0);
    emit generationFinished(stats, outcome);
    return;
  }
  // The finished answer shows at once; it counts as done (and the next turn may start) once stored.
  m_conversation.updateMessage(tempId, [&](ChatMessage& live) { live = m; live.id = tempId; });
  const qint64 chat = m_replyChat;
  storeInBackground(chat, m, [this, chat, tempId, stats, outcome](ChatMessage& stored, bool ok) {
    if (!ok) stored.error = tr("The answer could not be saved: %1").arg(m_store->lastError());
    placeStored(chat, tempId, stored, ok);
    m_replyId = 0;
    setBusy(0);
    emit generationFinished(stats, outcome);
  });
}

void ChatController::onFailed(quint64 request, const QString& message) {
  if (request == m_loadRequest) {
    emit packFailed(message);
    return;
  }
  if (request != m_request) return;
  updateReply([&](ChatMessage& m) {
    m.streaming = false;
    m.progress.clear();
    m.preview = {};
    m.status = QStringLiteral("error");
    m.error = message;
  });
  setBusy(0);
  m_replyId = 0;
}

void ChatController::renameChat(qint64 chat, const QString& title) {
  if (!m_store->renameChat(chat, title)) emit errorMessage(m_store->lastError());
  const int row = m_chatList.rowOf(chat);
  if (row >= 0) m_chatList.setData(m_chatList.index(row), title);
}

void ChatController::deleteChat(qint64 chat) {
  purgeDeleted();  // only the latest deletion can be undone
  const QString title = m_store->chatTitle(chat);
  if (!m_store->setChatDeleted(chat, true)) return emit errorMessage(m_store->lastError());
  m_lastDeleted = chat;
  m_chatList.removeChat(chat);
  if (chat == m_chat) newChat();
  emit chatDeleted(chat, title);
}

void ChatController::undoDelete() {
  if (!m_lastDeleted) return;
  m_store->setChatDeleted(m_lastDeleted, false);
  m_lastDeleted = 0;
  refreshChats();
}

void ChatController::purgeDeleted() {
  m_lastDeleted = 0;
  m_store->purgeDeleted();
}

bool ChatController::exportChat(const QString& markdownPath) {
  if (!m_store->exportMarkdown(m_chat ? m_store->chatTitle(m_chat) : tr("Chat"), m_conversation.branch(), markdownPath)) {
    emit errorMessage(m_store->lastError());
    return false;
  }
  return true;
}

}  // namespace seedcanvas::ui
