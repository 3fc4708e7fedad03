// Help > Keyboard shortcuts: a sheet listing the app's shortcuts, built from the actions that
// carry them, so the list cannot drift from what the keys do.
#pragma once

#include <QDialog>
#include <QList>
#include <QPair>

class QTableWidget;

namespace seedcanvas::ui {

class ShortcutsDialog : public QDialog {
  Q_OBJECT
 public:
  // (what it does, key sequence) pairs, in the order shown.
  ShortcutsDialog(const QList<QPair<QString, QKeySequence>>& shortcuts, QWidget* parent = nullptr);
  QTableWidget* table() const { return m_table; }

 private:
  QTableWidget* m_table;
};

}  // namespace seedcanvas::ui
