// New networks for the session, built on a thread of their own: a very large pair takes seconds
// (page faults and the weight draw), during which the session keeps answering commands; a newer
// request cancels an older build at its next layer, and closing never waits for one. Without
// threads (the browser) the session builds the waiting request itself (BuildWaiting).
#pragma once

#include "engine/config.h"
#include "engine/dataset.h"
#include "engine/trainer.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace bnlab {

class NetworkBuilder {
 public:
  struct Job {
    long id = 0;
    TrainConfig config;
    std::string reason, message;
    std::shared_ptr<const Dataset> dataset;  // the data in use, reused when the new config's are the same
    DataConfig dataset_config;
    std::uint64_t dataset_seed = 0;  // the seed the synthetic sets were drawn with
  };
  struct Result {
    long id = 0;
    TrainConfig config;  // as built (widths fitted to the data)
    std::string reason, message;
    std::shared_ptr<const Dataset> dataset;
    std::unique_ptr<TwinTrainer> trainer;  // null when the build failed
    std::string error;
    bool error_is_data = false;
  };

  // `own_thread` false: no thread; the caller builds with BuildWaiting. `on_ready` is called
  // when a result waits for TakeResult (on the builder thread, or in BuildWaiting).
  NetworkBuilder(bool own_thread, std::function<void()> on_ready);
  // Cancels a build under way and waits for the thread (it stops at the build's next layer).
  ~NetworkBuilder();
  NetworkBuilder(const NetworkBuilder&) = delete;
  NetworkBuilder& operator=(const NetworkBuilder&) = delete;

  bool has_thread() const { return thread_.joinable(); }
  // The newest request replaces one not started yet and cancels one under way.
  void Request(Job job);
  // Stops the build under way (the session closes).
  void Cancel() { cancel_ = true; }
  // Without a thread: the waiting request, if any, built here and now.
  void BuildWaiting();
  // The newest finished build, if one waits.
  std::optional<Result> TakeResult();
  // How far build `id`'s data load is; images_total 0 when it loads nothing (yet).
  LoadProgress Progress(long id);

  // Builds `job` (no state of the builder's): the data, unless `job.dataset` is the same, and
  // the twin networks. `load` reports the data's loading and stops it with the build.
  static Result Build(const Job& job, const std::atomic<bool>* cancel, const LoadControl& load);

 private:
  void Loop();
  // Builds `job` and leaves its result for TakeResult (the builder thread's work, one job).
  void BuildOne(Job job);

  std::function<void()> on_ready_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Job> job_;           // the newest request, not started yet
  std::optional<Result> result_;     // the newest finished build, not taken yet
  bool stop_ = false;                // guarded by mutex_
  std::atomic<bool> cancel_{false};  // stops the build under way (a newer one, or closing)
  long load_build_id_ = 0;           // the build whose data load_progress_ describes (mutex_)
  LoadProgress load_progress_;       // how far its Fashion-MNIST load is (mutex_)
  std::thread thread_;
};

}  // namespace bnlab
