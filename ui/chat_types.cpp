#include "chat_types.h"

namespace seedcanvas::ui {

QJsonObject GenerationOptions::toJson() const {
  return {{QStringLiteral("temperature"), temperature},
          {QStringLiteral("top_k"), topK},
          {QStringLiteral("top_p"), topP},
          {QStringLiteral("max_new_tokens"), maxNewTokens},
          {QStringLiteral("seed"), QString::number(seed)},  // 64-bit: a double would round it
          {QStringLiteral("steps"), steps},
          {QStringLiteral("guidance"), guidance},
          {QStringLiteral("scheduler"), scheduler},
          {QStringLiteral("image_seed"), QString::number(imageSeed)},
          {QStringLiteral("force_image"), forceImage}};
}

GenerationOptions GenerationOptions::fromJson(const QJsonObject& o) {
  GenerationOptions g;
  g.temperature = o.value(QStringLiteral("temperature")).toDouble(g.temperature);
  g.topK = o.value(QStringLiteral("top_k")).toInt(g.topK);
  g.topP = o.value(QStringLiteral("top_p")).toDouble(g.topP);
  g.maxNewTokens = o.value(QStringLiteral("max_new_tokens")).toInt(g.maxNewTokens);
  g.seed = o.value(QStringLiteral("seed")).toString().toULongLong();
  g.steps = o.value(QStringLiteral("steps")).toInt(g.steps);
  g.guidance = o.value(QStringLiteral("guidance")).toDouble(g.guidance);
  g.scheduler = o.value(QStringLiteral("scheduler")).toString(g.scheduler);
  g.imageSeed = o.value(QStringLiteral("image_seed")).toString().toULongLong();
  g.forceImage = o.value(QStringLiteral("force_image")).toBool(false);
  return g;
}

QImage ChatImage::pixels() const {
  if ((!image.isNull() && !reduced) || file.isEmpty()) return image;
  QImage whole(file);
  return whole.isNull() ? image : whole;  // a file gone missing still leaves what is shown
}

QSize ChatImage::displaySize(QSize whole) {
  if (whole.width() <= kDisplayLimit && whole.height() <= kDisplayLimit) return whole;
  return whole.scaled(kDisplayLimit, kDisplayLimit, Qt::KeepAspectRatio);
}

QImage ChatImage::displayCopy(const QImage& whole) {
  const QSize size = displaySize(whole.size());
  return size == whole.size() ? whole : whole.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

QString GenerationStats::summary() const {
  QString s = QObject::tr("%1 tokens, %2 tok/s, first token %3 s")
                  .arg(newTokens)
                  .arg(tokensPerSecond, 0, 'f', 1)
                  .arg(timeToFirstToken, 0, 'f', 2);
  if (reusedPromptTokens > 0) s += QObject::tr(", %1 prompt tokens reused").arg(reusedPromptTokens);
  if (secondsPerImage > 0) s += QObject::tr(", %1 s per image").arg(secondsPerImage, 0, 'f', 1);
  return s;
}

}  // namespace seedcanvas::ui
