// The main window: chat list on the left; on the right the pack banner, the chat canvas and
// the composer. Handles the image actions, drag-and-drop onto the window, Esc to stop, the
// theme, and export. Engine-free: it talks to the ChatController only.
#pragma once

#include <QMainWindow>

#include "image_card.h"

class QLabel;
class QFrame;
class QPushButton;
class QProgressBar;

namespace seedcanvas::ui {

class ChatController;
class ChatSidebar;
class Composer;
class ConversationView;

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

 signals:
  void darkThemeToggled(bool dark);
  void generateDemoPackRequested();
  void modelManagerRequested();  // File > Model packs… (the dialog lives in app/gui)

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void onImageAction(int row, int imageIndex, ImageAction action);
  void exportChat();
  void showAbout();

  ChatController* m_controller;
  ChatSidebar* m_sidebar;
  ConversationView* m_view;
  Composer* m_composer;
  QFrame* m_banner;
  QLabel* m_bannerText;
  QPushButton* m_bannerButton;
  QLabel* m_packStatus;
  QLabel* m_stats;
  QProgressBar* m_loadBar;
  class QAction* m_darkAction;
};

}  // namespace seedcanvas::ui
