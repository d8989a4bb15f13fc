// New networks for the session, built on a thread of their own: a very large pair takes seconds
// (page faults and the weight draw), during which the session keeps answering commands; a newer
// request cancels an older build at its next layer, and closing never waits for one. Without
// threads (the browser) the session advances the waiting request itself (BuildWaiting): its
// Fashion-MNIST files awaited and read a few chunks per call, then its networks built.
#pragma once

#include "engine/config.h"
#include "engine/dataset.h"
#include "engine/fashion_loader.h"
#include "engine/trainer.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
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
  // Without a thread: the newest request, if any, advanced here: its Fashion-MNIST files
  // awaited and read for a few milliseconds (the rest in the next calls), then its networks
  // built. A newer request drops the load, unless it reads the same files.
  void BuildWaiting();
  // Where the data's files arrive after the program (the page fetches Fashion-MNIST when a
  // scene first needs it): called by BuildWaiting before such a load, with the data's
  // directory; returns "" once the files are there, else how far they are ("fetched 12 of
  // 30 MB"), and throws DataError when they cannot come. None: they are there.
  using FileArrival = std::function<std::string(const std::string& dir)>;
  void SetFileArrival(FileArrival arrival) { file_arrival_ = std::move(arrival); }
  // While build `id`'s files are on their way: how far they are ("" otherwise).
  std::string Arriving(long id);
  // The newest finished build, if one waits.
  std::optional<Result> TakeResult();
  // How far build `id`'s data load is; images_total 0 when it loads nothing (yet).
  LoadProgress Progress(long id);

  // Builds `job` (no state of the builder's): the data, unless `job.dataset` is the same, and
  // the twin networks. `load` reports the data's loading and stops it with the build.
  static Result Build(const Job& job, const std::atomic<bool>* cancel, const LoadControl& load);

 private:
  // The result's fields that come from the job, before anything is built.
  static Result ResultOf(const Job& job);
  // The result of a build that failed with `error`: its message, and whether it is the data's.
  static Result FailedResult(const Job& job, const std::exception& error);
  // The job needs its data loaded (not the data in use).
  static bool LoadsData(const Job& job);
  void Loop();
  // Builds `job` and leaves its result for TakeResult (the builder thread's work, one job).
  void BuildOne(Job job);
  // Without a thread: the driven job's data, true once they are in it; false while they come,
  // or when they failed (the failure is delivered as the build's result and the job dropped).
  bool AdvanceDrivenLoad(Job& job);
  // A finished build left for TakeResult, from either thread.
  void Deliver(Result built);

  std::function<void()> on_ready_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Job> job_;           // the newest request, not started yet
  std::optional<Result> result_;     // the newest finished build, not taken yet
  bool stop_ = false;                // guarded by mutex_
  std::atomic<bool> cancel_{false};  // stops the build under way (a newer one, or closing)
  long load_build_id_ = 0;           // the build whose data load_progress_ describes (mutex_)
  LoadProgress load_progress_;       // how far its Fashion-MNIST load is (mutex_)
  std::string arriving_;             // how far its files are, while they come (mutex_)
  // Without a thread: the job under way across BuildWaiting calls, and its load.
  std::optional<Job> driven_job_;
  std::unique_ptr<FashionLoader> driven_load_;
  FileArrival file_arrival_;
  std::thread thread_;
};

}  // namespace bnlab
