// The Batch size view: does BN work best at moderate batch sizes? The batch-size sweep
// (engine/batch_sweep.h) run in the background on request, its test accuracy and train-test gap
// against m on a log axis (both nets, both learning-rate rules, the seeds' spread as bands) and
// the verdict its numbers give (engine/batch_sweep_verdict.h).
#pragma once

#include "engine/batch_sweep_verdict.h"
#include "session/session.h"
#include "session/snapshot.h"

#include <imgui.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace bnlab {

// One curve of a plot: a rule and a net, over the sweep's sizes.
struct SweepCurveSeries {
  LrRule rule = LrRule::kSame;
  NetId column = NetId::kLeft;
  Variant variant{};                          // "none"
  std::string label;                          // "BN, same lr###bn-same": the title may change, the id does not
  std::vector<float> test, test_lo, test_hi;  // %, mean and mean ∓ std over seeds
  std::vector<float> gap, gap_lo, gap_hi;     // points
};

// What the view derives from the result, rebuilt only when a new result arrives.
struct BatchSweepCache {
  std::shared_ptr<const BatchSweepResult> result;  // the result the figures below are from
  std::vector<double> batch;                       // m, ascending
  std::vector<SweepCurveSeries> curves;
  BatchSweepVerdict verdict;
  double test_lo = 0.0, test_hi = 100.0;  // y limits
  double gap_lo = 0.0, gap_hi = 10.0;
  bool was_running = false;
  double run_started = 0.0;    // ImGui time when the run was first seen under way
  double last_duration = 0.0;  // seconds the last finished run took, 0 when unknown
};

void DrawBatchSweepPanel(const Snapshot& snapshot, Session& session, BatchSweepCache& cache, const ImVec2& size);

}  // namespace bnlab
