// A second thread kept for the whole run, that does one job at a time on request: the twin
// step gives it the BN net while the calling thread steps the plain net. Persistent, so a step
// creates no thread and allocates nothing; Run returns when the job is done.
#pragma once

#include <condition_variable>
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
    Start();
    here();
    Wait();
  }

 private:
  void Start();
  void Wait();
  void Loop();

  std::function<void()> job_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  unsigned long requested_ = 0;  // jobs asked for
  unsigned long finished_ = 0;   // jobs done
  bool stop_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace bnlab
