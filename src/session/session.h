// The training session: a worker thread that owns the TwinTrainer, applies commands
// between steps and publishes immutable snapshots. Neither side ever waits for the other.
#pragma once

#include "settings/settings.h"
#include "session/snapshot.h"
#include "engine/platform.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace bnlab {

struct Command {
  enum class Kind {
    kPause,
    kResume,
    kTogglePause,
    kSingleStep,
    kReset,
    kSetLearningRate,  // value
    kSetBatchSize,     // value
    kSetSpeed,         // value: steps per second, 0 = as fast as possible
    kApplyConfig,      // config: live where possible, otherwise new networks
    kLoadScene,        // scene: new networks, the scene's speed, its pause points
    kSetNoiseLab,      // value 1: measure the batch-size noise while the view is open; 0: stop
    kMeasureNoiseNow,  // a fresh sweep now, whatever the cadence
    kRunExperiment,    // the ghost-BN regularization experiment, in the background
    kCancelExperiment,
    kRunBatchSweep,  // the batch-size sweep (engine/batch_sweep.h), in the background
    kCancelBatchSweep,
    kSetInsideBn,    // value 1: record one BN unit every step while the Inside BN view is open
    kSetTestTime,    // value 1: test-time figures while the Train vs eval view is open
    kSelectBnLayer,  // value: the hidden layer (0-based) those two views show
    kSetLandscape,   // value 1: measure the loss landscape while its view is open
  };
  Command(Kind kind_ = Kind::kPause, double value_ = 0.0) : kind(kind_), value(value_) {}

  Kind kind;
  double value;
  TrainConfig config;
  Scene scene;
};

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
  // asked for (in one piece: a Fashion-MNIST load takes the whole of it). Returns the seconds
  // until the next pass is due, as Pass does.
  double Drive(double budget);
  // The newest snapshot (never null).
  std::shared_ptr<const Snapshot> Latest() const;
  // True once the first networks are built and probed, or the start failed (error set).
  static bool Ready(const Snapshot& snapshot);

 private:
  void ApplyCommand(const Command& command);
  void ApplyConfig(const TrainConfig& config);
  // New networks for `config` (`reason`: the settings that changed, "" for a scene or a reset),
  // built on the builder thread; the notice `message` shows once they are in.
  void Rebuild(const TrainConfig& config, const std::string& reason, std::string message = "");
  // The settings the session is heading for: those of a build under way, else those in force.
  const TrainConfig& Target() const { return building_ ? target_config_ : state_.config; }
  // The scene's settings, speed and pause points; `announce` says so once its networks are in.
  void LoadScene(const Scene& scene, bool announce);

  // New networks are built on a thread of their own: a very large pair takes seconds (page
  // faults and the weight draw), during which the session keeps answering commands; a newer
  // request cancels an older build at its next layer, and closing never waits for one.
  struct BuildJob {
    long id = 0;
    TrainConfig config;
    std::string reason, message;
    std::shared_ptr<const Dataset> dataset;  // the data in use, reused when the new config's are the same
    DataConfig dataset_config;
    std::uint64_t dataset_seed = 0;  // the seed the synthetic sets were drawn with
  };
  struct BuildResult {
    long id = 0;
    TrainConfig config;  // as built (widths fitted to the data)
    std::string reason, message;
    std::shared_ptr<const Dataset> dataset;
    std::unique_ptr<TwinTrainer> trainer;  // null when the build failed
    std::string error;
    bool error_is_data = false;
  };
  // `load` reports the data's loading and stops it with the build (build_cancel_).
  static BuildResult Build(const BuildJob& job, const std::atomic<bool>* cancel, const LoadControl& load);
  void BuilderLoop();
  // Builds `job` and leaves its result for CollectBuild (the builder thread's work, one job).
  void BuildOne(BuildJob job);
  // Without a builder thread: the waiting job, if any, built here and now.
  void BuildWaitingJob();
  // While the data loads: how many images of how many, after the building text.
  void ShowLoadProgress();
  // Installs the newest finished build (or its error); true when the snapshot changed.
  bool CollectBuild();
  void Install(BuildResult built);
  // Marks live changes on the plots over steps (and in the CSV export).
  struct LiveChange {
    std::string name, from, to;  // "lr", "0.1", "5"
  };
  void AddChange(std::vector<LiveChange> changes);
  void StepOnce();
  // Probes both nets; a test pass too when `when` asks for one or it is due.
  enum class EvalWhen { kIfDue, kNow, kNever };
  void Measure(EvalWhen when);
  void ComputeBoundary(NetView& view, NetId id);
  // The BN labs (trace, noise, Inside BN, test time) read the right column's BatchNorm layers;
  // with another variant there (layernorm, renorm, none) they stay empty for now.
  bool RightColumnHasBatchNorm() const;
  void RecordTrace();
  // One piece of the noise sweep (the lab's set-up, or one batch size) when it is due; true
  // when it changed the snapshot.
  bool NoiseWork();
  void StartExperiment();
  void StopExperiment();
  void CollectExperiment();
  void RecordInside();
  // The population pass and population-mode test accuracy, when due; true if it ran.
  bool TestTimeWork();
  void MeasureTestTimeScatter();
  // The loss landscape of both nets, when due; true if it ran.
  bool LandscapeWork();
  void Publish();
  // The worker thread's loop: passes, and between them a sleep as long as a pass allows, cut
  // short by a command, a finished build or the session closing.
  void Run();
  // One pass of the training loop: the commands that arrived, a finished build, the steps due
  // (a run of kFastChunk seconds at full speed, the steps whose time has come in slow motion,
  // one single step), the measurements and labs that are due, and the snapshot when it changed
  // or kPublishInterval has passed. Returns the seconds until the next pass is due: 0 while it
  // trains at full speed, else until the next slow-motion step or publication. The one place
  // the loop's logic lives, for whatever drives it.
  double Pass();
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

  // The builder thread and what it shares with the session thread.
  std::mutex build_mutex_;
  std::condition_variable build_wake_;
  std::optional<BuildJob> build_job_;        // the newest request, not started yet
  std::optional<BuildResult> build_result_;  // the newest finished build, not collected yet
  bool build_stop_ = false;                  // guarded by build_mutex_
  std::atomic<bool> build_cancel_{false};    // stops the build under way (a newer one, or closing)
  bool build_ready_ = false;                 // a result waits (guarded by mutex_: wakes the session)
  long load_build_id_ = 0;                   // the build whose data load_progress_ describes (build_mutex_)
  LoadProgress load_progress_;               // how far its Fashion-MNIST load is (build_mutex_)
  std::thread builder_;

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

  // The noise lab: built from the nets at the start of a sweep, then one batch size per piece.
  bool noise_active_ = false;
  std::unique_ptr<NoiseLab> noise_lab_;
  std::shared_ptr<const Dataset> noise_data_;  // what noise_lab_ refers to
  std::vector<int> noise_pending_;             // batch sizes still to measure in this sweep
  std::chrono::steady_clock::time_point next_noise_{};

  bool inside_active_ = false;
  bool test_time_active_ = false;
  bool landscape_active_ = false;
  std::chrono::steady_clock::time_point next_landscape_{};
  std::chrono::steady_clock::time_point next_population_{};

  // The regularization experiment's thread and what it shares with this one.
  std::thread experiment_thread_;
  bool experiment_wanted_ = false;  // asked for while new networks were being built
  std::atomic<bool> experiment_cancel_{false};
  std::atomic<int> experiment_done_{0};
  std::atomic<int> experiment_total_{0};
  std::atomic<bool> experiment_finished_{false};
  GhostExperimentResult experiment_result_;  // written by the experiment thread before finished_
  std::string experiment_error_;
  BatchSweepRun batch_sweep_run_;  // its own thread, data and config

  std::vector<LiveChange> last_change_;  // the newest marker's changes, to merge a slider drag into it
  std::chrono::steady_clock::time_point last_change_time_{};
  long last_change_step_ = 0;
  bool last_marker_live_ = false;             // state_.changes.back() is last_change_'s marker
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
