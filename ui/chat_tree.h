// A conversation as a tree: regenerating or editing a turn adds a sibling, nothing is erased.
// Each node remembers which child is shown; the shown branch is the path from a root down
// through the shown children. Pure logic, no Qt widgets; the conversation model wraps it.
#pragma once

#include <QHash>
#include <QList>

#include "chat_types.h"

namespace seedcanvas::ui {

class ChatTree {
 public:
  void clear();
  // Adds (or replaces) a node. Children are ordered by insertion; the new one becomes shown.
  void add(const ChatMessage& message);
  void remove(qint64 id);  // a leaf only (a reply that never committed)
  void renameId(qint64 from, qint64 to);

  bool contains(qint64 id) const { return m_nodes.contains(id); }
  const ChatMessage* find(qint64 id) const;
  ChatMessage* find(qint64 id);
  int size() const { return static_cast<int>(m_nodes.size()); }

  QList<qint64> children(qint64 parent) const { return m_children.value(parent); }
  QList<qint64> siblings(qint64 id) const;  // including id, in order
  int siblingIndex(qint64 id) const;        // position among its siblings

  void show(qint64 id);  // makes id and its ancestors the shown children
  qint64 shownChild(qint64 parent) const;   // 0 when none
  // Root -> id, then down through shown children to a leaf.
  QList<qint64> branchThrough(qint64 id) const;
  QList<qint64> shownBranch() const { return branchThrough(0); }

 private:
  QHash<qint64, ChatMessage> m_nodes;
  QHash<qint64, QList<qint64>> m_children;  // key 0: the roots
  QHash<qint64, qint64> m_shown;            // parent -> shown child
};

}  // namespace seedcanvas::ui
