// The shown branch of one chat as a list: one row per turn. Switching siblings replaces the
// rows below the switch point; a streaming reply updates its own (last) row with dataChanged.
#pragma once

#include <QAbstractListModel>
#include <functional>

#include "chat_tree.h"

namespace seedcanvas::ui {

class ConversationModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Roles {
    IdRole = Qt::UserRole + 1,
    ParentIdRole,
    RoleRole,           // int(Role)
    TextRole,
    ImagesRole,         // QList<ChatImage>
    ImageCountRole,
    SiblingIndexRole,   // 0-based
    SiblingCountRole,
    StatusRole,
    StreamingRole,
    ProgressRole,
    PreviewRole,        // QImage
    ErrorRole,
  };

  explicit ConversationModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

  void setMessages(const QList<ChatMessage>& messages, qint64 shownLeaf);  // a whole chat
  void clear() { setMessages({}, 0); }
  // Adds a turn and shows it (as a new sibling when its parent already has children).
  void addMessage(const ChatMessage& message);
  void removeMessage(qint64 id);            // an uncommitted reply
  void renameMessage(qint64 from, qint64 to);
  // Shows the sibling `delta` steps away from the turn at `row`; false when there is none.
  bool showSibling(int row, int delta);
  void updateMessage(qint64 id, const std::function<void(ChatMessage&)>& change);

  const ChatTree& tree() const { return m_tree; }
  const ChatMessage* messageAt(int row) const;
  int rowOf(qint64 id) const { return static_cast<int>(m_rows.indexOf(id)); }
  QList<ChatMessage> branch(int lastRow = -1) const;  // rows 0..lastRow (all when -1)
  qint64 leafId() const { return m_rows.isEmpty() ? 0 : m_rows.last(); }

 signals:
  void branchChanged();

 private:
  void applyBranch(const QList<qint64>& rows);  // minimal remove/insert/dataChanged
  ChatTree m_tree;
  QList<qint64> m_rows;
};

}  // namespace seedcanvas::ui
