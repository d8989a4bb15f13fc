// A long run beside training (the ghost-BN experiment, the batch-size sweep) on a thread of its
// own, owned by the session thread: started once, its progress read once per loop, its result
// collected once it is done, and cancelled at its next step (the runs look at the flag every step).
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <string>
#include <thread>
#include <utility>

namespace bnlab {

template <typename Result>
class BackgroundRun {
 public:
  // What runs on the thread: reports (runs done, runs in all) and stops when `cancel` is set.
  using Progress = std::function<void(int done, int total)>;
  using Work = std::function<Result(const Progress& progress, const std::atomic<bool>* cancel)>;

  BackgroundRun() = default;
  ~BackgroundRun() { Stop(); }
  BackgroundRun(const BackgroundRun&) = delete;
  BackgroundRun& operator=(const BackgroundRun&) = delete;

  // True from Start until Collect or Stop.
  bool started() const { return thread_.joinable(); }
  int done() const { return done_; }
  int total() const { return total_; }
  bool finished() const { return finished_; }

  // Starts `work` unless a run is under way (then false); `expected_runs` is its count of runs
  // until it reports its own.
  bool Start(int expected_runs, Work work) {
    if (thread_.joinable()) return false;
    cancel_ = false;
    finished_ = false;
    done_ = 0;
    total_ = expected_runs;
    error_.clear();
    thread_ = std::thread([this, work = std::move(work)] {
      try {
        result_ = work(
            [this](int runs_done, int runs_total) {
              done_ = runs_done;
              total_ = runs_total;
            },
            &cancel_);
      } catch (const std::exception& e) {
        error_ = e.what();
      }
      finished_ = true;
    });
    return true;
  }

  // Asks a run under way to stop at its next step, without waiting for it.
  void Cancel() { cancel_ = true; }

  // Cancels a run under way and waits for it (quick: it stops at its next step); its result
  // and error are dropped.
  void Stop() {
    if (!thread_.joinable()) return;
    cancel_ = true;
    thread_.join();
    finished_ = false;
    error_.clear();
  }

  // Once finished(): joins the thread and hands over the result, or false with `*error` set
  // when the run failed.
  bool Collect(Result* result, std::string* error) {
    thread_.join();
    finished_ = false;
    if (!error_.empty()) {
      *error = std::move(error_);
      error_.clear();
      return false;
    }
    *result = std::move(result_);
    return true;
  }

 private:
  std::thread thread_;
  std::atomic<bool> cancel_{false};
  std::atomic<int> done_{0}, total_{0};
  std::atomic<bool> finished_{false};
  Result result_;      // written by the thread before finished_
  std::string error_;  // likewise
};

}  // namespace bnlab
