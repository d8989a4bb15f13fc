#include "engine/step_worker.h"

namespace bnlab {
namespace {

// Waits until `done()` holds: busily for up to StepWorker::kSpin, then asleep on `cv`.
template <typename Done>
void SpinThenSleep(std::mutex& mutex, std::condition_variable& cv, Done done) {
  const auto spin_until = std::chrono::steady_clock::now() + StepWorker::kSpin;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= spin_until) {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, done);
      return;
    }
    std::this_thread::yield();
  }
}

// Wakes a side that may be asleep in SpinThenSleep. The mutex is taken between the change the
// sleeper waits for (made before this call) and the notification: a sleeper that checked before
// the change holds the mutex until it sleeps, so the notification cannot come too early.
void Wake(std::mutex& mutex, std::condition_variable& cv) {
  { std::lock_guard<std::mutex> lock(mutex); }
  cv.notify_one();
}

}  // namespace

StepWorker::StepWorker(std::function<void()> job) : job_(std::move(job)) {
  if (kThreadsAvailable) thread_ = std::thread([this] { Loop(); });
}

StepWorker::~StepWorker() {
  if (!thread_.joinable()) return;
  stop_.store(true);
  Wake(mutex_, wake_);
  thread_.join();
}

void StepWorker::Start() {
  requested_.fetch_add(1);
  Wake(mutex_, wake_);
}

void StepWorker::Wait() {
  SpinThenSleep(mutex_, done_, [this] { return finished_.load() == requested_.load(); });
  if (failure_) {
    std::exception_ptr failure = failure_;
    failure_ = nullptr;
    std::rethrow_exception(failure);
  }
}

void StepWorker::Loop() {
  unsigned long seen = 0;
  for (;;) {
    SpinThenSleep(mutex_, wake_, [&] { return stop_.load() || requested_.load() != seen; });
    if (stop_.load()) return;
    seen = requested_.load();
    try {
      job_();
    } catch (...) {
      failure_ = std::current_exception();
    }
    finished_.store(seen);
    Wake(mutex_, done_);
  }
}

}  // namespace bnlab
