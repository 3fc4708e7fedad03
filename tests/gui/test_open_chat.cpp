// Opening a stored chat never waits for its pictures: the turns show at once with a place kept
// for each picture, the pictures are read on a worker thread (the shown branch's newest first,
// then the other branches), a missing file ends as "(picture missing)", a large one is held as
// a display copy, and a picture still loading, or held reduced, is read whole on demand.
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QLabel>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "backend.h"
#include "chat_controller.h"
#include "chat_store.h"
#include "conversation_view.h"
#include "image_card.h"
#include "message_widget.h"

using namespace seedcanvas::ui;

namespace {

class IdleBackend : public Backend {
 public:
  using Backend::Backend;
  quint64 load(const QString&) override { return 1; }
  quint64 chat(const TurnRequest&) override { return 2; }
  void stop(quint64) override {}
};

QImage filled(const QColor& c, QSize size = {96, 64}) {
  QImage img(size, QImage::Format_RGB888);
  img.fill(c);
  return img;
}

ChatImage picture(const QColor& c, QSize size = {96, 64}) {
  ChatImage i;
  i.image = filled(c, size);
  return i;
}

// The first turn's picture is a photo larger than what is kept in memory for display.
const QSize kPhoto(1536, 1024);

QColor colorOf(int turn) { return QColor::fromHsv((turn * 47) % 360, 200, 220); }

}  // namespace

class OpenChatTest : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  std::unique_ptr<ChatStore> m_store;
  qint64 m_chat = 0;
  int m_turns = 0;
  qint64 m_missingId = 0;   // a reply whose picture file was deleted
  qint64 m_siblingId = 0;   // a reply on a branch that is not shown
  QHash<qint64, QColor> m_colors;

  qint64 add(qint64 parent, Role role, const QString& text, const QList<ChatImage>& images) {
    ChatMessage m;
    m.parentId = parent;
    m.role = role;
    m.text = text;
    m.images = images;
    if (!m_store->addMessage(m_chat, m)) return 0;
    return m.id;
  }

 private slots:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_store = std::make_unique<ChatStore>(m_tmp.path() + QStringLiteral("/data"));
    QVERIFY2(m_store->open(), qPrintable(m_store->lastError()));
    m_chat = m_store->createChat(QStringLiteral("Long chat"));
    QVERIFY(m_chat > 0);
    // Twelve turns: a user picture first, then a reply with a picture at its marker each time.
    qint64 parent = 0;
    m_turns = 12;
    for (int t = 0; t < m_turns; ++t) {
      const QList<ChatImage> mine = t == 0 ? QList<ChatImage>{picture(Qt::black, kPhoto)} : QList<ChatImage>{};
      const qint64 user = add(parent, Role::User, QStringLiteral("turn %1").arg(t), mine);
      QVERIFY(user > 0);
      if (t == 0) m_colors.insert(user, QColor(Qt::black));
      if (t == 3) {  // an older answer to this turn, on a branch that stays hidden
        m_siblingId = add(user, Role::Assistant, QStringLiteral("old") + imageMarker(), {picture(Qt::magenta)});
        QVERIFY(m_siblingId > 0);
        m_colors.insert(m_siblingId, QColor(Qt::magenta));
      }
      parent = add(user, Role::Assistant, QStringLiteral("answer %1").arg(t) + imageMarker(), {picture(colorOf(t))});
      QVERIFY(parent > 0);
      m_colors.insert(parent, colorOf(t));
      if (t == 5) m_missingId = parent;
    }
    QVERIFY(m_store->setShownLeaf(m_chat, parent));
    const auto stored = m_store->messages(m_chat);
    for (const auto& m : stored)
      if (m.id == m_missingId) QVERIFY(QFile::remove(m.images[0].file));
  }

  void picturesArriveAfterTheChatShows() {
    IdleBackend backend;
    ChatController controller(m_store.get(), &backend);  // a fresh start on the stored data
    ConversationView view(controller.conversation());
    view.resize(800, 900);
    view.show();
    QSignalSpy changed(controller.conversation(), &QAbstractItemModel::dataChanged);

    controller.openChat(m_chat);
    // Shown at once, without a picture read: every one is still loading.
    auto* model = controller.conversation();
    QCOMPARE(model->rowCount(), 2 * m_turns);
    int loadingCards = 0;
    for (int r = 0; r < model->rowCount(); ++r)
      for (const auto& img : model->messageAt(r)->images) {
        QVERIFY(img.loading);
        QVERIFY(img.image.isNull());
      }
    view.flushPending();
    QHash<QLabel*, QSize> placeholders;  // each card's picture area while it loads
    for (auto* w : view.messageWidgets())
      for (auto* card : w->findChildren<ImageCard*>())
        for (auto* l : card->findChildren<QLabel*>())
          if (l->text() == QObject::tr("Loading picture…")) {
            ++loadingCards;
            placeholders.insert(l, l->size());
          }
    QCOMPARE(loadingCards, m_turns + 1);  // each reply and the first user turn

    QVERIFY(QTest::qWaitFor([&] { return controller.picturesLoaded(); }, 20000));
    QCoreApplication::processEvents();
    // The newest shown picture came first.
    QVERIFY(!changed.isEmpty());
    QCOMPARE(changed.first().at(0).toModelIndex().row(), model->rowCount() - 1);

    for (auto it = m_colors.cbegin(); it != m_colors.cend(); ++it) {
      const ChatMessage* m = model->tree().find(it.key());
      QVERIFY(m);
      QCOMPARE(m->images.size(), 1);
      const ChatImage& img = m->images[0];
      QVERIFY2(!img.loading, qPrintable(QStringLiteral("message %1 still loading").arg(it.key())));
      if (it.key() == m_missingId) {
        QVERIFY(img.image.isNull());
      } else if (img.image.width() > 96) {
        // The photo: a display copy in memory, the whole picture on demand.
        QCOMPARE(img.image.size(), kPhoto.scaled(ChatImage::kDisplayLimit, ChatImage::kDisplayLimit, Qt::KeepAspectRatio));
        QVERIFY(img.reduced);
        QCOMPARE(img.image.pixel(10, 10), it.value().rgb());
        QCOMPARE(img.pixels().size(), kPhoto);
      } else {
        QCOMPARE(img.image.size(), QSize(96, 64));
        QVERIFY(!img.reduced);
        QCOMPARE(img.pixels().cacheKey(), img.image.cacheKey());  // no file read for a small one
        QCOMPARE(img.image.pixel(10, 10), it.value().rgb());
      }
    }
    // The missing one says so; no card still says loading.
    view.flushPending();
    QStringList texts;
    for (auto* w : view.messageWidgets())
      for (auto* card : w->findChildren<ImageCard*>())
        for (auto* l : card->findChildren<QLabel*>())
          if (!l->text().isEmpty()) texts << l->text();
    QCOMPARE(texts.count(QObject::tr("(picture missing)")), 1);
    QCOMPARE(texts.count(QObject::tr("Loading picture…")), 0);
    // Each placeholder had the shape its picture is shown in (3:2 in a 300 px square), so nothing
    // moved when the pictures came in.
    int same = 0;
    for (auto it = placeholders.cbegin(); it != placeholders.cend(); ++it) {
      if (it.key()->pixmap().isNull()) continue;  // the missing one
      QCOMPARE(it.value().width(), ImageCard::kDisplaySize);  // 3:2 pictures, not the square box
      QVERIFY(qAbs(it.value().height() - ImageCard::kDisplaySize * 2 / 3) <= 1);
      QCOMPARE(it.key()->size(), it.value());
      ++same;
    }
    QCOMPARE(same, m_turns);

    // A drag out of the photo's card: the whole picture as a file (a copy of the stored one), the
    // display copy as pixels.
    int dragged = 0;
    for (auto* w : view.messageWidgets())
      for (auto* card : w->findChildren<ImageCard*>()) {
        if (card->image().width() <= 96) continue;
        std::unique_ptr<QMimeData> mime(card->dragData());
        QCOMPARE(mime->urls().size(), 1);
        const QString file = mime->urls().first().toLocalFile();
        QCOMPARE(QImageReader(file).size(), kPhoto);
        QCOMPARE(qvariant_cast<QImage>(mime->imageData()).size(), card->image().size());
        QVERIFY(QFile::remove(file));
        ++dragged;
      }
    QCOMPARE(dragged, 1);
  }

  void aLoadingPictureCanBeUsedAtOnce() {
    // What an action sees before the loader got to a picture: pixels() reads the file.
    for (const auto& m : m_store->messages(m_chat, /*pixels=*/false)) {
      if (!m_colors.contains(m.id)) continue;
      QCOMPARE(m.images.size(), 1);
      QVERIFY(m.images[0].loading && m.images[0].image.isNull());
      const QImage px = m.images[0].pixels();
      if (m.id == m_missingId) QVERIFY(px.isNull());
      else QCOMPARE(px.pixel(1, 1), m_colors.value(m.id).rgb());
    }
  }

  void switchingAwayStopsTheReads() {
    IdleBackend backend;
    ChatController controller(m_store.get(), &backend);
    controller.openChat(m_chat);
    controller.newChat();  // before the reader is done: nothing may land in the new, empty chat
    QVERIFY(controller.picturesLoaded());
    QTest::qWait(50);
    QCOMPARE(controller.conversation()->rowCount(), 0);
    controller.openChat(m_chat);
    QVERIFY(QTest::qWaitFor([&] { return controller.picturesLoaded(); }, 20000));
    QCoreApplication::processEvents();
    const ChatMessage* last = controller.conversation()->messageAt(controller.conversation()->rowCount() - 1);
    QVERIFY(last && !last->images[0].loading);
    QCOMPARE(last->images[0].image.pixel(0, 0), colorOf(m_turns - 1).rgb());
  }
};

QTEST_MAIN(OpenChatTest)
#include "test_open_chat.moc"
