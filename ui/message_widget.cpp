#include "message_widget.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "theme.h"

namespace seedcanvas::ui {

namespace {

QToolButton* smallButton(QWidget* parent, const QString& iconName, const QString& text) {
  auto* b = new QToolButton(parent);
  b->setIcon(icon(iconName));
  b->setIconSize({16, 16});
  b->setToolTip(text);
  b->setAccessibleName(text);
  b->setAccessibleDescription(text);  // the label already says what the button does
  b->setAutoRaise(true);
  return b;
}

}  // namespace

MessageWidget::MessageWidget(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("messageWidget"));
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(12, 6, 12, 6);
  m_bubble = new QFrame(this);
  outer->addWidget(m_bubble);
  auto* layout = new QVBoxLayout(m_bubble);
  layout->setContentsMargins(12, 8, 12, 8);
  layout->setSpacing(6);

  auto* header = new QHBoxLayout;
  m_role = new QLabel(m_bubble);
  m_role->setObjectName(QStringLiteral("roleLabel"));
  header->addWidget(m_role);
  m_switcher = new QWidget(m_bubble);
  m_switcher->setObjectName(QStringLiteral("siblingSwitcher"));
  auto* sw = new QHBoxLayout(m_switcher);
  sw->setContentsMargins(0, 0, 0, 0);
  sw->setSpacing(0);
  m_prev = smallButton(m_switcher, QStringLiteral("left"), tr("Previous version"));
  m_siblingLabel = new QLabel(m_switcher);
  m_siblingLabel->setObjectName(QStringLiteral("siblingLabel"));
  m_siblingLabel->setAccessibleName(tr("Version"));
  m_next = smallButton(m_switcher, QStringLiteral("right"), tr("Next version"));
  sw->addWidget(m_prev);
  sw->addWidget(m_siblingLabel);
  sw->addWidget(m_next);
  header->addWidget(m_switcher);
  header->addStretch();
  m_status = new QLabel(m_bubble);
  m_status->setAccessibleName(tr("Message status"));
  m_status->setEnabled(false);
  header->addWidget(m_status);
  m_copy = smallButton(m_bubble, QStringLiteral("copy"), tr("Copy text"));
  m_edit = smallButton(m_bubble, QStringLiteral("edit"), tr("Edit and send again (new branch)"));
  m_regenerate = smallButton(m_bubble, QStringLiteral("regenerate"), tr("Regenerate (new branch)"));
  header->addWidget(m_copy);
  header->addWidget(m_edit);
  header->addWidget(m_regenerate);
  layout->addLayout(header);

  m_body = new QVBoxLayout;
  m_body->setSpacing(6);
  layout->addLayout(m_body);

  // Progress and the drawing preview live in the body: they stand where the picture will be.
  m_progress = new QLabel(m_bubble);
  m_progress->setObjectName(QStringLiteral("progressLabel"));
  m_progress->setAccessibleName(tr("Generation progress"));
  m_progress->setEnabled(false);
  m_body->addWidget(m_progress);
  m_preview = new QLabel(m_bubble);
  m_preview->setObjectName(QStringLiteral("previewLabel"));
  m_preview->setAccessibleName(tr("Picture being drawn"));
  m_body->addWidget(m_preview);
  m_error = new QLabel(m_bubble);
  m_error->setObjectName(QStringLiteral("errorLabel"));
  m_error->setAccessibleName(tr("Error"));
  m_error->setAccessibleDescription(tr("What went wrong with this answer, and what to do next."));
  m_error->setWordWrap(true);
  m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_error);

  connect(m_prev, &QToolButton::clicked, this, [this] { emit siblingRequested(m_id, -1); });
  connect(m_next, &QToolButton::clicked, this, [this] { emit siblingRequested(m_id, +1); });
  connect(m_regenerate, &QToolButton::clicked, this, [this] { emit regenerateRequested(m_id); });
  connect(m_edit, &QToolButton::clicked, this, [this] { emit editRequested(m_id); });
  connect(m_copy, &QToolButton::clicked, this, [this] { QApplication::clipboard()->setText(m_plainText); });
}

QLabel* MessageWidget::textLabel(int i) {
  while (m_texts.size() <= i) {
    auto* l = new QLabel(m_bubble);
    l->setObjectName(QStringLiteral("messageText"));
    l->setAccessibleName(tr("Message text"));
    l->setAccessibleDescription(tr("Part of the message; the text can be selected and copied."));
    l->setTextFormat(Qt::MarkdownText);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextBrowserInteraction);
    l->setOpenExternalLinks(true);
    m_texts.append(l);
  }
  return m_texts[i];
}

ImageCard* MessageWidget::imageCard(int i) {
  while (m_cards.size() <= i) {
    auto* c = new ImageCard(m_bubble);
    const int index = static_cast<int>(m_cards.size());
    connect(c, &ImageCard::actionRequested, this,
            [this, index](ImageAction a) { emit imageActionRequested(m_id, index, a); });
    m_cards.append(c);
  }
  return m_cards[i];
}

void MessageWidget::setMessage(const ChatMessage& m, int siblingIndex, int siblingCount) {
  m_id = m.id;
  const bool user = m.role == Role::User;
  const QString bubble = user ? QStringLiteral("userBubble") : QStringLiteral("assistantBubble");
  if (m_bubble->objectName() != bubble) {  // re-polish only when the style rule changes
    m_bubble->setObjectName(bubble);
    style()->unpolish(m_bubble);
    style()->polish(m_bubble);
  }
  m_bubble->setAccessibleName(user ? tr("Your message") : tr("SeedCanvas answer"));
  m_role->setText(user ? tr("You") : tr("SeedCanvas"));
  m_switcher->setVisible(siblingCount > 1);
  m_siblingLabel->setText(QStringLiteral("%1/%2").arg(siblingIndex + 1).arg(siblingCount));
  m_prev->setEnabled(siblingIndex > 0 && !m.streaming);
  m_next->setEnabled(siblingIndex + 1 < siblingCount && !m.streaming);
  m_edit->setVisible(user && m.id > 0);
  m_regenerate->setVisible(!user && !m.streaming);
  m_copy->setVisible(!m.streaming);
  m_status->setText(m.status == QStringLiteral("stopped") ? tr("stopped") : QString());

  // Segments: a user's pictures come first; an answer's sit at their markers.
  QStringList parts = user ? QStringList{m.text} : m.text.split(imageMarker());
  if (user) parts.prepend(QString());
  m_plainText = QString(m.text).remove(imageMarker()).trimmed();
  const int pictures = static_cast<int>(m.images.size());
  int t = 0;
  int c = 0;
  int pos = 0;
  auto place = [&](QWidget* w) {
    if (m_body->indexOf(w) != pos) {
      m_body->removeWidget(w);
      // Text takes the whole width: aligned, a wrapping label gets its one-line size hint and
      // its height is not worked out for the width it ends up with (the text was cut off).
      const bool text = qobject_cast<QLabel*>(w) && w != m_preview;
      m_body->insertWidget(pos, w, 0, text ? Qt::Alignment() : Qt::AlignLeft);
    }
    w->show();
    ++pos;
  };
  auto showPicture = [&](int index, bool canVary) {
    imageCard(index)->setPicture(m.images[index], canVary);
    place(m_cards[index]);
  };
  // Progress and preview go to the first marker still waiting for its picture, else last.
  bool statusPlaced = false;
  auto placeStatus = [&] {
    statusPlaced = true;
    if (!m.progress.isEmpty()) place(m_progress);
    if (!m.preview.isNull()) place(m_preview);
  };
  for (int i = 0; i < parts.size(); ++i) {
    const QString text = parts[i].trimmed();
    if (!text.isEmpty()) {
      auto* l = textLabel(t++);
      // While streaming, plain text: re-parsing Markdown on every token costs whole frames.
      const Qt::TextFormat format = m.streaming ? Qt::PlainText : Qt::MarkdownText;
      if (l->textFormat() != format) {
        l->setTextFormat(format);
        l->setText(text);
      } else if (l->text() != text) {
        l->setText(text);
      }
      place(l);
    }
    // After each part but the last comes a picture (when one has arrived).
    if (user && i == 0) {
      for (; c < pictures; ++c) showPicture(c, false);
    } else if (i + 1 < parts.size() && c < pictures) {
      showPicture(c++, !m.streaming);
    } else if (i + 1 < parts.size() && m.streaming && !statusPlaced) {
      placeStatus();
    }
  }
  for (; c < pictures; ++c) showPicture(c, !user && !m.streaming);  // no marker yet: after the text
  if (!statusPlaced) placeStatus();
  for (int i = t; i < m_texts.size(); ++i) m_texts[i]->hide();
  for (int i = c; i < m_cards.size(); ++i) m_cards[i]->hide();

  m_progress->setText(m.progress);
  m_progress->setVisible(!m.progress.isEmpty());
  if (!m.preview.isNull()) {
    // A small preview grows to the card's size, so it turns into the final picture in place.
    const qreal dpr = devicePixelRatioF();
    QPixmap pm = QPixmap::fromImage(m.preview.scaled(QSize(ImageCard::kDisplaySize, ImageCard::kDisplaySize) * dpr,
                                                     Qt::KeepAspectRatio, Qt::SmoothTransformation));
    pm.setDevicePixelRatio(dpr);
    m_preview->setPixmap(pm);
  }
  m_preview->setVisible(!m.preview.isNull());
  m_error->setText(m.error.isEmpty() ? QString()
                                     : tr("%1\nWhat next: press Regenerate to try again, or check the model pack "
                                          "in the status bar.")
                                           .arg(m.error));
  m_error->setVisible(!m.error.isEmpty());
  if (!m.error.isEmpty()) m_regenerate->setVisible(true);
}

}  // namespace seedcanvas::ui
