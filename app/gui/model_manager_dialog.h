// The model manager: installed packs (pack_summary.h) with size, weight dtype, location and
// the memory-fit estimate for the chosen device and dtype; adding a pack from a folder
// (validated, the message names the missing or wrong file); downloading a catalog pack with
// per-file and total progress, pause and resume (pack_download.h); "Use this pack".
// Lives in app/gui rather than ui/ because it needs the engine's pack validation.
#pragma once

#include <QDialog>
#include <QList>

#include "pack_catalog.h"
#include "pack_summary.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace seedcanvas::gui {

class PackDownloader;

class ModelManagerDialog : public QDialog {
  Q_OBJECT
 public:
  explicit ModelManagerDialog(const QString& dataDir, QWidget* parent = nullptr);

  void refresh();
  // Validates `dir` and lists it; on failure returns false with the validator's message.
  bool addPackFolder(const QString& dir, QString* error = nullptr);
  bool selectPack(const QString& dir);
  QString selectedPack() const;
  QList<PackSummary> packs() const { return m_packs; }
  QString device() const;
  QString dtype() const;
  PackDownloader* downloader() { return m_downloader; }
  void setCatalog(const QList<PackDescription>& catalog);
  void startDownload();  // the chosen catalog pack into <data>/packs/<name>

 signals:
  void usePackRequested(const QString& dir, const QString& device, const QString& dtype);

 private:
  void addFromFolder();
  void updateDetails();
  void updateDownloadButtons();

  QString m_dataDir;
  QList<PackSummary> m_packs;
  QList<PackDescription> m_catalog;
  PackDownloader* m_downloader;

  QTreeWidget* m_packList;
  QLabel* m_details;
  QComboBox* m_device;
  QComboBox* m_dtype;
  QPushButton* m_addButton;
  QPushButton* m_useButton;
  QComboBox* m_catalogCombo;
  QLineEdit* m_baseUrl;
  QPushButton* m_downloadButton;
  QPushButton* m_pauseButton;
  QProgressBar* m_fileProgress;
  QProgressBar* m_totalProgress;
  QLabel* m_downloadStatus;
};

}  // namespace seedcanvas::gui
