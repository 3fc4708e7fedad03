// The desktop app: parses the command line and starts an AppSession (see app_session.h).
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QTimer>
#include <cstdio>

#include <torch/version.h>

#include "core/cuda_allocator.h"
#include "app_log.h"
#include "app_session.h"
#include "pack_locator.h"

int main(int argc, char** argv) {
  seedcanvas::prefer_expandable_cuda_segments();  // before any CUDA memory is taken
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("SeedCanvas"));
  QApplication::setApplicationVersion(QStringLiteral(SEEDCANVAS_VERSION));
  // Shown in the About box (ui/ does not see the engine's headers).
  qApp->setProperty("seedcanvas.libtorchVersion", QStringLiteral(TORCH_VERSION));
  QApplication::setOrganizationName(QStringLiteral("SeedCanvas"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QObject::tr("Chat with SEED-LLaMA about pictures and draw new ones, locally."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                   QObject::tr("Keep chats in DIR (default: $SEEDCANVAS_DATA_DIR, else the app data folder)."),
                                   QStringLiteral("dir"));
  const QCommandLineOption pack(QStringLiteral("pack"), QObject::tr("Load the model pack in DIR (or $SEEDCANVAS_PACK)."),
                                QStringLiteral("dir"));
  const QCommandLineOption dark(QStringLiteral("dark"), QObject::tr("Use the dark theme."));
  const QCommandLineOption prompt(QStringLiteral("prompt"), QObject::tr("Send TEXT as soon as the window opens."),
                                  QStringLiteral("text"));
  const QCommandLineOption draw(QStringLiteral("draw"), QObject::tr("With --prompt: ask for a picture."));
  const QCommandLineOption quitAfter(QStringLiteral("quit-after"), QObject::tr("Quit after N milliseconds (tests)."),
                                     QStringLiteral("ms"));
  const QCommandLineOption quitWhenIdle(QStringLiteral("quit-when-idle"),
                                        QObject::tr("With --prompt: quit once the answer is finished (tests)."));
  const QCommandLineOption trace(QStringLiteral("trace"), QObject::tr("Print engine events on stdout (tests)."));
  parser.addOptions({dataDir, pack, dark, prompt, draw, quitAfter, quitWhenIdle, trace});
  parser.process(app);

  seedcanvas::gui::SessionOptions options;
  options.dataDir = seedcanvas::gui::dataDirectory(parser.value(dataDir));
  options.pack = parser.value(pack);
  options.dark = parser.isSet(dark);
  options.darkSet = parser.isSet(dark);
  // Logs go to a rotating file in the data folder (5 x 1 MB) for "Copy diagnostics".
  seedcanvas::ui::installLogFile(QDir(options.dataDir).filePath(QStringLiteral("logs")));
  qInfo("SeedCanvas %s starting, data folder %s", SEEDCANVAS_VERSION, qPrintable(options.dataDir));
  seedcanvas::gui::AppSession session(options);
  QString error;
  if (!session.start(&error)) {
    QMessageBox::critical(nullptr, QObject::tr("SeedCanvas"),
                          QObject::tr("The chat database could not be opened.\n%1\nStart with --data-dir DIR to use "
                                      "another folder.")
                              .arg(error));
    return 1;
  }
  session.window()->show();
  if (parser.isSet(trace)) {
    // One line per event, flushed, so a test driving this process knows where generation is.
    auto* engine = session.engine();
    auto say = [](const QString& line) {
      std::fprintf(stdout, "%s\n", qPrintable(line));
      std::fflush(stdout);
    };
    QObject::connect(engine, &seedcanvas::ui::Backend::loaded, [say](quint64, const QString&) { say("loaded"); });
    QObject::connect(engine, &seedcanvas::ui::Backend::textDelta, [say](quint64, const QString&) { say("text"); });
    QObject::connect(engine, &seedcanvas::ui::Backend::imageTokens,
                     [say](quint64, int, int k, int) { say(QStringLiteral("image-tokens %1").arg(k)); });
    QObject::connect(engine, &seedcanvas::ui::Backend::diffusionStep,
                     [say](quint64, int, int s, int, const QImage&) { say(QStringLiteral("step %1").arg(s)); });
    QObject::connect(engine, &seedcanvas::ui::Backend::finished,
                     [say](quint64, int, const seedcanvas::ui::GenerationStats&, const QString&) { say("finished"); });
    QObject::connect(engine, &seedcanvas::ui::Backend::failed,
                     [say](quint64, const QString& m) { say(QStringLiteral("failed ") + m); });
  }
  if (parser.isSet(prompt)) {
    session.controller()->newChat();  // not into the chat reopened from last time
    session.controller()->send(parser.value(prompt), {}, parser.isSet(draw));
  }
  if (parser.isSet(quitWhenIdle))
    QObject::connect(session.controller(), &seedcanvas::ui::ChatController::busyChanged, &app, [](bool busy) {
      if (!busy) QTimer::singleShot(0, qApp, &QApplication::quit);
    });
  if (parser.isSet(quitAfter)) QTimer::singleShot(parser.value(quitAfter).toInt(), &app, &QApplication::quit);
  return app.exec();
}
