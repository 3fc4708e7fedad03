#include "app_settings.h"

#include <QSettings>

namespace seedcanvas::ui {

AppSettings AppSettings::load(QSettings& s) {
  AppSettings a;
  GenerationOptions& g = a.generation;
  s.beginGroup(QStringLiteral("generation"));
  g.temperature = s.value(QStringLiteral("temperature"), g.temperature).toDouble();
  g.topP = s.value(QStringLiteral("topP"), g.topP).toDouble();
  g.topK = s.value(QStringLiteral("topK"), g.topK).toInt();
  g.maxNewTokens = s.value(QStringLiteral("maxNewTokens"), g.maxNewTokens).toInt();
  // 64-bit seeds go through strings: some formats keep numbers as doubles.
  g.seed = s.value(QStringLiteral("seed"), QString::number(g.seed)).toString().toULongLong();
  g.steps = s.value(QStringLiteral("steps"), g.steps).toInt();
  g.guidance = s.value(QStringLiteral("guidance"), g.guidance).toDouble();
  g.scheduler = s.value(QStringLiteral("scheduler"), g.scheduler).toString();
  g.imageSeed = s.value(QStringLiteral("imageSeed"), QString::number(g.imageSeed)).toString().toULongLong();
  s.endGroup();
  if (g.scheduler != QLatin1String("pndm") && g.scheduler != QLatin1String("ddim") &&
      g.scheduler != QLatin1String("dpmpp"))
    g.scheduler = GenerationOptions().scheduler;
  a.threads = qMax(0, s.value(QStringLiteral("engine/threads"), a.threads).toInt());
  a.device = s.value(QStringLiteral("engine/device"), a.device).toString();
  a.dtype = s.value(QStringLiteral("engine/dtype"), a.dtype).toString();
  a.theme = s.value(QStringLiteral("ui/theme"), a.theme).toString();
  a.language = s.value(QStringLiteral("ui/language"), a.language).toString();
  a.dataFolder = s.value(QStringLiteral("dataFolder"), a.dataFolder).toString();
  return a;
}

void AppSettings::save(QSettings& s) const {
  const GenerationOptions& g = generation;
  s.beginGroup(QStringLiteral("generation"));
  s.setValue(QStringLiteral("temperature"), g.temperature);
  s.setValue(QStringLiteral("topP"), g.topP);
  s.setValue(QStringLiteral("topK"), g.topK);
  s.setValue(QStringLiteral("maxNewTokens"), g.maxNewTokens);
  s.setValue(QStringLiteral("seed"), QString::number(g.seed));
  s.setValue(QStringLiteral("steps"), g.steps);
  s.setValue(QStringLiteral("guidance"), g.guidance);
  s.setValue(QStringLiteral("scheduler"), g.scheduler);
  s.setValue(QStringLiteral("imageSeed"), QString::number(g.imageSeed));
  s.endGroup();
  s.setValue(QStringLiteral("engine/threads"), threads);
  s.setValue(QStringLiteral("engine/device"), device);
  s.setValue(QStringLiteral("engine/dtype"), dtype);
  s.setValue(QStringLiteral("ui/theme"), theme);
  s.setValue(QStringLiteral("ui/language"), language);
  s.setValue(QStringLiteral("dataFolder"), dataFolder);
}

bool sameOptions(const GenerationOptions& a, const GenerationOptions& b) {
  return a.toJson() == b.toJson();
}

bool AppSettings::operator==(const AppSettings& o) const {
  return sameOptions(generation, o.generation) && threads == o.threads && device == o.device && dtype == o.dtype &&
         theme == o.theme && language == o.language && dataFolder == o.dataFolder;
}

QJsonObject optionsDiff(const GenerationOptions& global, const GenerationOptions& chat) {
  const QJsonObject g = global.toJson();
  const QJsonObject c = chat.toJson();
  QJsonObject out;
  for (auto it = c.begin(); it != c.end(); ++it)
    if (it.key() != QLatin1String("force_image") && g.value(it.key()) != it.value()) out.insert(it.key(), it.value());
  return out;
}

GenerationOptions applyOverrides(const GenerationOptions& global, const QJsonObject& overrides) {
  QJsonObject merged = global.toJson();
  for (auto it = overrides.begin(); it != overrides.end(); ++it) merged.insert(it.key(), it.value());
  GenerationOptions out = GenerationOptions::fromJson(merged);
  out.previewEvery = global.previewEvery;  // not part of the stored settings
  out.forceImage = global.forceImage;
  return out;
}

}  // namespace seedcanvas::ui
