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
struct ChatRequest;
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
  // Device ("auto", "cpu", "cuda"), dtype ("auto", "fp32", "bf16", "fp16") and threads (0: the
  // engine's choice) of the next load() (from Settings).
  void setPlacement(const QString& device, const QString& dtype, int threads);
  // Where the GPU's projection kernels are kept between runs (a file in the data folder).
  void setKernelChoicesFile(const QString& file) { m_kernelChoices = file; }
  // The last chat request handed to the engine service (tests assert on what it received).
  const pipeline::ChatRequest* lastRequest() const { return m_lastRequest.get(); }

 private:
  void deliver(const pipeline::Event& event);  // worker thread
  std::unique_ptr<pipeline::EngineService> m_service;
  std::unique_ptr<pipeline::ChatRequest> m_lastRequest;
  QString m_device;
  QString m_dtype;
  int m_threads = 0;
  QString m_kernelChoices;
};

}  // namespace seedcanvas::gui
