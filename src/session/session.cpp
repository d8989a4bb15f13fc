#include "session/session.h"

#include "settings/command_line.h"
#include "settings/setting_table.h"
#include "report/text_format.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <utility>

namespace bnlab {
namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr double kMeasureInterval = 1.0 / 20.0;  // probes of both nets
constexpr double kEvalInterval = 0.5;            // test-set evaluations at full speed
constexpr double kEvalGrowth = 1.25;             // early evaluations: at kFirstEvalStep, then ×1.25
constexpr double kFastChunk = 0.008;             // seconds of uninterrupted stepping
constexpr double kCoalesceSeconds = 1.5;         // live changes of one setting closer than this are one marker

}  // namespace

Session::Session(const Scene& scene, bool start_paused, int threads, bool own_threads) : threads_(threads) {
  state_.config = scene.config;
  if (own_threads) builder_ = std::thread([this] { BuilderLoop(); });
  LoadScene(scene, /*announce=*/false);
  paused_ = start_paused;
  Publish();
  loop_clock_ = LoopClock{};
  loop_clock_.rate_start_step = loop_clock_.measured_step = state_.step;
  if (own_threads) thread_ = std::thread([this] { Run(); });
}

Session::~Session() {
  experiment_cancel_ = true;  // a run under way stops at its next step
  stop_ = true;
  interrupt_ = true;
  build_cancel_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  StopExperiment();  // only now: the worker thread may have been stopping it too
  {
    std::lock_guard<std::mutex> lock(build_mutex_);
    build_stop_ = true;
    build_job_.reset();
  }
  build_cancel_ = true;
  build_wake_.notify_all();
  if (builder_.joinable()) builder_.join();
}

bool Session::Ready(const Snapshot& snapshot) {
  if (!snapshot.building.empty()) return false;
  if (!snapshot.dataset) return !snapshot.error.empty();  // the start failed: nothing more will come
  return snapshot.net(NetId::kLeft).has_probe && snapshot.net(NetId::kRight).has_probe;
}

void Session::Send(Command command) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(command));
  }
  interrupt_ = true;
  wake_.notify_all();
}

bool Session::Stop(std::chrono::milliseconds wait) {
  stop_ = true;
  interrupt_ = true;
  build_cancel_ = true;
  wake_.notify_all();
  if (!thread_.joinable()) return true;  // driven by the caller (Drive): nothing runs now
  std::unique_lock<std::mutex> lock(mutex_);
  return wake_.wait_for(lock, wait, [this] { return finished_; });
}

std::shared_ptr<const Snapshot> Session::Latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_;
}

void Session::Publish() {
  state_.paused = paused_;
  state_.speed = speed_;
  // Cheap however long the run: the histories are shared, not copied (engine/history.h).
  auto snapshot = std::make_shared<const Snapshot>(state_);
  std::lock_guard<std::mutex> lock(mutex_);
  latest_ = std::move(snapshot);
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

void Session::AddChange(std::vector<LiveChange> changes) {
  state_.scene_pristine = false;  // the run is no longer the scene's: its pause notes stop
  // A slider drag sends a value every frame: changes of the same settings in quick succession
  // are one change, from the first value to the last, marked where it began.
  const auto now = Clock::now();
  const bool same_settings = last_change_.size() == changes.size() &&
                             std::equal(changes.begin(), changes.end(), last_change_.begin(),
                                        [](const LiveChange& a, const LiveChange& b) { return a.name == b.name; });
  const bool coalesce = same_settings && Seconds(now - last_change_time_).count() < kCoalesceSeconds;
  if (coalesce) {
    for (std::size_t i = 0; i < changes.size(); ++i) changes[i].from = last_change_[i].from;
    if (last_marker_live_) state_.changes.pop_back();
  }
  last_change_ = changes;
  last_change_time_ = now;
  std::string label;
  for (const LiveChange& change : changes) {
    if (change.from == change.to) continue;  // dragged back to where it started
    label += (label.empty() ? "" : ", ") + change.name + " " + change.from + " → " + change.to;
  }
  const long step = coalesce ? last_change_step_ : state_.step;
  last_change_step_ = step;
  last_marker_live_ = !label.empty();
  if (label.empty()) return;
  state_.changes.push_back(
      ChangeMarker{step, std::move(label), state_.config.optimizer.learning_rate, state_.config.batch_size});
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
  std::vector<LiveChange> changes;
  auto note = [&](bool changed, const char* name, std::string from, std::string to) {
    if (changed) changes.push_back(LiveChange{name, std::move(from), std::move(to)});
  };
  const TrainConfig& now = state_.config;
  auto g = [](double value) { return Format("%.3g", value); };
  auto stats = [](EvalStats s) { return std::string(s == EvalStats::kPopulation ? "population" : "running"); };
  note(config.batch_size != now.batch_size, "batch", std::to_string(now.batch_size), std::to_string(config.batch_size));
  note(config.optimizer.learning_rate != now.optimizer.learning_rate, "lr", g(now.optimizer.learning_rate),
       g(config.optimizer.learning_rate));
  note(config.optimizer.momentum != now.optimizer.momentum, "SGD momentum", g(now.optimizer.momentum),
       g(config.optimizer.momentum));
  note(config.net.bn_momentum != now.net.bn_momentum, "BN momentum", g(now.net.bn_momentum), g(config.net.bn_momentum));
  note(config.net.bn_eps != now.net.bn_eps, "BN ε", g(now.net.bn_eps), g(config.net.bn_eps));
  note(config.eval_stats != now.eval_stats, "test statistics", stats(now.eval_stats), stats(config.eval_stats));
  trainer_->SetOptimizer(config.optimizer);
  if (config.batch_size != state_.config.batch_size) {
    // The view marks the new batch size at once; its figures come with the next piece.
    noise_pending_.insert(noise_pending_.begin(), config.batch_size);
    next_noise_ = Clock::now();
  }
  trainer_->SetBatchSize(config.batch_size);
  trainer_->SetBnMomentum(config.net.bn_momentum);
  trainer_->SetBnEps(config.net.bn_eps);
  trainer_->SetEvalStats(config.eval_stats);
  if (config.probe_unit != state_.config.probe_unit) {
    trainer_->SetProbeUnit(config.probe_unit);
    // A different unit starts new traces.
    for (UnitTrace& trace : state_.noise.traces) trace = UnitTrace();
    for (History& history : state_.test_time.population_mean) history.Clear();
    for (History& history : state_.test_time.population_var) history.Clear();
    state_.inside.has_record = false;
    next_population_ = Clock::now();
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
  if (!changes.empty()) AddChange(std::move(changes));
  Measure(eval_changed ? EvalWhen::kNow : EvalWhen::kIfDue);
}

void Session::ApplyCommand(const Command& command) {
  // A value from a typed field may be anything; a non-finite one changes nothing.
  if (!std::isfinite(command.value)) return;
  switch (command.kind) {
    case Command::Kind::kPause: paused_ = true; break;
    case Command::Kind::kResume: paused_ = false; break;
    case Command::Kind::kTogglePause: paused_ = !paused_; break;
    case Command::Kind::kSingleStep:
      paused_ = true;
      ++single_steps_;
      break;
    case Command::Kind::kReset: Rebuild(Target(), "", "Reset: both nets restarted from step 0."); break;
    case Command::Kind::kSetSpeed: speed_ = std::max(command.value, 0.0); break;
    case Command::Kind::kSetLearningRate: {
      TrainConfig next = Target();
      next.optimizer.learning_rate = command.value;
      ApplyConfig(next);
      break;
    }
    case Command::Kind::kSetBatchSize: {
      TrainConfig next = Target();
      next.batch_size = static_cast<int>(command.value);
      ApplyConfig(next);
      break;
    }
    case Command::Kind::kApplyConfig: ApplyConfig(command.config); break;
    case Command::Kind::kSetNoiseLab:
      noise_active_ = command.value != 0.0;
      if (noise_active_) next_noise_ = Clock::now();
      break;
    case Command::Kind::kMeasureNoiseNow:
      noise_lab_.reset();  // a new sweep from the nets as they are now
      noise_pending_.clear();
      next_noise_ = Clock::now();
      break;
    case Command::Kind::kSetInsideBn: inside_active_ = command.value != 0.0; break;
    case Command::Kind::kSetLandscape:
      landscape_active_ = command.value != 0.0;
      if (landscape_active_) next_landscape_ = Clock::now();
      break;
    case Command::Kind::kSetTestTime:
      test_time_active_ = command.value != 0.0;
      if (test_time_active_) next_population_ = Clock::now();
      break;
    case Command::Kind::kSelectBnLayer:
      state_.bn_layer =
          std::clamp(static_cast<int>(command.value), 0, static_cast<int>(state_.config.net.hidden.size()) - 1);
      state_.inside.has_record = false;
      if (trainer_) MeasureTestTimeScatter();
      break;
    case Command::Kind::kRunExperiment:
      // On the networks under way, once they are in.
      if (building_) experiment_wanted_ = true;
      else StartExperiment();
      break;
    case Command::Kind::kCancelExperiment:
      experiment_wanted_ = false;
      StopExperiment();
      break;
    case Command::Kind::kRunBatchSweep:
      if (trainer_) batch_sweep_run_.Start(trainer_->shared_dataset(), state_.config, state_.batch_sweep);
      else state_.batch_sweep.error = "the networks are still being built; try again in a moment";
      break;
    case Command::Kind::kCancelBatchSweep: batch_sweep_run_.Stop(&state_.batch_sweep); break;
    case Command::Kind::kLoadScene: LoadScene(command.scene, /*announce=*/true); break;
  }
}

void Session::StepOnce() {
  trainer_->Step();
  state_.step = trainer_->step();
  state_.epoch = trainer_->epoch();
  // Pause points and their notes belong to the scene's own run; after a live change they would
  // describe numbers the screen no longer shows.
  const std::vector<PausePoint>& pauses = state_.scene.lesson.pauses;
  for (std::size_t i = 0; i < pauses.size() && state_.scene_pristine; ++i) {
    if (pauses[i].step != state_.step) continue;
    paused_ = true;
    single_steps_ = 0;
    state_.pause_index = static_cast<int>(i);
  }
  RecordTrace();
  RecordInside();
  const double x = static_cast<double>(state_.step);
  for (NetId id : kNets) {
    NetView& view = state_.nets[static_cast<std::size_t>(id)];
    if (view.diverged) continue;
    view.last = trainer_->last_step(id);
    view.train_loss.Add(x, view.last.loss);
    view.batch_accuracy.Add(x, view.last.batch_accuracy);
    if (trainer_->diverged(id)) {
      view.diverged = true;
      view.diverged_at = state_.step;
      state_.message = std::string(VariantTitle(ColumnVariant(state_.config, id))) + " net diverged at step " +
                       std::to_string(state_.step) +
                       " (its loss is not a number). Lower the learning rate and press Reset.";
    }
  }
  const NetView& left = state_.net(NetId::kLeft);
  const NetView& right = state_.net(NetId::kRight);
  if (!left.diverged && !right.diverged) {
    const double gap = std::fabs(static_cast<double>(left.last.loss) - static_cast<double>(right.last.loss));
    if (gap > state_.largest_loss_gap) {
      state_.largest_loss_gap = gap;
      state_.largest_loss_gap_step = state_.step;
    }
  }
}

void Session::ComputeBoundary(NetView& view, NetId id) {
  trainer_->net(id).Infer(boundary_points_, Normalization::kRunning, boundary_ws_, nullptr, nullptr);
  boundary_ws_.head.Probabilities(boundary_ws_.logits);
  const Matrix& probs = boundary_ws_.head.probs;  // (classes, cells): column-major is cell by cell
  view.boundary.assign(probs.data(), probs.data() + probs.size());
}

void Session::Measure(EvalWhen when) {
  if (!trainer_) return;
  const auto now = Clock::now();
  const bool force_eval = when == EvalWhen::kNow;
  // The GUI evaluates by the clock, not every eval_every steps: a test pass costs ~60 steps,
  // and twice a second keeps that under 10% at full speed. Early on, when the curves move
  // fastest, it also evaluates at geometrically spaced steps (25, 31, 39, ...), so the first
  // seconds of the accuracy curve have a shape and not just two points.
  const bool eval_due =
      when != EvalWhen::kNever && (force_eval || eval_pending_ || Seconds(now - last_eval_).count() >= kEvalInterval ||
                                   state_.step >= next_eval_step_);
  const double x = static_cast<double>(state_.step);
  // Both nets' test passes first, so an interrupted pass leaves no point for one net only.
  std::array<TestResult, 2> tests;
  bool evaluated = false;
  if (eval_due) {
    evaluated = true;
    for (NetId id : kNets) {
      const NetView& view = state_.nets[static_cast<std::size_t>(id)];
      if (view.diverged && view.has_test) continue;
      tests[static_cast<std::size_t>(id)] = trainer_->Evaluate(id);
      // A newer command is waiting (or the window closes): answer it, evaluate again later.
      if (tests[static_cast<std::size_t>(id)].interrupted) evaluated = false;
    }
    eval_pending_ = !evaluated;
    if (evaluated) {
      last_eval_ = now;
      next_eval_step_ =
          std::max(state_.step + kFirstEvalStep, static_cast<long>(static_cast<double>(state_.step) * kEvalGrowth));
    }
  }
  for (NetId id : kNets) {
    NetView& view = state_.nets[static_cast<std::size_t>(id)];
    if (view.diverged && view.has_probe) continue;
    if (interrupt_.load(std::memory_order_relaxed) && measure_pending_) return;  // answer the command first
    view.probe = trainer_->Probe(id);
    view.has_probe = true;
    for (std::size_t l = 0; l < view.layers.size() && l < view.probe.layers.size(); ++l) {
      const LayerProbe& probe = view.probe.layers[l];
      LayerHistory& history = view.layers[l];
      history.p15.Add(x, probe.unit_p15);
      history.p50.Add(x, probe.unit_p50);
      history.p85.Add(x, probe.unit_p85);
      history.saturated.Add(x, probe.saturated_share);
      if (state_.step > 0) {
        history.grad_norm.Add(x, probe.grad_norm);
        history.update_ratio.Add(x, probe.update_ratio);
      }
    }
    if (evaluated && !(view.diverged && view.has_test)) {
      view.test = tests[static_cast<std::size_t>(id)];
      view.has_test = true;
      view.test_loss.Add(x, view.test.loss);
      view.test_accuracy.Add(x, view.test.accuracy);
      if (test_time_active_ && id == NetId::kRight) {
        TestTimeView& test_time = state_.test_time;
        test_time.test_acc_batch.Add(x, trainer_->EvaluateWith(id, Normalization::kBatch).accuracy);
        const double running = state_.config.eval_stats == EvalStats::kRunning
                                   ? view.test.accuracy
                                   : trainer_->EvaluateWith(id, Normalization::kRunning).accuracy;
        test_time.test_acc_running.Add(x, running);
      }
    }
    if (state_.boundary_grid > 0 && (evaluated || speed_ > 0.0)) ComputeBoundary(view, id);
  }
  if (test_time_active_) MeasureTestTimeScatter();
  measure_pending_ = false;
}

void Session::Run() {
  while (!stop_) {
    const double wait = Pass();
    if (wait <= 0.0) continue;
    // Sleep until a command arrives, the next slow-motion step is due, or it is time to publish.
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, Seconds(wait), [this] { return stop_ || !queue_.empty() || build_ready_; });
  }
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  wake_.notify_all();
}

double Session::Drive(double budget) {
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(Seconds(budget));
  double wait = 0.0;
  do wait = Pass();
  while (wait <= 0.0 && !stop_ && Clock::now() < until);
  return wait;
}

double Session::Pass() {
  LoopClock& clock = loop_clock_;
  std::deque<Command> commands;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands.swap(queue_);
    interrupt_ = false;  // a command sent from now on interrupts again
  }
  for (const Command& command : commands) {
    // A rejected setting is the user's to see, never the end of the training thread.
    try {
      ApplyCommand(command);
    } catch (const std::exception& e) {
      state_.error = e.what();
    }
  }
  bool published_change = !commands.empty();
  if (!builder_.joinable()) BuildWaitingJob();
  if (CollectBuild()) published_change = true;
  if (building_) ShowLoadProgress();
  // While new networks are built the old ones wait: they may come back if the build fails.
  const bool ready = trainer_ && !building_;
  if (ready && measure_pending_) {
    Measure(EvalWhen::kNow);  // new networks: their step-0 figures before the first step
    clock.measured_step = state_.step;
    published_change = true;
  }

  const bool both_diverged = ready && trainer_->diverged(NetId::kLeft) && trainer_->diverged(NetId::kRight);
  auto now = Clock::now();
  const double dt = Seconds(now - clock.last_tick).count();
  clock.last_tick = now;
  if (ready && !both_diverged) {
    if (single_steps_ > 0) {
      StepOnce();
      --single_steps_;
    } else if (!paused_ && speed_ <= 0.0) {
      const auto until = now + std::chrono::duration_cast<Clock::duration>(Seconds(kFastChunk));
      do StepOnce();
      while (Clock::now() < until && !stop_ && !paused_);  // a pause point stops it
    } else if (!paused_) {
      // Slow motion: a budget of steps that grows with time, capped so a stall never bursts.
      clock.step_credit = std::min(clock.step_credit + speed_ * dt, 1.0 + 0.1 * speed_);
      while (clock.step_credit >= 1.0 && !paused_ && !stop_) {
        StepOnce();
        clock.step_credit -= 1.0;
      }
    }
  }
  if (paused_) clock.step_credit = 0.0;

  now = Clock::now();
  const bool slow = paused_ || (speed_ > 0.0 && speed_ <= 30.0);
  const bool measure_due =
      state_.step != clock.measured_step && (slow || Seconds(now - clock.last_measure).count() >= kMeasureInterval);
  if (ready && (measure_due || eval_pending_)) {
    Measure(slow ? EvalWhen::kNow : EvalWhen::kIfDue);
    clock.measured_step = state_.step;
    clock.last_measure = now;
    published_change = true;
  }
  if (ready) {
    if (NoiseWork()) published_change = true;
    if (TestTimeWork()) published_change = true;
    if (LandscapeWork()) published_change = true;
  }
  if (state_.noise.experiment_running) {
    CollectExperiment();
    published_change = true;
  }
  if (batch_sweep_run_.Collect(state_.batch_sweep)) published_change = true;
  now = Clock::now();
  const double rate_window = Seconds(now - clock.rate_start).count();
  if (rate_window >= 0.5) {
    state_.steps_per_second = static_cast<double>(state_.step - clock.rate_start_step) / rate_window;
    clock.rate_start = now;
    clock.rate_start_step = state_.step;
  }
  if (published_change || Seconds(now - clock.last_publish).count() >= kPublishInterval) {
    Publish();
    clock.last_publish = now;
  }

  const bool idle = !ready || both_diverged || (paused_ && single_steps_ == 0);
  if (!idle && speed_ <= 0.0) return 0.0;  // full speed: the next pass at once
  double wait = kPublishInterval;
  if (!idle) wait = std::min(wait, std::max(0.0, (1.0 - clock.step_credit) / speed_));
  return wait;
}

}  // namespace bnlab
