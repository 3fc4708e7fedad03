#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "app_log.h"
#include "chat_controller.h"
#include "chat_sidebar.h"
#include "composer.h"
#include "conversation_view.h"
#include "image_viewer.h"
#include "language.h"
#include "settings_dialog.h"
#include "shortcuts_dialog.h"
#include "status_panel.h"
#include "theme.h"

namespace seedcanvas::ui {

MainWindow::MainWindow(ChatController* controller, QWidget* parent) : QMainWindow(parent), m_controller(controller) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowIcon(icon(QStringLiteral("app")));
  setAcceptDrops(true);

  auto* splitter = m_splitter = new QSplitter(this);
  splitter->setObjectName(QStringLiteral("mainSplitter"));
  m_sidebar = new ChatSidebar(controller, splitter);
  auto* right = new QWidget(splitter);
  auto* rl = new QVBoxLayout(right);
  rl->setContentsMargins(8, 8, 8, 8);

  m_banner = new QFrame(right);
  m_banner->setObjectName(QStringLiteral("packBanner"));
  auto* bl = new QHBoxLayout(m_banner);
  m_bannerText = new QLabel(m_banner);
  m_bannerText->setObjectName(QStringLiteral("bannerText"));
  m_bannerText->setWordWrap(true);
  m_bannerText->setTextFormat(Qt::RichText);
  m_bannerText->setOpenExternalLinks(true);
  m_bannerButton = new QPushButton(m_banner);
  m_bannerButton->setObjectName(QStringLiteral("bannerButton"));
  m_bannerButton->hide();
  connect(m_bannerButton, &QPushButton::clicked, this, &MainWindow::generateDemoPackRequested);
  bl->addWidget(m_bannerText, 1);
  bl->addWidget(m_bannerButton);
  // The demo notice can be put away for this session: in a small window it takes much of the height.
  m_bannerClose = new QToolButton(m_banner);
  m_bannerClose->setObjectName(QStringLiteral("bannerClose"));
  m_bannerClose->setIcon(icon(QStringLiteral("remove")));
  m_bannerClose->setAutoRaise(true);
  m_bannerClose->hide();
  connect(m_bannerClose, &QToolButton::clicked, this, [this] {
    m_bannerDismissed = true;
    m_banner->hide();
    m_composer->focusPrompt();
  });
  bl->addWidget(m_bannerClose, 0, Qt::AlignTop);
  // QMainWindow does not pass height-for-width up: the wrapped notice asks for the height of its
  // lines at its width itself, so a narrow window makes room instead of cutting lines off.
  m_bannerText->installEventFilter(this);
  m_banner->hide();
  rl->addWidget(m_banner);

  m_view = new ConversationView(controller->conversation(), right);
  rl->addWidget(m_view, 1);
  m_composer = new Composer(right);
  rl->addWidget(m_composer);
  splitter->addWidget(m_sidebar);
  splitter->addWidget(right);
  splitter->setStretchFactor(1, 1);
  splitter->setSizes({230, 800});
  setCentralWidget(splitter);

  m_packStatus = new QLabel(this);
  m_packStatus->setObjectName(QStringLiteral("packStatus"));
  m_loadBar = new QProgressBar(this);
  m_loadBar->setObjectName(QStringLiteral("loadBar"));
  m_loadBar->setMaximumWidth(160);
  m_loadBar->hide();
  m_statusPanel = new StatusPanel(this);
  statusBar()->addWidget(m_packStatus);
  statusBar()->addWidget(m_loadBar);
  statusBar()->addPermanentWidget(m_statusPanel);

  // Menus and shortcuts. Every shortcut is an action, so the help sheet lists what the keys do.
  m_fileMenu = menuBar()->addMenu(QString());
  m_newChatAction = m_fileMenu->addAction(icon(QStringLiteral("new-chat")), QString(), controller, &ChatController::newChat);
  m_newChatAction->setShortcut(QKeySequence::New);
  m_attachAction = m_fileMenu->addAction(icon(QStringLiteral("attach")), QString(), m_composer, &Composer::attachFromDialog);
  m_exportAction = m_fileMenu->addAction(icon(QStringLiteral("export")), QString(), this, &MainWindow::exportChat);
  m_exportAction->setObjectName(QStringLiteral("exportAction"));
  m_modelPacksAction = m_fileMenu->addAction(QString(), this, &MainWindow::modelManagerRequested);
  m_fileMenu->addSeparator();
  m_settingsAction = m_fileMenu->addAction(QString(), this, &MainWindow::openSettings);
  m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
  m_settingsAction->setMenuRole(QAction::PreferencesRole);
  m_fileMenu->addSeparator();
  m_quitAction = m_fileMenu->addAction(QString(), this, &QWidget::close);
  m_quitAction->setShortcut(QKeySequence::Quit);

  m_viewMenu = menuBar()->addMenu(QString());
  m_searchAction = m_viewMenu->addAction(QString(), this, [this] {
    m_sidebar->searchField()->setFocus(Qt::ShortcutFocusReason);
    m_sidebar->searchField()->selectAll();
  });
  m_searchAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
  m_stopAction = m_viewMenu->addAction(QString(), controller, &ChatController::stop);
  m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
  m_viewMenu->addSeparator();
  m_zoomInAction = m_viewMenu->addAction(QString(), this, [this] { zoom(1); });
  // Ctrl++ is Ctrl+Shift+= on most layouts; Ctrl+= is accepted too.
  m_zoomInAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)});
  m_zoomOutAction = m_viewMenu->addAction(QString(), this, [this] { zoom(-1); });
  m_zoomOutAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
  m_viewMenu->addSeparator();
  m_darkAction = m_viewMenu->addAction(QString());
  m_darkAction->setCheckable(true);
  connect(m_darkAction, &QAction::toggled, this, [this](bool on) {
    applyTheme(on);
    if (!m_settingTheme) emit darkThemeToggled(on);  // only the user's own toggle is saved as a choice
  });
  m_helpMenu = menuBar()->addMenu(QString());
  m_shortcutsAction = m_helpMenu->addAction(QString(), this, &MainWindow::showShortcuts);
  m_shortcutsAction->setShortcut(QKeySequence::HelpContents);
  m_diagnosticsAction = m_helpMenu->addAction(QString(), this, &MainWindow::copyDiagnostics);
  m_helpMenu->addSeparator();
  m_aboutAction = m_helpMenu->addAction(QString(), this, &MainWindow::showAbout);
  m_aboutAction->setMenuRole(QAction::AboutRole);

  // Wiring.
  connect(m_composer, &Composer::sendRequested, controller, &ChatController::send);
  connect(m_composer, &Composer::editSendRequested, controller, &ChatController::editAndSend);
  connect(m_composer, &Composer::stopRequested, controller, &ChatController::stop);
  // One drop can refuse several files: gather them and show one line once the drop is handled.
  connect(m_composer, &Composer::attachFailed, this, [this](const QString& msg) {
    m_attachErrors << msg;
    if (m_attachErrors.size() > 1) return;
    QTimer::singleShot(0, this, [this] {
      statusBar()->showMessage(m_attachErrors.join(QStringLiteral("; ")), 10000);
      m_attachErrors.clear();
    });
  });
  connect(controller, &ChatController::busyChanged, m_composer, &Composer::setBusy);
  connect(controller, &ChatController::chatChanged, this, [this] {
    m_composer->cancelEdit();
    m_composer->focusPrompt();
    updateChatState();
  });
  // Renamed in the list, or the first turn stored; rows in or out of the conversation.
  connect(controller->chatList(), &QAbstractItemModel::dataChanged, this, &MainWindow::updateChatState);
  connect(controller->chatList(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateChatState);
  connect(controller->conversation(), &QAbstractItemModel::rowsInserted, this, &MainWindow::updateChatState);
  connect(controller->conversation(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateChatState);
  connect(controller->conversation(), &QAbstractItemModel::modelReset, this, &MainWindow::updateChatState);
  connect(m_view, &ConversationView::siblingRequested, controller, &ChatController::showSibling);
  connect(m_view, &ConversationView::regenerateRequested, controller, &ChatController::regenerate);
  connect(m_view, &ConversationView::editRequested, this, [this](int row) {
    const auto* m = m_controller->conversation()->messageAt(row);
    if (!m) return;
    QList<QImage> images;
    for (const auto& i : m->images) images << i.pixels();
    m_composer->beginEdit(row, m->text, images);
  });
  connect(m_view, &ConversationView::imageActionRequested, this, &MainWindow::onImageAction);
  connect(m_view, &ConversationView::examplePicked, this, [this](const QString& p) {
    m_composer->setText(p);
    m_composer->focusPrompt();
  });
  connect(controller, &ChatController::loadProgress, this, [this](const QString& stage, int step, int total) {
    m_packStatus->setText(tr("Loading: %1").arg(stage));
    m_loadBar->setRange(0, qMax(total, 1));
    m_loadBar->setValue(step);
    m_loadBar->setVisible(step < total);
  });
  connect(controller, &ChatController::generationFinished, this, [this](const GenerationStats& s, const QString& why) {
    m_statusPanel->setLastAnswer(s);
    m_statusPanel->setToolTip(why + QStringLiteral(" · ") + s.summary());
  });
  connect(controller, &ChatController::errorMessage, this,
          [this](const QString& msg) { statusBar()->showMessage(msg, 10000); });
  reopenLastChat();
  m_closeWait.setSingleShot(true);
  connect(&m_closeWait, &QTimer::timeout, this, [this] {
    m_closeAnyway = true;
    close();
  });
  retranslate();
  resize(1100, 760);
  restoreGeometryFromSettings();
}

void MainWindow::retranslate() {
  updateChatState();
  setAccessibleName(tr("SeedCanvas"));
  setAccessibleDescription(tr("Chat with SEED-LLaMA about pictures and draw new ones."));
  auto describe = [](QWidget* w, const QString& name, const QString& description) {
    w->setAccessibleName(name);
    w->setAccessibleDescription(description);
  };
  describe(centralWidget(), tr("Chats and conversation"), tr("The chat list beside the open conversation."));
  describe(m_banner, tr("Model pack notice"), tr("What to do about the model pack."));
  describe(m_bannerText, tr("Model pack notice text"), tr("Explains the state of the model pack."));
  describe(m_bannerButton, tr("Generate demo pack"), tr("Makes a small pack with random weights to try the app."));
  m_bannerButton->setText(tr("Generate demo pack"));
  describe(m_bannerClose, tr("Hide notice"), tr("Hides the demo pack notice until the app starts again."));
  m_bannerClose->setToolTip(tr("Hide notice"));
  describe(m_packStatus, tr("Model status"), tr("The loaded model pack, or loading progress."));
  describe(m_loadBar, tr("Loading progress"), tr("How far loading the model pack has come."));
  describe(menuBar(), tr("Menu bar"), tr("The File, View and Help menus."));
  describe(statusBar(), tr("Status bar"), tr("Model, device, speed and memory."));
  m_fileMenu->setTitle(tr("&File"));
  m_viewMenu->setTitle(tr("&View"));
  m_helpMenu->setTitle(tr("&Help"));
  m_newChatAction->setText(tr("&New chat"));
  m_attachAction->setText(tr("&Attach pictures…"));
  m_exportAction->setText(tr("&Export chat as Markdown…"));
  m_modelPacksAction->setText(tr("&Model packs…"));
  m_settingsAction->setText(tr("&Settings…"));
  m_quitAction->setText(tr("&Quit"));
  m_searchAction->setText(tr("&Search chats"));
  m_stopAction->setText(tr("S&top generating"));
  m_zoomInAction->setText(tr("Zoom &in"));
  m_zoomOutAction->setText(tr("Zoom &out"));
  m_darkAction->setText(tr("&Dark theme"));
  m_shortcutsAction->setText(tr("&Keyboard shortcuts"));
  m_diagnosticsAction->setText(tr("&Copy diagnostics"));
  m_aboutAction->setText(tr("&About SeedCanvas"));
  nameMenuBarExtension();
  for (QMenu* menu : {m_fileMenu, m_viewMenu, m_helpMenu}) {
    menu->setAccessibleName(menu->title().remove(QLatin1Char('&')));
    menu->setAccessibleDescription(tr("Menu"));
  }
  if (m_packText.isEmpty() && m_packMissing.isEmpty()) m_packStatus->setText(tr("No model loaded"));
  refreshBanner();
}

// The button (and its menu) Qt shows when the menus do not fit the window's width; Qt makes the
// menu when the menu bar is first laid out, so this runs again when the window is shown.
void MainWindow::nameMenuBarExtension() {
  if (auto* more = menuBar()->findChild<QToolButton*>(QStringLiteral("qt_menubar_ext_button"))) {
    more->setAccessibleName(tr("More menus"));
    more->setAccessibleDescription(tr("The menus that do not fit in the menu bar."));
  }
  for (QMenu* menu : menuBar()->findChildren<QMenu*>(Qt::FindDirectChildrenOnly))
    if (menu != m_fileMenu && menu != m_viewMenu && menu != m_helpMenu) menu->setTitle(tr("More menus"));
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  nameMenuBarExtension();
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  // Qt colours a link when it parses the text, from the palette of that moment: after a theme
  // switch the banner's links would keep the old theme's colour (dark blue on dark brown).
  if (event->type() == QEvent::PaletteChange) refreshBanner();
  QMainWindow::changeEvent(event);
}

void MainWindow::refreshBanner() {
  m_bannerText->clear();  // setText ignores the same text, and the links must be parsed again
  if (!m_packMissing.isEmpty()) setPackMissing(m_packMissing, m_packsFolder);
  else if (!m_packText.isEmpty()) setPackInfo(m_packText, m_randomWeights, m_packsFolder);
}

void MainWindow::restoreGeometryFromSettings() {
  QSettings settings;
  const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
  if (!geometry.isEmpty()) restoreGeometry(geometry);
  const QByteArray state = settings.value(QStringLiteral("window/state")).toByteArray();
  if (!state.isEmpty()) restoreState(state);
  // The chat list's width as the user left it (saveState covers only toolbars and docks).
  const QByteArray split = settings.value(QStringLiteral("window/splitter")).toByteArray();
  if (!split.isEmpty()) m_splitter->restoreState(split);
  m_zoom = settings.value(QStringLiteral("window/zoom"), 0).toInt();
  if (m_zoom != 0) {
    const int z = m_zoom;
    m_zoom = 0;
    zoom(z);
  }
}

// The chat that was open when the window closed (0: a new, empty one), if it is still there.
void MainWindow::reopenLastChat() {
  const qint64 last = QSettings().value(QStringLiteral("window/lastChat"), 0).toLongLong();
  if (last <= 0 || m_controller->currentChat() != 0) return;
  for (const ChatSummary& chat : m_controller->store()->chats())
    if (chat.id == last) return m_controller->openChat(last);
}

void MainWindow::zoom(int steps) {
  const int next = qBound(-6, m_zoom + steps, 12);
  if (next == m_zoom) return;
  QFont f = m_view->font();
  f.setPointSizeF(qMax(4.0, f.pointSizeF() + (next - m_zoom)));
  m_view->setFont(f);
  m_zoom = next;
  QSettings().setValue(QStringLiteral("window/zoom"), m_zoom);
}

QList<QPair<QString, QKeySequence>> MainWindow::shortcutList() const {
  QList<QPair<QString, QKeySequence>> out;
  auto add = [&out](const QAction* a) {
    for (const auto& key : a->shortcuts()) out.append({a->text().remove(QLatin1Char('&')), key});
  };
  add(m_newChatAction);
  out.append({tr("Send the message"), QKeySequence(Qt::Key_Return)});
  out.append({tr("New line in the message"), QKeySequence(Qt::SHIFT | Qt::Key_Return)});
  add(m_stopAction);
  out.append({tr("Cancel editing an earlier message"), QKeySequence(Qt::Key_Escape)});  // Composer
  add(m_searchAction);
  // Keys of the chat list (ChatSidebar), where the focus is in the list.
  out.append({tr("Open the selected chat"), QKeySequence(Qt::Key_Return)});
  out.append({tr("Rename the selected chat"), QKeySequence(Qt::Key_F2)});
  out.append({tr("Delete the selected chat"), QKeySequence(QKeySequence::Delete)});
  for (const QAction* a : {m_settingsAction, m_zoomInAction, m_zoomOutAction, m_shortcutsAction, m_quitAction}) add(a);
  return out;
}

void MainWindow::showShortcuts() {
  ShortcutsDialog dialog(shortcutList(), this);
  dialog.exec();
}

QString MainWindow::diagnostics() const {
  return diagnosticsText(m_packText.isEmpty() ? m_packStatus->text() : m_packText, m_statusPanel->placementText());
}

void MainWindow::copyDiagnostics() {
  QApplication::clipboard()->setText(diagnostics());
  statusBar()->showMessage(tr("Diagnostics copied to the clipboard"), 4000);
}

AppSettings MainWindow::currentSettings() const {
  QSettings settings;
  AppSettings s = AppSettings::load(settings);
  s.generation = m_controller->effectiveOptions();
  return s;
}

void MainWindow::applySettings(const AppSettings& settings, bool chatOnly) {
  const qint64 chat = m_controller->currentChat();
  if (chatOnly && chat > 0) {
    // The defaults stay; the chat keeps only what differs from them.
    m_controller->store()->setChatOverrides(chat, optionsDiff(m_controller->options(), settings.generation));
  } else {
    if (chat > 0) m_controller->store()->setChatOverrides(chat, {});
    GenerationOptions& g = m_controller->options();
    const int previewEvery = g.previewEvery;
    g = settings.generation;
    g.previewEvery = previewEvery;
    g.forceImage = false;
  }
  QSettings store;
  AppSettings saved = settings;
  if (chatOnly && chat > 0) saved.generation = m_controller->options();
  saved.save(store);
  if (m_packText.isEmpty()) m_statusPanel->setPlacement(settings.device, settings.dtype);  // else: at the next load
  setDarkTheme(themeIsDark(settings.theme));
  setLanguage(settings.language);
  emit settingsApplied(saved);
}

void MainWindow::openSettings() {
  const qint64 chat = m_controller->currentChat();
  SettingsDialog dialog(currentSettings(), chat > 0,
                        chat > 0 && !m_controller->store()->chatOverrides(chat).isEmpty(), this);
  if (dialog.exec() == QDialog::Accepted) applySettings(dialog.settings(), dialog.chatOnly());
}

void MainWindow::setPackInfo(const QString& description, bool randomWeights, const QString& packsFolder) {
  m_packText = description;
  m_packMissing.clear();
  m_randomWeights = randomWeights;
  m_packsFolder = packsFolder;
  m_loadBar->hide();
  // The engine's description names what it chose ("… on cuda:0, BFloat16 (…)"): the status bar
  // shows that rather than the setting, which may say "automatic".
  static const QRegularExpression placement(QStringLiteral(" on ([^, ]+), ([^ ]+) \\("));
  // The label names the pack only: device and dtype sit in the panel beside it, and the whole
  // sentence would be cut off at the panel's edge. The tooltip keeps all of it.
  QString name = description;
  if (const auto m = placement.match(description); m.hasMatch()) {
    m_statusPanel->setPlacement(m.captured(1), m.captured(2));
    name = description.left(m.capturedStart(0));
  }
  m_packStatus->setText(name);
  m_packStatus->setToolTip(description);
  m_bannerButton->hide();
  if (randomWeights) {
    m_bannerText->setText(
        tr("<b>Demo pack: random weights.</b> Answers and pictures are noise; this only shows how the app works. "
           "Real SEED-LLaMA packs come from <a href=\"https://huggingface.co/AILab-CVC\">huggingface.co/AILab-CVC</a> "
           "(seed-llama-8b-sft or SEED/seed_llama_14b_sft, seed-tokenizer-2) and "
           "<a href=\"https://huggingface.co/stabilityai/stable-diffusion-2-1-unclip\">stable-diffusion-2-1-unclip</a>; "
           "put them in <code>%1</code> or start with <code>--pack DIR</code>.")
            .arg(packsFolder.toHtmlEscaped()));
    m_bannerClose->show();
    m_banner->setVisible(!m_bannerDismissed);
  } else {
    m_banner->hide();
  }
}

void MainWindow::setPackMissing(const QString& message, const QString& packsFolder) {
  m_packMissing = message;
  m_packText.clear();
  m_packsFolder = packsFolder;
  m_packStatus->setText(tr("No model loaded"));
  m_bannerText->setText(tr("<b>No model pack.</b> %1 Put a SEED-LLaMA pack in <code>%2</code>, start with "
                           "<code>--pack DIR</code>, or generate the small demo pack (random weights) to try the app.")
                            .arg(message.toHtmlEscaped(), packsFolder.toHtmlEscaped()));
  m_bannerButton->show();
  m_bannerClose->hide();  // without a pack, the notice is the way on
  m_banner->show();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_bannerText && event->type() == QEvent::Resize) {
    const int needed = m_bannerText->heightForWidth(m_bannerText->width());
    if (needed > 0 && needed != m_bannerText->minimumHeight()) m_bannerText->setMinimumHeight(needed);
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::setDarkTheme(bool dark) {
  m_settingTheme = true;
  if (m_darkAction->isChecked() != dark) m_darkAction->setChecked(dark);
  else applyTheme(dark);
  m_settingTheme = false;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasImage() || event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  if (m_composer->addFromMimeData(event->mimeData()) > 0) event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Closing the last window quits the app, and then no engine event is handled: a running
  // answer would be lost. Stop it and close once the stopped answer is saved (the controller
  // goes idle), or after kCloseWaitMs if the engine does not answer.
  if (m_controller->busy() && !m_closeAnyway) {
    event->ignore();
    if (m_closeWait.isActive()) return;
    statusBar()->showMessage(tr("Stopping the answer before closing…"));
    m_closeWhenIdle = connect(
        m_controller, &ChatController::busyChanged, this,
        [this](bool busy) {
          if (!busy) QTimer::singleShot(0, this, &QWidget::close);
        },
        Qt::SingleShotConnection);
    m_closeWait.start(kCloseWaitMs);
    m_controller->stop();
    return;
  }
  m_closeWait.stop();
  disconnect(m_closeWhenIdle);
  m_closeAnyway = false;
  statusBar()->clearMessage();
  QSettings settings;
  settings.setValue(QStringLiteral("window/lastChat"), m_controller->currentChat());
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
  m_controller->stop();
  m_controller->purgeDeleted();
  QMainWindow::closeEvent(event);
}

void MainWindow::onImageAction(int row, int imageIndex, ImageAction action) {
  const auto* m = m_controller->conversation()->messageAt(row);
  if (!m || imageIndex < 0 || imageIndex >= m->images.size()) return;
  // The whole picture (pixels()) only where an action needs it: a display copy or a picture
  // still loading is read from its file then.
  const ChatImage img = m->images[imageIndex];
  switch (action) {
    case ImageAction::Open: {
      auto* viewer = new ImageViewer(img.pixels(), this);
      viewer->setAttribute(Qt::WA_DeleteOnClose);
      viewer->show();
      break;
    }
    case ImageAction::Save: {
      const QString path = QFileDialog::getSaveFileName(this, tr("Save picture"), QStringLiteral("seedcanvas.png"),
                                                        tr("PNG (*.png);;JPEG (*.jpg *.jpeg)"));
      if (path.isEmpty()) return;
      const QString error = saveImageWithMetadata(img.pixels(), path, img.codes, img.seed, img.settings);
      statusBar()->showMessage(error.isEmpty() ? tr("Saved %1").arg(path) : error, 6000);
      break;
    }
    case ImageAction::Copy:
      QApplication::clipboard()->setImage(img.pixels());
      statusBar()->showMessage(tr("Picture copied"), 3000);
      break;
    case ImageAction::UseAsInput:
      m_composer->addImage(img.pixels());
      m_composer->focusPrompt();
      break;
    case ImageAction::ShowCodes: {
      QStringList codes;
      for (int c : img.codes) codes << QString::number(c);
      QDialog dialog(this);
      dialog.setWindowTitle(tr("SEED codes"));
      dialog.setAccessibleName(tr("SEED codes"));
      auto* layout = new QVBoxLayout(&dialog);
      auto* label = new QLabel(tr("The %1 SEED codes this picture was drawn from (seed %2):")
                                   .arg(img.codes.size())
                                   .arg(img.seed),
                               &dialog);
      auto* text = new QPlainTextEdit(codes.join(QLatin1Char(' ')), &dialog);
      text->setReadOnly(true);
      label->setAccessibleName(tr("About these codes"));
      text->setAccessibleName(tr("Codes"));
      text->setAccessibleDescription(tr("The picture's SEED codes, separated by spaces."));
      auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
      auto* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
      copy->setAccessibleName(tr("Copy codes"));
      copy->setAccessibleDescription(tr("Copies the codes to the clipboard."));
      if (auto* close = buttons->button(QDialogButtonBox::Close)) {
        close->setAccessibleName(tr("Close"));
        close->setAccessibleDescription(tr("Closes this window."));
      }
      connect(copy, &QPushButton::clicked, &dialog,
              [codes] { QApplication::clipboard()->setText(codes.join(QLatin1Char(' '))); });
      connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
      layout->addWidget(label);
      layout->addWidget(text);
      layout->addWidget(buttons);
      dialog.exec();
      break;
    }
    case ImageAction::Variations:
      m_controller->variation(row);
      break;
  }
}

void MainWindow::updateChatState() {
  const qint64 chat = m_controller->currentChat();
  const QString name = chat ? m_controller->store()->chatTitle(chat) : QString();
  setWindowTitle(name.isEmpty() ? tr("SeedCanvas") : tr("%1 — SeedCanvas").arg(name));
  m_exportAction->setEnabled(m_controller->conversation()->rowCount() > 0);
}

void MainWindow::exportChat() {
  if (m_controller->conversation()->rowCount() == 0) return;
  const QString path = QFileDialog::getSaveFileName(this, tr("Export chat as Markdown"), QStringLiteral("chat.md"),
                                                    tr("Markdown (*.md)"));
  if (path.isEmpty()) return;
  if (m_controller->exportChat(path)) statusBar()->showMessage(tr("Exported %1").arg(path), 6000);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About SeedCanvas"),
                     tr("<h3>SeedCanvas %1</h3><p>Runs SEED-LLaMA locally: chat about pictures, draw and edit them "
                        "over many turns.</p><p>Qt %2 &middot; LibTorch %3</p><p>%4</p>")
                         .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                              qApp->property("seedcanvas.libtorchVersion").toString(),
                              m_packStatus->text().toHtmlEscaped()));
}

}  // namespace seedcanvas::ui
