#include "session/network_builder.h"

#include "engine/memory_estimate.h"

#include <chrono>
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

NetworkBuilder::Result NetworkBuilder::ResultOf(const Job& job) {
  Result built;
  built.id = job.id;
  built.config = job.config;
  built.reason = job.reason;
  built.message = job.message;
  return built;
}

bool NetworkBuilder::LoadsData(const Job& job) {
  // Synthetic sets are drawn from the seed; Fashion-MNIST is the same whatever it is.
  const bool reseeded = job.config.data.name != "fashion" && job.config.seed != job.dataset_seed;
  return !job.dataset || !SameData(job.dataset_config, job.config.data) || reseeded;
}

NetworkBuilder::Result NetworkBuilder::FailedResult(const Job& job, const std::exception& error) {
  Result failed = ResultOf(job);
  failed.error = error.what();
  failed.error_is_data = dynamic_cast<const DataError*>(&error) != nullptr;  // else a setting, or memory
  return failed;
}

NetworkBuilder::Result NetworkBuilder::Build(const Job& job, const std::atomic<bool>* cancel, const LoadControl& load) {
  Result built = ResultOf(job);
  try {
    built.dataset = job.dataset;
    if (LoadsData(job)) {
      built.dataset = std::make_shared<const Dataset>(LoadDataset(job.config.data, job.config.seed, load));
    }
    FitNetToData(*built.dataset, &built.config.net);
    built.trainer = std::make_unique<TwinTrainer>(built.dataset, built.config, cancel);
  } catch (const BuildCancelled&) {
    throw;  // not an error: the builder drops it
  } catch (const LoadCancelled&) {
    throw;
  } catch (const std::exception& e) {  // a DataError naming the file, a setting the data cannot take, no memory
    return FailedResult(job, e);
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
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (job_) {
      // A newer request replaces the job under way, and its load unless it reads the same files.
      if (driven_job_ && !SameData(driven_job_->config.data, job_->config.data)) driven_load_.reset();
      driven_job_ = std::move(*job_);
      job_.reset();
      cancel_ = false;
    }
  }
  if (!driven_job_) return;
  if (driven_job_->config.data.name == "fashion" && LoadsData(*driven_job_) && !AdvanceDrivenLoad(*driven_job_)) {
    return;  // more of it in the next calls, or its failure delivered
  }
  Job job = std::move(*driven_job_);
  driven_job_.reset();
  BuildOne(std::move(job));
}

bool NetworkBuilder::AdvanceDrivenLoad(Job& job) {
  using Clock = std::chrono::steady_clock;
  // A call's share: the page draws its next frame after it.
  constexpr auto kSlice = std::chrono::milliseconds(8);
  // Small pieces, so a slice never runs long: a few milliseconds each in WebAssembly.
  constexpr std::size_t kChunkBytes = std::size_t{512} << 10;
  try {
    const std::string arriving = file_arrival_ ? file_arrival_(job.config.data.dir) : "";
    {
      std::lock_guard<std::mutex> lock(mutex_);
      load_build_id_ = job.id;
      arriving_ = arriving;
    }
    if (!arriving.empty()) return false;
    if (!driven_load_) {
      driven_load_ = std::make_unique<FashionLoader>(job.config.data.dir, job.config.data.standardize,
                                                     MemoryBudgetBytes(), kChunkBytes);
    }
    const Clock::time_point until = Clock::now() + kSlice;
    while (!driven_load_->Advance() && Clock::now() < until) {}
    if (!driven_load_->done()) {
      std::lock_guard<std::mutex> lock(mutex_);
      load_progress_ = driven_load_->progress();
      return false;
    }
    job.dataset = std::make_shared<const Dataset>(driven_load_->Take());
    job.dataset_config = job.config.data;
    job.dataset_seed = job.config.seed;
    driven_load_.reset();
    return true;
  } catch (const std::exception& e) {  // a DataError naming the file, or no memory for the data
    Result failed = FailedResult(job, e);
    driven_job_.reset();
    driven_load_.reset();
    Deliver(std::move(failed));
    return false;
  }
}

void NetworkBuilder::BuildOne(Job job) {
  LoadControl load;
  load.cancel = [this] { return cancel_.load(std::memory_order_relaxed); };
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
  Deliver(std::move(built));
}

void NetworkBuilder::Deliver(Result built) {
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

std::string NetworkBuilder::Arriving(long id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return load_build_id_ == id ? arriving_ : std::string();
}

LoadProgress NetworkBuilder::Progress(long id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return load_build_id_ == id ? load_progress_ : LoadProgress();
}

}  // namespace bnlab
