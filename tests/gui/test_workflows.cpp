// A daily user's workflows through the real widgets, on a scripted backend (no engine): the
// theme switch keeps links and dimmed labels readable (WCAG contrast of what is painted), the
// chat list works from the keyboard (Enter opens, Delete deletes with undo, searching keeps the
// open chat marked), a picture's full view opens without a mouse, editing an earlier message
// gives the draft back, closing the window while an answer streams keeps the answer, and a
// restart reopens the chat that was open.
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QtTest>
#include <cmath>

#include "backend.h"
#include "chat_controller.h"
#include "chat_sidebar.h"
#include "chat_store.h"
#include "composer.h"
#include "conversation_view.h"
#include "image_card.h"
#include "image_viewer.h"
#include "main_window.h"
#include "message_widget.h"
#include "shortcuts_dialog.h"
#include "theme.h"

using namespace seedcanvas;
using namespace seedcanvas::ui;

namespace {

// Answers each turn with `answer` (and a picture when `draw`), at once or when the test says.
// stop() ends the run the next time the event loop turns, with the text so far, as the engine
// service does; `stopIgnored` plays an engine that never answers.
class ScriptedBackend : public Backend {
 public:
  using Backend::Backend;
  bool autoFinish = true;
  bool draw = false;
  bool stopIgnored = false;
  QString answer = QStringLiteral("Here it is.");
  quint64 running = 0;

  quint64 load(const QString&) override { return ++m_next; }
  quint64 chat(const TurnRequest&) override {
    const quint64 id = ++m_next;
    running = id;
    m_text.clear();
    if (autoFinish)
      QTimer::singleShot(0, this, [this, id] {
        say(id, answer);
        if (draw) picture(id);
        end(id, FinishReason::Eos);
      });
    return id;
  }
  void stop(quint64 request) override {
    const quint64 id = request ? request : running;
    if (stopIgnored || !id) return;
    QTimer::singleShot(0, this, [this, id] { end(id, FinishReason::Cancelled); });
  }
  void say(quint64 id, const QString& text) {
    m_text += text;
    emit textDelta(id, text);
  }
  void picture(quint64 id) {
    QImage img(64, 64, QImage::Format_RGB888);
    img.fill(Qt::darkCyan);
    QList<int> codes;
    for (int i = 0; i < 32; ++i) codes << i;
    m_text += imageMarker();
    emit textDelta(id, imageMarker());
    emit imageReady(id, 0, img, codes, 7);
  }
  void end(quint64 id, FinishReason why) {
    if (running != id) return;
    running = 0;
    emit finished(id, int(why), {}, m_text);
  }

 private:
  quint64 m_next = 0;
  QString m_text;
};

// WCAG 2 relative luminance and contrast ratio (AA asks 4.5:1 for body text).
double luminance(const QColor& c) {
  auto channel = [](double v) {
    v /= 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}
double contrast(const QColor& a, const QColor& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The colour most pixels of `rect` in `img` have: the background behind the text there.
QColor dominantColour(const QImage& img, const QRect& rect) {
  QHash<QRgb, int> counts;
  const QRect r = rect.intersected(img.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) ++counts[img.pixel(x, y)];
  QRgb best = 0;
  int most = -1;
  for (auto it = counts.begin(); it != counts.end(); ++it)
    if (it.value() > most) {
      most = it.value();
      best = it.key();
    }
  return QColor::fromRgb(best);
}

// The colours a label paints its links with (its rich text document is a child of the label).
QList<QColor> linkColours(QLabel* label) {
  QList<QColor> out;
  auto* doc = label->findChild<QTextDocument*>();
  if (!doc) return out;
  for (QTextBlock b = doc->begin(); b.isValid(); b = b.next())
    for (auto it = b.begin(); !it.atEnd(); ++it) {
      const QTextCharFormat f = it.fragment().charFormat();
      if (!f.isAnchor()) continue;
      out << (f.foreground().style() == Qt::NoBrush ? label->palette().color(QPalette::WindowText)
                                                    : f.foreground().color());
    }
  return out;
}

// Every link in `label` against what is painted behind it in the window, as the user sees it.
QString unreadableLinks(QWidget* window, QLabel* label) {
  const QImage shot = window->grab().toImage();
  const QRect where(label->mapTo(window, QPoint(0, 0)), label->size());
  const QColor background = dominantColour(shot, where);
  const auto links = linkColours(label);
  if (links.isEmpty()) return QStringLiteral("no links in ") + label->objectName();
  QStringList bad;
  for (const QColor& c : links)
    if (contrast(c, background) < 4.5)
      bad << QStringLiteral("%1 on %2: %3:1").arg(c.name(), background.name()).arg(contrast(c, background), 0, 'f', 2);
  return bad.join(QStringLiteral(", "));
}

QAction* darkThemeAction(MainWindow* w) {
  for (QAction* a : w->findChildren<QAction*>())
    if (a->isCheckable()) return a;
  return nullptr;
}

// Tab from `from` until `done` holds for the focus widget (at most `steps` presses).
template <typename F>
bool tabUntil(QWidget* from, F done, int steps = 80) {
  for (int i = 0; i < steps; ++i) {
    QWidget* f = QApplication::focusWidget();
    if (f && done(f)) return true;
    QTest::keyClick(f ? f : from, Qt::Key_Tab);
  }
  return false;
}

}  // namespace

class WorkflowsTest : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  std::unique_ptr<ChatStore> m_store;
  std::unique_ptr<ScriptedBackend> m_backend;
  std::unique_ptr<ChatController> m_controller;
  std::unique_ptr<MainWindow> m_window;

  ChatController* c() { return m_controller.get(); }
  ChatSidebar* sidebar() { return m_window->sidebar(); }
  void waitIdle() {
    QVERIFY(QTest::qWaitFor([&] { return !c()->busy(); }, 10000));
  }

  // A window over the store in m_tmp, as the app builds it (a second call is a restart).
  void openWindow() {
    m_store = std::make_unique<ChatStore>(m_tmp.path() + QStringLiteral("/data"));
    QVERIFY2(m_store->open(), qPrintable(m_store->lastError()));
    if (!m_backend) m_backend = std::make_unique<ScriptedBackend>();
    m_controller = std::make_unique<ChatController>(m_store.get(), m_backend.get());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_controller->refreshChats();
    m_window->resize(1000, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  }
  void closeWindow() {
    m_window.reset();
    m_controller.reset();
    m_store.reset();
  }
  // Keys go to the active window: a dialog or card shown before may have taken that.
  void activate() {
    m_window->show();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  }
  qint64 sendInNewChat(const QString& text) {
    c()->newChat();
    c()->send(text, {}, false);
    waitIdle();
    return c()->currentChat();
  }

 private slots:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SeedCanvasTest"));
    QCoreApplication::setApplicationName(QStringLiteral("gui_workflows"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_tmp.path() + QStringLiteral("/settings"));
    QSettings().clear();
    initResources();
    applyTheme(false);
    openWindow();
  }

  void cleanupTestCase() { closeWindow(); }

  // The banner's links are painted in the link colour of the theme they were set in: after a
  // switch to dark, dark blue on dark brown.
  void bannerLinksStayReadableAcrossThemeSwitches() {
    m_window->setPackInfo(QStringLiteral("SeedCanvas demo on cpu, Float32 (random weights)"), true,
                          m_tmp.path() + QStringLiteral("/packs"));
    auto* banner = m_window->findChild<QLabel*>(QStringLiteral("bannerText"));
    QVERIFY(banner && banner->isVisible());
    QAction* dark = darkThemeAction(m_window.get());
    QVERIFY(dark && !dark->isChecked());
    QString bad = unreadableLinks(m_window.get(), banner);
    QVERIFY2(bad.isEmpty(), qPrintable(QStringLiteral("light: ") + bad));
    dark->trigger();
    QCoreApplication::processEvents();
    bad = unreadableLinks(m_window.get(), banner);
    QVERIFY2(bad.isEmpty(), qPrintable(QStringLiteral("dark: ") + bad));
    dark->trigger();
    QCoreApplication::processEvents();
    bad = unreadableLinks(m_window.get(), banner);
    QVERIFY2(bad.isEmpty(), qPrintable(QStringLiteral("light again: ") + bad));
  }

  // Links in an answer follow the theme too.
  void messageLinksStayReadableAcrossThemeSwitches() {
    m_backend->answer = QStringLiteral("See [the model card](https://huggingface.co/AILab-CVC) for more.");
    sendInNewChat(QStringLiteral("Where do real packs come from?"));
    m_backend->answer = QStringLiteral("Here it is.");
    m_window->conversationView()->flushPending();
    auto link = [&]() -> QLabel* {
      for (auto* l : m_window->conversationView()->findChildren<QLabel*>(QStringLiteral("messageText")))
        if (l->isVisible() && l->text().contains(QStringLiteral("model card"))) return l;
      return nullptr;
    };
    QVERIFY(link());
    QAction* dark = darkThemeAction(m_window.get());
    for (bool on : {true, false}) {
      dark->setChecked(on);
      QString bad;
      const bool readable = QTest::qWaitFor(  // the switch may re-lay the answer out a moment later
          [&] {
            bad = link() ? unreadableLinks(m_window.get(), link()) : QStringLiteral("no answer shown");
            return bad.isEmpty();
          },
          5000);
      QVERIFY2(readable, qPrintable(QString::fromLatin1(on ? "dark: " : "light: ") + bad));
    }
  }

  // Disabled labels ("stopped", the drawing progress) are dimmer than text, yet readable; so is
  // the prompt's placeholder hint.
  void dimmedLabelsAreDimButReadable() {
    for (bool dark : {false, true}) {
      applyTheme(dark);
      const QPalette p = qApp->palette();
      const QColor window = p.color(QPalette::Active, QPalette::Window);
      const QColor text = p.color(QPalette::Active, QPalette::WindowText);
      const QColor dim = p.color(QPalette::Disabled, QPalette::WindowText);
      const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
      QVERIFY2(contrast(dim, window) < contrast(text, window),
               qPrintable(theme + QStringLiteral(": disabled labels look like text, ") + dim.name()));
      QVERIFY2(contrast(dim, window) >= 4.5, qPrintable(theme + QStringLiteral(": %1 on %2 is %3:1")
                                                                    .arg(dim.name(), window.name())
                                                                    .arg(contrast(dim, window), 0, 'f', 2)));
      // The prompt's hint says how to send: it must be readable on the field too.
      const QColor base = p.color(QPalette::Active, QPalette::Base);
      const QColor hint = p.color(QPalette::Active, QPalette::PlaceholderText);
      QVERIFY2(contrast(hint, base) >= 4.5, qPrintable(theme + QStringLiteral(": hint %1 on %2 is %3:1")
                                                                   .arg(hint.name(), base.name())
                                                                   .arg(contrast(hint, base), 0, 'f', 2)));
    }
    applyTheme(false);
  }

  // Every action of a picture card can be reached and run with the keyboard, the full view too.
  void pictureFullViewOpensFromTheKeyboard() {
    {
      ImageCard card;
      QImage img(40, 30, QImage::Format_RGB888);
      img.fill(Qt::red);
      card.setImage(img, true, true);
      card.show();
      QVERIFY(QTest::qWaitForWindowExposed(&card));
      QList<ImageAction> reached;
      connect(&card, &ImageCard::actionRequested, this, [&](ImageAction a) { reached << a; });
      for (QWidget* w : card.findChildren<QWidget*>()) {
        if (!w->isVisible() || !(w->focusPolicy() & Qt::TabFocus)) continue;
        w->setFocus(Qt::TabFocusReason);
        QTest::keyClick(w, Qt::Key_Space);
      }
      for (ImageAction a : {ImageAction::Open, ImageAction::Save, ImageAction::Copy, ImageAction::UseAsInput,
                            ImageAction::ShowCodes, ImageAction::Variations})
        QVERIFY2(reached.contains(a), qPrintable(QStringLiteral("action %1 has no keyboard path").arg(int(a))));
    }

    // In the window: Tab to the card's full-view button, Space opens the viewer, Escape closes it.
    m_backend->draw = true;
    sendInNewChat(QStringLiteral("Draw a red square"));
    m_backend->draw = false;
    m_window->conversationView()->flushPending();
    activate();
    m_window->composer()->focusPrompt();
    const bool found = tabUntil(m_window.get(), [](QWidget* f) {
      return qobject_cast<ImageCard*>(f->parentWidget()) && f->objectName() == QLatin1String("fullViewButton");
    });
    QVERIFY2(found, "Tab never reaches the picture's full view");
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
    ImageViewer* viewer = m_window->findChild<ImageViewer*>();
    QVERIFY(viewer);
    QVERIFY(QTest::qWaitForWindowExposed(viewer));
    QTest::keyClick(viewer, Qt::Key_Escape);
    QVERIFY(QTest::qWaitFor([&] { return !m_window->findChild<ImageViewer*>(); }, 5000));
  }

  // Tab into the chat list, arrows move, Enter opens; Delete deletes with undo.
  void chatListWorksFromTheKeyboard() {
    activate();
    const qint64 apples = sendInNewChat(QStringLiteral("apples"));
    const qint64 bananas = sendInNewChat(QStringLiteral("bananas"));
    const qint64 cherries = sendInNewChat(QStringLiteral("cherries"));
    auto* list = sidebar()->list();
    auto* model = c()->chatList();
    QCOMPARE(c()->currentChat(), cherries);
    QCOMPARE(list->currentIndex().row(), model->rowOf(cherries));
    list->setFocus(Qt::TabFocusReason);
    QTest::keyClick(list, Qt::Key_Down);
    QCOMPARE(model->idAt(list->currentIndex().row()), bananas);
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(c()->currentChat(), bananas);
    QCOMPARE(c()->conversation()->messageAt(0)->text, QStringLiteral("bananas"));

    // Delete removes the chat (the undo bar offers it back), and Undo restores it.
    QTest::keyClick(list, Qt::Key_Down);
    QCOMPARE(model->idAt(list->currentIndex().row()), apples);
    QTest::keyClick(list, Qt::Key_Delete);
    QCOMPARE(model->rowOf(apples), -1);
    QCOMPARE(c()->currentChat(), bananas);  // deleting another chat leaves the open one open
    auto* undo = sidebar()->findChild<QPushButton*>(QStringLiteral("undoButton"));
    QVERIFY(undo && undo->isVisible());
    undo->setFocus(Qt::TabFocusReason);
    QTest::keyClick(undo, Qt::Key_Space);
    QVERIFY(model->rowOf(apples) >= 0);
    // F2 renames in place; Escape leaves the title as it was.
    list->setFocus(Qt::TabFocusReason);
    list->setCurrentIndex(model->index(model->rowOf(bananas)));
    QTest::keyClick(list, Qt::Key_F2);
    auto* editor = list->findChild<QLineEdit*>();
    QVERIFY(editor && editor->isVisible());
    QTest::keyClicks(editor, QStringLiteral(" and more"));
    QTest::keyClick(editor, Qt::Key_Escape);
    QCOMPARE(m_store->chatTitle(bananas), QStringLiteral("bananas"));
    // The shortcut sheet names the list's keys.
    QStringList keys;
    for (const auto& [what, key] : m_window->shortcutList()) keys << key.toString(QKeySequence::PortableText);
    QVERIFY2(keys.contains(QStringLiteral("F2")) && keys.contains(QStringLiteral("Del")),
             qPrintable(keys.join(QStringLiteral(", "))));
  }

  // Searching and clearing the search keeps the open chat marked in the list; an undone
  // deletion comes back into the filtered list without undoing the filter.
  void searchKeepsTheOpenChatMarked() {
    activate();
    auto* list = sidebar()->list();
    auto* model = c()->chatList();
    auto* search = sidebar()->searchField();
    const qint64 open = c()->currentChat();
    QVERIFY(open > 0);
    search->setFocus(Qt::ShortcutFocusReason);
    QTest::keyClicks(search, QStringLiteral("an"));  // "bananas" only
    QVERIFY(QTest::qWaitFor([&] { return model->rowCount() == 1; }, 5000));
    search->clear();
    QVERIFY(QTest::qWaitFor([&] { return model->rowCount() > 1; }, 5000));
    QCOMPARE(model->idAt(list->currentIndex().row()), open);
    QVERIFY(list->selectionModel()->isSelected(list->currentIndex()));

    QTest::keyClicks(search, QStringLiteral("apple"));
    QVERIFY(QTest::qWaitFor([&] { return model->rowCount() == 1; }, 5000));
    const qint64 apples = model->idAt(0);
    c()->deleteChat(apples);
    QCOMPARE(model->rowCount(), 0);
    auto* undo = sidebar()->findChild<QPushButton*>(QStringLiteral("undoButton"));
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(search->text(), QStringLiteral("apple"));
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->idAt(0), apples);
    search->clear();
    QVERIFY(QTest::qWaitFor([&] { return model->rowCount() > 1; }, 5000));
  }

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

  // A long unbroken word (a URL, a code line) in one message does not push the other messages'
  // right edges out of the view (there is no horizontal scroll bar).
  void longWordsStayInsideTheView() {
    m_backend->answer = QStringLiteral("See https://huggingface.co/AILab-CVC/seed-llama-8b-sft/resolve/main/") +
                        QString(300, QLatin1Char('x')) + QStringLiteral(" for the weights.");
    sendInNewChat(QStringLiteral("Where are the weights?"));
    m_backend->answer = QStringLiteral("Here it is.");
    c()->send(QStringLiteral("Thanks"), {}, false);
    waitIdle();
    m_window->resize(900, 650);
    auto* view = m_window->conversationView();
    view->flushPending();
    QVERIFY(QTest::qWaitFor(
        [&] { return view->messageWidgets().size() == 4 && view->messageWidgets().last()->isVisible(); }, 5000));
    QTest::qWait(20);  // layouts settle
    const int visible = view->viewport()->width();
    QVERIFY2(view->widget()->width() <= visible,
             qPrintable(QStringLiteral("canvas %1 px in a %2 px view").arg(view->widget()->width()).arg(visible)));
    for (MessageWidget* row : view->messageWidgets()) {
      const int right = row->mapTo(view->viewport(), QPoint(row->width(), 0)).x();
      QVERIFY2(right <= visible,
               qPrintable(QStringLiteral("a row ends at %1 px in a %2 px view").arg(right).arg(visible)));
    }
  }

  // The shortcut sheet shows every row at once (it scrolled after the fifth), Escape's two uses
  // included.
  void shortcutSheetShowsEveryRow() {
    const auto list = m_window->shortcutList();
    ShortcutsDialog sheet(list, m_window.get());
    sheet.show();
    QVERIFY(QTest::qWaitForWindowExposed(&sheet));
    QTableWidget* table = sheet.table();
    QCOMPARE(table->rowCount(), int(list.size()));
    const QRect last = table->visualRect(table->model()->index(table->rowCount() - 1, 1));
    QVERIFY2(
        table->viewport()->rect().contains(last),
        qPrintable(
            QStringLiteral("last row at %1 px in a %2 px table").arg(last.bottom()).arg(table->viewport()->height())));
    int escapes = 0;
    for (const auto& [what, key] : list) escapes += key == QKeySequence(Qt::Key_Escape) ? 1 : 0;
    QCOMPARE(escapes, 2);  // stop generating; cancel an edit
  }

  // In a small window the demo notice keeps all its lines (they were cut off), and it can be put
  // away from the keyboard; it stays away through a theme switch.
  void smallWindowKeepsTheNoticeWhole() {
    activate();
    m_window->setPackInfo(QStringLiteral("SeedCanvas demo on cpu, Float32 (random weights)"), true,
                          m_tmp.path() + QStringLiteral("/packs"));
    auto* banner = m_window->findChild<QWidget*>(QStringLiteral("packBanner"));
    auto* text = m_window->findChild<QLabel*>(QStringLiteral("bannerText"));
    QVERIFY(banner->isVisible());
    m_window->resize(560, 400);
    auto* splitter = m_window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
    const QList<int> sizes = splitter->sizes();
    splitter->setSizes({300, sizes.at(0) + sizes.at(1) - 300});  // a wide chat list leaves the notice narrow
    QString cut;
    const bool whole = QTest::qWaitFor(
        [&] {
          const int needed = text->heightForWidth(text->width());
          cut = QStringLiteral("%1 px of %2 px shown").arg(text->height()).arg(needed);
          return text->height() >= needed;
        },
        5000);
    QVERIFY2(whole, qPrintable(cut));
    auto* close = m_window->findChild<QToolButton*>(QStringLiteral("bannerClose"));
    QVERIFY(close && close->isVisible());
    close->setFocus(Qt::TabFocusReason);
    QTest::keyClick(close, Qt::Key_Space);
    QVERIFY(!banner->isVisible());
    QAction* dark = darkThemeAction(m_window.get());
    dark->trigger();
    dark->trigger();
    QCoreApplication::processEvents();
    QVERIFY(!banner->isVisible());
    m_window->resize(1000, 700);
    splitter->setSizes(sizes);
  }

  // A narrow chat list shortens long titles with "…" instead of scrolling sideways.
  void narrowChatListElidesTitles() {
    sendInNewChat(QStringLiteral("A rather long first message that becomes a long chat title"));
    auto* splitter = m_window->findChild<QSplitter*>(QStringLiteral("mainSplitter"));
    const QList<int> sizes = splitter->sizes();
    splitter->setSizes({160, sizes.at(0) + sizes.at(1) - 160});
    auto* list = sidebar()->list();
    const QModelIndex first = c()->chatList()->index(0);
    QVERIFY(QTest::qWaitFor([&] { return list->viewport()->width() < 170; }, 5000));
    QTest::qWait(20);  // the list lays its rows out again
    QVERIFY(!list->horizontalScrollBar()->isVisible());
    const QRect row = list->visualRect(first);
    QVERIFY2(row.right() < list->viewport()->width(),
             qPrintable(
                 QStringLiteral("row ends at %1 px in a %2 px list").arg(row.right()).arg(list->viewport()->width())));
    splitter->setSizes(sizes);
  }

  // Tab goes through the window as it reads: chat list, the conversation's messages top to
  // bottom, then the composer (the messages' buttons came after Send).
  void tabFollowsTheLayout() {
    activate();
    m_backend->draw = true;
    sendInNewChat(QStringLiteral("Draw a blue circle"));
    m_backend->draw = false;
    c()->send(QStringLiteral("Now a green one"), {}, false);
    waitIdle();
    auto* view = m_window->conversationView();
    view->flushPending();
    auto region = [&](QWidget* w) {
      if (sidebar()->isAncestorOf(w)) return 0;
      if (w == view || view->isAncestorOf(w)) return 1;
      if (m_window->composer()->isAncestorOf(w)) return 2;
      return -1;
    };
    auto* start = m_window->findChild<QWidget*>(QStringLiteral("newChatButton"));
    start->setFocus(Qt::TabFocusReason);
    QStringList path;
    int last = 0, rowsSeen = 0;
    qint64 lastRow = -1;
    for (int i = 0; i < 60; ++i) {
      QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
      QWidget* f = QApplication::focusWidget();
      if (f == start) break;
      const int r = region(f);
      path << QStringLiteral("%1:%2").arg(r).arg(f->accessibleName());
      QVERIFY2(r >= last, qPrintable(path.join(QStringLiteral(" -> "))));
      last = r;
      // Messages are visited top to bottom.
      for (QWidget* p = f; p; p = p->parentWidget())
        if (auto* row = qobject_cast<MessageWidget*>(p)) {
          const int index = int(view->messageWidgets().indexOf(row));
          QVERIFY2(index >= lastRow, qPrintable(path.join(QStringLiteral(" -> "))));
          rowsSeen += index != lastRow ? 1 : 0;
          lastRow = index;
          break;
        }
    }
    QCOMPARE(last, 2);  // reached the composer
    QCOMPARE(rowsSeen, 4);
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

QTEST_MAIN(WorkflowsTest)
#include "test_workflows.moc"
