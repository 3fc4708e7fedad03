// The list of chats: new chat, search across all text, rename in place (F2), delete with undo
// (Delete); Enter or a click opens a chat.
#pragma once

#include <QTimer>
#include <QWidget>

class QLineEdit;
class QPushButton;
class QListView;
class QLabel;
class QFrame;

namespace seedcanvas::ui {

class ChatController;

class ChatSidebar : public QWidget {
  Q_OBJECT
 public:
  explicit ChatSidebar(ChatController* controller, QWidget* parent = nullptr);
  QListView* list() const { return m_list; }
  QLineEdit* searchField() const { return m_search; }
  void selectChat(qint64 chat);
  void showUndo(const QString& title);

 protected:
  void changeEvent(QEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void contextMenu(const QPoint& pos);
  void retranslate();
  ChatController* m_controller;
  QPushButton* m_newChat;
  QPushButton* m_undo;
  QLineEdit* m_search;
  QListView* m_list;
  QFrame* m_undoBar;
  QLabel* m_undoLabel;
  QTimer m_undoTimer;
  QTimer m_searchTimer;
};

}  // namespace seedcanvas::ui
