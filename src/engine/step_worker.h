// A second thread kept for the whole run, that does one job at a time on request: the twin
// step gives it the BN net while the calling thread steps the plain net. Persistent, so a step
// creates no thread and allocates nothing; Run returns when the job is done.
//
// Waking a sleeping thread cost ~50 µs here, more than a whole step of one net at batch 1, so
// both sides first wait busily for a short while (kSpin) and only then sleep: while steps
// follow each other, no thread is ever woken.
//
// Where no thread can start (kThreadsAvailable), there is no worker: Run runs `here`, then the
// job, on the calling thread.
#pragma once

#include "engine/platform.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace bnlab {

class StepWorker {
 public:
  // `job` is called on the worker thread once per Run; it is stored once here, never per call.
  explicit StepWorker(std::function<void()> job);
  ~StepWorker();
  StepWorker(const StepWorker&) = delete;
  StepWorker& operator=(const StepWorker&) = delete;

  // Starts the job on the worker, runs `here` on the calling thread meanwhile, and returns
  // once both are done. An exception from the job is rethrown here.
  template <typename Here>
  void Run(Here&& here) {
    if constexpr (!kThreadsAvailable) {
      here();
      job_();
      return;
    }
    Start();
    here();
    Wait();
  }

  // How long either side waits busily before it sleeps.
  static constexpr std::chrono::microseconds kSpin{200};

 private:
  void Start();
  void Wait();
  void Loop();

  std::function<void()> job_;
  std::mutex mutex_;  // only for sleeping: the counters are atomic
  std::condition_variable wake_;
  std::condition_variable done_;
  std::atomic<unsigned long> requested_{0};  // jobs asked for
  std::atomic<unsigned long> finished_{0};   // jobs done
  std::atomic<bool> stop_{false};
  std::exception_ptr failure_;  // written by the worker before finished_, read after it
  std::thread thread_;
};

}  // namespace bnlab
