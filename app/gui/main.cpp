// Composition root of the desktop app. Until the chat canvas lands this opens a window
// that says plainly that no model is loaded.
#include <QApplication>
#include <QCommandLineParser>
#include <QLabel>
#include <QMainWindow>
#include <QTimer>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("SeedCanvas"));
  QApplication::setApplicationVersion(QStringLiteral(SEEDCANVAS_VERSION));
  QApplication::setOrganizationName(QStringLiteral("SeedCanvas"));

  QCommandLineParser parser;
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption quitAfter(QStringLiteral("quit-after"), QStringLiteral("Quit after N milliseconds (tests)."),
                               QStringLiteral("ms"));
  parser.addOption(quitAfter);
  parser.process(app);

  QMainWindow window;
  window.setWindowTitle(QStringLiteral("SeedCanvas"));
  auto* label = new QLabel(QObject::tr("No model is loaded."), &window);
  label->setAlignment(Qt::AlignCenter);
  label->setAccessibleName(QObject::tr("Model status"));
  window.setCentralWidget(label);
  window.resize(960, 680);
  window.show();
  if (parser.isSet(quitAfter)) QTimer::singleShot(parser.value(quitAfter).toInt(), &app, &QApplication::quit);
  return app.exec();
}
