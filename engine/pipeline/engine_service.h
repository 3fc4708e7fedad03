// The engine service: one worker thread owns every model and tensor; requests queue up and
// run in order; events come back through a sink called ON THE WORKER THREAD (the UI adapter
// forwards them with a queued connection). stop() is a direct, lock-free call so a busy worker
// sees it within one decode step or one UNet call.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include "pipeline/service_types.h"

namespace seedcanvas::pipeline {

class SeedPipeline;

class EngineService {
 public:
  using Sink = std::function<void(const Event&)>;
  explicit EngineService(Sink sink);
  ~EngineService();  // stops the current request and joins the worker
  EngineService(const EngineService&) = delete;
  EngineService& operator=(const EngineService&) = delete;

  std::uint64_t load(LoadRequest request);
  std::uint64_t chat(ChatRequest request);
  // Stops the running request (and drops queued ones) when `request` is 0 or matches.
  void stop(std::uint64_t request = 0);
  bool busy() const { return running_.load() != 0; }

 private:
  using Job = std::variant<LoadRequest, ChatRequest>;
  std::uint64_t enqueue(Job job);
  void run();
  void handle(std::uint64_t id, LoadRequest& request);
  void handle(std::uint64_t id, ChatRequest& request);
  void send(Event event);

  Sink sink_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::uint64_t, Job>> queue_;
  bool quit_ = false;
  std::uint64_t next_id_ = 1;
  std::atomic<std::uint64_t> running_{0};
  std::atomic<bool> cancel_{false};
  std::unique_ptr<SeedPipeline> pipeline_;  // touched by the worker thread only
  std::thread worker_;
};

}  // namespace seedcanvas::pipeline
