// Run-time language switching: the compiled translations are resources (:/i18n/*.qm); setLanguage
// swaps the installed QTranslator, and Qt then sends LanguageChange to every widget, whose
// changeEvent re-sets its texts.
#pragma once

#include <QString>

namespace seedcanvas::ui {

// "en", "de", "zh_CN", or "system" (the locale's language when a translation exists, else
// English). False when no translation for the language is compiled in (English stays).
bool setLanguage(const QString& language);
QString currentLanguage();  // "en", "de", "zh_CN"

}  // namespace seedcanvas::ui
