// The commands, applied by the session thread between two steps: the transport (pause, step,
// speed), live settings and new networks, the labs, and the scene.
#include "session/session.h"

#include "settings/command_line.h"
#include "settings/setting_table.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace bnlab {
void Session::Apply(const cmd::SingleStep&) {
  paused_ = true;
  ++single_steps_;
}

void Session::Apply(const cmd::Reset&) { Rebuild(Target(), "", "Reset: both nets restarted from step 0."); }

// A number from a typed field may be anything; a non-finite one changes nothing.
void Session::Apply(const cmd::SetSpeed& command) {
  if (std::isfinite(command.steps_per_second)) speed_ = std::max(command.steps_per_second, 0.0);
}

void Session::Apply(const cmd::SetLearningRate& command) {
  if (!std::isfinite(command.learning_rate)) return;
  TrainConfig next = Target();
  next.optimizer.learning_rate = command.learning_rate;
  ApplyConfig(next);
}

void Session::Apply(const cmd::SetBatchSize& command) {
  TrainConfig next = Target();
  next.batch_size = command.batch_size;
  ApplyConfig(next);
}

void Session::Apply(const cmd::SetProbeUnit& command) {
  TrainConfig next = Target();
  next.probe_unit = command.unit;
  ApplyConfig(next);
}

void Session::Apply(const cmd::SelectBnLayer& command) {
  state_.bn_layer = std::clamp(command.layer, 0, static_cast<int>(state_.config.net.hidden.size()) - 1);
  state_.inside.has_record = false;
  if (trainer_) labs_.MeasureTestTimeScatter(*trainer_, state_);
}

void Session::Apply(const cmd::RunExperiment&) {
  // On the networks under way, once they are in.
  if (building_) experiment_wanted_ = true;
  else if (trainer_) labs_.StartExperiment(*trainer_, state_);
}

void Session::Apply(const cmd::CancelExperiment&) {
  experiment_wanted_ = false;
  labs_.StopExperiment(state_);
}

void Session::Apply(const cmd::RunBatchSweep&) {
  if (trainer_) labs_.StartBatchSweep(*trainer_, state_);
  else state_.batch_sweep.error = "the networks are still being built; try again in a moment";
}

void Session::LoadScene(const Scene& scene, bool announce) {
  state_.scene = SceneInfo{scene.name, scene.title.empty() ? scene.name : scene.title, scene.description, scene.lesson};
  speed_ = scene.lesson.has_speed ? scene.lesson.speed : 0.0;
  // Flags that changed the scene's settings make a different run from the start.
  scene_command_ = scene.changed_by_flags ? std::string() : CommandLine(scene.config);
  paused_ = false;
  single_steps_ = 0;
  Rebuild(scene.config, "", announce ? "Scene loaded: " + state_.scene.title : "");
}

void Session::ApplyConfig(const TrainConfig& config) {
  const std::string reason = settings::NewNetworksReason(Target(), config);
  if (!reason.empty() || (!trainer_ && !building_)) {
    Rebuild(config, reason.empty() ? "settings" : reason);
    return;
  }
  if (building_) {
    // The networks under way start with these settings (CollectBuild); nothing to mark.
    target_config_ = config;
    state_.building_config = config;
    return;
  }
  std::vector<settings::LiveChange> changes = settings::LiveChanges(state_.config, config);
  trainer_->SetOptimizer(config.optimizer);
  if (config.batch_size != state_.config.batch_size) labs_.BatchSizeChanged(config.batch_size);
  trainer_->SetBatchSize(config.batch_size);
  trainer_->SetBnMomentum(config.net.bn_momentum);
  trainer_->SetBnEps(config.net.bn_eps);
  trainer_->SetEvalStats(config.eval_stats);
  if (config.probe_unit != state_.config.probe_unit) {
    trainer_->SetProbeUnit(config.probe_unit);
    // A different unit starts new traces.
    labs_.ProbeUnitChanged(state_);
    for (NetView& view : state_.nets) {
      for (LayerHistory& layer : view.layers) {
        layer.p15.Clear();
        layer.p50.Clear();
        layer.p85.Clear();
      }
    }
  }
  const bool eval_changed = config.eval_stats != state_.config.eval_stats;
  state_.config = trainer_->config();
  if (!changes.empty()) markers_.Add(std::move(changes), state_);
  Measure(eval_changed ? EvalWhen::kNow : EvalWhen::kIfDue);
}

}  // namespace bnlab
