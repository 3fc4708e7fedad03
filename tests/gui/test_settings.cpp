// Settings, desktop manners and translations of the main window, on a scripted backend (no
// engine): settings round-trip through QSettings and reach the next request the backend
// receives (globally and as a chat's override); every interactive control of the window and
// its dialogs has an accessible name and description; switching the language at run time
// changes visible strings; the rotating log keeps its files bounded.
#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "app_log.h"
#include "app_settings.h"
#include "backend.h"
#include "chat_controller.h"
#include "chat_store.h"
#include "composer.h"
#include "conversation_view.h"
#include "image_viewer.h"
#include "language.h"
#include "main_window.h"
#include "settings_dialog.h"
#include "shortcuts_dialog.h"
#include "status_panel.h"
#include "theme.h"

using namespace seedcanvas;
using namespace seedcanvas::ui;

namespace {

// Answers every turn at once with a line of text and one picture, and keeps each request.
class ScriptedBackend : public Backend {
 public:
  using Backend::Backend;
  QList<TurnRequest> requests;
  quint64 load(const QString&) override { return ++m_next; }
  quint64 chat(const TurnRequest& request) override {
    requests << request;
    const quint64 id = ++m_next;
    QTimer::singleShot(0, this, [this, id] {
      emit textDelta(id, QStringLiteral("Here it is: ") + imageMarker());
      QImage img(64, 64, QImage::Format_RGB888);
      img.fill(Qt::darkCyan);
      QList<int> codes;
      for (int i = 0; i < 32; ++i) codes << i;
      emit imageReady(id, 0, img, codes, 7);
      GenerationStats st;
      st.newTokens = 40;
      st.tokensPerSecond = 12.5;
      st.secondsPerImage = 3.4;
      emit finished(id, int(FinishReason::Eos), st, QStringLiteral("Here it is: ") + imageMarker());
    });
    return id;
  }
  void stop(quint64) override {}

 private:
  quint64 m_next = 0;
};

// Widgets a user can reach: focusable ones and buttons; internals of composite widgets (the line
// edit inside a spin box or combo box) speak through their owner.
bool interactive(QWidget* w) {
  for (QWidget* p = w->parentWidget(); p; p = p->parentWidget())
    if (qobject_cast<QAbstractSpinBox*>(p) || qobject_cast<QComboBox*>(p)) return false;
  if (QByteArray(w->metaObject()->className()).startsWith("QComboBoxPrivate")) return false;
  if (w->inherits("QScrollBar")) return false;
  if (auto* area = qobject_cast<QAbstractScrollArea*>(w->parentWidget()); area && area->viewport() == w) return false;
  return w->focusPolicy() != Qt::NoFocus || qobject_cast<QAbstractButton*>(w);
}

QString describeWidget(QWidget* w) {
  QStringList chain;
  for (QObject* o = w; o; o = o->parent())
    chain << QStringLiteral("%1(%2)").arg(QString::fromLatin1(o->metaObject()->className()), o->objectName());
  return chain.join(QStringLiteral(" < "));
}

// Names of interactive controls without an accessible name (or description) under `root`.
QStringList unnamedControls(QWidget* root, bool descriptions) {
  QStringList out;
  QList<QWidget*> all = root->findChildren<QWidget*>();
  all.prepend(root);
  for (QWidget* w : all) {
    if (!interactive(w)) continue;
    if (w->accessibleName().trimmed().isEmpty()) out << QStringLiteral("no name: ") + describeWidget(w);
    else if (descriptions && w->accessibleDescription().trimmed().isEmpty())
      out << QStringLiteral("no description: ") + describeWidget(w);
  }
  return out;
}

}  // namespace

class SettingsTest : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;
  QString m_dir;
  std::unique_ptr<ChatStore> m_store;
  std::unique_ptr<ScriptedBackend> m_backend;
  std::unique_ptr<ChatController> m_controller;
  std::unique_ptr<MainWindow> m_window;

  void waitIdle() { QVERIFY(QTest::qWaitFor([&] { return !m_controller->busy(); }, 5000)); }

 private slots:
  void initTestCase() {
    QVERIFY(m_tmp.isValid());
    m_dir = m_tmp.path();
    // A test-local organisation and an INI file in the scratch folder: the user's settings stay untouched.
    QCoreApplication::setOrganizationName(QStringLiteral("SeedCanvasTest"));
    QCoreApplication::setApplicationName(QStringLiteral("gui_settings"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir + QStringLiteral("/settings"));
    QSettings().clear();
    initResources();
    m_store = std::make_unique<ChatStore>(m_dir + QStringLiteral("/data"));
    QVERIFY2(m_store->open(), qPrintable(m_store->lastError()));
    m_backend = std::make_unique<ScriptedBackend>();
    m_controller = std::make_unique<ChatController>(m_store.get(), m_backend.get());
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
  }

  void cleanupTestCase() {
    setLanguage(QStringLiteral("en"));
    m_window.reset();
    m_controller.reset();
    m_backend.reset();
    m_store.reset();
  }

  void roundTripThroughQSettings() {
    AppSettings a;
    a.generation.temperature = 0.35;
    a.generation.topP = 0.8;
    a.generation.topK = 7;
    a.generation.maxNewTokens = 123;
    a.generation.seed = 18446744073709551557ull;  // needs all 64 bits
    a.generation.steps = 13;
    a.generation.guidance = 6.5;
    a.generation.scheduler = QStringLiteral("dpmpp");
    a.generation.imageSeed = 99;
    a.threads = 3;
    a.device = QStringLiteral("cuda");
    a.dtype = QStringLiteral("bf16");
    a.theme = QStringLiteral("dark");
    a.language = QStringLiteral("de");
    a.dataFolder = m_dir + QStringLiteral("/elsewhere");
    const QString file = m_dir + QStringLiteral("/roundtrip.ini");
    {
      QSettings s(file, QSettings::IniFormat);
      a.save(s);
    }
    QSettings s(file, QSettings::IniFormat);
    const AppSettings b = AppSettings::load(s);
    QVERIFY(b == a);
    QCOMPARE(b.generation.seed, a.generation.seed);
    QVERIFY(!(AppSettings::defaults() == a));
    // Nonsense in the file falls back to defaults rather than reaching the engine.
    s.setValue(QStringLiteral("generation/scheduler"), QStringLiteral("euler-bogus"));
    s.setValue(QStringLiteral("engine/threads"), -4);
    const AppSettings c = AppSettings::load(s);
    QCOMPARE(c.generation.scheduler, GenerationOptions().scheduler);
    QCOMPARE(c.threads, 0);
  }

  void dialogShowsAndRestoresDefaults() {
    AppSettings a;
    a.generation.temperature = 0.2;
    a.generation.steps = 7;
    a.generation.scheduler = QStringLiteral("ddim");
    a.theme = QStringLiteral("light");
    SettingsDialog d(a, false, false);
    QVERIFY(d.settings() == a);  // the widgets hold what they were given
    d.restoreDefaults();
    QVERIFY(d.settings() == AppSettings::defaults());
    QVERIFY(!d.chatOnly());
  }

  void settingsApplyToTheNextGeneration() {
    AppSettings a = m_window->currentSettings();
    a.generation.temperature = 0.25;
    a.generation.topK = 11;
    a.generation.topP = 0.9;
    a.generation.maxNewTokens = 77;
    a.generation.seed = 4242;
    a.generation.steps = 9;
    a.generation.guidance = 4.5;
    a.generation.scheduler = QStringLiteral("ddim");
    a.generation.imageSeed = 31337;
    a.device = QStringLiteral("cpu");
    a.dtype = QStringLiteral("fp32");
    m_window->applySettings(a, /*chatOnly=*/false);
    // Saved to QSettings…
    QSettings s;
    QVERIFY(AppSettings::load(s) == a);
    // …and the next request carries them.
    m_controller->send(QStringLiteral("draw a boat"), {}, true);
    waitIdle();
    QCOMPARE(m_backend->requests.size(), 1);
    const GenerationOptions& o = m_backend->requests.last().options;
    QCOMPARE(o.temperature, 0.25);
    QCOMPARE(o.topK, 11);
    QCOMPARE(o.topP, 0.9);
    QCOMPARE(o.maxNewTokens, 77);
    QCOMPARE(o.seed, quint64(4242));
    QCOMPARE(o.steps, 9);
    QCOMPARE(o.guidance, 4.5);
    QCOMPARE(o.scheduler, QStringLiteral("ddim"));
    QCOMPARE(o.imageSeed, quint64(31337));
    QVERIFY(o.forceImage);
    // The status bar shows device, number format and the last answer's speed.
    QVERIFY(m_window->statusPanel()->placementText().contains(QStringLiteral("cpu")));
    QVERIFY(m_window->statusPanel()->placementText().contains(QStringLiteral("fp32")));
    QVERIFY2(m_window->statusPanel()->speedText().contains(QStringLiteral("12.5")),
             qPrintable(m_window->statusPanel()->speedText()));
    QVERIFY(m_window->statusPanel()->speedText().contains(QStringLiteral("3.4")));
    QVERIFY(residentBytes() > 0);
    // Once a pack is loaded, the device and number format the engine chose are shown.
    m_window->setPackInfo(QStringLiteral("SEED-LLaMA 8B pack 'x' on cuda:0, BFloat16 (fits in memory)"), false, m_dir);
    QCOMPARE(m_window->statusPanel()->placementText(), QStringLiteral("Device: cuda:0 · BFloat16"));
    // The label names the pack (the panel beside it shows the placement); the tooltip says all.
    const auto* status = m_window->findChild<QLabel*>(QStringLiteral("packStatus"));
    QCOMPARE(status->text(), QStringLiteral("SEED-LLaMA 8B pack 'x'"));
    QVERIFY(status->toolTip().contains(QStringLiteral("(fits in memory)")));
    m_window->setPackMissing(QStringLiteral("none"), m_dir);
  }

  void chatOverridesStayWithTheirChat() {
    const qint64 chat = m_controller->currentChat();
    QVERIFY(chat > 0);
    AppSettings a = m_window->currentSettings();
    a.generation.temperature = 1.5;
    a.generation.steps = 42;
    m_window->applySettings(a, /*chatOnly=*/true);
    const QJsonObject overrides = m_store->chatOverrides(chat);
    QCOMPARE(overrides.size(), 2);  // only what differs from the defaults
    QCOMPARE(m_controller->options().steps, 9);  // defaults unchanged
    m_controller->send(QStringLiteral("again"), {}, false);
    waitIdle();
    QCOMPARE(m_backend->requests.last().options.temperature, 1.5);
    QCOMPARE(m_backend->requests.last().options.steps, 42);
    QCOMPARE(m_backend->requests.last().options.topK, 11);  // from the defaults
    // Another chat uses the defaults.
    m_controller->newChat();
    m_controller->send(QStringLiteral("elsewhere"), {}, false);
    waitIdle();
    QCOMPARE(m_backend->requests.last().options.steps, 9);
    QCOMPARE(m_backend->requests.last().options.temperature, 0.25);
    // Back in the first chat, the override is still there (it lives in the database).
    m_controller->openChat(chat);
    QCOMPARE(m_controller->effectiveOptions().steps, 42);
  }

  void everyControlHasAnAccessibleName() {
    // The window with a conversation on screen (message widgets and picture cards exist).
    if (m_controller->conversation()->rowCount() == 0) {
      m_controller->send(QStringLiteral("draw a boat"), {}, true);
      waitIdle();
    }
    QVERIFY(m_controller->conversation()->rowCount() > 0);
    QTest::qWait(50);
    QStringList missing = unnamedControls(m_window.get(), /*descriptions=*/true);
    for (QAction* a : m_window->findChildren<QAction*>())
      if (!a->isSeparator() && a->text().isEmpty() && a->toolTip().isEmpty()) missing << QStringLiteral("action with no text, in ") + describeWidget(qobject_cast<QWidget*>(a->parent()));
    SettingsDialog settings(m_window->currentSettings(), true, false, m_window.get());
    missing << unnamedControls(&settings, /*descriptions=*/true);
    ShortcutsDialog shortcuts(m_window->shortcutList(), m_window.get());
    missing << unnamedControls(&shortcuts, /*descriptions=*/true);
    QImage picture(32, 32, QImage::Format_RGB888);
    picture.fill(Qt::red);
    ImageViewer viewer(picture, m_window.get());
    missing << unnamedControls(&viewer, /*descriptions=*/true);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
  }

  void shortcutsAreListedAndWork() {
    const auto list = m_window->shortcutList();
    QStringList keys;
    for (const auto& [what, key] : list) keys << key.toString(QKeySequence::PortableText);
    for (const char* k : {"Ctrl+N", "Return", "Esc", "Ctrl+F", "Ctrl+,", "Ctrl++", "Ctrl+-"})
      QVERIFY2(keys.contains(QString::fromLatin1(k)), qPrintable(keys.join(QStringLiteral(", "))));
    ShortcutsDialog sheet(list);
    QCOMPARE(sheet.table()->rowCount(), list.size());
    // Ctrl+F puts the focus in the chat search; Ctrl++ makes the conversation's text bigger.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto* search = m_window->findChild<QLineEdit*>(QStringLiteral("chatSearch"));
    QVERIFY(search);
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(search->hasFocus());
    const qreal before = m_window->conversationView()->font().pointSizeF();
    m_window->zoom(2);
    QCOMPARE(m_window->conversationView()->font().pointSizeF(), before + 2);
    m_window->zoom(-2);
    QCOMPARE(m_window->conversationView()->font().pointSizeF(), before);
  }

  void languageSwitchesAtRunTime() {
    auto fileMenu = [&] { return m_window->menuBar()->actions().at(0)->text(); };
    auto packStatus = [&] { return m_window->findChild<QLabel*>(QStringLiteral("packStatus"))->text(); };
    auto sendButton = [&] { return m_window->findChild<QAbstractButton*>(QStringLiteral("sendButton"))->text(); };
    SettingsDialog dialog(m_window->currentSettings(), false, false, m_window.get());
    QCOMPARE(fileMenu(), QStringLiteral("&File"));
    QCOMPARE(sendButton(), QStringLiteral("Send"));
    QVERIFY(setLanguage(QStringLiteral("de")));
    QCoreApplication::processEvents();
    QCOMPARE(fileMenu(), QStringLiteral("&Datei"));
    QCOMPARE(packStatus(), QStringLiteral("Kein Modell geladen"));
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Einstellungen"));
    QCOMPARE(sendButton(), QStringLiteral("Senden"));
    QVERIFY(setLanguage(QStringLiteral("zh_CN")));
    QCoreApplication::processEvents();
    QCOMPARE(fileMenu(), QStringLiteral("文件(&F)"));
    QCOMPARE(packStatus(), QStringLiteral("未加载模型"));
    QCOMPARE(dialog.windowTitle(), QStringLiteral("设置"));
    QCOMPARE(sendButton(), QStringLiteral("发送"));
    QVERIFY(setLanguage(QStringLiteral("en")));
    QCoreApplication::processEvents();
    QCOMPARE(fileMenu(), QStringLiteral("&File"));
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Settings"));
    QVERIFY(!setLanguage(QStringLiteral("xx")));  // no such translation: English stays
  }

  void translationsAreComplete() {
    // Every source string of the .ts files has a finished translation.
    for (const char* name : {"seedcanvas_de.ts", "seedcanvas_zh_CN.ts"}) {
      QFile f(QStringLiteral(SEEDCANVAS_SOURCE_DIR "/translations/") + QString::fromLatin1(name));
      QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
      const QString ts = QString::fromUtf8(f.readAll());
      const int messages = int(ts.count(QStringLiteral("<message")));
      QVERIFY(messages > 100);
      QVERIFY2(!ts.contains(QStringLiteral("type=\"unfinished\"")), name);
      QCOMPARE(int(ts.count(QStringLiteral("<translation>"))), messages);
    }
  }

  void attachFailureShowsInTheStatusBar() {
    // A dropped file that is no picture: the window says which and why, and attaches nothing.
    const QString path = m_dir + QStringLiteral("/not-a-picture.png");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("plain text, not a PNG");
    f.close();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path), QUrl::fromLocalFile(m_dir + QStringLiteral("/missing.png"))});
    const int before = int(m_window->composer()->images().size());
    QSignalSpy read(m_window->composer(), &Composer::picturesRead);
    QCOMPARE(m_window->composer()->addFromMimeData(&mime), 2);  // taken for reading
    QVERIFY(read.wait(10000));
    QCOMPARE(int(m_window->composer()->images().size()), before);
    QCoreApplication::processEvents();
    // Both refusals in one line, each naming its file.
    const QString shown = m_window->statusBar()->currentMessage();
    QVERIFY2(shown.startsWith(QStringLiteral("not-a-picture.png was not attached: ")), qPrintable(shown));
    QVERIFY2(shown.contains(QStringLiteral("; missing.png was not attached: ")), qPrintable(shown));
  }

  void logRotatesAndDiagnosticsCarryIt() {
    const QString dir = m_dir + QStringLiteral("/logs");
    QDir(dir).removeRecursively();
    installLogFile(dir, /*maxBytes=*/4096, /*keep=*/3);
    for (int i = 0; i < 400; ++i) qInfo("log line %d with some padding to fill the file", i);
    const QStringList files = QDir(dir).entryList(QDir::Files);
    QCOMPARE(files.size(), 3);  // seedcanvas.log, .1, .2: older ones fall off
    for (const QString& f : files) QVERIFY(QFileInfo(QDir(dir).filePath(f)).size() <= 4096);
    const QString text = m_window->diagnostics();
    uninstallLogFile();
    QVERIFY(text.contains(QStringLiteral("Qt ")));
    QVERIFY(text.contains(QStringLiteral("log line 399")));
    QVERIFY(!text.contains(QStringLiteral("log line 150 ")));  // only the last 200 lines
  }

  void geometryIsRemembered() {
    m_window->resize(900, 640);
    QTest::qWait(20);
    m_window->close();
    MainWindow again(m_controller.get());
    QCOMPARE(again.size(), QSize(900, 640));
  }
};

QTEST_MAIN(SettingsTest)
#include "test_settings.moc"
