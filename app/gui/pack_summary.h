// What the model manager shows about one pack: where it lives, its size on disk, the dtype of
// its language-model weights (read from the weight headers) and validate_pack's memory
// estimate for the chosen device and dtype against what this machine has free. Reads headers
// and configs only (no tensor data), so it is quick enough for the GUI thread on real packs.
#pragma once

#include <QString>
#include <QStringList>

namespace seedcanvas::gui {

struct PackSummary {
  QString dir;
  QString name;
  bool valid = false;
  QString error;          // validate_pack's message naming the missing or wrong file
  bool randomWeights = false;
  qint64 diskBytes = 0;
  QString weightDtype;    // "F32", "F16", "BF16" (the LLM's floating tensors; "F32+F16" when mixed)
  QString estimateDtype;  // the dtype the estimate assumes
  qint64 estimateBytes = 0;
  qint64 availableBytes = 0;  // 0: unknown
  bool fits = true;
  bool textOnly = false;      // the LLM lacks the image tokens
  QStringList components;     // "language model: 13.2 GiB"
};

// `device`/`dtype`: "auto" or what LoadRequest accepts ("cpu", "cuda"; "fp32", "bf16", "fp16").
PackSummary summarizePack(const QString& dir, const QString& device = QStringLiteral("auto"),
                          const QString& dtype = QStringLiteral("auto"));

// Packs the manager lists: <data>/packs/* (finished ones), the saved and added packs, and the
// demo pack beside the binary or in the build tree. Existing folders only, no duplicates.
QStringList knownPackDirs(const QString& dataDir);
// Remembers a pack added from a folder (QSettings "packs/added").
void rememberAddedPack(const QString& dir);

QString formatBytes(qint64 bytes);

}  // namespace seedcanvas::gui
