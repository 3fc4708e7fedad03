#include "model_manager_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "pack_download.h"

namespace seedcanvas::gui {

namespace {

enum Column { Name, Size, Weights, Estimate, Location, ColumnCount };

// Progress bars hold ints: scale bytes to KiB so multi-GB files fit.
int kib(qint64 bytes) { return int(std::min<qint64>(bytes / 1024, std::numeric_limits<int>::max())); }

}  // namespace

ModelManagerDialog::ModelManagerDialog(const QString& dataDir, QWidget* parent)
    : QDialog(parent), m_dataDir(dataDir), m_downloader(new PackDownloader(this)) {
  setWindowTitle(tr("Model packs"));
  setAccessibleName(tr("Model packs"));
  auto* layout = new QVBoxLayout(this);

  m_packList = new QTreeWidget;
  m_packList->setAccessibleName(tr("Installed model packs"));
  m_packList->setAccessibleDescription(tr("Packs found on this machine with size, weight type, memory estimate and location"));
  m_packList->setColumnCount(ColumnCount);
  m_packList->setHeaderLabels({tr("Name"), tr("Size"), tr("Weights"), tr("Needs"), tr("Location")});
  m_packList->setRootIsDecorated(false);
  m_packList->header()->setStretchLastSection(true);
  layout->addWidget(m_packList, 2);

  m_details = new QLabel;
  m_details->setAccessibleName(tr("Pack details"));
  m_details->setWordWrap(true);
  m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_details);

  auto* choice = new QHBoxLayout;
  m_device = new QComboBox;
  m_device->setAccessibleName(tr("Device"));
  m_device->addItem(tr("Automatic"), QStringLiteral("auto"));
  m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
  m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
  m_dtype = new QComboBox;
  m_dtype->setAccessibleName(tr("Weight precision"));
  m_dtype->addItem(tr("Automatic"), QStringLiteral("auto"));
  m_dtype->addItem(tr("32-bit float"), QStringLiteral("fp32"));
  m_dtype->addItem(tr("bfloat16"), QStringLiteral("bf16"));
  m_dtype->addItem(tr("float16"), QStringLiteral("fp16"));
  auto* deviceLabel = new QLabel(tr("&Device:"));
  deviceLabel->setBuddy(m_device);
  auto* dtypeLabel = new QLabel(tr("&Precision:"));
  dtypeLabel->setBuddy(m_dtype);
  choice->addWidget(deviceLabel);
  choice->addWidget(m_device);
  choice->addWidget(dtypeLabel);
  choice->addWidget(m_dtype);
  choice->addStretch();
  m_addButton = new QPushButton(tr("&Add from folder…"));
  m_addButton->setAccessibleName(tr("Add a pack from a folder"));
  m_useButton = new QPushButton(tr("&Use this pack"));
  m_useButton->setAccessibleName(tr("Use the selected pack"));
  choice->addWidget(m_addButton);
  choice->addWidget(m_useButton);
  layout->addLayout(choice);

  auto* download = new QGroupBox(tr("Download a pack"));
  download->setAccessibleName(tr("Download a pack"));
  auto* form = new QFormLayout(download);
  m_catalogCombo = new QComboBox;
  m_catalogCombo->setAccessibleName(tr("Pack to download"));
  m_baseUrl = new QLineEdit(QSettings().value(QStringLiteral("download/baseUrl"), QString::fromLatin1(kDefaultHubUrl)).toString());
  m_baseUrl->setAccessibleName(tr("Download server"));
  m_baseUrl->setAccessibleDescription(tr("Base URL of a Hugging Face compatible server"));
  form->addRow(tr("Pack:"), m_catalogCombo);
  form->addRow(tr("Server:"), m_baseUrl);
  m_fileProgress = new QProgressBar;
  m_fileProgress->setAccessibleName(tr("Current file progress"));
  m_totalProgress = new QProgressBar;
  m_totalProgress->setAccessibleName(tr("Total download progress"));
  form->addRow(tr("File:"), m_fileProgress);
  form->addRow(tr("Total:"), m_totalProgress);
  m_downloadStatus = new QLabel;
  m_downloadStatus->setAccessibleName(tr("Download status"));
  m_downloadStatus->setWordWrap(true);
  form->addRow(m_downloadStatus);
  auto* buttons = new QHBoxLayout;
  m_downloadButton = new QPushButton(tr("&Download"));
  m_downloadButton->setAccessibleName(tr("Start the download"));
  m_pauseButton = new QPushButton(tr("&Pause"));
  m_pauseButton->setAccessibleName(tr("Pause or resume the download"));
  buttons->addStretch();
  buttons->addWidget(m_downloadButton);
  buttons->addWidget(m_pauseButton);
  form->addRow(buttons);
  layout->addWidget(download);

  auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
  close->setAccessibleName(tr("Dialog buttons"));
  close->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
  layout->addWidget(close);
  connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

  connect(m_packList, &QTreeWidget::currentItemChanged, this, &ModelManagerDialog::updateDetails);
  connect(m_device, &QComboBox::currentIndexChanged, this, &ModelManagerDialog::refresh);
  connect(m_dtype, &QComboBox::currentIndexChanged, this, &ModelManagerDialog::refresh);
  connect(m_addButton, &QPushButton::clicked, this, &ModelManagerDialog::addFromFolder);
  connect(m_useButton, &QPushButton::clicked, this, [this] {
    const QString dir = selectedPack();
    if (!dir.isEmpty()) emit usePackRequested(dir, device(), dtype());
  });
  connect(m_downloadButton, &QPushButton::clicked, this, &ModelManagerDialog::startDownload);
  connect(m_pauseButton, &QPushButton::clicked, this, [this] {
    if (m_downloader->state() == PackDownloader::State::Running)
      m_downloader->pause();
    else
      m_downloader->resume();
  });
  connect(m_downloader, &PackDownloader::stateChanged, this, &ModelManagerDialog::updateDownloadButtons);
  connect(m_downloader, &PackDownloader::fileStarted, this, [this](const QString& path, int index, int count) {
    m_downloadStatus->setText(tr("Downloading %1 (file %2 of %3)…").arg(path).arg(index + 1).arg(count));
  });
  connect(m_downloader, &PackDownloader::fileProgress, this, [this](const QString&, qint64 received, qint64 total) {
    m_fileProgress->setRange(0, total > 0 ? kib(total) : 0);  // unknown size: busy indicator
    m_fileProgress->setValue(kib(received));
  });
  connect(m_downloader, &PackDownloader::totalProgress, this, [this](qint64 received, qint64 total) {
    m_totalProgress->setRange(0, total > 0 ? kib(total) : 0);
    m_totalProgress->setValue(kib(received));
    m_totalProgress->setFormat(tr("%1 of %2").arg(formatBytes(received), formatBytes(total)));
  });
  connect(m_downloader, &PackDownloader::failed, this,
          [this](const QString& message) { m_downloadStatus->setText(message); });
  connect(m_downloader, &PackDownloader::finished, this, [this](const QString& dir) {
    m_downloadStatus->setText(tr("Finished: %1").arg(QDir::toNativeSeparators(dir)));
    refresh();
    selectPack(dir);
  });

  setCatalog(builtinCatalog());
  updateDownloadButtons();
  refresh();
  resize(860, 560);
}

void ModelManagerDialog::setCatalog(const QList<PackDescription>& catalog) {
  m_catalog = catalog;
  m_catalogCombo->clear();
  for (const auto& pack : catalog) m_catalogCombo->addItem(pack.title, pack.name);
  updateDownloadButtons();
}

QString ModelManagerDialog::device() const { return m_device->currentData().toString(); }
QString ModelManagerDialog::dtype() const { return m_dtype->currentData().toString(); }

QString ModelManagerDialog::selectedPack() const {
  const auto* item = m_packList->currentItem();
  return item ? item->data(Name, Qt::UserRole).toString() : QString();
}

bool ModelManagerDialog::selectPack(const QString& dir) {
  const QString wanted = QFileInfo(dir).canonicalFilePath();
  for (int i = 0; i < m_packList->topLevelItemCount(); ++i) {
    auto* item = m_packList->topLevelItem(i);
    if (item->data(Name, Qt::UserRole).toString() == wanted) {
      m_packList->setCurrentItem(item);
      return true;
    }
  }
  return false;
}

void ModelManagerDialog::refresh() {
  const QString current = selectedPack();
  m_packs.clear();
  m_packList->clear();
  for (const auto& dir : knownPackDirs(m_dataDir)) m_packs << summarizePack(dir, device(), dtype());
  for (const auto& s : m_packs) {
    auto* item = new QTreeWidgetItem(m_packList);
    item->setText(Name, s.randomWeights ? tr("%1 (random weights)").arg(s.name) : s.name);
    item->setData(Name, Qt::UserRole, QFileInfo(s.dir).canonicalFilePath());
    item->setText(Size, formatBytes(s.diskBytes));
    item->setText(Weights, s.valid ? s.weightDtype : tr("invalid"));
    item->setText(Estimate, s.valid ? tr("%1 at %2").arg(formatBytes(s.estimateBytes), s.estimateDtype) : QString());
    item->setText(Location, QDir::toNativeSeparators(s.dir));
    item->setToolTip(Name, s.valid ? s.components.join('\n') : s.error);
  }
  if (!selectPack(current) && m_packList->topLevelItemCount() > 0)
    m_packList->setCurrentItem(m_packList->topLevelItem(0));
  updateDetails();
}

bool ModelManagerDialog::addPackFolder(const QString& dir, QString* error) {
  const PackSummary s = summarizePack(dir, device(), dtype());
  if (!s.valid) {
    if (error) *error = s.error;
    return false;
  }
  rememberAddedPack(QFileInfo(dir).canonicalFilePath());
  refresh();
  selectPack(dir);
  return true;
}

void ModelManagerDialog::addFromFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a model pack folder"));
  if (dir.isEmpty()) return;
  QString error;
  if (!addPackFolder(dir, &error))
    QMessageBox::warning(this, tr("Not a usable model pack"), tr("%1 cannot be used:\n%2").arg(dir, error));
}

void ModelManagerDialog::updateDetails() {
  const QString dir = selectedPack();
  m_useButton->setEnabled(false);
  m_details->clear();
  for (const auto& s : m_packs) {
    if (QFileInfo(s.dir).canonicalFilePath() != dir) continue;
    if (!s.valid) {
      m_details->setText(tr("This pack cannot be used: %1").arg(s.error));
      return;
    }
    QString fit = s.availableBytes == 0
                      ? tr("Needs about %1 at %2; free memory unknown.").arg(formatBytes(s.estimateBytes), s.estimateDtype)
                  : s.fits ? tr("Needs about %1 at %2; %3 free: fits.")
                                 .arg(formatBytes(s.estimateBytes), s.estimateDtype, formatBytes(s.availableBytes))
                           : tr("Needs about %1 at %2 but only %3 are free: it will not fit; try a smaller precision.")
                                 .arg(formatBytes(s.estimateBytes), s.estimateDtype, formatBytes(s.availableBytes));
    if (s.textOnly) fit += ' ' + tr("The language model has no image tokens: text only.");
    if (s.randomWeights) fit += ' ' + tr("Random weights: answers and pictures are noise.");
    m_details->setText(fit + '\n' + s.components.join(QStringLiteral("; ")));
    m_useButton->setEnabled(true);
    return;
  }
}

void ModelManagerDialog::startDownload() {
  const int index = m_catalogCombo->currentIndex();
  if (index < 0 || index >= m_catalog.size()) return;
  const QUrl base(m_baseUrl->text().trimmed());
  if (!base.isValid() || (base.scheme() != "https" && base.scheme() != "http")) {
    m_downloadStatus->setText(tr("The server address %1 is not an http(s) URL.").arg(m_baseUrl->text()));
    return;
  }
  QSettings().setValue(QStringLiteral("download/baseUrl"), base.toString());
  m_downloader->setBaseUrl(base);
  const auto& pack = m_catalog[index];
  m_downloader->start(pack, QDir(m_dataDir).filePath(QStringLiteral("packs/") + pack.name));
}

void ModelManagerDialog::updateDownloadButtons() {
  const auto state = m_downloader->state();
  const bool running = state == PackDownloader::State::Running;
  m_downloadButton->setEnabled(!running && state != PackDownloader::State::Paused && !m_catalog.isEmpty());
  m_pauseButton->setEnabled(running || state == PackDownloader::State::Paused || state == PackDownloader::State::Failed);
  m_pauseButton->setText(running ? tr("&Pause") : tr("&Resume"));
  m_catalogCombo->setEnabled(!running);
  m_baseUrl->setEnabled(!running);
}

}  // namespace seedcanvas::gui
