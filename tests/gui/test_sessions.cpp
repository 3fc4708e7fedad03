// A daily user's sessions through the real widgets of the main window, on a scripted backend:
// editing an earlier message gives the draft back, Escape stops an answer, closing the window
// while an answer streams keeps the answer, and a restart reopens the chat that was open, on
// the branch that was shown, with the chat list's width.
#include "workflow_support.h"

using namespace seedcanvas;
using namespace seedcanvas::ui;
using namespace seedcanvas::test;

class SessionsTest : public WorkflowFixture {
  Q_OBJECT

 private slots:
  void initTestCase() { startFixture("gui_sessions"); }
  void cleanupTestCase() { closeWindow(); }

  // Editing an earlier message borrows the composer: what the user was writing comes back when
  // the edit is cancelled (button or Escape) or sent.
  void editingAnEarlierMessageKeepsTheDraft() {
    activate();
    sendInNewChat(QStringLiteral("A cat on a sofa"));
    m_window->conversationView()->flushPending();
    auto* composer = m_window->composer();
    composer->setText(QStringLiteral("my half-written draft"));
    QImage attached(16, 16, QImage::Format_RGB888);
    attached.fill(Qt::green);
    composer->addImage(attached);
    auto editButton = [&]() -> QToolButton* {
      for (auto* b : m_window->conversationView()->messageWidgets().first()->findChildren<QToolButton*>())
        if (b->isVisible() && b->accessibleName().startsWith(QStringLiteral("Edit"))) return b;
      return nullptr;
    };
    QVERIFY(editButton());
    QTest::mouseClick(editButton(), Qt::LeftButton);
    QCOMPARE(composer->editingRow(), 0);
    QCOMPARE(composer->text(), QStringLiteral("A cat on a sofa"));
    QVERIFY(composer->images().isEmpty());
    auto* cancel = composer->findChild<QPushButton*>(QStringLiteral("cancelEditButton"));
    QVERIFY(cancel && cancel->isVisible());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(composer->editingRow(), -1);
    QCOMPARE(composer->text(), QStringLiteral("my half-written draft"));
    QCOMPARE(composer->images().size(), 1);

    // Escape in the prompt cancels an edit too (when nothing runs, there is nothing to stop).
    QTest::mouseClick(editButton(), Qt::LeftButton);
    QVERIFY(composer->prompt()->hasFocus());
    QTest::keyClick(composer->prompt(), Qt::Key_Escape);
    QCOMPARE(composer->editingRow(), -1);
    QCOMPARE(composer->text(), QStringLiteral("my half-written draft"));

    // Sending the edit makes the new branch and gives the draft back.
    QTest::mouseClick(editButton(), Qt::LeftButton);
    composer->setText(QStringLiteral("A dog on a sofa"));
    QTest::keyClick(composer->prompt(), Qt::Key_Return);
    waitIdle();
    QCOMPARE(c()->conversation()->messageAt(0)->text, QStringLiteral("A dog on a sofa"));
    QCOMPARE(c()->conversation()->index(0).data(ConversationModel::SiblingCountRole).toInt(), 2);
    QCOMPARE(composer->text(), QStringLiteral("my half-written draft"));
    QCOMPARE(composer->images().size(), 1);
    composer->clear();
  }

  // Escape stops a running answer from the prompt; the stopped text stays as "stopped".
  void escapeStopsTheAnswer() {
    activate();
    m_backend->autoFinish = false;
    c()->newChat();
    c()->send(QStringLiteral("Tell me a long story"), {}, false);
    QVERIFY(c()->busy());
    m_backend->say(m_backend->running, QStringLiteral("Once upon a time"));
    m_window->composer()->focusPrompt();
    QTest::keyClick(m_window->composer()->prompt(), Qt::Key_Escape);
    waitIdle();
    m_backend->autoFinish = true;
    const auto stored = m_store->messages(c()->currentChat());
    QCOMPARE(stored.size(), 2);
    QCOMPARE(stored[1].text, QStringLiteral("Once upon a time"));
    QCOMPARE(stored[1].status, QStringLiteral("stopped"));
  }

  // Closing the window while an answer streams stops it and keeps what came, before the window
  // goes (the app quits when its last window closes, and then no engine event is handled).
  void closingWhileAnswerStreamsKeepsTheAnswer() {
    m_backend->autoFinish = false;
    c()->newChat();
    c()->send(QStringLiteral("Write a poem"), {}, false);
    const qint64 chat = c()->currentChat();
    m_backend->say(m_backend->running, QStringLiteral("Roses are red"));
    int storedAtHide = -1;
    struct HideWatch : QObject {
      std::function<void()> onHide;
      bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::Hide && onHide) onHide();
        return false;
      }
    } watch;
    watch.onHide = [&] { storedAtHide = int(m_store->messages(chat).size()); };
    m_window->installEventFilter(&watch);
    m_window->close();
    QVERIFY(QTest::qWaitFor([&] { return !m_window->isVisible(); }, 30000));  // hang guard
    m_window->removeEventFilter(&watch);
    m_backend->autoFinish = true;
    QCOMPARE(storedAtHide, 2);
    QCOMPARE(m_store->messages(chat).at(1).text, QStringLiteral("Roses are red"));

    // An engine that never answers the stop does not keep the window open for ever.
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_backend->autoFinish = false;
    m_backend->stopIgnored = true;
    c()->send(QStringLiteral("And another"), {}, false);
    m_window->close();
    QVERIFY(QTest::qWaitFor([&] { return !m_window->isVisible(); }, 30000));  // hang guard
    m_backend->stopIgnored = false;
    m_backend->end(m_backend->running, FinishReason::Cancelled);
    m_backend->autoFinish = true;
    waitIdle();
  }

  // Restart: the chat open at close is open again, on the branch that was shown, with its title.
  void restartReopensTheLastChat() {
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    const qint64 first = sendInNewChat(QStringLiteral("Draw a lighthouse"));
    c()->regenerate(1);
    waitIdle();
    c()->showSibling(1, -1);
    sendInNewChat(QStringLiteral("something else"));
    c()->openChat(first);
    c()->renameChat(first, QStringLiteral("Lighthouses"));
    const qint64 shownReply = c()->conversation()->messageAt(1)->id;
    QCOMPARE(c()->conversation()->index(1).data(ConversationModel::SiblingIndexRole).toInt(), 0);
    m_window->close();
    closeWindow();

    openWindow();
    QCOMPARE(c()->currentChat(), first);
    QCOMPARE(c()->conversation()->rowCount(), 2);
    QCOMPARE(c()->conversation()->messageAt(1)->id, shownReply);
    QCOMPARE(c()->conversation()->index(1).data(ConversationModel::SiblingCountRole).toInt(), 2);
    QCOMPARE(sidebar()->list()->currentIndex().data().toString(), QStringLiteral("Lighthouses"));
    QVERIFY(!m_window->findChild<QWidget*>(QStringLiteral("emptyState"))->isVisible());

    // A new, empty chat at close starts empty again.
    c()->newChat();
    m_window->close();
    closeWindow();
    openWindow();
    QCOMPARE(c()->currentChat(), qint64(0));
  }

  // The chat list's width, dragged by the user, is kept across a restart.
  void chatListWidthSurvivesARestart() {
    auto* splitter = m_window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
    QVERIFY(splitter);
    const int total = splitter->sizes().at(0) + splitter->sizes().at(1);
    splitter->setSizes({340, total - 340});
    QCOMPARE(splitter->sizes().at(0), 340);
    m_window->close();
    closeWindow();
    openWindow();
    splitter = m_window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
    QCOMPARE(splitter->sizes().at(0), 340);
  }
};

QTEST_MAIN(SessionsTest)
#include "test_sessions.moc"
