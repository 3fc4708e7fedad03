// Where the app finds its model pack and keeps its data. Qt-only; the engine validates the
// pack when it loads it.
#pragma once

#include <QString>
#include <QStringList>

namespace seedcanvas::gui {

// --data-dir, else $SEEDCANVAS_DATA_DIR, else QStandardPaths::AppDataLocation.
QString dataDirectory(const QString& option);

// --pack, $SEEDCANVAS_PACK, the saved setting, <data>/packs/*, the demo pack installed beside
// the binary (../share/seedcanvas/demo-pack), the build tree's demo-pack. Empty when none;
// `searched` lists where it looked (for the message the user sees).
QString findPack(const QString& option, const QString& dataDir, QStringList* searched = nullptr);

// Whether the pack's manifest says it holds random weights (the demo pack).
bool packHasRandomWeights(const QString& packDir);

// The folder where `seedcanvas-cli make-demo-pack` should write when none exists.
QString demoPackTarget(const QString& dataDir);
// seedcanvas-cli beside this binary (installed) or in the build tree; empty when not found.
QString cliProgram();

}  // namespace seedcanvas::gui
