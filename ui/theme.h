// Light and dark looks (Fusion style, a palette, and a small style sheet for the chat bubbles),
// and the icons compiled into the ui library.
#pragma once

#include <QIcon>
#include <QString>

namespace seedcanvas::ui {

void initResources();               // call once before the first icon() (static library)
QIcon icon(const QString& name);    // ":/icons/<name>.svg"
void applyTheme(bool dark);
bool isDarkTheme();
// "dark", "light", or "system" (the desktop's palette when the app started is dark).
bool themeIsDark(const QString& theme);

}  // namespace seedcanvas::ui
