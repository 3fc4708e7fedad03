#include "pipeline/engine_service.h"

#include <exception>
#include <new>

#include "pipeline/seed_pipeline.h"

namespace seedcanvas::pipeline {

const char* finish_reason_name(FinishReason r) {
  switch (r) {
    case FinishReason::Eos: return "eos";
    case FinishReason::Length: return "length";
    case FinishReason::Stop: return "stop";
    case FinishReason::Cancelled: return "cancelled";
    case FinishReason::Error: return "error";
  }
  return "unknown";
}

EngineService::EngineService(Sink sink) : sink_(std::move(sink)) { worker_ = std::thread([this] { run(); }); }

EngineService::~EngineService() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
    queue_.clear();
  }
  cancel_ = true;
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::uint64_t EngineService::load(LoadRequest request) { return enqueue(std::move(request)); }
std::uint64_t EngineService::chat(ChatRequest request) { return enqueue(std::move(request)); }

std::uint64_t EngineService::enqueue(Job job) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  queue_.emplace_back(id, std::move(job));
  wake_.notify_one();
  return id;
}

void EngineService::stop(std::uint64_t request) {
  std::deque<std::pair<std::uint64_t, Job>> dropped;
  {
    std::lock_guard lock(mutex_);
    if (request == 0) {
      dropped.swap(queue_);
    } else {
      for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->first == request) {
          dropped.push_back(std::move(*it));
          it = queue_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  const auto current = running_.load();
  if (current != 0 && (request == 0 || request == current)) cancel_ = true;
  // Queued requests that never ran still get their Finished event, so the UI can settle.
  for (auto& [id, job] : dropped) {
    Event e;
    e.kind = EventKind::Finished;
    e.request = id;
    e.reason = FinishReason::Cancelled;
    send(std::move(e));
  }
}

void EngineService::send(Event event) {
  if (sink_) sink_(event);
}

void EngineService::run() {
  for (;;) {
    std::pair<std::uint64_t, Job> item;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return quit_ || !queue_.empty(); });
      if (quit_) break;
      item = std::move(queue_.front());
      queue_.pop_front();
      cancel_ = false;
      running_ = item.first;
    }
    const auto id = item.first;
    try {
      std::visit([&](auto& request) { handle(id, request); }, item.second);
    } catch (const Error& e) {
      Event ev;
      ev.kind = e.kind() == ErrorKind::Cancelled ? EventKind::Finished : EventKind::Failed;
      ev.request = id;
      ev.reason = FinishReason::Cancelled;
      ev.error_kind = e.kind();
      ev.text = e.what();
      send(std::move(ev));
    } catch (const std::bad_alloc&) {
      Event ev;
      ev.kind = EventKind::Failed;
      ev.request = id;
      ev.error_kind = ErrorKind::Resource;
      ev.text = "Out of memory. Close other programs, choose a smaller data type (bf16) or a smaller image size.";
      send(std::move(ev));
    } catch (const std::exception& e) {
      Event ev;
      ev.kind = EventKind::Failed;
      ev.request = id;
      ev.error_kind = ErrorKind::Internal;
      ev.text = std::string("Internal error: ") + e.what();
      send(std::move(ev));
    }
    running_ = 0;
  }
  // Models and tensors are released on the thread that used them.
  pipeline_.reset();
}

void EngineService::handle(std::uint64_t id, LoadRequest& request) {
  pipeline_.reset();  // free the old models before loading new ones
  pipeline_ = SeedPipeline::load(
      request,
      [&](const std::string& stage, int step, int total) {
        Event e;
        e.kind = EventKind::LoadProgress;
        e.request = id;
        e.text = stage;
        e.step = step;
        e.total = total;
        send(std::move(e));
        return !cancel_.load();
      });
  Event e;
  e.kind = EventKind::Loaded;
  e.request = id;
  e.text = pipeline_->description();
  send(std::move(e));
}

void EngineService::handle(std::uint64_t id, ChatRequest& request) {
  if (!pipeline_) throw Error(ErrorKind::Config, "No model is loaded. Open the model manager and load a pack.");
  pipeline_->chat(request, cancel_, [&](Event e) {
    e.request = id;
    send(std::move(e));
  });
}

}  // namespace seedcanvas::pipeline
