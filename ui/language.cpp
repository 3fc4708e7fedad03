#include "language.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace seedcanvas::ui {

namespace {
QTranslator* g_translator = nullptr;
QString g_language = QStringLiteral("en");
}  // namespace

bool setLanguage(const QString& language) {
  QString code = language;
  if (code.isEmpty() || code == QLatin1String("system")) {
    const QLocale locale;
    code = locale.language() == QLocale::Chinese ? QStringLiteral("zh_CN")
           : locale.language() == QLocale::German ? QStringLiteral("de")
                                                  : QStringLiteral("en");
  }
  if (g_translator) {
    QCoreApplication::removeTranslator(g_translator);
    delete g_translator;
    g_translator = nullptr;
  }
  g_language = QStringLiteral("en");
  if (code == QLatin1String("en")) {
    // Removing a translator already posts LanguageChange; nothing more to load.
    return true;
  }
  auto* t = new QTranslator;
  if (!t->load(QStringLiteral(":/i18n/seedcanvas_%1.qm").arg(code))) {
    delete t;
    return false;
  }
  QCoreApplication::installTranslator(t);
  g_translator = t;
  g_language = code;
  return true;
}

QString currentLanguage() { return g_language; }

}  // namespace seedcanvas::ui
