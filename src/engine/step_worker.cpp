#include "engine/step_worker.h"

namespace bnlab {

StepWorker::StepWorker(std::function<void()> job) : job_(std::move(job)), thread_([this] { Loop(); }) {}

StepWorker::~StepWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StepWorker::Start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requested_;
  }
  wake_.notify_one();
}

void StepWorker::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [this] { return finished_ == requested_; });
  if (failure_) {
    std::exception_ptr failure = failure_;
    failure_ = nullptr;
    std::rethrow_exception(failure);
  }
}

void StepWorker::Loop() {
  unsigned long seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || requested_ != seen; });
      if (stop_) return;
      seen = requested_;
    }
    std::exception_ptr failure;
    try {
      job_();
    } catch (...) {
      failure = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      failure_ = failure;
      finished_ = seen;
    }
    done_.notify_one();
  }
}

}  // namespace bnlab
