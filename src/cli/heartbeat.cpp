#include "cli/heartbeat.h"

#include "engine/platform.h"

#include <algorithm>

namespace bnlab {

Heartbeat::Heartbeat(std::FILE* out, std::chrono::milliseconds silence)
    : out_(out), silence_(silence), phase_start_(Clock::now()), last_line_(phase_start_) {
  // Where no thread can start (WebAssembly), the work says nothing while it lasts.
  if (out_ != nullptr && kThreadsAvailable) thread_ = std::thread([this] { Run(); });
}

Heartbeat::~Heartbeat() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Heartbeat::Phase(std::string what) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (what != phase_) phase_start_ = Clock::now();
  phase_ = std::move(what);
  detail_.clear();
}

void Heartbeat::Detail(std::string done) {
  std::lock_guard<std::mutex> lock(mutex_);
  detail_ = std::move(done);
}

void Heartbeat::Printed() {
  std::lock_guard<std::mutex> lock(mutex_);
  last_line_ = Clock::now();
}

void Heartbeat::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    const Clock::time_point due = last_line_ + silence_;
    if (Clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }
    if (!phase_.empty()) {
      const double seconds = std::chrono::duration<double>(Clock::now() - phase_start_).count();
      const long step = step_.load(std::memory_order_relaxed), total = total_steps_.load(std::memory_order_relaxed);
      if (total > 0) std::fprintf(out_, "step %ld/%ld: ", step, total);
      std::fprintf(out_, "%s%s%s (%.0f s)\n", phase_.c_str(), detail_.empty() ? "" : ": ", detail_.c_str(),
                   std::max(seconds, 1.0));
      std::fflush(out_);
    }
    last_line_ = Clock::now();
  }
}

LoadControl LoadingProgress(Heartbeat& heartbeat) {
  LoadControl control;
  control.progress = [&heartbeat](const LoadProgress& progress) { heartbeat.Detail(LoadProgressText(progress)); };
  return control;
}

}  // namespace bnlab
