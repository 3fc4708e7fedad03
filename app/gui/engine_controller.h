// Adapts the Qt-free engine service to the chat controller: requests go in as Qt value types,
// the service's events (raised on its worker thread) are converted there to QString/QImage
// and re-emitted on this object's (GUI) thread through queued invocations. The GUI thread
// never waits on the engine; destroying the controller stops and joins the worker.
#pragma once

#include <memory>

#include "backend.h"

namespace seedcanvas::pipeline {
class EngineService;
struct Event;
}  // namespace seedcanvas::pipeline

namespace seedcanvas::gui {

class EngineController : public ui::Backend {
  Q_OBJECT
 public:
  explicit EngineController(QObject* parent = nullptr);
  ~EngineController() override;

  quint64 load(const QString& packDir) override;
  quint64 chat(const ui::TurnRequest& request) override;
  void stop(quint64 request = 0) override;
  bool busy() const;
  // Device and dtype for the next load(): "auto" (engine's choice) or LoadRequest's spellings.
  void setLoadOptions(const QString& device, const QString& dtype);

 private:
  void deliver(const pipeline::Event& event);  // worker thread
  std::unique_ptr<pipeline::EngineService> m_service;
  QString m_device = QStringLiteral("auto");
  QString m_dtype = QStringLiteral("auto");
};

}  // namespace seedcanvas::gui
