#include "status_panel.h"

#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <unistd.h>

namespace seedcanvas::ui {

qint64 residentBytes() {
  // statm: size resident shared text lib data dt, in pages.
  QFile f(QStringLiteral("/proc/self/statm"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  const QList<QByteArray> fields = f.readAll().simplified().split(' ');
  if (fields.size() < 2) return 0;
  return fields[1].toLongLong() * static_cast<qint64>(sysconf(_SC_PAGESIZE));
}

StatusPanel::StatusPanel(QWidget* parent) : QWidget(parent) {
  auto* l = new QHBoxLayout(this);
  l->setContentsMargins(0, 0, 0, 0);
  m_placement = new QLabel(this);
  m_placement->setObjectName(QStringLiteral("statusPlacement"));
  m_speed = new QLabel(this);
  m_speed->setObjectName(QStringLiteral("statusSpeed"));
  m_memory = new QLabel(this);
  m_memory->setObjectName(QStringLiteral("statusMemory"));
  for (QLabel* label : {m_placement, m_speed, m_memory}) l->addWidget(label);
  retranslate();
  connect(&m_timer, &QTimer::timeout, this, &StatusPanel::refreshMemory);
  m_timer.start(2000);
  refreshMemory();
}

void StatusPanel::setPlacement(const QString& device, const QString& dtype) {
  m_device = device;
  m_dtype = dtype;
  retranslate();
}

void StatusPanel::setLastAnswer(const GenerationStats& stats) {
  m_stats = stats;
  m_haveStats = true;
  retranslate();
}

QString StatusPanel::placementText() const {
  auto name = [](const QString& v) { return v == QLatin1String("auto") ? tr("automatic") : v; };
  return tr("Device: %1 · %2").arg(name(m_device), name(m_dtype));
}

QString StatusPanel::speedText() const {
  if (!m_haveStats) return tr("No answer yet");
  QString s = tr("%1 tokens/s").arg(QLocale().toString(m_stats.tokensPerSecond, 'f', 1));
  if (m_stats.secondsPerImage > 0)
    s += QStringLiteral(" · ") + tr("%1 s per picture").arg(QLocale().toString(m_stats.secondsPerImage, 'f', 1));
  return s;
}

QString StatusPanel::memoryText() const {
  return tr("Memory: %1").arg(QLocale().formattedDataSize(residentBytes()));
}

void StatusPanel::refreshMemory() { m_memory->setText(memoryText()); }

void StatusPanel::retranslate() {
  m_placement->setText(placementText());
  m_placement->setAccessibleName(tr("Device and number format"));
  m_placement->setAccessibleDescription(tr("Where the model runs and its number format."));
  m_speed->setText(speedText());
  m_speed->setAccessibleName(tr("Speed of the last answer"));
  m_speed->setAccessibleDescription(tr("Tokens per second and seconds per picture of the last answer."));
  m_memory->setAccessibleName(tr("Memory in use"));
  m_memory->setAccessibleDescription(tr("Memory this program uses (resident set)."));
  refreshMemory();
}

void StatusPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::LanguageChange) retranslate();
  QWidget::changeEvent(event);
}

}  // namespace seedcanvas::ui
