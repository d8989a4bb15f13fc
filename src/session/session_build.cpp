// New networks for the session: requested on the session thread, built on the builder thread
// (a very large pair takes seconds), and installed on the session thread when they come back.
#include "session/session.h"

#include "settings/command_line.h"

#include <algorithm>
#include <utility>

namespace bnlab {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBoundaryGrid = 64;  // decision-boundary cells per side (2-D sets)

}  // namespace

void Session::Rebuild(const TrainConfig& config, const std::string& reason, std::string message) {
  BuildJob job;
  job.id = ++build_id_;
  job.config = config;
  job.reason = reason;
  job.message = std::move(message);
  job.dataset = state_.dataset;
  job.dataset_config = dataset_config_;
  job.dataset_seed = dataset_seed_;
  building_ = true;
  target_config_ = config;
  const bool loads_data = !job.dataset || !SameData(dataset_config_, config.data);
  const std::string data = config.data.name == "fashion" ? "Fashion-MNIST" : "the " + config.data.name + " set";
  building_text_ = loads_data ? "Loading " + data + " and building the networks…" : "Building the new networks…";
  state_.building = building_text_;
  state_.building_config = config;
  {
    std::lock_guard<std::mutex> lock(build_mutex_);
    build_job_ = std::move(job);
    build_cancel_ = true;  // an older build under way stops at its next layer
  }
  build_wake_.notify_all();
}

Session::BuildResult Session::Build(const BuildJob& job, const std::atomic<bool>* cancel, const LoadControl& load) {
  BuildResult built;
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
    throw;  // not an error: the builder loop drops it
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

void Session::BuilderLoop() {
  for (;;) {
    BuildJob job;
    {
      std::unique_lock<std::mutex> lock(build_mutex_);
      build_wake_.wait(lock, [this] { return build_stop_ || build_job_.has_value(); });
      if (build_stop_) return;
      job = std::move(*build_job_);
      build_job_.reset();
      build_cancel_ = false;  // a request from now on cancels this build
    }
    BuildOne(std::move(job));
  }
}

void Session::BuildWaitingJob() {
  BuildJob job;
  {
    std::lock_guard<std::mutex> lock(build_mutex_);
    if (!build_job_) return;
    job = std::move(*build_job_);
    build_job_.reset();
    build_cancel_ = false;
  }
  BuildOne(std::move(job));
}

void Session::BuildOne(BuildJob job) {
  LoadControl load;
  load.cancel = &build_cancel_;
  load.progress = [this, id = job.id](const LoadProgress& progress) {
    std::lock_guard<std::mutex> lock(build_mutex_);
    load_build_id_ = id;
    load_progress_ = progress;
  };
  BuildResult built;
  try {
    built = Build(job, &build_cancel_, load);
  } catch (const BuildCancelled&) {
    return;  // superseded (its newer request is waiting) or closing
  } catch (const LoadCancelled&) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(build_mutex_);
    build_result_ = std::move(built);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    build_ready_ = true;
  }
  wake_.notify_all();
}

void Session::ShowLoadProgress() {
  LoadProgress progress;
  {
    std::lock_guard<std::mutex> lock(build_mutex_);
    if (load_build_id_ != build_id_) return;
    progress = load_progress_;
  }
  if (progress.images_total > 0) state_.building = building_text_ + " " + LoadProgressText(progress);
}

bool Session::CollectBuild() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!build_ready_) return false;
    build_ready_ = false;
  }
  std::optional<BuildResult> built;
  {
    std::lock_guard<std::mutex> lock(build_mutex_);
    built.swap(build_result_);
  }
  // A build that a newer request superseded before it could be cancelled is dropped.
  if (!built || built->id != build_id_) return false;
  building_ = false;
  state_.building.clear();
  const bool experiment_wanted = std::exchange(experiment_wanted_, false);
  if (!built->trainer) {
    // Keep what was running (and the data it runs on); say what went wrong.
    state_.error = built->error;
    state_.error_is_data = built->error_is_data;
    if (experiment_wanted) StartExperiment();
    return true;
  }
  // Live changes made while it was built (learning rate, batch size, ...) apply from step 0.
  const TrainConfig live = target_config_;
  Install(std::move(*built));
  try {
    trainer_->SetOptimizer(live.optimizer);
    trainer_->SetBatchSize(live.batch_size);
    trainer_->SetBnMomentum(live.net.bn_momentum);
    trainer_->SetBnEps(live.net.bn_eps);
    trainer_->SetEvalStats(live.eval_stats);
    trainer_->SetProbeUnit(live.probe_unit);
  } catch (const std::exception& e) {
    state_.error = e.what();
  }
  state_.config = trainer_->config();
  state_.changes.front().learning_rate = state_.config.optimizer.learning_rate;
  state_.changes.front().batch_size = state_.config.batch_size;
  state_.scene_pristine = CommandLine(state_.config) == scene_command_;
  if (experiment_wanted) StartExperiment();
  return true;
}

void Session::Install(BuildResult built) {
  trainer_ = std::move(built.trainer);
  trainer_->SetInterrupt(&interrupt_);
  trainer_->SetParallel(threads_ == 2);
  const TrainConfig& next = trainer_->config();
  const std::shared_ptr<const Dataset>& dataset = built.dataset;
  const std::string& reason = built.reason;
  dataset_seed_ = built.config.seed;
  dataset_config_ = next.data;
  state_.error.clear();
  state_.dataset = dataset;
  state_.config = trainer_->config();
  state_.generation += 1;
  state_.step = 0;
  state_.epoch = 0;
  state_.message = !built.message.empty() ? built.message
                   : reason.empty()       ? ""
                                          : "New networks (" + reason + " changed): both nets restarted from step 0.";
  state_.pause_index = -1;
  state_.largest_loss_gap = 0.0;
  state_.largest_loss_gap_step = 0;
  last_change_.clear();
  last_marker_live_ = false;
  state_.changes = {ChangeMarker{0, reason.empty() ? "" : "new nets: " + reason, state_.config.optimizer.learning_rate,
                                 state_.config.batch_size}};
  for (NetView& view : state_.nets) {
    view = NetView();
    view.layers.resize(next.net.hidden.size());
  }
  // The noise figures belong to the old networks; the experiment's result stays (it says
  // which setting it ran), but one under way is stopped.
  noise_lab_.reset();
  noise_data_.reset();
  noise_pending_.clear();
  next_noise_ = Clock::now();
  NoiseView fresh;
  fresh.traces.resize(next.net.hidden.size());
  fresh.has_experiment = state_.noise.has_experiment;
  fresh.experiment_options = state_.noise.experiment_options;
  fresh.experiment = state_.noise.experiment;
  StopExperiment();
  state_.noise = std::move(fresh);
  state_.inside = InsideBnView();
  state_.test_time = TestTimeView();
  state_.test_time.population_mean.resize(next.net.hidden.size());
  state_.test_time.population_var.resize(next.net.hidden.size());
  state_.bn_layer = std::min(state_.bn_layer, static_cast<int>(next.net.hidden.size()) - 1);
  next_population_ = Clock::now();
  trainer_->SetStepObserver([this](NetId id, const Network<Scalar>& net) {
    if (inside_active_ && id == NetId::kRight && net.norm() == NormKind::kBatchNorm)
      RecordBnUnit(net, state_.bn_layer, state_.config.probe_unit, &state_.inside.record);
  });
  state_.boundary_grid = 0;
  next_eval_step_ = kFirstEvalStep;
  if (dataset->features() == 2) {
    Matrix points;  // (2, n) every point of a split, to frame the plot
    dataset->train_x.Columns(0, dataset->train_size(), &points);
    float lo = points.minCoeff();
    float hi = points.maxCoeff();
    dataset->test_x.Columns(0, dataset->test_size(), &points);
    lo = std::min(lo, points.minCoeff());
    hi = std::max(hi, points.maxCoeff());
    const float pad = 0.1f * (hi - lo);
    state_.boundary_lo = lo - pad;
    state_.boundary_hi = hi + pad;
    state_.boundary_grid = kBoundaryGrid;
    boundary_points_.resize(2, kBoundaryGrid * kBoundaryGrid);
    const float cell = (state_.boundary_hi - state_.boundary_lo) / kBoundaryGrid;
    for (int row = 0; row < kBoundaryGrid; ++row) {
      for (int col = 0; col < kBoundaryGrid; ++col) {
        boundary_points_(0, row * kBoundaryGrid + col) = state_.boundary_lo + (static_cast<float>(col) + 0.5f) * cell;
        boundary_points_(1, row * kBoundaryGrid + col) = state_.boundary_lo + (static_cast<float>(row) + 0.5f) * cell;
      }
    }
  }
  // The first probes and test pass come from the worker loop, before the first step, where a
  // newer command (or closing the window) can cut them short: with a very large network they
  // take seconds.
  eval_pending_ = true;
  measure_pending_ = true;
}

}  // namespace bnlab
