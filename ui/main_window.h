// The main window: chat list on the left; on the right the pack banner, the chat canvas and
// the composer. Handles the image actions, drag-and-drop onto the window, the keyboard
// shortcuts (and their help sheet), Settings, the status bar, the theme, export, the About box
// and "Copy diagnostics"; remembers its geometry and the open chat; retranslates on LanguageChange; closing while
// an answer runs stops it and waits (briefly) until it is saved.
// Engine-free: it talks to the ChatController only.
#pragma once

#include <QMainWindow>
#include <QTimer>

#include "app_settings.h"
#include "image_card.h"

class QLabel;
class QFrame;
class QPushButton;
class QProgressBar;
class QAction;
class QMenu;
class QSplitter;
class QToolButton;

namespace seedcanvas::ui {

class ChatController;
class ChatSidebar;
class Composer;
class ConversationView;
class StatusPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(ChatController* controller, QWidget* parent = nullptr);

  ConversationView* conversationView() const { return m_view; }
  Composer* composer() const { return m_composer; }
  ChatSidebar* sidebar() const { return m_sidebar; }
  // What the banner says about the model pack (the demo pack is labelled as random weights).
  void setPackInfo(const QString& description, bool randomWeights, const QString& packsFolder);
  void setPackMissing(const QString& message, const QString& packsFolder);
  void setDarkTheme(bool dark);
  StatusPanel* statusPanel() const { return m_statusPanel; }

  // Settings: what the dialog starts with, and applying its result (saved to QSettings, or the
  // generation part as the current chat's override; the next turn uses it).
  AppSettings currentSettings() const;
  void applySettings(const AppSettings& settings, bool chatOnly);
  QList<QPair<QString, QKeySequence>> shortcutList() const;
  QString diagnostics() const;
  void zoom(int steps);  // conversation text size, in points

 public slots:
  void openSettings();
  void showShortcuts();
  void copyDiagnostics();

 signals:
  void darkThemeToggled(bool dark);
  void generateDemoPackRequested();
  void modelManagerRequested();  // File > Model packs… (the dialog lives in app/gui)
  void settingsApplied(const seedcanvas::ui::AppSettings& settings);

 protected:
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void onImageAction(int row, int imageIndex, ImageAction action);
  void exportChat();
  void showAbout();
  void retranslate();
  void updateChatState();  // the window title names the open chat; Export needs a turn
  void refreshBanner();  // sets the banner's text again (language or theme changed)
  void nameMenuBarExtension();
  void restoreGeometryFromSettings();
  void reopenLastChat();

  ChatController* m_controller;
  QSplitter* m_splitter;  // chat list | conversation
  ChatSidebar* m_sidebar;
  ConversationView* m_view;
  Composer* m_composer;
  QFrame* m_banner;
  QLabel* m_bannerText;
  QPushButton* m_bannerButton;
  QToolButton* m_bannerClose;  // hides the demo notice for the session
  bool m_bannerDismissed = false;
  QLabel* m_packStatus;
  QProgressBar* m_loadBar;
  StatusPanel* m_statusPanel;
  QMenu* m_fileMenu;
  QMenu* m_viewMenu;
  QMenu* m_helpMenu;
  QAction* m_newChatAction;
  QAction* m_attachAction;
  QAction* m_exportAction;
  QAction* m_modelPacksAction;
  QAction* m_settingsAction;
  QAction* m_quitAction;
  QAction* m_searchAction;
  QAction* m_stopAction;
  QAction* m_zoomInAction;
  QAction* m_zoomOutAction;
  QAction* m_darkAction;
  QAction* m_shortcutsAction;
  QAction* m_diagnosticsAction;
  QAction* m_aboutAction;
  QString m_packText;          // untranslated pack description (empty: none loaded)
  QString m_packMissing;       // set while no pack is loaded: the banner's message
  QString m_packsFolder;
  QStringList m_attachErrors;  // from one drop or paste, shown together once it is handled
  bool m_randomWeights = false;
  int m_zoom = 0;
  bool m_settingTheme = false;
  // Closing while an answer runs: wait for the stopped answer to be saved, at most kCloseWaitMs.
  static constexpr int kCloseWaitMs = 8000;
  QTimer m_closeWait;
  QMetaObject::Connection m_closeWhenIdle;
  bool m_closeAnyway = false;
};

}  // namespace seedcanvas::ui
