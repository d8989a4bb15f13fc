#include "session/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <utility>
#include <variant>

namespace bnlab {
namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr double kMeasureInterval = 1.0 / 20.0;  // probes of both nets
constexpr double kEvalInterval = 0.5;            // test-set evaluations at full speed
constexpr double kEvalGrowth = 1.25;             // early evaluations: at kFirstEvalStep, then ×1.25
constexpr double kFastChunk = 0.008;             // seconds of uninterrupted stepping
// At full speed, test passes and probes each take at most this share of the time: no closer
// together than ten times what the last one took. On the desktop the intervals above are the
// longer; where they cost more (the page, in WebAssembly, where a test pass of the paper's net
// took ~0.3 s) they come further apart, and training keeps its time.
constexpr double kMeasureShare = 0.1;

}  // namespace

Session::Session(const Scene& scene, bool start_paused, int threads, bool own_threads)
    : builder_(own_threads,
               [this] {
                 {
                   std::lock_guard<std::mutex> lock(mutex_);
                   build_ready_ = true;
                 }
                 wake_.notify_all();
               }),
      threads_(threads) {
  state_.config = scene.config;
  LoadScene(scene, /*announce=*/false);
  paused_ = start_paused;
  Publish();
  loop_clock_ = LoopClock{};
  loop_clock_.rate_start_step = loop_clock_.measured_step = state_.step;
  if (own_threads) thread_ = std::thread([this] { Run(); });
}

Session::~Session() {
  labs_.CancelRuns();  // a run under way stops at its next step
  stop_ = true;
  interrupt_ = true;
  builder_.Cancel();
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  labs_.StopExperiment(state_);  // only now: the worker thread may have been stopping it too
  // The builder's thread is stopped by its destructor, before the mutex it wakes this one with.
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
  builder_.Cancel();
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
  labs_.AfterStep(*trainer_, state_);
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
  // and twice a second keeps that near 10% at full speed (further apart where a pass costs
  // more: kMeasureShare). Early on, when the curves move
  // fastest, it also evaluates at geometrically spaced steps (25, 31, 39, ...), so the first
  // seconds of the accuracy curve have a shape and not just two points.
  const bool eval_due = when != EvalWhen::kNever &&
                        (force_eval || eval_pending_ ||
                         Seconds(now - last_eval_).count() >= std::max(kEvalInterval, eval_seconds_ / kMeasureShare) ||
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
      eval_seconds_ = Seconds(Clock::now() - now).count();
      next_eval_step_ =
          std::max(state_.step + kFirstEvalStep, static_cast<long>(static_cast<double>(state_.step) * kEvalGrowth));
    }
  }
  const auto probes_start = Clock::now();
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
      if (labs_.on().test_time && id == NetId::kRight) {
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
  if (labs_.on().test_time) labs_.MeasureTestTimeScatter(*trainer_, state_);
  probe_seconds_ = Seconds(Clock::now() - probes_start).count();
  measure_pending_ = false;
}

void Session::Run() {
  while (!stop_) {
    const double wait = Pass(kFastChunk);
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
  // Full speed: the last run of steps ends with the budget, not up to kFastChunk after it (one
  // step at least per pass).
  do wait = Pass(std::min(kFastChunk, Seconds(until - Clock::now()).count()));
  while (wait <= 0.0 && !stop_ && Clock::now() < until);
  return wait;
}

double Session::Pass(double fast_chunk) {
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
      std::visit([this](const auto& typed) { Apply(typed); }, command);
    } catch (const std::exception& e) {
      state_.error = e.what();
    }
  }
  bool published_change = !commands.empty();
  if (!builder_.has_thread()) builder_.BuildWaiting();
  if (CollectBuild()) published_change = true;
  if (building_ && ShowLoadProgress()) published_change = true;  // the loading screen's count moved
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
      const auto until = now + std::chrono::duration_cast<Clock::duration>(Seconds(fast_chunk));
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
      state_.step != clock.measured_step &&
      (slow || Seconds(now - clock.last_measure).count() >= std::max(kMeasureInterval, probe_seconds_ / kMeasureShare));
  if (ready && (measure_due || eval_pending_)) {
    Measure(slow ? EvalWhen::kNow : EvalWhen::kIfDue);
    clock.measured_step = state_.step;
    clock.last_measure = now;
    published_change = true;
  }
  if (ready && labs_.Work(*trainer_, state_)) published_change = true;
  if (labs_.CollectRuns(state_)) published_change = true;
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
