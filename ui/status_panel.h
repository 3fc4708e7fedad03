// The status bar's permanent part (the pack and loading progress sit on its left, in the
// main window): device and number format, the last
// answer's tokens/s and seconds per picture, and the memory this process uses (resident set
// from /proc/self/statm, refreshed every two seconds).
#pragma once

#include <QTimer>
#include <QWidget>

#include "chat_types.h"

class QLabel;

namespace seedcanvas::ui {

qint64 residentBytes();  // 0 where /proc/self/statm cannot be read

class StatusPanel : public QWidget {
  Q_OBJECT
 public:
  explicit StatusPanel(QWidget* parent = nullptr);

  void setPlacement(const QString& device, const QString& dtype);
  void setLastAnswer(const GenerationStats& stats);
  QString placementText() const;
  QString speedText() const;
  QString memoryText() const;

 public slots:
  void refreshMemory();

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void retranslate();
  QLabel* m_placement;
  QLabel* m_speed;
  QLabel* m_memory;
  QTimer m_timer;
  QString m_device = QStringLiteral("auto");
  QString m_dtype = QStringLiteral("auto");
  bool m_haveStats = false;
  GenerationStats m_stats;
};

}  // namespace seedcanvas::ui
