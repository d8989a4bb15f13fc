// The session's labs, beside training, on the session thread: the per-step trace of one BN unit,
// the batch-size noise sweep (a piece at a time, at a 5% duty cycle), the test-time, Inside-BN
// and loss-landscape figures of the views that are open (Labs), and the two long runs on threads
// of their own (the ghost-BN experiment, the batch-size sweep). Each call reads the nets of the
// moment and writes its figures into the session's working snapshot.
#pragma once

#include "engine/trainer.h"
#include "session/background_run.h"
#include "session/commands.h"
#include "session/snapshot.h"

#include <chrono>
#include <memory>
#include <vector>

namespace bnlab {

class LabRunner {
 public:
  // Which labs run; one switched on measures at once.
  void Set(const Labs& labs);
  const Labs& on() const { return on_; }

  // New networks with `hidden_layers` layers: the noise, Inside-BN and test-time figures belong
  // to the old ones; the experiment's result stays (it says which setting it ran), but one
  // under way is stopped.
  void NewNetworks(int hidden_layers, Snapshot& state);
  // A live change of the batch size: the noise view marks it at once, its figures come first.
  void BatchSizeChanged(int batch_size);
  // Another probe unit: its traces and test-time histories start again.
  void ProbeUnitChanged(Snapshot& state);
  // A fresh noise sweep from the nets as they are now.
  void MeasureNoiseNow();

  // After each training step: the BN unit's trace, and where the Inside-BN record's batch came from.
  void AfterStep(const TwinTrainer& trainer, Snapshot& state);
  // The noise, test-time and landscape work that is due; true when it changed `state`.
  bool Work(TwinTrainer& trainer, Snapshot& state);
  // The Train vs eval view's scatter of one BN unit, training vs eval mode, on the probe samples.
  void MeasureTestTimeScatter(const TwinTrainer& trainer, Snapshot& state) const;

  void StartExperiment(const TwinTrainer& trainer, Snapshot& state);
  void StopExperiment(Snapshot& state);
  void StartBatchSweep(const TwinTrainer& trainer, Snapshot& state);
  void StopBatchSweep(Snapshot& state) { batch_sweep_.Stop(&state.batch_sweep); }
  // The two runs' progress, and their results once done; true when `state` changed.
  bool CollectRuns(Snapshot& state);
  // The session closes: a run under way stops at its next step (its thread is joined when
  // this is destroyed, or by StopExperiment).
  void CancelRuns() { experiment_.Cancel(); }

 private:
  using Clock = std::chrono::steady_clock;

  void RecordTrace(const TwinTrainer& trainer, Snapshot& state) const;
  void RecordInside(const TwinTrainer& trainer, Snapshot& state) const;
  // One piece of the noise sweep (the lab's set-up, or one batch size) when it is due.
  bool NoiseWork(const TwinTrainer& trainer, Snapshot& state);
  // The population pass and population-mode test accuracy, when due.
  bool TestTimeWork(TwinTrainer& trainer, Snapshot& state);
  // The loss landscape of both nets, when due.
  bool LandscapeWork(const TwinTrainer& trainer, Snapshot& state);

  Labs on_;
  // The noise lab: built from the nets at the start of a sweep, then one batch size per piece.
  std::unique_ptr<NoiseLab> noise_lab_;
  std::shared_ptr<const Dataset> noise_data_;  // what noise_lab_ refers to
  std::vector<int> noise_pending_;             // batch sizes still to measure in this sweep
  Clock::time_point next_noise_{};
  Clock::time_point next_landscape_{};
  Clock::time_point next_population_{};
  BackgroundRun<GhostExperimentResult> experiment_;
  BatchSweepRun batch_sweep_;
};

}  // namespace bnlab
