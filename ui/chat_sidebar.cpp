#include "chat_sidebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QEvent>
#include <QKeyEvent>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>
#include <QAction>

#include "chat_controller.h"
#include "theme.h"

namespace seedcanvas::ui {

namespace {

// Rows as wide as the list: a list view lays rows out as wide as the widest title, so a narrow
// list scrolled sideways and cut titles off; now a long title ends in "…" (its tooltip has all).
class ListWidthDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(1);
    return s;
  }
};

}  // namespace

ChatSidebar::ChatSidebar(ChatController* controller, QWidget* parent) : QWidget(parent), m_controller(controller) {
  setObjectName(QStringLiteral("chatSidebar"));
  setAccessibleName(tr("Chats"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 4, 8);
  m_newChat = new QPushButton(icon(QStringLiteral("new-chat")), QString(), this);
  m_newChat->setObjectName(QStringLiteral("newChatButton"));
  connect(m_newChat, &QPushButton::clicked, controller, &ChatController::newChat);
  layout->addWidget(m_newChat);

  m_search = new QLineEdit(this);
  m_search->setObjectName(QStringLiteral("chatSearch"));
  m_search->setClearButtonEnabled(true);
  layout->addWidget(m_search);
  m_searchTimer.setSingleShot(true);
  m_searchTimer.setInterval(200);
  connect(m_search, &QLineEdit::textChanged, &m_searchTimer, qOverload<>(&QTimer::start));
  connect(&m_searchTimer, &QTimer::timeout, this, [this] { m_controller->refreshChats(m_search->text()); });

  m_list = new QListView(this);
  m_list->setObjectName(QStringLiteral("chatList"));
  m_list->setModel(controller->chatList());
  m_list->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::DoubleClicked);
  m_list->setContextMenuPolicy(Qt::CustomContextMenu);
  m_list->setFrameShape(QFrame::NoFrame);
  m_list->setUniformItemSizes(true);
  m_list->setItemDelegate(new ListWidthDelegate(m_list));
  m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_list->setTextElideMode(Qt::ElideRight);
  connect(m_list, &QListView::customContextMenuRequested, this, &ChatSidebar::contextMenu);
  // A click opens a chat; so does Enter on the one the arrow keys moved to.
  auto open = [this](const QModelIndex& i) {
    if (const qint64 id = m_controller->chatList()->idAt(i.row())) m_controller->openChat(id);
  };
  connect(m_list, &QListView::clicked, this, open);
  connect(m_list, &QListView::activated, this, open);
  m_list->installEventFilter(this);
  // A search (or an undone deletion) resets the list: the open chat stays marked in it.
  connect(controller->chatList(), &QAbstractItemModel::modelReset, this,
          [this] { selectChat(m_controller->currentChat()); });
  layout->addWidget(m_list, 1);

  m_undoBar = new QFrame(this);
  m_undoBar->setObjectName(QStringLiteral("undoBar"));
  auto* ub = new QHBoxLayout(m_undoBar);
  ub->setContentsMargins(4, 4, 4, 4);
  m_undoLabel = new QLabel(m_undoBar);
  m_undoLabel->setWordWrap(true);
  m_undo = new QPushButton(m_undoBar);
  m_undo->setObjectName(QStringLiteral("undoButton"));
  ub->addWidget(m_undoLabel, 1);
  ub->addWidget(m_undo);
  m_undoBar->hide();
  layout->addWidget(m_undoBar);
  m_undoTimer.setSingleShot(true);
  m_undoTimer.setInterval(10000);
  connect(m_undo, &QPushButton::clicked, this, [this] {
    m_undoTimer.stop();
    m_undoBar->hide();
    m_controller->undoDelete();
    if (!m_search->text().isEmpty()) m_controller->refreshChats(m_search->text());  // the filter stays
  });
  connect(&m_undoTimer, &QTimer::timeout, this, [this] {
    m_undoBar->hide();
    m_controller->purgeDeleted();
  });
  connect(controller, &ChatController::chatDeleted, this, [this](qint64, const QString& t) { showUndo(t); });
  connect(controller, &ChatController::chatChanged, this, &ChatSidebar::selectChat);
  retranslate();
}

void ChatSidebar::retranslate() {
  setAccessibleName(tr("Chats"));
  m_newChat->setText(tr("New chat"));
  m_newChat->setAccessibleName(tr("New chat"));
  m_newChat->setToolTip(tr("Start a new chat (Ctrl+N)"));
  m_newChat->setAccessibleDescription(tr("Start a new chat (Ctrl+N)"));
  m_search->setAccessibleName(tr("Search chats"));
  m_search->setAccessibleDescription(tr("Shows only the chats whose title or messages contain this text."));
  m_search->setPlaceholderText(tr("Search all chats"));
  // The clear button Qt adds inside the field.
  if (auto* clear = m_search->findChild<QAction*>(QStringLiteral("_q_qlineeditclearaction"))) {
    clear->setText(tr("Clear search"));
    clear->setToolTip(tr("Clear search"));
  }
  for (auto* b : m_search->findChildren<QToolButton*>()) {
    b->setAccessibleName(tr("Clear search"));
    b->setAccessibleDescription(tr("Empties the search field and shows every chat."));
  }
  m_list->setAccessibleName(tr("Chat list"));
  m_list->setAccessibleDescription(tr("Your chats, newest first. Double-click to rename; right-click for more."));
  m_undoLabel->setAccessibleName(tr("Deleted chat"));
  m_undo->setText(tr("Undo"));
  m_undo->setAccessibleName(tr("Undo delete"));
  m_undo->setAccessibleDescription(tr("Brings the deleted chat back."));
}

// Delete in the list deletes the current chat (the undo bar offers it back); F2 renames (the
// list's edit key).
bool ChatSidebar::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_list && event->type() == QEvent::KeyPress &&
      static_cast<QKeyEvent*>(event)->matches(QKeySequence::Delete)) {  // a rename's editor has its own keys
    if (const qint64 id = m_controller->chatList()->idAt(m_list->currentIndex().row())) {
      const int row = m_list->currentIndex().row();
      m_controller->deleteChat(id);
      // The next chat in the list becomes current, so Delete can be pressed again.
      const int rows = m_controller->chatList()->rowCount();
      if (rows > 0 && m_controller->currentChat() == 0)
        m_list->selectionModel()->setCurrentIndex(m_controller->chatList()->index(qMin(row, rows - 1)),
                                                  QItemSelectionModel::NoUpdate);
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void ChatSidebar::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

void ChatSidebar::selectChat(qint64 chat) {
  const int row = m_controller->chatList()->rowOf(chat);
  if (row < 0) m_list->clearSelection();
  else m_list->setCurrentIndex(m_controller->chatList()->index(row));
}

void ChatSidebar::showUndo(const QString& title) {
  m_undoLabel->setText(tr("Deleted “%1”").arg(title));
  m_undoBar->show();
  m_undoTimer.start();
}

void ChatSidebar::contextMenu(const QPoint& pos) {
  const auto index = m_list->indexAt(pos);
  if (!index.isValid()) return;
  const qint64 id = m_controller->chatList()->idAt(index.row());
  QMenu menu(this);
  menu.setAccessibleName(tr("Chat actions"));
  menu.addAction(tr("Rename"), this, [this, index] { m_list->edit(index); })->setShortcut(QKeySequence(Qt::Key_F2));
  menu.addAction(tr("Delete"), this, [this, id] { m_controller->deleteChat(id); })
      ->setShortcut(QKeySequence(QKeySequence::Delete));
  menu.exec(m_list->viewport()->mapToGlobal(pos));
}

}  // namespace seedcanvas::ui
