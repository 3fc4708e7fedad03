// The chat canvas: a scrolling column of MessageWidgets kept in step with a ConversationModel
// (rows inserted/removed/changed). Updates of a streaming row are coalesced to one repaint per
// frame so the GUI thread stays responsive however fast tokens arrive. Shows a welcome page
// when the chat is empty.
#pragma once

#include <QScrollArea>
#include <QSet>
#include <QTimer>

#include "conversation_model.h"
#include "image_card.h"

class QVBoxLayout;

class QLabel;

class QPushButton;

namespace seedcanvas::ui {

class MessageWidget;

class ConversationView : public QScrollArea {
  Q_OBJECT
 public:
  explicit ConversationView(ConversationModel* model, QWidget* parent = nullptr);
  QList<MessageWidget*> messageWidgets() const { return m_rows; }
  void setEmptyText(const QString& html);
  void flushPending();  // applies coalesced updates now (tests, benchmarks)

 signals:
  void siblingRequested(int row, int delta);
  void regenerateRequested(int row);
  void editRequested(int row);
  void imageActionRequested(int row, int imageIndex, seedcanvas::ui::ImageAction action);
  void examplePicked(const QString& prompt);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslateEmptyState();
  void rebuild();
  void rebuildInPlace();  // rebuild, keeping the reader's place
  void insertRows(int first, int last);
  void removeRows(int first, int last);
  void refreshRow(int row);
  void scheduleRow(int row);
  void updateEmptyState();
  void orderTabChain();  // the rows' controls between the chat list and the composer

  ConversationModel* m_model;
  QWidget* m_canvas;
  QVBoxLayout* m_column;
  QWidget* m_empty;
  QLabel* m_logo;
  QLabel* m_welcome;
  QList<QPushButton*> m_examples;
  QList<MessageWidget*> m_rows;
  QSet<int> m_pending;
  QTimer m_frame;
  bool m_stickToBottom = true;
  bool m_rebuildQueued = false;
  int m_restoreScroll = -1;
  qsizetype m_tabOrdered = -1;  // the rows' parts (MessageWidget::partsMade) when the Tab chain was last ordered
};

}  // namespace seedcanvas::ui
