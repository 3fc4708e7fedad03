// The sidebar's list of chats (newest first), filled from the store's search results.
#pragma once

#include <QAbstractListModel>

#include "chat_types.h"

namespace seedcanvas::ui {

class ChatListModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Roles { IdRole = Qt::UserRole + 1, TitleRole, UpdatedRole };
  explicit ChatListModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QHash<int, QByteArray> roleNames() const override;

  void setChats(const QList<ChatSummary>& chats);
  int rowOf(qint64 id) const;
  qint64 idAt(int row) const;
  void upsert(const ChatSummary& chat);  // moves it to the top
  void removeChat(qint64 id);

 signals:
  void renameRequested(qint64 id, const QString& title);  // edited in place by the user

 private:
  QList<ChatSummary> m_chats;
};

}  // namespace seedcanvas::ui
