#include "conversation_model.h"

namespace seedcanvas::ui {

ConversationModel::ConversationModel(QObject* parent) : QAbstractListModel(parent) {}

int ConversationModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

const ChatMessage* ConversationModel::messageAt(int row) const {
  return row >= 0 && row < m_rows.size() ? m_tree.find(m_rows[row]) : nullptr;
}

QVariant ConversationModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const auto* m = messageAt(index.row());
  if (!m) return {};
  switch (role) {
    case Qt::DisplayRole:
    case TextRole: return m->text;
    case Qt::AccessibleTextRole:
      return (m->role == Role::User ? tr("You: %1") : tr("SeedCanvas: %1")).arg(m->text);
    case IdRole: return m->id;
    case ParentIdRole: return m->parentId;
    case RoleRole: return static_cast<int>(m->role);
    case ImagesRole: return QVariant::fromValue(m->images);
    case ImageCountRole: return static_cast<int>(m->images.size());
    case SiblingIndexRole: return m_tree.siblingIndex(m->id);
    case SiblingCountRole: return static_cast<int>(m_tree.siblings(m->id).size());
    case StatusRole: return m->status;
    case StreamingRole: return m->streaming;
    case ProgressRole: return m->progress;
    case PreviewRole: return m->preview;
    case ErrorRole: return m->error;
    default: return {};
  }
}

QHash<int, QByteArray> ConversationModel::roleNames() const {
  auto names = QAbstractListModel::roleNames();
  names.insert({{IdRole, "messageId"}, {ParentIdRole, "parentId"}, {RoleRole, "role"}, {TextRole, "text"},
                {ImagesRole, "images"}, {ImageCountRole, "imageCount"}, {SiblingIndexRole, "siblingIndex"},
                {SiblingCountRole, "siblingCount"}, {StatusRole, "status"}, {StreamingRole, "streaming"},
                {ProgressRole, "progress"}, {PreviewRole, "preview"}, {ErrorRole, "error"}});
  return names;
}

void ConversationModel::setMessages(const QList<ChatMessage>& messages, qint64 shownLeaf) {
  beginResetModel();
  m_tree.clear();
  for (const auto& m : messages) m_tree.add(m);  // ids ascend, so the newest child ends up shown
  if (m_tree.contains(shownLeaf)) m_tree.show(shownLeaf);
  m_rows = m_tree.shownBranch();
  endResetModel();
  emit branchChanged();
}

void ConversationModel::addMessage(const ChatMessage& message) {
  m_tree.add(message);
  m_tree.show(message.id);
  applyBranch(m_tree.branchThrough(message.id));
}

void ConversationModel::removeMessage(qint64 id) {
  if (!m_tree.contains(id)) return;
  const qint64 parent = m_tree.find(id)->parentId;
  m_tree.remove(id);
  applyBranch(parent ? m_tree.branchThrough(parent) : m_tree.shownBranch());
}

void ConversationModel::renameMessage(qint64 from, qint64 to) {
  m_tree.renameId(from, to);
  const int row = rowOf(from);
  if (row < 0) return;
  m_rows[row] = to;
  emit dataChanged(index(row), index(row), {IdRole});
  if (row + 1 < m_rows.size()) emit dataChanged(index(row + 1), index(row + 1), {ParentIdRole});
}

bool ConversationModel::showSibling(int row, int delta) {
  const auto* m = messageAt(row);
  if (!m) return false;
  const auto sibs = m_tree.siblings(m->id);
  const int to = static_cast<int>(sibs.indexOf(m->id)) + delta;
  if (to < 0 || to >= sibs.size()) return false;
  m_tree.show(sibs[to]);
  applyBranch(m_tree.branchThrough(sibs[to]));
  return true;
}

void ConversationModel::updateMessage(qint64 id, const std::function<void(ChatMessage&)>& change) {
  auto* m = m_tree.find(id);
  if (!m) return;
  change(*m);
  const int row = rowOf(id);
  if (row >= 0) emit dataChanged(index(row), index(row));
}

QList<ChatMessage> ConversationModel::branch(int lastRow) const {
  QList<ChatMessage> out;
  const int end = lastRow < 0 ? static_cast<int>(m_rows.size()) : qMin<int>(lastRow + 1, m_rows.size());
  for (int r = 0; r < end; ++r) out.append(*m_tree.find(m_rows[r]));
  return out;
}

void ConversationModel::applyBranch(const QList<qint64>& rows) {
  int common = 0;
  while (common < m_rows.size() && common < rows.size() && m_rows[common] == rows[common]) ++common;
  if (common < m_rows.size()) {
    beginRemoveRows({}, common, static_cast<int>(m_rows.size()) - 1);
    m_rows.resize(common);
    endRemoveRows();
  }
  if (common < rows.size()) {
    beginInsertRows({}, common, static_cast<int>(rows.size()) - 1);
    m_rows = rows;
    endInsertRows();
  }
  // Rows above the switch point are untouched: only the replaced rows' siblings changed.
  emit branchChanged();
}

}  // namespace seedcanvas::ui
