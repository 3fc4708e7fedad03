#include "conversation_view.h"

#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>
#include <algorithm>

#include "message_widget.h"
#include "theme.h"

namespace seedcanvas::ui {

ConversationView::ConversationView(ConversationModel* model, QWidget* parent)
    : QScrollArea(parent), m_model(model) {
  setObjectName(QStringLiteral("conversationView"));
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_canvas = new QWidget(this);
  m_canvas->setObjectName(QStringLiteral("canvas"));
  // As wide as the view, never wider: there is no horizontal scroll bar, so a row wider than the
  // view (a long URL or code line sets a label's minimum width) would push every row's right
  // edge out of sight. A row that cannot shrink is clipped at the view's edge instead.
  m_canvas->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  m_column = new QVBoxLayout(m_canvas);
  m_column->setContentsMargins(24, 12, 24, 12);
  m_column->setSpacing(4);

  m_empty = new QWidget(m_canvas);
  m_empty->setObjectName(QStringLiteral("emptyState"));
  auto* el = new QVBoxLayout(m_empty);
  m_logo = new QLabel(m_empty);
  m_logo->setPixmap(icon(QStringLiteral("app")).pixmap(64, 64));
  m_logo->setAlignment(Qt::AlignCenter);
  m_welcome = new QLabel(m_empty);
  m_welcome->setObjectName(QStringLiteral("welcomeLabel"));
  m_welcome->setAlignment(Qt::AlignCenter);
  m_welcome->setWordWrap(true);
  el->addStretch();
  el->addWidget(m_logo);
  el->addWidget(m_welcome);
  for (int i = 0; i < 3; ++i) {
    auto* b = new QPushButton(m_empty);
    b->setObjectName(QStringLiteral("exampleButton"));
    b->setFlat(true);
    connect(b, &QPushButton::clicked, this, [this, b] { emit examplePicked(b->text()); });
    el->addWidget(b, 0, Qt::AlignHCenter);
    m_examples << b;
  }
  el->addStretch();
  retranslateEmptyState();
  m_column->addWidget(m_empty, 1);
  m_column->addStretch();
  setWidget(m_canvas);

  m_frame.setSingleShot(true);
  m_frame.setInterval(16);  // one coalesced refresh per frame
  connect(&m_frame, &QTimer::timeout, this, &ConversationView::flushPending);

  // Follow the stream only while the reader is at the bottom.
  connect(verticalScrollBar(), &QScrollBar::valueChanged, this,
          [this](int v) { m_stickToBottom = v >= verticalScrollBar()->maximum() - 4; });
  connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
    if (m_stickToBottom) verticalScrollBar()->setValue(max);
    else if (m_restoreScroll >= 0 && max >= m_restoreScroll) {
      verticalScrollBar()->setValue(m_restoreScroll);  // the reader's place before a rebuild
      m_restoreScroll = -1;
    }
  });

  connect(model, &QAbstractItemModel::modelReset, this, &ConversationView::rebuild);
  connect(model, &QAbstractItemModel::rowsInserted, this,
          [this](const QModelIndex&, int first, int last) { insertRows(first, last); });
  connect(model, &QAbstractItemModel::rowsRemoved, this,
          [this](const QModelIndex&, int first, int last) { removeRows(first, last); });
  connect(model, &QAbstractItemModel::dataChanged, this,
          [this](const QModelIndex& tl, const QModelIndex& br) {
            for (int r = tl.row(); r <= br.row(); ++r) scheduleRow(r);
          });
  rebuild();
}

void ConversationView::retranslateEmptyState() {
  setAccessibleName(tr("Conversation"));
  setAccessibleDescription(tr("The messages of the open chat, oldest first."));
  m_logo->setAccessibleName(tr("SeedCanvas logo"));
  m_welcome->setAccessibleName(tr("Welcome"));
  m_welcome->setText(tr("<h2>What shall we make?</h2><p>Describe a picture, drop images here to talk about "
                        "them, or turn on <b>Draw</b> to always get a picture back.</p>"));
  const QStringList examples = {tr("Draw a lighthouse on a cliff at sunset"),
                                tr("A watercolor fox sleeping in the snow"),
                                tr("Describe the picture I attached")};
  for (int i = 0; i < m_examples.size() && i < examples.size(); ++i) {
    m_examples[i]->setText(examples[i]);
    m_examples[i]->setAccessibleName(tr("Example prompt: %1").arg(examples[i]));
    m_examples[i]->setAccessibleDescription(tr("Puts this example into the message box."));
  }
}

void ConversationView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) {
    retranslateEmptyState();
    rebuild();  // message widgets set their texts when made
  }
  // Links in the answers got their colour from the palette when their Markdown was parsed: a
  // theme switch needs them parsed again. Later, not here: Qt is still walking its list of
  // widgets to tell each one, and the rebuild deletes some.
  if (event->type() == QEvent::PaletteChange && !m_rebuildQueued) {
    m_rebuildQueued = true;
    QMetaObject::invokeMethod(this, [this] { rebuildInPlace(); }, Qt::QueuedConnection);
  }
  QScrollArea::changeEvent(event);
}

void ConversationView::rebuildInPlace() {
  m_rebuildQueued = false;
  const bool atBottom = m_stickToBottom;
  const int value = verticalScrollBar()->value();
  rebuild();
  m_stickToBottom = atBottom;
  m_restoreScroll = atBottom ? -1 : value;
}

void ConversationView::setEmptyText(const QString& html) {
  if (auto* l = m_empty->findChild<QLabel*>(QStringLiteral("welcomeLabel"))) l->setText(html);
}

void ConversationView::rebuild() {
  m_pending.clear();
  qDeleteAll(m_rows);
  m_rows.clear();
  insertRows(0, m_model->rowCount() - 1);
  m_stickToBottom = true;
}

void ConversationView::insertRows(int first, int last) {
  m_tabOrdered = -1;  // new rows: order the Tab chain again
  for (int r = first; r <= last; ++r) {
    auto* w = new MessageWidget(m_canvas);
    connect(w, &MessageWidget::siblingRequested, this,
            [this](qint64 id, int d) { emit siblingRequested(m_model->rowOf(id), d); });
    connect(w, &MessageWidget::regenerateRequested, this,
            [this](qint64 id) { emit regenerateRequested(m_model->rowOf(id)); });
    connect(w, &MessageWidget::editRequested, this, [this](qint64 id) { emit editRequested(m_model->rowOf(id)); });
    connect(w, &MessageWidget::imageActionRequested, this,
            [this](qint64 id, int i, ImageAction a) { emit imageActionRequested(m_model->rowOf(id), i, a); });
    m_rows.insert(r, w);
    m_column->insertWidget(r + 1, w);  // after the (hidden) empty state
    refreshRow(r);
  }
  // Pending refreshes below the insertion moved down.
  QSet<int> moved;
  for (int p : m_pending) moved.insert(p > last ? p + (last - first + 1) : p);
  m_pending = moved;
  m_stickToBottom = true;
  updateEmptyState();
  orderTabChain();
}

void ConversationView::removeRows(int first, int last) {
  for (int r = last; r >= first; --r) delete m_rows.takeAt(r);
  QSet<int> kept;
  for (int p : m_pending)
    if (p < first) kept.insert(p);
    else if (p > last) kept.insert(p - (last - first + 1));
  m_pending = kept;
  updateEmptyState();
}

void ConversationView::scheduleRow(int row) {
  m_pending.insert(row);
  if (!m_frame.isActive()) m_frame.start();
}

void ConversationView::flushPending() {
  m_frame.stop();
  const auto rows = m_pending;
  m_pending.clear();
  for (int r : rows) refreshRow(r);
  orderTabChain();
}

// Qt appends a widget to the Tab chain when it is made, so the rows' buttons (made after the
// composer, some only when an answer grows a picture) came after Send instead of between the
// chat list and the composer. Put them right after the view, row by row, top to bottom.
void ConversationView::orderTabChain() {
  // Runs on every streamed frame: count the rows' parts (cheap) instead of walking every widget.
  qsizetype parts = 0;
  for (const MessageWidget* row : m_rows) parts += row->partsMade();
  if (parts == m_tabOrdered) return;  // nothing made since the last time (new rows reset it)
  m_tabOrdered = parts;
  QWidget* previous = this;
  for (MessageWidget* row : m_rows) {
    QList<QWidget*> stops;
    for (QWidget* w : row->findChildren<QWidget*>())
      if (w->focusPolicy() & Qt::TabFocus) stops << w;
    auto place = [row](QWidget* w) { return w->mapTo(row, QPoint(0, 0)); };
    std::stable_sort(stops.begin(), stops.end(), [&](QWidget* a, QWidget* b) {
      const QPoint pa = place(a), pb = place(b);
      return pa.y() != pb.y() ? pa.y() < pb.y() : pa.x() < pb.x();
    });
    for (QWidget* w : stops) {
      QWidget::setTabOrder(previous, w);
      previous = w;
    }
  }
}

void ConversationView::refreshRow(int row) {
  if (row < 0 || row >= m_rows.size()) return;
  const auto* m = m_model->messageAt(row);
  if (!m) return;
  const auto& tree = m_model->tree();
  m_rows[row]->setMessage(*m, tree.siblingIndex(m->id), static_cast<int>(tree.siblings(m->id).size()));
}

void ConversationView::updateEmptyState() { m_empty->setVisible(m_rows.isEmpty()); }

}  // namespace seedcanvas::ui
