// The batch-size sweep (engine/batch_sweep.h) on a thread of its own, started from the GUI:
// the session starts it, polls it once per loop and cancels it; the snapshot carries its
// progress and, once done, its result.
#pragma once

#include "engine/batch_sweep.h"
#include "engine/config.h"
#include "engine/dataset.h"
#include "session/background_run.h"

#include <memory>
#include <string>

namespace bnlab {

// What the Batch size view shows of it.
struct BatchSweepView {
  bool running = false;
  int done = 0;  // runs finished
  int total = 0;
  BatchSweepOptions options;  // of the run under way or the last one
  // The last finished run (kept while another runs); shared, so a snapshot's copy is cheap.
  std::shared_ptr<const BatchSweepResult> result;
  std::string error;  // why the last start failed
};

// The sweep's options for the GUI on `data`: the defaults, with the subset and the sizes fitted
// to a small training set, and η₁ = η / the current batch.
BatchSweepOptions GuiBatchSweepOptions(const Dataset& data, const TrainConfig& config);

class BatchSweepRun {
 public:
  // Starts a sweep unless one is under way; the data and config are the sweep's own copies.
  void Start(std::shared_ptr<const Dataset> data, const TrainConfig& config, BatchSweepView& view);
  // Cancels a sweep under way and waits for it (the runs look at the flag every step).
  void Stop(BatchSweepView* view = nullptr);
  // Progress into `view`; the result once the thread is done. True when `view` changed.
  bool Collect(BatchSweepView& view);

 private:
  BackgroundRun<BatchSweepResult> run_;
};

}  // namespace bnlab
