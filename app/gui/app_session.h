// The composition root shared by the app, its tests and the GUI benchmark: the chat store,
// the engine controller, the chat controller and the main window, wired together, plus the
// first-run logic (find a pack, else offer to make the demo pack).
#pragma once

#include <QObject>
#include <QString>
#include <memory>

#include "chat_controller.h"
#include "chat_store.h"
#include "engine_controller.h"
#include "main_window.h"

namespace seedcanvas::gui {

struct SessionOptions {
  QString dataDir;     // --data-dir (resolved by dataDirectory)
  QString pack;        // --pack
  bool dark = false;   // --dark, else the saved setting
  bool darkSet = false;
};

class AppSession : public QObject {
  Q_OBJECT
 public:
  explicit AppSession(const SessionOptions& options, QObject* parent = nullptr);
  ~AppSession() override;
  bool start(QString* error);  // opens the store, shows the window, starts loading the pack

  ui::ChatStore* store() { return m_store.get(); }
  EngineController* engine() { return m_engine.get(); }
  ui::ChatController* controller() { return m_controller.get(); }
  ui::MainWindow* window() { return m_window.get(); }
  class ModelManagerDialog* modelManager() { return m_modelManager; }  // null until first shown
  void showModelManager();
  QString packDir() const { return m_packDir; }
  bool packReady() const { return m_packReady; }

 signals:
  void packReadyChanged(bool ready);

 private:
  void loadPack(const QString& dir);
  void generateDemoPack();

  SessionOptions m_options;
  std::unique_ptr<ui::ChatStore> m_store;
  std::unique_ptr<EngineController> m_engine;
  std::unique_ptr<ui::ChatController> m_controller;
  std::unique_ptr<ui::MainWindow> m_window;
  QString m_packDir;
  bool m_packReady = false;
  class ModelManagerDialog* m_modelManager = nullptr;  // child of the window
};

}  // namespace seedcanvas::gui
