// The engine service: events arrive in order from the worker thread, stop ends a task within
// one step (during text and during diffusion), and the next task still runs.
#include <QtTest>

#include <condition_variable>
#include <mutex>

#include "demo_pack_fixture.h"
#include "pipeline/engine_service.h"

using namespace seedcanvas;
using namespace seedcanvas::pipeline;

namespace {

// Collects events from the worker thread; waits for a request's end.
class Recorder {
 public:
  std::function<void(const Event&)> on_event;  // runs on the worker thread
  void push(const Event& e) {
    if (on_event) on_event(e);
    std::lock_guard lock(m_);
    events_.push_back(e);
    cv_.notify_all();
  }
  Event wait_end(std::uint64_t request, int seconds = 600) {
    std::unique_lock lock(m_);
    Event end;
    const bool ok = cv_.wait_for(lock, std::chrono::seconds(seconds), [&] {
      for (const auto& e : events_)
        if (e.request == request && (e.kind == EventKind::Finished || e.kind == EventKind::Failed || e.kind == EventKind::Loaded)) {
          end = e;
          return true;
        }
      return false;
    });
    if (!ok) end.text = "timed out";
    return end;
  }
  std::vector<Event> of(std::uint64_t request) {
    std::lock_guard lock(m_);
    std::vector<Event> out;
    for (const auto& e : events_)
      if (e.request == request) out.push_back(e);
    return out;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<Event> events_;
};

ChatRequest request_for(const std::string& text, bool image, int max_new_tokens, int steps = 3) {
  ChatRequest r;
  r.history.push_back({Message::Role::User, text, {}});
  r.settings.sampling.seed = 5;
  r.settings.sampling.max_new_tokens = max_new_tokens;
  r.settings.force_image = image;
  r.settings.diffusion.steps = steps;
  return r;
}

}  // namespace

class EngineServiceTest : public QObject {
  Q_OBJECT
  Recorder rec;
  std::unique_ptr<EngineService> service;

 private slots:
  void initTestCase() {
    service = std::make_unique<EngineService>([this](const Event& e) { rec.push(e); });
    LoadRequest load;
    load.pack_dir = test::demo_pack().string();
    load.threads = 2;
    const auto id = service->load(load);
    const auto end = rec.wait_end(id);
    QVERIFY2(end.kind == EventKind::Loaded, end.text.c_str());
    bool progress = false;
    for (const auto& e : rec.of(id)) progress = progress || e.kind == EventKind::LoadProgress;
    QVERIFY(progress);
  }

  void eventsComeInOrder() {
    const auto id = service->chat(request_for("Paint a boat.", true, 40));
    const auto end = rec.wait_end(id);
    QCOMPARE(int(end.kind), int(EventKind::Finished));
    // image tokens 1..32, then diffusion steps, then the image, then Finished.
    int last_tokens = 0, last_step = 0;
    bool ready = false;
    for (const auto& e : rec.of(id)) {
      if (e.kind == EventKind::ImageTokens) {
        QCOMPARE(e.step, last_tokens + 1);
        QVERIFY(last_step == 0 && !ready);
        last_tokens = e.step;
      } else if (e.kind == EventKind::DiffusionStep) {
        QCOMPARE(last_tokens, 32);
        QCOMPARE(e.step, last_step + 1);
        QVERIFY(e.image != nullptr);  // a preview each step
        last_step = e.step;
      } else if (e.kind == EventKind::ImageReady) {
        QCOMPARE(last_step, 4);  // PNDM: 3 steps = 4 UNet calls
        ready = true;
      }
    }
    QVERIFY(ready);
  }

  void stopDuringTextEndsWithinOneStep() {
    std::atomic<std::uint64_t> target{0};
    std::atomic<int> deltas_after_stop{-1};
    rec.on_event = [&](const Event& e) {
      if (e.kind != EventKind::TextDelta) return;  // one request runs at a time
      if (deltas_after_stop < 0) {
        service->stop(e.request);  // from the worker thread itself: must not deadlock
        deltas_after_stop = 0;
      } else {
        ++deltas_after_stop;
      }
    };
    auto r = request_for("Tell me a very long story about ships.", false, 400);
    r.settings.sampling.constrain_image_spans = true;
    target = service->chat(std::move(r));
    const auto end = rec.wait_end(target);
    rec.on_event = nullptr;
    QCOMPARE(int(end.kind), int(EventKind::Finished));
    QCOMPARE(int(end.reason), int(FinishReason::Cancelled));
    QVERIFY2(deltas_after_stop <= 1, "at most the step in flight finishes");
    QVERIFY(end.stats.new_tokens < 400);
  }

  void stopDuringDiffusionEndsWithinOneUnetCall() {
    std::atomic<std::uint64_t> target{0};
    std::atomic<int> steps_after_stop{-1};
    rec.on_event = [&](const Event& e) {
      if (e.kind != EventKind::DiffusionStep) return;
      if (steps_after_stop < 0) {
        service->stop();
        steps_after_stop = 0;
      } else {
        ++steps_after_stop;
      }
    };
    target = service->chat(request_for("Paint a castle.", true, 40, 20));
    const auto end = rec.wait_end(target);
    rec.on_event = nullptr;
    QCOMPARE(int(end.reason), int(FinishReason::Cancelled));
    QVERIFY2(steps_after_stop <= 1, "at most the UNet call in flight finishes");
    for (const auto& e : rec.of(target)) QVERIFY(e.kind != EventKind::ImageReady);
  }

  void nextTaskRunsAfterAStop() {
    const auto id = service->chat(request_for("Paint a tree.", true, 40));
    const auto end = rec.wait_end(id);
    QCOMPARE(int(end.kind), int(EventKind::Finished));
    QVERIFY(end.reason != FinishReason::Cancelled);
    QCOMPARE(end.stats.images, 1);
  }

  void queuedRequestsAreDroppedByStopAll() {
    const auto a = service->chat(request_for("one", false, 200));
    const auto b = service->chat(request_for("two", false, 200));
    service->stop();
    QCOMPARE(int(rec.wait_end(a).reason), int(FinishReason::Cancelled));
    QCOMPARE(int(rec.wait_end(b).reason), int(FinishReason::Cancelled));
  }

  void chatWithoutModelIsAnActionableError() {
    Recorder other;
    EngineService fresh([&](const Event& e) { other.push(e); });
    const auto id = fresh.chat(request_for("hi", false, 4));
    const auto end = other.wait_end(id);
    QCOMPARE(int(end.kind), int(EventKind::Failed));
    QVERIFY(QString::fromStdString(end.text).contains("No model is loaded"));
  }

  void cleanupTestCase() { service.reset(); }
};

QTEST_APPLESS_MAIN(EngineServiceTest)
#include "test_engine_service.moc"
