// The training session: a worker thread that owns the TwinTrainer, applies commands
// between steps and publishes immutable snapshots. Neither side ever waits for the other.
#pragma once

#include "cli/settings.h"
#include "session/snapshot.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
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
    kSetInsideBn,      // value 1: record one BN unit every step while the Inside BN view is open
    kSetTestTime,      // value 1: test-time figures while the Train vs eval view is open
    kSelectBnLayer,    // value: the hidden layer (0-based) those two views show
    kSetLandscape,     // value 1: measure the loss landscape while its view is open
  };
  Command(Kind kind_ = Kind::kPause, double value_ = 0.0) : kind(kind_), value(value_) {}

  Kind kind;
  double value;
  TrainConfig config;
  Scene scene;
};

class Session {
 public:
  // Starts the worker thread on the scene's config (at its speed, with its pause points);
  // training starts unless `start_paused`. The first networks are built here, so a setting
  // the data cannot take shows in Latest()->error at once; the first test pass comes later.
  Session(const Scene& scene, bool start_paused);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Send(Command command);
  // Asks the worker to stop and waits up to `wait` for it; false when it is still inside one
  // long piece of work (a training step or the construction of a very large network), which
  // it cannot leave early. The window uses it so that closing never waits for that.
  bool Stop(std::chrono::milliseconds wait);
  // The newest snapshot (never null).
  std::shared_ptr<const Snapshot> Latest() const;

 private:
  void Run();
  void ApplyCommand(const Command& command);
  void ApplyConfig(const TrainConfig& config);
  void Rebuild(const TrainConfig& config, const std::string& reason);
  void LoadScene(const Scene& scene);
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
  bool NoiseWork(bool force);
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

  // Owned by the worker thread.
  std::unique_ptr<TwinTrainer> trainer_;
  Snapshot state_;         // the working copy that Publish() copies out
  DataConfig dataset_config_;  // what state_.dataset was loaded from
  Matrix boundary_points_;     // (2, grid²) centres of the decision-boundary cells
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
  std::atomic<bool> experiment_cancel_{false};
  std::atomic<int> experiment_done_{0};
  std::atomic<int> experiment_total_{0};
  std::atomic<bool> experiment_finished_{false};
  GhostExperimentResult experiment_result_;    // written by the experiment thread before finished_
  std::string experiment_error_;

  std::vector<LiveChange> last_change_;  // the newest marker's changes, to merge a slider drag into it
  std::chrono::steady_clock::time_point last_change_time_{};
  long last_change_step_ = 0;
  bool last_marker_live_ = false;        // state_.changes.back() is last_change_'s marker
  std::string scene_command_;            // CommandLine of the scene's settings: is the run still the scene's?
  long next_eval_step_ = 0;    // evaluate no later than this step (dense early on)
  bool measure_pending_ = false;  // new networks not probed yet (Rebuild leaves it to the loop)
  bool eval_pending_ = false;  // the last test pass was interrupted (or none yet): run it again
  bool paused_ = false;
  long single_steps_ = 0;
  double speed_ = 0.0;         // steps per second, 0 = unlimited
  std::thread thread_;
};

}  // namespace bnlab
