// Where a streaming answer's pictures stand. The engine writes the whole answer before it draws
// any picture, so text the model wrote after an image arrives before that image's drawing. The
// drawing must show at the picture's place in the text (not below text written after it), the
// finished picture must take that same place, a span that could not be drawn leaves its note
// there and later pictures keep theirs, and a stopped run stores one marker per picture drawn.
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "backend.h"
#include "chat_controller.h"
#include "chat_store.h"
#include "conversation_view.h"
#include "image_card.h"
#include "message_widget.h"

using namespace seedcanvas::ui;

namespace {

// Emits only what the test tells it to, when it tells it to.
class ManualBackend : public Backend {
 public:
  using Backend::Backend;
  quint64 current = 0;
  QList<TurnRequest> requests;
  quint64 load(const QString&) override { return ++m_next; }
  quint64 chat(const TurnRequest& r) override {
    requests << r;
    return current = ++m_next;
  }
  void stop(quint64) override {}

  void codes(int index) {
    for (int k = 1; k <= 32; ++k) emit imageTokens(current, index, k, 32);
  }
  void drawStep(int index, const QColor& c) {
    QImage preview(16, 16, QImage::Format_RGB888);
    preview.fill(c);
    emit diffusionStep(current, index, 1, 4, preview);
  }
  void ready(int index, const QColor& c) {
    QImage img(64, 64, QImage::Format_RGB888);
    img.fill(c);
    QList<int> cs;
    for (int i = 0; i < 32; ++i) cs << index * 100 + i;
    emit imageReady(current, index, img, cs, 11);
  }

 private:
  quint64 m_next = 0;
};

}  // namespace

class StreamingTest : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  std::unique_ptr<ChatStore> m_store;
  std::unique_ptr<ManualBackend> m_backend;
  std::unique_ptr<ChatController> m_controller;
  std::unique_ptr<ConversationView> m_view;

  const ChatMessage& reply() {
    const auto* m = m_controller->conversation()->messageAt(m_controller->conversation()->rowCount() - 1);
    Q_ASSERT(m);
    return *m;
  }
  MessageWidget* replyWidget() {
    m_view->flushPending();
    QCoreApplication::processEvents();  // let the layouts settle so positions are real
    return m_view->messageWidgets().last();
  }
  // Visible children of `w` with this object name, top to bottom.
  template <typename T>
  static QList<T*> shown(QWidget* w, const QString& name = {}) {
    QList<T*> out;
    for (T* c : w->findChildren<T*>())
      if (c->isVisible() && (name.isEmpty() || c->objectName() == name)) out << c;
    std::sort(out.begin(), out.end(), [w](T* a, T* b) { return a->mapTo(w, QPoint()).y() < b->mapTo(w, QPoint()).y(); });
    return out;
  }
  static int top(QWidget* root, QWidget* w) { return w->mapTo(root, QPoint()).y(); }
  QLabel* textLabel(MessageWidget* w, const QString& containing) {
    for (QLabel* l : shown<QLabel>(w, QStringLiteral("messageText")))
      if (l->text().contains(containing)) return l;
    return nullptr;
  }

 private slots:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_store = std::make_unique<ChatStore>(m_tmp.path() + QStringLiteral("/data"));
    QVERIFY2(m_store->open(), qPrintable(m_store->lastError()));
    m_backend = std::make_unique<ManualBackend>();
    m_controller = std::make_unique<ChatController>(m_store.get(), m_backend.get());
    m_view = std::make_unique<ConversationView>(m_controller->conversation());
    m_view->resize(900, 1400);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
  }

  void cleanupTestCase() {
    m_view.reset();
    m_controller.reset();
  }

  void drawingStandsAtThePicturesPlace() {
    m_controller->newChat();
    m_controller->send(QStringLiteral("Draw a lighthouse"), {}, true);
    QVERIFY(m_controller->busy());
    emit m_backend->textDelta(m_backend->current, QStringLiteral("Here is your lighthouse."));
    m_backend->codes(0);
    emit m_backend->textDelta(m_backend->current, QStringLiteral(" Shall I add a storm?"));
    QCOMPARE(reply().text, QStringLiteral("Here is your lighthouse.") + imageMarker() +
                               QStringLiteral(" Shall I add a storm?"));

    m_backend->drawStep(0, Qt::red);
    MessageWidget* w = replyWidget();
    QLabel* before = textLabel(w, QStringLiteral("lighthouse."));
    QLabel* after = textLabel(w, QStringLiteral("storm"));
    const auto previews = shown<QLabel>(w, QStringLiteral("previewLabel"));
    const auto progress = shown<QLabel>(w, QStringLiteral("progressLabel"));
    QVERIFY(before && after);
    QCOMPARE(previews.size(), 1);
    QCOMPARE(progress.size(), 1);
    QVERIFY(progress[0]->text().contains(QStringLiteral("1/4")));
    // Top to bottom: the text before the picture, progress, the drawing, the text after it.
    QVERIFY(top(w, before) < top(w, progress[0]));
    QVERIFY(top(w, progress[0]) < top(w, previews[0]));
    QVERIFY2(top(w, previews[0]) < top(w, after),
             qPrintable(QStringLiteral("drawing at %1, later text at %2").arg(top(w, previews[0])).arg(top(w, after))));

    m_backend->ready(0, Qt::blue);
    w = replyWidget();
    auto cards = shown<ImageCard>(w);
    QCOMPARE(cards.size(), 1);
    QVERIFY(shown<QLabel>(w, QStringLiteral("previewLabel")).isEmpty());
    QVERIFY(top(w, textLabel(w, QStringLiteral("lighthouse."))) < top(w, cards[0]));
    QVERIFY(top(w, cards[0]) < top(w, textLabel(w, QStringLiteral("storm"))));

    GenerationStats stats;
    const QString answer = QStringLiteral("Here is your lighthouse.") + imageMarker() + QStringLiteral(" Shall I add a storm?");
    emit m_backend->finished(m_backend->current, int(FinishReason::Eos), stats, answer);
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));  // stored off the GUI thread
    w = replyWidget();
    cards = shown<ImageCard>(w);
    QCOMPARE(cards.size(), 1);
    QVERIFY(top(w, cards[0]) < top(w, textLabel(w, QStringLiteral("storm"))));
    const auto stored = m_store->messages(m_controller->currentChat());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored[1].text, answer);
    QCOMPARE(stored[1].images.size(), 1);
    QCOMPARE(stored[1].images[0].image.pixelColor(0, 0), QColor(Qt::blue));
  }

  void anUndrawableSpanKeepsItsPlace() {
    m_controller->newChat();
    m_controller->send(QStringLiteral("Two pictures"), {}, false);
    emit m_backend->textDelta(m_backend->current, QStringLiteral("First:"));
    m_backend->codes(0);
    emit m_backend->textDelta(m_backend->current, QStringLiteral(" Second:"));
    m_backend->codes(1);
    emit m_backend->textDelta(m_backend->current, QStringLiteral(" Done."));
    QCOMPARE(reply().text.count(imageMarker()), 2);

    emit m_backend->malformedImage(m_backend->current, 0, QStringLiteral("only 31 codes"));
    m_backend->drawStep(1, Qt::green);
    MessageWidget* w = replyWidget();
    // The note took the first place; the second picture is drawn at the second.
    const QString t = reply().text;
    QVERIFY(t.indexOf(QStringLiteral("only 31 codes")) < t.indexOf(QStringLiteral("Second:")));
    QCOMPARE(t.count(imageMarker()), 1);
    const auto previews = shown<QLabel>(w, QStringLiteral("previewLabel"));
    QCOMPARE(previews.size(), 1);
    QVERIFY(top(w, textLabel(w, QStringLiteral("Second:"))) < top(w, previews[0]));
    QVERIFY(top(w, previews[0]) < top(w, textLabel(w, QStringLiteral("Done."))));

    m_backend->ready(1, Qt::green);
    GenerationStats stats;
    emit m_backend->finished(m_backend->current, int(FinishReason::Eos), stats,
                             QStringLiteral("First: Second:") + imageMarker() + QStringLiteral(" Done."));
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));
    w = replyWidget();
    const auto cards = shown<ImageCard>(w);
    QCOMPARE(cards.size(), 1);
    QVERIFY(top(w, textLabel(w, QStringLiteral("Second:"))) < top(w, cards[0]));
    QVERIFY(top(w, cards[0]) < top(w, textLabel(w, QStringLiteral("Done."))));
    const auto stored = m_store->messages(m_controller->currentChat());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored[1].images.size(), 1);
    QCOMPARE(stored[1].text.count(imageMarker()), 1);
    QVERIFY(stored[1].text.contains(QStringLiteral("only 31 codes")));
    QCOMPARE(stored[1].images[0].codes.first(), 100);  // the second span's codes
  }

  void aStoppedRunStoresOneMarkerPerPicture() {
    m_controller->newChat();
    m_controller->send(QStringLiteral("Two more"), {}, false);
    m_backend->codes(0);
    emit m_backend->textDelta(m_backend->current, QStringLiteral("and"));
    m_backend->codes(1);
    m_backend->ready(0, Qt::yellow);
    m_backend->drawStep(1, Qt::gray);
    GenerationStats stats;
    // The engine's answer names both places; only the first picture was drawn before Stop.
    emit m_backend->finished(m_backend->current, int(FinishReason::Cancelled), stats,
                             imageMarker() + QStringLiteral("and") + imageMarker());
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));
    const auto stored = m_store->messages(m_controller->currentChat());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored[1].status, QStringLiteral("stopped"));
    QCOMPARE(stored[1].images.size(), 1);
    QCOMPARE(stored[1].text, imageMarker() + QStringLiteral("and"));
    MessageWidget* w = replyWidget();
    QVERIFY(shown<QLabel>(w, QStringLiteral("previewLabel")).isEmpty());
    QVERIFY(shown<QLabel>(w, QStringLiteral("progressLabel")).isEmpty());
    QCOMPARE(shown<ImageCard>(w).size(), 1);
  }

  void aTurnWithAPictureIsStoredOffTheGuiThread() {
    m_controller->newChat();
    QImage photo(1200, 900, QImage::Format_RGB888);
    for (int y = 0; y < photo.height(); ++y)
      for (int x = 0; x < photo.width(); ++x) photo.setPixelColor(x, y, QColor((x * 7) % 256, (y * 3) % 256, (x ^ y) % 256));
    const auto asked = m_backend->requests.size();
    m_controller->send(QStringLiteral("What is in this photo?"), {photo}, false);
    // Shown and busy at once; nothing stored and nothing asked until the picture is encoded.
    QVERIFY(m_controller->busy());
    QCOMPARE(m_controller->conversation()->rowCount(), 1);
    const ChatMessage* shown = m_controller->conversation()->messageAt(0);
    QVERIFY(shown && shown->id < 0);
    QCOMPARE(shown->images.size(), 1);
    const qint64 chat = m_controller->currentChat();
    QVERIFY(chat > 0);
    QVERIFY(m_store->messages(chat).isEmpty());
    QCOMPARE(m_backend->requests.size(), asked);

    QVERIFY(QTest::qWaitFor([&] { return m_backend->requests.size() > asked; }, 20000));
    const auto stored = m_store->messages(chat);
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored[0].images.size(), 1);
    QCOMPARE(stored[0].images[0].image.convertToFormat(QImage::Format_RGB888), photo);
    // The request names the stored turn, and the view shows it under its stored id.
    QCOMPARE(m_backend->requests.last().history.last().id, stored[0].id);
    QCOMPARE(m_controller->conversation()->messageAt(0)->id, stored[0].id);
    GenerationStats stats;
    emit m_backend->textDelta(m_backend->current, QStringLiteral("A test pattern."));
    emit m_backend->finished(m_backend->current, int(FinishReason::Eos), stats, QStringLiteral("A test pattern."));
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));
    QCOMPARE(m_store->messages(chat).size(), 2);
  }

  void stopWhileStoringKeepsTheTurnUnanswered() {
    m_controller->newChat();
    QImage photo(640, 480, QImage::Format_RGB888);
    photo.fill(Qt::darkGreen);
    const auto asked = m_backend->requests.size();
    QSignalSpy busy(m_controller.get(), &ChatController::busyChanged);
    m_controller->send(QStringLiteral("Keep this one"), {photo}, false);
    m_controller->stop();
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 20000));
    QCOMPARE(m_backend->requests.size(), asked);
    const auto stored = m_store->messages(m_controller->currentChat());
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored[0].text, QStringLiteral("Keep this one"));
    QCOMPARE(stored[0].images[0].image.pixel(5, 5), QColor(Qt::darkGreen).rgb());
    QCOMPARE(busy.count(), 2);  // busy, then idle: no flicker in between
  }

  void aFinishedAnswerShowsBeforeItIsStored() {
    m_controller->newChat();
    m_controller->send(QStringLiteral("Draw"), {}, true);
    m_backend->codes(0);
    m_backend->ready(0, Qt::cyan);
    GenerationStats stats;
    emit m_backend->finished(m_backend->current, int(FinishReason::Eos), stats, imageMarker());
    // The final look is there at once (no progress, not streaming); storing follows.
    const ChatMessage& m = reply();
    QVERIFY(!m.streaming);
    QVERIFY(m.progress.isEmpty());
    QCOMPARE(m.images.size(), 1);
    QVERIFY(m_controller->busy());
    QCOMPARE(m_store->messages(m_controller->currentChat()).size(), 1);
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));
    const auto stored = m_store->messages(m_controller->currentChat());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored[1].images[0].image.pixel(3, 3), QColor(Qt::cyan).rgb());
    QVERIFY(reply().id > 0);
  }

  void longTextIsShownWhole() {
    m_controller->newChat();
    QString words;
    for (int i = 0; i < 60; ++i) words += QStringLiteral("lighthouse%1 ").arg(i);
    m_controller->send(QStringLiteral("Draw a lighthouse at night, ") + words, {}, false);
    emit m_backend->textDelta(m_backend->current, QStringLiteral("Here is a long answer: ") + words);
    GenerationStats stats;
    emit m_backend->finished(m_backend->current, int(FinishReason::Eos), stats,
                             QStringLiteral("Here is a long answer: ") + words);
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));
    replyWidget();
    int labels = 0;
    for (MessageWidget* w : m_view->messageWidgets())
      for (QLabel* l : shown<QLabel>(w, QStringLiteral("messageText"))) {
        ++labels;
        // Laid out tall enough for its text at the width it got, and not narrower than the bubble.
        QVERIFY2(l->height() >= l->heightForWidth(l->width()),
                 qPrintable(QStringLiteral("'%1…' is %2 px tall, needs %3 at width %4")
                                .arg(l->text().left(20)).arg(l->height()).arg(l->heightForWidth(l->width())).arg(l->width())));
        QVERIFY(l->width() > w->width() / 2);
      }
    QCOMPARE(labels, 2);
  }

  void leavingAChatKeepsItsStoppedAnswer() {
    m_controller->newChat();
    m_controller->send(QStringLiteral("Tell me a long story"), {}, false);
    const qint64 story = m_controller->currentChat();
    emit m_backend->textDelta(m_backend->current, QStringLiteral("Once upon a time"));
    m_controller->newChat();  // stops the answer; the engine ends it a moment later
    emit m_backend->textDelta(m_backend->current, QStringLiteral(" there was"));
    GenerationStats stats;
    emit m_backend->finished(m_backend->current, int(FinishReason::Cancelled), stats,
                             QStringLiteral("Once upon a time there was"));
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));
    QCOMPARE(m_controller->conversation()->rowCount(), 0);  // the new chat stays empty
    auto stored = m_store->messages(story);
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored[1].text, QStringLiteral("Once upon a time there was"));
    QCOMPARE(stored[1].status, QStringLiteral("stopped"));
    QCOMPARE(stored[1].parentId, stored[0].id);

    // Left and opened again before the answer ended: it appears in place once stored.
    m_controller->openChat(story);
    m_controller->send(QStringLiteral("Go on"), {}, false);
    emit m_backend->textDelta(m_backend->current, QStringLiteral("a dragon"));
    m_controller->newChat();
    m_controller->openChat(story);
    QCOMPARE(m_controller->conversation()->rowCount(), 3);  // the stored turns, not the answer yet
    emit m_backend->finished(m_backend->current, int(FinishReason::Cancelled), stats, QStringLiteral("a dragon"));
    QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 10000));
    QCOMPARE(m_controller->conversation()->rowCount(), 4);
    QCOMPARE(m_controller->conversation()->messageAt(3)->text, QStringLiteral("a dragon"));
    QVERIFY(m_controller->conversation()->messageAt(3)->id > 0);
    QCOMPARE(m_store->messages(story).size(), 4);
  }
};

QTEST_MAIN(StreamingTest)
#include "test_streaming.moc"
