// One turn of the conversation: who said it, its Markdown text with pictures placed where the
// model drew them, the sibling switcher ("< 2/3 >"), streaming progress with the diffusion
// preview, and an inline error with what to do next.
#pragma once

#include <QFrame>
#include <QImage>

#include "chat_types.h"
#include "image_card.h"

class QLabel;
class QToolButton;
class QVBoxLayout;

namespace seedcanvas::ui {

class MessageWidget : public QFrame {
  Q_OBJECT
 public:
  explicit MessageWidget(QWidget* parent = nullptr);
  void setMessage(const ChatMessage& message, int siblingIndex, int siblingCount);
  // Text and picture widgets made so far (never deleted; shown or hidden as the message needs).
  qsizetype partsMade() const { return m_texts.size() + m_cards.size(); }
  qint64 messageId() const { return m_id; }

 signals:
  void siblingRequested(qint64 id, int delta);
  void regenerateRequested(qint64 id);
  void editRequested(qint64 id);
  void imageActionRequested(qint64 id, int imageIndex, seedcanvas::ui::ImageAction action);

 private:
  QLabel* textLabel(int i);
  ImageCard* imageCard(int i);

  qint64 m_id = 0;
  QFrame* m_bubble;
  QLabel* m_role;
  QWidget* m_switcher;
  QLabel* m_siblingLabel;
  QToolButton* m_prev;
  QToolButton* m_next;
  QToolButton* m_copy;
  QToolButton* m_regenerate;
  QToolButton* m_edit;
  QVBoxLayout* m_body;
  QList<QLabel*> m_texts;
  QList<ImageCard*> m_cards;
  QLabel* m_progress;
  QLabel* m_preview;
  QLabel* m_error;
  QLabel* m_status;
  QString m_plainText;
};

}  // namespace seedcanvas::ui
