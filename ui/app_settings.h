// What the Settings dialog edits, persisted with QSettings: generation defaults (sampling and
// image), engine placement (threads, device, dtype; used at the next pack load), theme,
// language and the data folder. Per-chat overrides of the generation part live in the chat
// store (ChatStore::chatOverrides) as a JSON object holding only the keys that differ.
#pragma once

#include <QJsonObject>
#include <QString>

#include "chat_types.h"

class QSettings;

namespace seedcanvas::ui {

struct AppSettings {
  GenerationOptions generation;
  int threads = 0;                      // 0: the engine picks (physical cores)
  QString device = QStringLiteral("auto");  // auto | cpu | cuda
  QString dtype = QStringLiteral("auto");   // auto | fp32 | bf16 | fp16
  QString theme = QStringLiteral("system"); // system | light | dark
  QString language = QStringLiteral("system"); // system | en | de | zh_CN
  QString dataFolder;                   // empty: the default app data folder

  static AppSettings defaults() { return {}; }
  static AppSettings load(QSettings& s);
  void save(QSettings& s) const;
  bool operator==(const AppSettings& o) const;
};

bool sameOptions(const GenerationOptions& a, const GenerationOptions& b);
// The keys of `chat` that differ from `global` (what a per-chat override stores).
QJsonObject optionsDiff(const GenerationOptions& global, const GenerationOptions& chat);
// `global` with the keys present in `overrides` replaced.
GenerationOptions applyOverrides(const GenerationOptions& global, const QJsonObject& overrides);

}  // namespace seedcanvas::ui
