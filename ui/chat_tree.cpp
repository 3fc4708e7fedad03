#include "chat_tree.h"

#include <algorithm>

namespace seedcanvas::ui {

void ChatTree::clear() {
  m_nodes.clear();
  m_children.clear();
  m_shown.clear();
}

void ChatTree::add(const ChatMessage& message) {
  const bool known = m_nodes.contains(message.id);
  m_nodes.insert(message.id, message);
  if (!known) m_children[message.parentId].append(message.id);
  m_shown.insert(message.parentId, message.id);
}

void ChatTree::remove(qint64 id) {
  auto it = m_nodes.find(id);
  if (it == m_nodes.end() || !m_children.value(id).isEmpty()) return;
  const qint64 parent = it->parentId;
  m_nodes.erase(it);
  auto& list = m_children[parent];
  list.removeAll(id);
  if (m_shown.value(parent) == id) {
    if (list.isEmpty()) m_shown.remove(parent);
    else m_shown.insert(parent, list.last());
  }
}

void ChatTree::renameId(qint64 from, qint64 to) {
  auto it = m_nodes.find(from);
  if (it == m_nodes.end() || from == to) return;
  ChatMessage m = *it;
  m_nodes.erase(it);
  m.id = to;
  m_nodes.insert(to, m);
  auto& list = m_children[m.parentId];
  std::replace(list.begin(), list.end(), from, to);
  if (m_shown.value(m.parentId) == from) m_shown.insert(m.parentId, to);
  if (m_children.contains(from)) {
    const auto kids = m_children.take(from);
    for (qint64 k : kids) m_nodes[k].parentId = to;
    m_children.insert(to, kids);
  }
  if (m_shown.contains(from)) m_shown.insert(to, m_shown.take(from));
}

const ChatMessage* ChatTree::find(qint64 id) const {
  auto it = m_nodes.constFind(id);
  return it == m_nodes.constEnd() ? nullptr : &*it;
}

ChatMessage* ChatTree::find(qint64 id) {
  auto it = m_nodes.find(id);
  return it == m_nodes.end() ? nullptr : &*it;
}

QList<qint64> ChatTree::siblings(qint64 id) const {
  const auto* m = find(id);
  return m ? m_children.value(m->parentId) : QList<qint64>{};
}

int ChatTree::siblingIndex(qint64 id) const { return static_cast<int>(siblings(id).indexOf(id)); }

void ChatTree::show(qint64 id) {
  // Walk up so the whole path to id becomes the shown branch.
  for (const auto* m = find(id); m; m = find(m->parentId)) {
    m_shown.insert(m->parentId, m->id);
    if (m->parentId == 0) break;
  }
}

qint64 ChatTree::shownChild(qint64 parent) const {
  const auto kids = m_children.value(parent);
  if (kids.isEmpty()) return 0;
  const qint64 s = m_shown.value(parent, 0);
  return kids.contains(s) ? s : kids.last();
}

QList<qint64> ChatTree::branchThrough(qint64 id) const {
  QList<qint64> path;
  for (const auto* m = find(id); m; m = find(m->parentId)) {
    path.prepend(m->id);
    if (m->parentId == 0) break;
  }
  for (qint64 c = shownChild(id); c != 0; c = shownChild(c)) path.append(c);
  return path;
}

}  // namespace seedcanvas::ui
