// The Batch-size noise view's live trace: μ_B of one BN unit at every training step, which is
// what that step normalized with, against the running mean and the band ±σ/√m around it that
// independent samples would fill, and the population mean of the last sweep. Slide the batch
// size from 60 to 4: the band and the dots widen at once.
#include "app/views/noise/noise_panel.h"
#include "app/views/panel_util.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"  // GroupedSteps

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

constexpr std::size_t kRecentSteps = 100;  // the newest steps the spread read-out is computed over
constexpr ImU32 kPopulationColor = IM_COL32(250, 200, 80, 230);

// √((1 − m/N)/m): the std of μ_B over σ for m samples drawn without replacement from N.
double BatchMeanTheory(int m, int train_size) {
  if (m <= 0) return 0.0;
  const double fraction = train_size > 0 ? static_cast<double>(m) / train_size : 0.0;
  return std::sqrt(std::max(1.0 - fraction, 0.0) / m);
}

// The sweep's population mean, when it was measured no longer ago than the trace is long: an
// older one belongs to nets that have learned a lot since (at full speed the trace spans well
// under a second, a sweep several seconds).
bool RecentPopulation(const NoiseView& noise, const UnitTrace& trace, int layer) {
  if (layer >= static_cast<int>(noise.population_mean.size()) || noise.measured_step < 0) return false;
  const double span = trace.step.back() - trace.step.front();
  return static_cast<double>(noise.measured_step) >= trace.step.front() - span;
}

void BuildTraceCache(const Snapshot& snapshot, int layer, NoiseViewCache& cache) {
  const NoiseView& noise = snapshot.noise;
  const UnitTrace& trace = noise.traces[static_cast<std::size_t>(layer)];
  const std::size_t size = trace.size();
  std::uint64_t key = HashBytes(kHashSeed, &snapshot.generation, sizeof(snapshot.generation));
  key = HashBytes(key, &layer, sizeof(layer));
  key = HashBytes(key, &size, sizeof(size));
  key = HashBytes(key, &trace.step.back(), sizeof(double));
  key = HashBytes(key, &noise.train_size, sizeof(noise.train_size));
  key = HashBytes(key, &noise.measured_step, sizeof(noise.measured_step));
  key = HashBytes(key, noise.population_mean.data(), noise.population_mean.size() * sizeof(double));
  if (key == cache.trace_key) return;
  cache.trace_key = key;

  cache.trace_step.assign(trace.step.begin(), trace.step.end());
  cache.band_lo.resize(size);
  cache.band_hi.resize(size);
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (std::size_t i = 0; i < size; ++i) {
    // BN's own running estimates of the unit's mean and σ², not the last sweep's: while the nets
    // learn, the unit's distribution drifts, and the band should show the spread, not the drift.
    const double centre = trace.running_mean[i];
    const double sigma = std::sqrt(std::max(static_cast<double>(trace.running_var[i]), 0.0));
    const double half = sigma * BatchMeanTheory(trace.batch_size[i], noise.train_size);
    cache.band_lo[i] = static_cast<float>(centre - half);
    cache.band_hi[i] = static_cast<float>(centre + half);
    for (double v : {static_cast<double>(trace.batch_mean[i]), centre - half, centre + half}) {
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (RecentPopulation(noise, trace, layer)) {
    lo = std::min(lo, noise.population_mean[static_cast<std::size_t>(layer)]);
    hi = std::max(hi, noise.population_mean[static_cast<std::size_t>(layer)]);
  }
  if (!(lo <= hi)) lo = -1.0, hi = 1.0;
  const double range = std::max(hi - lo, 1e-3);
  cache.trace_lo = lo - 0.05 * range;
  cache.trace_hi = hi + 0.45 * range;  // the legend's room

  // The spread of the newest dots at the current batch size, for the read-out: from successive
  // differences, std ≈ rms(μ_B[i] − μ_B[i−1]) / √2, which a slow drift of the mean hardly touches.
  cache.recent_count = 0;
  cache.recent_spread = cache.recent_theory = 0.0;
  const int m = trace.batch_size.back();
  const double sigma = std::sqrt(std::max(static_cast<double>(trace.running_var.back()), 0.0));
  std::size_t first = size;
  while (first > 0 && size - first < kRecentSteps && trace.batch_size[first - 1] == m) --first;
  const std::size_t count = size - first;
  if (count < 10 || !(sigma > 0.0)) return;  // too few to say anything about a spread
  double sum_sq = 0.0;
  for (std::size_t i = first + 1; i < size; ++i) {
    const double step = static_cast<double>(trace.batch_mean[i]) - trace.batch_mean[i - 1];
    sum_sq += step * step;
  }
  cache.recent_count = static_cast<int>(count);
  cache.recent_spread = std::sqrt(sum_sq / static_cast<double>(2 * (count - 1))) / sigma;
  cache.recent_theory = BatchMeanTheory(m, noise.train_size);
}

void TraceTooltip(const Snapshot& snapshot, const NoiseViewCache& cache, int layer, bool population_shown) {
  const NoiseView& noise = snapshot.noise;
  const UnitTrace& trace = noise.traces[static_cast<std::size_t>(layer)];
  ImGuiTextBuffer text;
  text.appendf(
      "Unit %d of BN layer %d, over the last %zu training steps. Dots: \u03bc_B, the mean of the unit's input "
      "over that step's batch: what the step normalized with. White line: the running mean, the moving "
      "average BN keeps for test time (momentum %.2f). Band: the running mean \u00b1 "
      "\u03c3\u00b7\u221a((1 \u2212 m/N)/m) (\u2248 \u03c3/\u221am, N = %d), with \u03c3\u00b2 BN's running "
      "variance: the spread of \u03bc_B if the m samples were independent.",
      snapshot.config.probe_unit, layer + 1, trace.size(), snapshot.config.net.bn_momentum, noise.train_size);
  if (layer < static_cast<int>(noise.population_mean.size())) {
    text.appendf("\n\nPopulation mean \u03bc over all N training samples, from the sweep at step %s: %.4f%s",
                 GroupedSteps(noise.measured_step).c_str(), noise.population_mean[static_cast<std::size_t>(layer)],
                 population_shown
                     ? " (yellow line, from that step on)."
                     : ". Not drawn: that is longer ago than this trace, and the nets have learned since.");
  }
  if (layer > 0) {
    text.append(
        "\n\nFrom layer 2 on, the inputs were already normalized per batch by the layer before, so they are "
        "not independent samples: the dots usually spread much less than the band.");
  }
  if (cache.recent_count > 0) {
    text.appendf(
        "\n\nNow, m = %d: the last %d dots spread %.3f\u03c3 (std from step-to-step changes, so a slow drift "
        "does not count); the band's half-width is %.3f\u03c3.",
        trace.batch_size.back(), cache.recent_count, cache.recent_spread, cache.recent_theory);
  }
  plot::SetTitleTooltip("%s", text.c_str());
}

}  // namespace

void DrawNoiseTracePlot(const Snapshot& snapshot, int layer, NoiseViewCache& cache, const ImVec2& size) {
  const NoiseView& noise = snapshot.noise;
  char title[96];
  std::snprintf(title, sizeof(title), "Layer %d, unit %d: \u03bc_B of every training step###trace", layer + 1,
                snapshot.config.probe_unit);
  if (layer >= static_cast<int>(noise.traces.size()) || noise.traces[static_cast<std::size_t>(layer)].size() == 0) {
    if (plot::BeginPlot(title, size, plot::PlotFlags_NoLegend)) {
      plot::SetupAxes("step", "\u03bc_B");
      PlotNote(0, ImGui::GetColorU32(ImGuiCol_TextDisabled), "no training step yet");
      plot::EndPlot();
    }
    return;
  }
  BuildTraceCache(snapshot, layer, cache);
  const UnitTrace& trace = noise.traces[static_cast<std::size_t>(layer)];
  if (!plot::BeginPlot(title, size)) return;
  plot::SetupAxes("step", "\u03bc_B");
  plot::SetupAxisLimits(plot::Axis_X, trace.step.front(), std::max(trace.step.back(), trace.step.front() + 1.0));
  plot::SetupAxisLimits(plot::Axis_Y, cache.trace_lo, cache.trace_hi);
  const bool population = RecentPopulation(noise, trace, layer);
  TraceTooltip(snapshot, cache, layer, population);
  const int n = static_cast<int>(trace.size());
  const char* running_label = "running mean \u00b1\u03c3/\u221am###running";
  plot::PlotBand(running_label, trace.step.data(), cache.band_lo.data(), cache.band_hi.data(), n,
                 WithAlpha(Ink(230), 40));
  plot::PlotScatter("\u03bc_B of each step###dots", cache.trace_step.data(), trace.batch_mean.data(), n,
                    WithAlpha(kBatchMeanColor, 210), 2.5f);
  PlotChangeMarkers(snapshot);
  plot::PlotLine(running_label, trace.step.data(), trace.running_mean.data(), n, Ink(230), 2.5f);
  if (population) {
    // A short mark at the step the sweep measured it at, labelled with that step: the nets have
    // moved on since, so drawing it across the later steps would compare it with other weights.
    const double start = std::max(static_cast<double>(noise.measured_step), trace.step.front());
    const double span = trace.step.back() - trace.step.front();
    const double xs[2] = {start, std::min(trace.step.back(), start + std::max(0.08 * span, 1.0))};
    const double mean = noise.population_mean[static_cast<std::size_t>(layer)];
    const double ys[2] = {mean, mean};
    char label[64];
    std::snprintf(label, sizeof(label), "population \u03bc, step %s###population",
                  GroupedSteps(noise.measured_step).c_str());
    plot::PlotLine(label, xs, ys, 2, kPopulationColor, 2.5f);
  }
  char note[128];
  if (cache.recent_count > 0) {
    std::snprintf(note, sizeof(note), "m = %d: dots \u00b1%.2f\u03c3, band \u00b1%.2f\u03c3", trace.batch_size.back(),
                  cache.recent_spread, cache.recent_theory);
  } else {
    std::snprintf(note, sizeof(note), "m = %d", trace.batch_size.back());
  }
  PlotNote(0, ImGui::GetColorU32(ImGuiCol_Text), note);
  plot::EndPlot();
}

}  // namespace bnlab
