#include "chat_list_model.h"

#include <QLocale>

namespace seedcanvas::ui {

ChatListModel::ChatListModel(QObject* parent) : QAbstractListModel(parent) {}

int ChatListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_chats.size());
}

QVariant ChatListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const auto& c = m_chats[index.row()];
  switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
    case TitleRole: return c.title;
    case Qt::ToolTipRole:
      return tr("%1 — last message %2").arg(c.title, QLocale().toString(c.updated, QLocale::ShortFormat));
    case IdRole: return c.id;
    case UpdatedRole: return c.updated;
    default: return {};
  }
}

bool ChatListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid) || role != Qt::EditRole) return false;
  const QString title = value.toString().trimmed();
  if (title.isEmpty() || title == m_chats[index.row()].title) return false;
  m_chats[index.row()].title = title;
  emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole, TitleRole});
  emit renameRequested(m_chats[index.row()].id, title);
  return true;
}

Qt::ItemFlags ChatListModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> ChatListModel::roleNames() const {
  auto names = QAbstractListModel::roleNames();
  names.insert({{IdRole, "chatId"}, {TitleRole, "title"}, {UpdatedRole, "updated"}});
  return names;
}

void ChatListModel::setChats(const QList<ChatSummary>& chats) {
  beginResetModel();
  m_chats = chats;
  endResetModel();
}

int ChatListModel::rowOf(qint64 id) const {
  for (int i = 0; i < m_chats.size(); ++i)
    if (m_chats[i].id == id) return i;
  return -1;
}

qint64 ChatListModel::idAt(int row) const { return row >= 0 && row < m_chats.size() ? m_chats[row].id : 0; }

void ChatListModel::upsert(const ChatSummary& chat) {
  const int row = rowOf(chat.id);
  if (row == 0) {
    m_chats[0] = chat;
    emit dataChanged(index(0), index(0));
    return;
  }
  if (row > 0) {
    beginMoveRows({}, row, row, {}, 0);
    m_chats.move(row, 0);
    endMoveRows();
    m_chats[0] = chat;
    emit dataChanged(index(0), index(0));
    return;
  }
  beginInsertRows({}, 0, 0);
  m_chats.prepend(chat);
  endInsertRows();
}

void ChatListModel::removeChat(qint64 id) {
  const int row = rowOf(id);
  if (row < 0) return;
  beginRemoveRows({}, row, row);
  m_chats.removeAt(row);
  endRemoveRows();
}

}  // namespace seedcanvas::ui
