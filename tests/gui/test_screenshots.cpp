// Screenshots of the main states, saved as PNGs under <build>/screenshots, each checked for the
// items it must show: the empty chat (welcome page, demo-pack banner), streaming text,
// streaming picture (image tokens k/32, then the diffusion preview), the branch switcher
// ("2/2") and the dark theme.
#include <QLabel>
#include <QPushButton>
#include <QtTest>

#include "app_session.h"
#include "composer.h"
#include "conversation_view.h"
#include "gui_support.h"
#include "message_widget.h"
#include "support/fixtures.h"

using namespace seedcanvas;
using namespace seedcanvas::ui;

class ScreenshotTest : public QObject {
  Q_OBJECT
  std::unique_ptr<gui::AppSession> m_session;
  QString m_shots;

  void shoot(const QString& name) {
    m_session->window()->conversationView()->flushPending();
    // Nested layouts (label -> status panel -> status bar) settle one posted event per level.
    for (int i = 0; i < 4; ++i) QCoreApplication::processEvents();
    const QImage img = m_session->window()->grab().toImage();
    QVERIFY(!img.isNull());
    QVERIFY2(img.save(QDir(m_shots).filePath(name + ".png")), qPrintable(name));
  }
  MessageWidget* lastMessage() {
    const auto rows = m_session->window()->conversationView()->messageWidgets();
    return rows.isEmpty() ? nullptr : rows.last();
  }
  QLabel* label(QWidget* w, const char* name) { return w ? w->findChild<QLabel*>(name) : nullptr; }
  ChatController* c() { return m_session->controller(); }

 private slots:
  void initTestCase() {
    QString why;
    const QString pack = test::demoPack(&why);
    QVERIFY2(!pack.isEmpty(), qPrintable(why));
    m_shots = QDir(test::buildDir()).filePath("screenshots");
    QDir().mkpath(m_shots);
    gui::SessionOptions o;
    o.dataDir = QString::fromStdString(test::scratch_dir("gui_screenshots").string());
    o.pack = pack;
    o.darkSet = true;  // light, whatever the saved setting says
    m_session = std::make_unique<gui::AppSession>(o);
    QString error;
    QVERIFY2(m_session->start(&error), qPrintable(error));
    m_session->window()->resize(1100, 760);
    m_session->window()->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_session->window()));
    QVERIFY(test::waitUntil([&] { return m_session->packReady(); }, 300000));
    c()->options().steps = 4;
    c()->options().maxNewTokens = 60;
  }
  void cleanupTestCase() { m_session.reset(); }

  void emptyChat() {
    auto* w = m_session->window();
    QVERIFY(w->findChild<QWidget*>("emptyState")->isVisible());
    QVERIFY(w->findChild<QWidget*>("packBanner")->isVisible());
    QVERIFY(label(w, "bannerText")->text().contains("random weights"));
    QVERIFY(w->findChildren<QPushButton*>("exampleButton").size() >= 3);
    shoot("01-empty-chat");
  }

  void streamingText() {
    bool shot = false;
    auto conn = connect(m_session->engine(), &Backend::textDelta, this, [&](quint64, const QString&) {
      if (shot) return;
      QTimer::singleShot(0, this, [&] {
        if (shot) return;
        shot = true;
        m_session->window()->conversationView()->flushPending();
        const auto texts = lastMessage()->findChildren<QLabel*>("messageText");
        bool any = false;
        for (auto* t : texts) any |= t->isVisible() && !t->text().isEmpty();
        QVERIFY(any);
        QCOMPARE(m_session->window()->composer()->findChild<QPushButton*>("sendButton")->text(), QString("Stop"));
        shoot("02-streaming-text");
      });
    });
    c()->send("Tell me about lighthouses", {}, false);
    QVERIFY(test::waitUntil([&] { return !c()->busy(); }, 600000));
    disconnect(conn);
    QVERIFY2(shot, "no text streamed");
    QVERIFY(!m_session->window()->findChild<QWidget*>("emptyState")->isVisible());
  }

  void streamingImage() {
    QString tokenText;
    bool shot = false;
    auto c1 = connect(m_session->engine(), &Backend::imageTokens, this, [&](quint64, int, int k, int) {
      if (k != 16) return;
      QTimer::singleShot(0, this, [&] {
        m_session->window()->conversationView()->flushPending();
        tokenText = label(lastMessage(), "progressLabel")->text();
      });
    });
    auto c2 = connect(m_session->engine(), &Backend::diffusionStep, this, [&](quint64, int, int s, int, const QImage& p) {
      if (shot || p.isNull() || s < 2) return;
      QTimer::singleShot(0, this, [&] {
        if (shot) return;
        shot = true;
        m_session->window()->conversationView()->flushPending();
        QVERIFY(label(lastMessage(), "previewLabel")->isVisible());
        QVERIFY(!label(lastMessage(), "previewLabel")->pixmap().isNull());
        QVERIFY(label(lastMessage(), "progressLabel")->text().contains("step"));
        shoot("03-streaming-image");
      });
    });
    c()->send("Draw a lighthouse at night", {}, true);
    QVERIFY(test::waitUntil([&] { return !c()->busy(); }, 600000));
    disconnect(c1);
    disconnect(c2);
    QVERIFY2(tokenText.contains("image tokens"), qPrintable(tokenText));
    QVERIFY2(shot, "no diffusion preview arrived");
    m_session->window()->conversationView()->flushPending();
    QVERIFY(lastMessage()->findChildren<ImageCard*>().size() >= 1);
  }

  void branchSwitcher() {
    const int row = c()->conversation()->rowCount() - 1;
    c()->regenerate(row);
    QVERIFY(test::waitUntil([&] { return !c()->busy(); }, 600000));
    m_session->window()->conversationView()->flushPending();
    auto* sibling = label(lastMessage(), "siblingLabel");
    QVERIFY(sibling->isVisible());
    QCOMPARE(sibling->text(), QString("2/2"));
    shoot("04-branch-switcher");
    c()->showSibling(row, -1);
    m_session->window()->conversationView()->flushPending();
    QCOMPARE(label(lastMessage(), "siblingLabel")->text(), QString("1/2"));
  }

  void darkTheme() {
    m_session->window()->setDarkTheme(true);
    QCoreApplication::processEvents();
    QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 80);
    shoot("05-dark-theme");
    const QImage img(QDir(m_shots).filePath("05-dark-theme.png"));
    QVERIFY(img.pixelColor(img.width() - 20, img.height() / 3).lightness() < 100);  // the canvas is dark
    m_session->window()->setDarkTheme(false);
  }
};

QTEST_MAIN(ScreenshotTest)
#include "test_screenshots.moc"
