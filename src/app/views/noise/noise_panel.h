// The Batch-size noise view, in four files: the layout (noise_panel.cpp), the plots over the
// batch size (sweep.cpp), the live μ_B trace (trace.cpp) and the
// ghost-BN experiment (ghost_experiment.cpp).
// What they derive from the snapshot lives in one app-owned NoiseViewCache, rebuilt when the
// figures change (every few seconds), not every frame.
#pragma once

#include "session/session.h"
#include "session/snapshot.h"

#include <imgui.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bnlab {

// Colours of the two batch statistics and of one sample's x_norm, apart from Plain's orange and
// BN's blue; the theory lines are paler tints of the same hues.
inline constexpr ImU32 kBatchMeanColor = IM_COL32(80, 215, 120, 255);    // green: μ_B
inline constexpr ImU32 kBatchVarColor = IM_COL32(235, 105, 205, 255);    // magenta: σ²_B
inline constexpr ImU32 kSampleNoiseColor = IM_COL32(240, 215, 90, 255);  // yellow: one sample's x_norm

// One BN layer's curves over the measured batch sizes.
struct NoiseLayerCurves {
  std::vector<float> mean_q25, mean_median, mean_q75;  // std(μ_B)/σ over units
  std::vector<double> mean_theory;
  std::vector<float> var_q25, var_median, var_q75;  // std(σ²_B)/σ²
  std::vector<double> var_theory;
  std::vector<float> sample_q25, sample_median, sample_q75;  // std of one sample's x_norm
  // measured / theory of the median std(μ_B)/σ over the batch sizes: its median and range;
  // count 0 when there is none.
  int ratio_count = 0;
  double ratio_median = 0.0, ratio_lo = 0.0, ratio_hi = 0.0;
  double spread_lo = 1e-3, spread_hi = 1.0;  // y limits of the spread plot (log)
  double sample_lo = 1e-3, sample_hi = 1.0;
  double sample_scale = 1.0;  // c of the c/√m guide through the x̂ curve
};

struct NoiseViewCache {
  // ---- from the sweep (NoiseView::points) ----
  std::uint64_t sweep_key = 0;  // fingerprint of the figures below
  bool has_sweep = false;
  std::vector<double> batch;  // m of every point, ascending
  double batch_max = 2.0;     // the largest m of the sweep's grid
  std::vector<NoiseLayerCurves> layers;
  std::array<std::vector<float>, 2> grad_rel_var, grad_cosine;  // by NetId
  double grad_lo = 1e-3, grad_hi = 1.0;
  double grad_scale = 1.0;  // c of the c/m guide through the Plain curve
  NoiseSlopes slopes;
  int expected_points = 0;  // batch sizes a full sweep measures

  // ---- from the trace of the shown layer (changes every step) ----
  std::uint64_t trace_key = 0;
  std::vector<float> trace_step;          // the steps as floats, for the scatter
  std::vector<float> band_lo, band_hi;    // running mean ± σ·√((1 − m/N)/m), σ² the running variance
  double trace_lo = 0.0, trace_hi = 1.0;  // y limits, with room for the legend on top
  int recent_count = 0;                   // the newest steps at the current m (≤ 100)
  double recent_spread = 0.0;             // std of their μ_B around its slow drift, / σ (running)
  double recent_theory = 0.0;             // √((1 − m/N)/m) at the current m

  // ---- from the experiment ----
  std::uint64_t experiment_key = 0;
  std::string verdict;
  bool was_running = false;
  double run_started = 0.0;    // ImGui time when the run was first seen under way
  double last_duration = 0.0;  // seconds the last finished run took, 0 when unknown
};

// Index of a NetId into per-net arrays.
inline std::size_t NetIndex(NetId id) { return static_cast<std::size_t>(id); }

// A line of text under a sweep plot, in its colour.
struct NoiseCaption {
  std::string text;
  ImU32 color = 0;
};

// sweep.cpp: how far the right column's gradient noise at m = 2 stands above its value at
// kGradientFitMinBatch (the ratio), where it is more than 100×; else 0.
float SmallBatchSpike(const NoiseViewCache& cache);
// The caption of the gradient noise: where its slopes are fitted, and what the spike at m = 2
// is, measured, when there is one.
NoiseCaption GradientCaption(const NoiseViewCache& cache);
// "Slopes: μ_B −0.49 ±0.01, σ²_B −0.45 ±0.02 (theory −0.5)." for layer `layer`'s spread plot,
// each ± its fit's standard error (sweep.cpp's FormatSlope).
std::string SpreadSlopes(const NoiseViewCache& cache, int layer);
// sweep.cpp: the figures of the sweep vs batch size m, log-log, for BN layer `layer`.
// The spread of μ_B and σ²_B across batches, with the theory for independent samples.
void DrawSpreadPlot(const Snapshot& snapshot, const NoiseViewCache& cache, int layer, const ImVec2& size);
// The std of one sample's x_norm across batches: the noise its batch-mates add.
void DrawSampleNoisePlot(const Snapshot& snapshot, NoiseViewCache& cache, int layer, const ImVec2& size);
// E‖g_B − E g_B‖²/‖g‖² of both nets, with a 1/m guide; the cosines in the tooltip.
void DrawGradientNoisePlot(const Snapshot& snapshot, NoiseViewCache& cache, const ImVec2& size);
// trace.cpp: μ_B of each training step of one unit, the running and the
// population mean, and the ±σ/√m band the dots should fill.
void DrawNoiseTracePlot(const Snapshot& snapshot, int layer, NoiseViewCache& cache, const ImVec2& size);
// ghost_experiment.cpp: the ghost-BN experiment: run, progress, table and verdict.
void DrawGhostExperimentPanel(const Snapshot& snapshot, Session& session, NoiseViewCache& cache, const ImVec2& size);

// FNV-1a over raw bytes: a fingerprint to tell whether figures changed since the cache was built.
inline std::uint64_t HashBytes(std::uint64_t hash, const void* data, std::size_t size) {
  const unsigned char* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 1099511628211ull;
  return hash;
}
inline constexpr std::uint64_t kHashSeed = 14695981039346656037ull;

}  // namespace bnlab
