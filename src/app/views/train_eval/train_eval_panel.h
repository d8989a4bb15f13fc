// The Train vs eval view, in two files: the layout, the three accuracies and the cache
// (train_eval_panel.cpp), and the plots of one unit's statistics over steps and of the folded
// eval map (statistics.cpp). What they derive from the snapshot lives in one
// app-owned TrainEvalCache, rebuilt when the trace, the population figures or the scatter change.
#pragma once

#include "session/session.h"
#include "session/snapshot.h"
#include "app/shell/ui_state.h"

#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bnlab {

// One colour per kind of statistics, the same in every plot of the view.
inline constexpr ImU32 kBatchStatsColor = IM_COL32(80, 215, 120, 255);       // green: a batch's own μ_B, σ²_B
inline constexpr ImU32 kRunningStatsColor = IM_COL32(255, 255, 255, 235);    // white: running averages
inline constexpr ImU32 kPopulationStatsColor = IM_COL32(250, 200, 80, 255);  // yellow: the whole training set

struct TrainEvalCache {
  // ---- the probe unit's trace of the shown layer, with the population figures ----
  std::uint64_t trace_key = 0;
  bool has_trace = false;
  std::vector<float> trace_step;  // the steps as floats, for the scatter of dots
  bool has_population = false;
  // Per trace step: the population value last measured by then (NaN before the first) and
  // the band where a batch statistic of m independent samples falls.
  std::vector<float> population_mean, mean_band_lo, mean_band_hi;
  std::vector<float> population_var, var_band_lo, var_band_hi;
  double mean_lo = -1.0, mean_hi = 1.0, var_lo = 0.0, var_hi = 1.0;  // y limits, legend room on top

  // ---- the folded eval map and the probe samples ----
  std::uint64_t scatter_key = 0;
  double eval_max_error = 0.0;  // max |y − (a·x + c)| over the eval-mode points
  double train_rms = 0.0;       // rms of y − (a·x + c) over the training-mode points
  double x_lo = -1.0, x_hi = 1.0, y_lo = -1.0, y_hi = 1.0;
};

// statistics.cpp: μ_B (σ²_B) of each step as dots, the running mean (variance) as a line, the
// population value and the band around it.
void DrawBatchMeanPlot(const Snapshot& snapshot, const TrainEvalCache& cache, const ImVec2& size);
void DrawBatchVariancePlot(const Snapshot& snapshot, const TrainEvalCache& cache, const ImVec2& size);
// The probe samples' BN input x against output y: eval mode on y = a·x + c, training mode a cloud.
void DrawFoldedMapPlot(const Snapshot& snapshot, TrainEvalCache& cache, const ImVec2& size);

}  // namespace bnlab
