#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

static void initSeedCanvasResources() { Q_INIT_RESOURCE(seedcanvas); }

namespace seedcanvas::ui {

namespace {
bool g_dark = false;
int g_systemDark = -1;  // -1: not read yet
}

void initResources() {
  initSeedCanvasResources();
  if (g_systemDark < 0 && qApp) g_systemDark = qApp->palette().color(QPalette::Window).lightness() < 128 ? 1 : 0;
}

bool themeIsDark(const QString& theme) {
  if (theme == QLatin1String("dark")) return true;
  if (theme == QLatin1String("light")) return false;
  return g_systemDark == 1;
}

QIcon icon(const QString& name) { return QIcon(QStringLiteral(":/icons/%1.svg").arg(name)); }

bool isDarkTheme() { return g_dark; }

void applyTheme(bool dark) {
  g_dark = dark;
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QPalette p;
  const QColor window = dark ? QColor(0x1e, 0x1f, 0x24) : QColor(0xf7, 0xf7, 0xf8);
  const QColor base = dark ? QColor(0x26, 0x27, 0x2d) : QColor(0xff, 0xff, 0xff);
  const QColor text = dark ? QColor(0xe8, 0xe8, 0xea) : QColor(0x1f, 0x23, 0x28);
  const QColor accent(0x4f, 0x46, 0xe5);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, dark ? QColor(0x2e, 0x30, 0x37) : QColor(0xf0, 0xf1, 0xf4));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, dark ? QColor(0x2e, 0x30, 0x37) : QColor(0xee, 0xee, 0xf0));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::Highlight, accent);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  // Muted text the user still has to read (the prompt's hint, "stopped", drawing progress): dimmer
  // than text but at least 4.5:1 against the window and the fields (WCAG AA).
  const QColor muted = dark ? QColor(0x9a, 0x9c, 0xa6) : QColor(0x65, 0x6a, 0x73);
  p.setColor(QPalette::PlaceholderText, muted);
  // Labels shown disabled on purpose to look secondary; a disabled control's text stays fainter.
  p.setColor(QPalette::Disabled, QPalette::WindowText, muted);
  p.setColor(QPalette::Link, dark ? QColor(0xa5, 0xb4, 0xfc) : accent);
  p.setColor(QPalette::Disabled, QPalette::Text, dark ? QColor(0x66, 0x68, 0x70) : QColor(0xa0, 0xa0, 0xa8));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, dark ? QColor(0x66, 0x68, 0x70) : QColor(0xa0, 0xa0, 0xa8));
  QApplication::setPalette(p);
  const QString userBubble = dark ? QStringLiteral("#33354a") : QStringLiteral("#eef0ff");
  const QString card = dark ? QStringLiteral("#2b2d34") : QStringLiteral("#ffffff");
  const QString border = dark ? QStringLiteral("#3a3c44") : QStringLiteral("#e3e4e8");
  qApp->setStyleSheet(QStringLiteral(
      "QFrame#userBubble { background: %1; border-radius: 12px; }"
      "QFrame#assistantBubble { background: transparent; }"
      "QFrame#imageCard { background: %2; border: 1px solid %3; border-radius: 10px; }"
      "QFrame#composerFrame { background: %2; border: 1px solid %3; border-radius: 14px; }"
      "QFrame#packBanner { background: %4; border-radius: 8px; }"
      "QLabel#errorLabel { color: %5; }"
      "QLabel#roleLabel { font-weight: 600; }"
      "QToolButton { border: none; padding: 3px; border-radius: 6px; }"
      "QToolButton:hover { background: %3; }"
      "QToolButton:checked { background: #4f46e5; color: white; }"
      "QPushButton#sendButton { background: #4f46e5; color: white; border-radius: 8px; padding: 6px 14px; }"
      "QPushButton#sendButton:disabled { background: %3; }")
                         .arg(userBubble, card, border, dark ? QStringLiteral("#4a3b12") : QStringLiteral("#fff4d6"),
                              dark ? QStringLiteral("#ff8a80") : QStringLiteral("#b3261e")));
}

}  // namespace seedcanvas::ui
