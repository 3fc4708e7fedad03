#include "app_session.h"

#include <QDir>
#include <QProcess>
#include <QSettings>

#include "model_manager_dialog.h"
#include "pack_locator.h"
#include "language.h"
#include "status_panel.h"
#include "theme.h"

namespace seedcanvas::gui {

AppSession::AppSession(const SessionOptions& options, QObject* parent) : QObject(parent), m_options(options) {}

AppSession::~AppSession() {
  // The window and controller go before the engine, the engine (joining its worker) before the store.
  m_window.reset();
  m_controller.reset();
  m_engine.reset();
  m_store.reset();
}

bool AppSession::start(QString* error) {
  ui::initResources();
  QSettings qs;
  const ui::AppSettings settings = ui::AppSettings::load(qs);
  // The old "darkTheme" switch counts until a theme is chosen in Settings.
  const bool savedDark = qs.contains(QStringLiteral("ui/theme")) ? ui::themeIsDark(settings.theme)
                                                                 : qs.value(QStringLiteral("darkTheme")).toBool();
  const bool dark = m_options.darkSet ? m_options.dark : savedDark;
  ui::applyTheme(dark);
  ui::setLanguage(settings.language);
  m_store = std::make_unique<ui::ChatStore>(m_options.dataDir);
  if (!m_store->open()) {
    if (error) *error = m_store->lastError();
    return false;
  }
  m_store->purgeDeleted();  // deletions not undone last time
  m_engine = std::make_unique<EngineController>();
  m_engine->setPlacement(settings.device, settings.dtype, settings.threads);
  m_engine->setKernelChoicesFile(QDir(m_options.dataDir).filePath(QStringLiteral("gpu-kernels.json")));
  m_controller = std::make_unique<ui::ChatController>(m_store.get(), m_engine.get());
  {
    ui::GenerationOptions& g = m_controller->options();
    const int previewEvery = g.previewEvery;
    g = settings.generation;
    g.previewEvery = previewEvery;
  }
  m_window = std::make_unique<ui::MainWindow>(m_controller.get());
  m_window->statusPanel()->setPlacement(settings.device, settings.dtype);
  m_window->setDarkTheme(dark);
  connect(m_window.get(), &ui::MainWindow::darkThemeToggled, this, [](bool on) {
    QSettings s;
    s.setValue(QStringLiteral("darkTheme"), on);
    s.setValue(QStringLiteral("ui/theme"), on ? QStringLiteral("dark") : QStringLiteral("light"));
  });
  connect(m_window.get(), &ui::MainWindow::settingsApplied, this, [this](const ui::AppSettings& s) {
    m_engine->setPlacement(s.device, s.dtype, s.threads);  // used by the next load
  });
  connect(m_window.get(), &ui::MainWindow::generateDemoPackRequested, this, &AppSession::generateDemoPack);
  connect(m_window.get(), &ui::MainWindow::modelManagerRequested, this, &AppSession::showModelManager);
  const QString packsFolder = QDir(m_options.dataDir).filePath(QStringLiteral("packs"));
  connect(m_controller.get(), &ui::ChatController::packLoaded, this, [this, packsFolder](const QString& description) {
    m_packReady = true;
    qInfo("pack loaded from %s: %s", qPrintable(m_packDir), qPrintable(description));
    m_window->setPackInfo(description, packHasRandomWeights(m_packDir), packsFolder);
    emit packReadyChanged(true);
  });
  connect(m_controller.get(), &ui::ChatController::packFailed, this, [this, packsFolder](const QString& message) {
    m_packReady = false;
    qWarning("pack %s failed to load: %s", qPrintable(m_packDir), qPrintable(message));
    m_window->setPackMissing(message, packsFolder);
    emit packReadyChanged(false);
  });
  m_controller->refreshChats();

  QStringList searched;
  const QString pack = findPack(m_options.pack, m_options.dataDir, &searched);
  if (pack.isEmpty())
    m_window->setPackMissing(tr("No pack was found (looked in %1).").arg(searched.join(QStringLiteral(", "))),
                             packsFolder);
  else
    loadPack(pack);
  return true;
}

void AppSession::loadPack(const QString& dir) {
  m_packDir = dir;
  m_packReady = false;
  m_controller->loadPack(dir);
}

void AppSession::showModelManager() {
  if (!m_modelManager) {
    m_modelManager = new ModelManagerDialog(m_options.dataDir, m_window.get());
    connect(m_modelManager, &ModelManagerDialog::usePackRequested, this,
            [this](const QString& dir, const QString& device, const QString& dtype) {
              QSettings().setValue(QStringLiteral("pack"), dir);  // pack_locator's saved choice
              m_engine->setLoadOptions(device, dtype);
              loadPack(dir);
            });
  }
  m_modelManager->refresh();
  m_modelManager->show();
  m_modelManager->raise();
}

void AppSession::generateDemoPack() {
  const QString cli = cliProgram();
  const QString target = demoPackTarget(m_options.dataDir);
  const QString packsFolder = QDir(m_options.dataDir).filePath(QStringLiteral("packs"));
  if (cli.isEmpty()) {
    m_window->setPackMissing(tr("seedcanvas-cli was not found beside the app, so the demo pack cannot be made here."),
                             packsFolder);
    return;
  }
  QDir().mkpath(QFileInfo(target).absolutePath());
  auto* process = new QProcess(this);
  process->setProcessChannelMode(QProcess::MergedChannels);
  m_window->setPackMissing(tr("Making the demo pack in %1…").arg(target), packsFolder);
  connect(process, &QProcess::finished, this, [this, process, target, packsFolder](int code, QProcess::ExitStatus st) {
    process->deleteLater();
    if (st == QProcess::NormalExit && code == 0) {
      loadPack(target);
    } else {
      m_window->setPackMissing(
          tr("Making the demo pack failed: %1").arg(QString::fromLocal8Bit(process->readAll()).trimmed()), packsFolder);
    }
  });
  process->start(cli, {QStringLiteral("make-demo-pack"), target});
}

}  // namespace seedcanvas::gui
