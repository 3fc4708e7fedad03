// The conversation tree and the list models: branch logic, and every change checked by
// QAbstractItemModelTester (fatal mode) while a reply streams into the last row.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "chat_list_model.h"
#include "conversation_model.h"

using namespace seedcanvas::ui;

namespace {

ChatMessage msg(qint64 id, qint64 parent, Role role, const QString& text) {
  ChatMessage m;
  m.id = id;
  m.parentId = parent;
  m.role = role;
  m.text = text;
  return m;
}

QStringList texts(const ConversationModel& model) {
  QStringList out;
  for (int r = 0; r < model.rowCount(); ++r) out << model.index(r).data(ConversationModel::TextRole).toString();
  return out;
}

}  // namespace

class ModelsTest : public QObject {
  Q_OBJECT
 private slots:
  void treeBranches() {
    ChatTree t;
    t.add(msg(1, 0, Role::User, "hi"));
    t.add(msg(2, 1, Role::Assistant, "a"));
    t.add(msg(3, 1, Role::Assistant, "b"));  // regenerate: sibling of 2
    t.add(msg(4, 3, Role::User, "more"));
    QCOMPARE(t.siblings(2), (QList<qint64>{2, 3}));
    QCOMPARE(t.siblingIndex(3), 1);
    QCOMPARE(t.shownBranch(), (QList<qint64>{1, 3, 4}));
    t.show(2);
    QCOMPARE(t.shownBranch(), (QList<qint64>{1, 2}));
    QCOMPARE(t.branchThrough(3), (QList<qint64>{1, 3, 4}));  // remembers 4 below 3
    t.renameId(3, 30);
    QCOMPARE(t.find(4)->parentId, 30);
    QCOMPARE(t.branchThrough(30), (QList<qint64>{1, 30, 4}));
    t.remove(30);  // has a child: refused
    QVERIFY(t.contains(30));
    t.remove(4);
    QVERIFY(!t.contains(4));
    // An edited first turn is a sibling root.
    t.add(msg(5, 0, Role::User, "hello"));
    QCOMPARE(t.siblings(1), (QList<qint64>{1, 5}));
    QCOMPARE(t.shownBranch(), (QList<qint64>{5}));
  }

  void conversationStreamsAndBranches() {
    ConversationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMessages({msg(1, 0, Role::User, "draw a cat"), msg(2, 1, Role::Assistant, "here")}, 2);
    QCOMPARE(model.rowCount(), 2);

    // A reply streams into a new last row; only that row changes.
    ChatMessage reply = msg(-1, 1, Role::Assistant, "");
    reply.streaming = true;
    model.addMessage(reply);
    QCOMPARE(texts(model), (QStringList{"draw a cat", ""}));
    QCOMPARE(model.index(1).data(ConversationModel::SiblingCountRole).toInt(), 2);
    QCOMPARE(model.index(1).data(ConversationModel::SiblingIndexRole).toInt(), 1);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    for (const char* piece : {"a ", "new ", "cat"})
      model.updateMessage(-1, [&](ChatMessage& m) { m.text += QString::fromLatin1(piece); });
    QCOMPARE(changed.count(), 3);
    for (const auto& args : changed) {
      QCOMPARE(args.at(0).toModelIndex().row(), model.rowCount() - 1);
      QCOMPARE(args.at(1).toModelIndex().row(), model.rowCount() - 1);
    }
    QCOMPARE(model.index(1).data().toString(), QString("a new cat"));

    // Committed: the temporary id becomes the database id.
    model.renameMessage(-1, 7);
    QCOMPARE(model.index(1).data(ConversationModel::IdRole).toLongLong(), 7);

    // Arrows switch between siblings; the context (branch) follows.
    QVERIFY(model.showSibling(1, -1));
    QCOMPARE(texts(model), (QStringList{"draw a cat", "here"}));
    QVERIFY(!model.showSibling(1, -1));
    QVERIFY(model.showSibling(1, +1));
    QCOMPARE(model.branch().last().text, QString("a new cat"));

    // Editing the first turn: a sibling root with its own, empty continuation.
    model.addMessage(msg(8, 0, Role::User, "draw a dog"));
    QCOMPARE(texts(model), (QStringList{"draw a dog"}));
    QVERIFY(model.showSibling(0, -1));
    QCOMPARE(texts(model), (QStringList{"draw a cat", "a new cat"}));  // remembers the shown reply

    // A reply stopped before any output disappears without a trace.
    ChatMessage empty = msg(-2, 7, Role::User, "");
    model.addMessage(empty);
    QCOMPARE(model.rowCount(), 3);
    model.removeMessage(-2);
    QCOMPARE(model.rowCount(), 2);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
  }

  void chatListModel() {
    ChatListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto now = QDateTime::currentDateTime();
    model.setChats({{3, "three", now}, {2, "two", now}, {1, "one", now}});
    QCOMPARE(model.rowCount(), 3);
    model.upsert({1, "one again", now});  // moves to the top
    QCOMPARE(model.idAt(0), 1);
    QCOMPARE(model.index(0).data().toString(), QString("one again"));
    model.upsert({4, "four", now});
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.idAt(0), 4);
    QSignalSpy rename(&model, &ChatListModel::renameRequested);
    QVERIFY(model.setData(model.index(2), QString("renamed")));
    QCOMPARE(rename.count(), 1);
    QCOMPARE(rename.at(0).at(0).toLongLong(), model.idAt(2));
    QVERIFY(!model.setData(model.index(2), QString("  ")));  // blank titles are refused
    model.removeChat(2);
    QCOMPARE(model.rowOf(2), -1);
    QCOMPARE(model.rowCount(), 3);
  }
};

QTEST_GUILESS_MAIN(ModelsTest)
#include "test_models.moc"
