#include "session/network_builder.h"

#include <exception>
#include <utility>

namespace bnlab {

NetworkBuilder::NetworkBuilder(bool own_thread, std::function<void()> on_ready) : on_ready_(std::move(on_ready)) {
  if (own_thread) thread_ = std::thread([this] { Loop(); });
}

NetworkBuilder::~NetworkBuilder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    job_.reset();
  }
  cancel_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NetworkBuilder::Request(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = std::move(job);
    cancel_ = true;  // an older build under way stops at its next layer
  }
  wake_.notify_all();
}

NetworkBuilder::Result NetworkBuilder::Build(const Job& job, const std::atomic<bool>* cancel, const LoadControl& load) {
  Result built;
  built.id = job.id;
  built.config = job.config;
  built.reason = job.reason;
  built.message = job.message;
  try {
    // Synthetic sets are drawn from the seed; Fashion-MNIST is the same whatever it is.
    const bool reseeded = job.config.data.name != "fashion" && job.config.seed != job.dataset_seed;
    built.dataset = job.dataset;
    if (!built.dataset || !SameData(job.dataset_config, job.config.data) || reseeded) {
      built.dataset = std::make_shared<const Dataset>(LoadDataset(job.config.data, job.config.seed, load));
    }
    FitNetToData(*built.dataset, &built.config.net);
    built.trainer = std::make_unique<TwinTrainer>(built.dataset, built.config, cancel);
  } catch (const BuildCancelled&) {
    throw;  // not an error: the builder drops it
  } catch (const LoadCancelled&) {
    throw;
  } catch (const DataError& e) {
    built.error = e.what();
    built.error_is_data = true;
  } catch (const std::exception& e) {  // a setting the data cannot take, or no memory for it
    built.error = e.what();
  }
  return built;
}

void NetworkBuilder::Loop() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || job_.has_value(); });
      if (stop_) return;
      job = std::move(*job_);
      job_.reset();
      cancel_ = false;  // a request from now on cancels this build
    }
    BuildOne(std::move(job));
  }
}

void NetworkBuilder::BuildWaiting() {
  Job job;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!job_) return;
    job = std::move(*job_);
    job_.reset();
    cancel_ = false;
  }
  BuildOne(std::move(job));
}

void NetworkBuilder::BuildOne(Job job) {
  LoadControl load;
  load.cancel = &cancel_;
  load.progress = [this, id = job.id](const LoadProgress& progress) {
    std::lock_guard<std::mutex> lock(mutex_);
    load_build_id_ = id;
    load_progress_ = progress;
  };
  Result built;
  try {
    built = Build(job, &cancel_, load);
  } catch (const BuildCancelled&) {
    return;  // superseded (its newer request is waiting) or closing
  } catch (const LoadCancelled&) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    result_ = std::move(built);
  }
  on_ready_();
}

std::optional<NetworkBuilder::Result> NetworkBuilder::TakeResult() {
  std::optional<Result> built;
  std::lock_guard<std::mutex> lock(mutex_);
  built.swap(result_);
  return built;
}

LoadProgress NetworkBuilder::Progress(long id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return load_build_id_ == id ? load_progress_ : LoadProgress();
}

}  // namespace bnlab
