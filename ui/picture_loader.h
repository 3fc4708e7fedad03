// Reads a chat's stored pictures on a worker thread, in the order given (the controller puts the
// shown branch's newest first), so opening a long chat never waits on the disk or the PNG
// decoder: the chat shows at once and each picture arrives on the GUI thread when read.
#pragma once

#include <QFutureWatcher>
#include <QImage>
#include <QList>
#include <QObject>
#include <QThreadPool>

namespace seedcanvas::ui {

class PictureLoader : public QObject {
  Q_OBJECT
 public:
  struct Job {
    qint64 message = 0;
    int index = 0;
    QString file;
  };
  struct Result {
    Job job;
    QImage image;  // null when the file is missing or unreadable; a display copy when large
    bool reduced = false;
  };

  explicit PictureLoader(QObject* parent = nullptr);
  ~PictureLoader() override;

  void load(const QList<Job>& jobs);  // replaces (cancels) whatever was still being read
  void cancel();
  bool idle() const { return m_watcher.isFinished(); }

 signals:
  void loaded(qint64 message, int index, const QString& file, const QImage& image, bool reduced);

 private:
  QThreadPool m_thread;  // one reader: the engine may be using every other core
  QFutureWatcher<Result> m_watcher;
};

}  // namespace seedcanvas::ui
