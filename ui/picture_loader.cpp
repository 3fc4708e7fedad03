#include "picture_loader.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include "chat_types.h"

namespace seedcanvas::ui {

PictureLoader::PictureLoader(QObject* parent) : QObject(parent) {
  m_thread.setMaxThreadCount(1);
  connect(&m_watcher, &QFutureWatcher<Result>::resultReadyAt, this, [this](int i) {
    if (!m_watcher.future().isResultReadyAt(i)) return;  // late news of a cancelled run: never wait
    const Result r = m_watcher.resultAt(i);
    emit loaded(r.job.message, r.job.index, r.job.file, r.image, r.reduced);
  });
}

PictureLoader::~PictureLoader() {
  cancel();
  m_thread.waitForDone();
}

void PictureLoader::load(const QList<Job>& jobs) {
  cancel();
  if (jobs.isEmpty()) return;
  m_watcher.setFuture(QtConcurrent::run(&m_thread, [jobs](QPromise<Result>& promise) {
    for (const Job& job : jobs) {
      if (promise.isCanceled()) return;
      const QImage whole(job.file);
      const QImage shown = ChatImage::displayCopy(whole);
      promise.addResult(Result{job, shown, shown.size() != whole.size()});
    }
  }));
}

void PictureLoader::cancel() {
  m_watcher.cancel();
  m_watcher.setFuture({});  // results of the old run are no longer delivered
}

}  // namespace seedcanvas::ui
