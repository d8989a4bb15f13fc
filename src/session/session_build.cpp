// New networks for the session: requested on the session thread, built by the NetworkBuilder
// on its own thread (a very large pair takes seconds), and installed on the session thread when
// they come back.
#include "session/session.h"

#include "settings/command_line.h"

#include <algorithm>
#include <utility>

namespace bnlab {
namespace {

constexpr int kBoundaryGrid = 64;  // decision-boundary cells per side (2-D sets)

}  // namespace

void Session::Rebuild(const TrainConfig& config, const std::string& reason, std::string message) {
  NetworkBuilder::Job job;
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
  builder_.Request(std::move(job));  // an older build under way stops at its next layer
}

bool Session::ShowLoadProgress() {
  const std::string arriving = builder_.Arriving(build_id_);
  const LoadProgress progress = builder_.Progress(build_id_);
  std::string text;
  if (!arriving.empty()) {
    text = building_text_ + " " + arriving;
  } else if (progress.images_total > 0) {
    text = building_text_ + " " + LoadProgressText(progress);
  } else {
    return false;
  }
  if (text == state_.building) return false;
  state_.building = std::move(text);
  return true;
}

bool Session::CollectBuild() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!build_ready_) return false;
    build_ready_ = false;
  }
  std::optional<NetworkBuilder::Result> built = builder_.TakeResult();
  // A build that a newer request superseded before it could be cancelled is dropped.
  if (!built || built->id != build_id_) return false;
  building_ = false;
  state_.building.clear();
  const bool experiment_wanted = std::exchange(experiment_wanted_, false);
  if (!built->trainer) {
    // Keep what was running (and the data it runs on); say what went wrong.
    state_.error = built->error;
    state_.error_is_data = built->error_is_data;
    if (experiment_wanted && trainer_) labs_.StartExperiment(*trainer_, state_);
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
  if (experiment_wanted) labs_.StartExperiment(*trainer_, state_);
  return true;
}

void Session::Install(NetworkBuilder::Result built) {
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
  markers_.Restart();
  state_.changes = {ChangeMarker{0, reason.empty() ? "" : "new nets: " + reason, state_.config.optimizer.learning_rate,
                                 state_.config.batch_size}};
  for (NetView& view : state_.nets) {
    view = NetView();
    view.layers.resize(next.net.hidden.size());
  }
  labs_.NewNetworks(static_cast<int>(next.net.hidden.size()), state_);
  state_.bn_layer = std::min(state_.bn_layer, static_cast<int>(next.net.hidden.size()) - 1);
  trainer_->SetStepObserver([this](NetId id, const Network<Scalar>& net) {
    if (labs_.on().inside_bn && id == NetId::kRight && net.norm() == KindOf<BatchNorm>())
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
