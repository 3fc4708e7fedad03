#include "shortcuts_dialog.h"

#include <QAbstractButton>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace seedcanvas::ui {

ShortcutsDialog::ShortcutsDialog(const QList<QPair<QString, QKeySequence>>& shortcuts, QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Keyboard shortcuts"));
  setAccessibleName(tr("Keyboard shortcuts"));
  auto* layout = new QVBoxLayout(this);
  m_table = new QTableWidget(int(shortcuts.size()), 2, this);
  m_table->setObjectName(QStringLiteral("shortcutsTable"));
  m_table->setAccessibleName(tr("Keyboard shortcuts"));
  m_table->setAccessibleDescription(tr("Each row names an action and the keys that run it."));
  m_table->setHorizontalHeaderLabels({tr("Action"), tr("Keys")});
  m_table->verticalHeader()->hide();
  m_table->setCornerButtonEnabled(false);
  if (auto* corner = m_table->findChild<QAbstractButton*>()) {
    corner->setAccessibleName(tr("Select all"));
    corner->setAccessibleDescription(tr("Selects every row."));
  }
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  for (int i = 0; i < shortcuts.size(); ++i) {
    m_table->setItem(i, 0, new QTableWidgetItem(shortcuts[i].first));
    m_table->setItem(i, 1, new QTableWidgetItem(shortcuts[i].second.toString(QKeySequence::NativeText)));
  }
  m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  m_table->resizeColumnToContents(1);
  // Tall enough for every row: a help sheet that scrolls hides part of the answer.
  int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
  for (int i = 0; i < m_table->rowCount(); ++i) height += m_table->rowHeight(i);
  m_table->setMinimumHeight(height);
  m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  layout->addWidget(m_table);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  if (auto* close = buttons->button(QDialogButtonBox::Close)) {
    close->setText(tr("Close"));
    close->setAccessibleName(tr("Close"));
    close->setAccessibleDescription(tr("Closes the list of shortcuts."));
  }
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  resize(qMax(420, sizeHint().width()), sizeHint().height());
}

}  // namespace seedcanvas::ui
