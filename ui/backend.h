// What the chat controller needs from a generator, in Qt value types. The desktop app's
// EngineController (app/gui) implements it over the engine service; signals arrive on the
// GUI thread, in the order the engine produced them.
#pragma once

#include <QImage>
#include <QObject>

#include "chat_types.h"

namespace seedcanvas::ui {

class Backend : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  virtual quint64 load(const QString& packDir) = 0;
  virtual quint64 chat(const TurnRequest& request) = 0;
  virtual void stop(quint64 request = 0) = 0;  // 0: whatever runs, and everything queued

 signals:
  void loadProgress(quint64 request, const QString& stage, int step, int total);
  void loaded(quint64 request, const QString& description);
  void imageTokenized(quint64 request, int message, int index, const QList<int>& codes);
  void textDelta(quint64 request, const QString& text);
  void imageTokens(quint64 request, int index, int step, int total);
  void diffusionStep(quint64 request, int index, int step, int total, const QImage& preview);
  void imageReady(quint64 request, int index, const QImage& image, const QList<int>& codes, quint64 seed);
  void malformedImage(quint64 request, int index, const QString& why);
  void finished(quint64 request, int reason, const seedcanvas::ui::GenerationStats& stats, const QString& text);
  void failed(quint64 request, const QString& message);
};

}  // namespace seedcanvas::ui
