// The training session: a worker thread that owns the TwinTrainer, applies commands
// between steps and publishes immutable snapshots. Neither side ever waits for the other.
// Its parts, by what they do: the loop (session.cpp), the commands (commands.h,
// session_commands.cpp), new networks (network_builder.h on its own thread, installed by
// session_build.cpp), the labs beside training (lab_runner.h).
#pragma once

#include "settings/settings.h"
#include "session/change_markers.h"
#include "session/commands.h"
#include "session/lab_runner.h"
#include "session/network_builder.h"
#include "session/snapshot.h"
#include "engine/platform.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace bnlab {

class Session {
 public:
  // Seconds between the snapshots the UI can see: it draws no more often than they come.
  static constexpr double kPublishInterval = 1.0 / 30.0;

  // Starts the worker thread on the scene's config (at its speed, with its pause points);
  // training starts unless `start_paused`. The data are loaded and the first networks built in
  // the background: until then Latest() has no dataset and says what is `building`; a setting
  // the data cannot take then shows in Latest()->error (see Ready).
  // `threads` 2: the two nets step at once (TwinTrainer::SetParallel; the same results).
  // `own_threads` false (the browser, where no thread can start: engine/platform.h): no worker
  // and no builder thread; the caller drives the session with Drive, between its frames.
  Session(const Scene& scene, bool start_paused, int threads = 1, bool own_threads = kThreadsAvailable);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Send(Command command);
  // Asks the worker to stop (and cancels a build under way) and waits up to `wait` for it;
  // false when it is still inside one training step of a very large network, which it cannot
  // leave early. The window uses it so that closing never waits for that.
  bool Stop(std::chrono::milliseconds wait);
  // For a session without threads of its own: passes of the training loop (the same Pass the
  // worker thread runs) for up to `budget` seconds, and new networks built when they were
  // asked for: a Fashion-MNIST load a few milliseconds of chunks per pass (the loading screen
  // counts them), the networks then in one piece. Returns the seconds until the next pass is
  // due, as Pass does.
  double Drive(double budget);
  // Where the data's files arrive after the program (the page fetches Fashion-MNIST when a
  // scene first needs it); see NetworkBuilder::FileArrival. Set before the first Drive; none:
  // they are there.
  void SetFileArrival(NetworkBuilder::FileArrival arrival) { builder_.SetFileArrival(std::move(arrival)); }
  // The newest snapshot (never null).
  std::shared_ptr<const Snapshot> Latest() const;
  // True once the first networks are built and probed, or the start failed (error set).
  static bool Ready(const Snapshot& snapshot);

 private:
  // One command, between two steps (session_commands.cpp).
  void Apply(const cmd::Pause&) { paused_ = true; }
  void Apply(const cmd::Resume&) { paused_ = false; }
  void Apply(const cmd::TogglePause&) { paused_ = !paused_; }
  void Apply(const cmd::SingleStep&);
  void Apply(const cmd::Reset&);
  void Apply(const cmd::SetSpeed& command);
  void Apply(const cmd::SetLearningRate& command);
  void Apply(const cmd::SetBatchSize& command);
  void Apply(const cmd::SetProbeUnit& command);
  void Apply(const cmd::SelectBnLayer& command);
  void Apply(const cmd::ApplyConfig& command) { ApplyConfig(command.config); }
  void Apply(const cmd::LoadScene& command) { LoadScene(command.scene, /*announce=*/true); }
  void Apply(const cmd::SetLabs& command) { labs_.Set(command.labs); }
  void Apply(const cmd::MeasureNoiseNow&) { labs_.MeasureNoiseNow(); }
  void Apply(const cmd::RunExperiment&);
  void Apply(const cmd::CancelExperiment&);
  void Apply(const cmd::RunBatchSweep&);
  void Apply(const cmd::CancelBatchSweep&) { labs_.StopBatchSweep(state_); }
  // Live where every change can be (the settings table's Applies), otherwise new networks.
  void ApplyConfig(const TrainConfig& config);
  // New networks for `config` (`reason`: the settings that changed, "" for a scene or a reset),
  // built on the builder thread; the notice `message` shows once they are in.
  void Rebuild(const TrainConfig& config, const std::string& reason, std::string message = "");
  // The settings the session is heading for: those of a build under way, else those in force.
  const TrainConfig& Target() const { return building_ ? target_config_ : state_.config; }
  // The scene's settings, speed and pause points; `announce` says so once its networks are in.
  void LoadScene(const Scene& scene, bool announce);

  // While the data loads: how many images of how many, after the building text.
  // true when that text changed.
  bool ShowLoadProgress();
  // Installs the newest finished build (or its error); true when the snapshot changed.
  bool CollectBuild();
  void Install(NetworkBuilder::Result built);
  void StepOnce();
  // Probes both nets; a test pass too when `when` asks for one or it is due.
  enum class EvalWhen { kIfDue, kNow, kNever };
  void Measure(EvalWhen when);
  void ComputeBoundary(NetView& view, NetId id);
  void Publish();
  // The worker thread's loop: passes, and between them a sleep as long as a pass allows, cut
  // short by a command, a finished build or the session closing.
  void Run();
  // One pass of the training loop: the commands that arrived, a finished build, the steps due
  // (a run of `fast_chunk` seconds at full speed, the steps whose time has come in slow motion,
  // one single step), the measurements and labs that are due, and the snapshot when it changed
  // or kPublishInterval has passed. Returns the seconds until the next pass is due: 0 while it
  // trains at full speed, else until the next slow-motion step or publication. The one place
  // the loop's logic lives, for whatever drives it. `fast_chunk`: the run's seconds at full
  // speed: kFastChunk (session.cpp), less when Drive's budget ends sooner.
  double Pass(double fast_chunk);
  // What the loop keeps from one pass to the next.
  struct LoopClock {
    std::chrono::steady_clock::time_point last_publish = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_measure = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_tick = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point rate_start = std::chrono::steady_clock::now();
    long rate_start_step = 0;
    double step_credit = 0.0;  // slow motion: steps owed, growing with time at speed_ a second
    long measured_step = 0;    // the step the last probes measured
  };

  // Shared with the UI thread.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Command> queue_;
  std::shared_ptr<const Snapshot> latest_;
  std::atomic<bool> stop_{false};
  bool finished_ = false;  // the worker has left Run() (guarded by mutex_)
  // Set when a command arrives or the session closes: a long evaluation stops at its next
  // chunk, so a large network never holds up a newer request or the window closing.
  std::atomic<bool> interrupt_{false};

  bool build_ready_ = false;  // a build waits to be collected (guarded by mutex_: wakes the session)
  // After mutex_, wake_ and build_ready_, which its thread uses, and destroyed before them.
  NetworkBuilder builder_;

  // Owned by the worker thread.
  long build_id_ = 0;          // the newest build requested
  bool building_ = false;      // it has not come back yet
  std::string building_text_;  // what is being built, before the load's progress (state_.building)
  TrainConfig target_config_;  // while building_: its settings, with live changes made since
  std::unique_ptr<TwinTrainer> trainer_;
  Snapshot state_;             // the working copy that Publish() copies out
  DataConfig dataset_config_;  // what state_.dataset was loaded from
  std::uint64_t dataset_seed_ = 0;
  Matrix boundary_points_;  // (2, grid²) centres of the decision-boundary cells
  Workspace<Scalar> boundary_ws_;
  std::chrono::steady_clock::time_point last_eval_{};
  double eval_seconds_ = 0.0;   // what the last test pass took (both nets)
  double probe_seconds_ = 0.0;  // what the last probes took (both nets, with what they feed)

  LabRunner labs_;
  bool experiment_wanted_ = false;  // asked for while new networks were being built

  ChangeMarkers markers_;
  std::string scene_command_;                 // CommandLine of the scene's settings: is the run still the scene's?
  static constexpr long kFirstEvalStep = 25;  // the first test pass of new networks
  long next_eval_step_ = 0;                   // evaluate no later than this step (dense early on)
  bool measure_pending_ = false;              // new networks not probed yet (Rebuild leaves it to the loop)
  bool eval_pending_ = false;                 // the last test pass was interrupted (or none yet): run it again
  bool paused_ = false;
  int threads_ = 1;  // for the twin step
  long single_steps_ = 0;
  double speed_ = 0.0;  // steps per second, 0 = unlimited
  LoopClock loop_clock_;
  std::thread thread_;
};

}  // namespace bnlab
