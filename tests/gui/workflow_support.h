// What the gui_workflows and gui_sessions tests share: a scripted backend (no engine) that
// answers at once or when the test says, WCAG contrast of what is painted, and a main window over
// a store in a temporary folder, built as the app builds it (a second build is a restart).
#pragma once

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

namespace seedcanvas::test {

using namespace seedcanvas::ui;

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
inline double luminance(const QColor& c) {
  auto channel = [](double v) {
    v /= 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}
inline double contrast(const QColor& a, const QColor& b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The colour most pixels of `rect` in `img` have: the background behind the text there.
inline QColor dominantColour(const QImage& img, const QRect& rect) {
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
inline QList<QColor> linkColours(QLabel* label) {
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
inline QString unreadableLinks(QWidget* window, QLabel* label) {
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

inline QAction* darkThemeAction(MainWindow* w) {
  for (QAction* a : w->findChildren<QAction*>())
    if (a->isCheckable()) return a;
  return nullptr;
}

// Tab from `from` until `done` holds for the focus widget (at most `steps` presses).
template <typename F>
inline bool tabUntil(QWidget* from, F done, int steps = 80) {
  for (int i = 0; i < steps; ++i) {
    QWidget* f = QApplication::focusWidget();
    if (f && done(f)) return true;
    QTest::keyClick(f ? f : from, Qt::Key_Tab);
  }
  return false;
}

class WorkflowFixture : public QObject {
 protected:
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

  // Settings in the temporary folder (never the user's), light theme, the window shown.
  void startFixture(const char* appName) {
    QVERIFY(m_tmp.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("SeedCanvasTest"));
    QCoreApplication::setApplicationName(QString::fromLatin1(appName));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_tmp.path() + QStringLiteral("/settings"));
    QSettings().clear();
    initResources();
    applyTheme(false);
    openWindow();
  }
};

}  // namespace seedcanvas::test
