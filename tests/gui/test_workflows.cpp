// A daily user's look and keyboard through the real widgets of the main window, on a scripted
// backend: the theme switch keeps links and dimmed labels readable (WCAG contrast of what is
// painted), the chat list works from the keyboard (Enter opens, Delete deletes with undo, F2
// renames, searching keeps the open chat marked, narrow lists elide), a picture's full view
// opens without a mouse, Tab follows the layout, the shortcut sheet shows every row, and long
// words and small windows cut nothing else off.
#include "workflow_support.h"

using namespace seedcanvas;
using namespace seedcanvas::ui;
using namespace seedcanvas::test;

class WorkflowsTest : public WorkflowFixture {
  Q_OBJECT

 private slots:
  void initTestCase() { startFixture("gui_workflows"); }
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
      ChatImage picture;
      picture.image = QImage(40, 30, QImage::Format_RGB888);
      picture.image.fill(Qt::red);
      picture.codes = QList<int>(32, 7);  // codes known: Show codes is offered
      card.setPicture(picture, true);
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

  // The window title names the open chat (and follows a rename); Export is offered only when
  // there is something to export.
  void windowTitleNamesTheOpenChat() {
    auto* exportAction = m_window->findChild<QAction*>(QStringLiteral("exportAction"));
    QVERIFY(exportAction);
    c()->newChat();
    QCOMPARE(m_window->windowTitle(), QStringLiteral("SeedCanvas"));
    QVERIFY(!exportAction->isEnabled());
    const qint64 chat = sendInNewChat(QStringLiteral("pears by the river"));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("pears by the river — SeedCanvas"));
    QVERIFY(exportAction->isEnabled());
    c()->renameChat(chat, QStringLiteral("Riverside"));
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Riverside — SeedCanvas"));
    c()->newChat();
    QCOMPARE(m_window->windowTitle(), QStringLiteral("SeedCanvas"));
    QVERIFY(!exportAction->isEnabled());
    c()->openChat(chat);
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Riverside — SeedCanvas"));
    QVERIFY(exportAction->isEnabled());
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
};

QTEST_MAIN(WorkflowsTest)
#include "test_workflows.moc"
