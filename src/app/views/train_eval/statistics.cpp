// The Train vs eval view's plots of one BN unit: what each training step normalized with (μ_B,
// σ²_B of its batch) against the running averages BN keeps for test time and the exact
// population values; and the map x → y BN applies at test time, a straight line, against the
// cloud it is in training.
#include "app/views/panel_util.h"
#include "app/shell/theme.h"
#include "app/views/train_eval/train_eval_panel.h"
#include "plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace bnlab {
namespace {

constexpr ImU32 kTrainCloudColor = IM_COL32(76, 160, 255, 150);  // BN's blue, translucent

struct Line {
  double a, c;
};
double LineAt(double x, void* user_data) {
  const Line* line = static_cast<const Line*>(user_data);
  return line->a * x + line->c;
}

std::uint64_t Mix(std::uint64_t key, double value) {
  std::uint64_t bits = 0;
  static_assert(sizeof(bits) == sizeof(value), "64-bit double");
  std::memcpy(&bits, &value, sizeof(bits));
  return (key ^ bits) * 1099511628211ull;
}

void BuildScatterCache(const Snapshot& snapshot, TrainEvalCache& cache) {
  const TestTimeView& t = snapshot.test_time;
  std::uint64_t key = Mix(14695981039346656037ull, static_cast<double>(snapshot.generation));
  for (double v : {t.scale, t.shift, static_cast<double>(t.train_x.size()), static_cast<double>(t.layer)})
    key = Mix(key, v);
  if (!t.train_y.empty()) key = Mix(Mix(key, t.train_y.front()), t.train_y.back());
  if (!t.eval_y.empty()) key = Mix(Mix(key, t.eval_y.front()), t.eval_y.back());
  if (key == cache.scatter_key) return;
  cache.scatter_key = key;
  double x_lo = HUGE_VAL, x_hi = -HUGE_VAL, y_lo = HUGE_VAL, y_hi = -HUGE_VAL;
  auto extend = [&](const std::vector<float>& xs, const std::vector<float>& ys, double* max_error, double* sum_sq) {
    const std::size_t n = std::min(xs.size(), ys.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
      x_lo = std::min(x_lo, static_cast<double>(xs[i])), x_hi = std::max(x_hi, static_cast<double>(xs[i]));
      y_lo = std::min(y_lo, static_cast<double>(ys[i])), y_hi = std::max(y_hi, static_cast<double>(ys[i]));
      const double off = ys[i] - (t.scale * xs[i] + t.shift);
      *max_error = std::max(*max_error, std::fabs(off));
      *sum_sq += off * off;
    }
    return n;
  };
  double eval_sum = 0.0, train_max = 0.0, train_sum = 0.0;
  cache.eval_max_error = 0.0;
  extend(t.eval_x, t.eval_y, &cache.eval_max_error, &eval_sum);
  const std::size_t n = extend(t.train_x, t.train_y, &train_max, &train_sum);
  cache.train_rms = n > 0 ? std::sqrt(train_sum / static_cast<double>(n)) : 0.0;
  if (!(x_lo <= x_hi)) x_lo = -1.0, x_hi = 1.0, y_lo = -1.0, y_hi = 1.0;
  const double x_pad = 0.05 * std::max(x_hi - x_lo, 1e-6), y_range = std::max(y_hi - y_lo, 1e-6);
  cache.x_lo = x_lo - x_pad, cache.x_hi = x_hi + x_pad;
  cache.y_lo = y_lo - 0.05 * y_range, cache.y_hi = y_hi + 0.45 * y_range;  // the legend's room
}

}  // namespace

namespace {

// One of the two statistics BN takes from a batch, with everything the plot of it needs: the
// mean μ_B or the variance σ²_B of the probe unit, step by step, beside the running and the
// population value.
struct Statistic {
  const char* title_format;  // "Layer %d, unit %d: ..."
  const char* axis;
  const char* dots_label;
  void (*tooltip)(double momentum);
  double lo, hi;                               // the y range
  const std::vector<History>* population;      // by layer: where the population pass ran
  const std::vector<float>*band_lo, *band_hi;  // the population value ± the theory's spread
  const std::vector<float>* population_line;   // the population value at every traced step
  const std::vector<float>* batch_values;      // the statistic of each step's batch
  const std::vector<float>* running_values;    // BN's running estimate after each step
};

void MeanTooltip(double momentum) {
  plot::SetTitleTooltip(
      "Dots: \u03bc_B of each training step's batch, what that step subtracted. White: BN's running mean, "
      "running \u2190 (1 \u2212 %.3f)\u00b7running + %.3f\u00b7\u03bc_B, used at test time. Yellow: the exact mean over "
      "the whole training set, recomputed every few seconds (large dots: where; the line joins them). Band: population mean \u00b1 \u03c3\u00b7\u221a((1 \u2212 "
      "m/N)/m) \u2248 \u03c3/\u221am, where \u03bc_B of m independent samples falls. Lower the momentum in the "
      "controls: the white line lags more and wobbles less.",
      momentum, momentum);
}

void VarianceTooltip(double momentum) {
  plot::SetTitleTooltip(
      "Dots: \u03c3\u00b2_B = (1/m)\u03a3(x_i \u2212 \u03bc_B)\u00b2 of each training step's batch, what the step divided "
      "by (biased: on average (m\u22121)/m of the true variance). White: BN's running variance, the moving average "
      "with momentum %.3f of the unbiased m/(m\u22121)\u00b7\u03c3\u00b2_B, used at test time. Yellow: the exact "
      "variance over the whole training set, recomputed every few seconds (large dots: where; the line joins them). Band: where \u03c3\u00b2_B of m Gaussian "
      "samples falls, (m\u22121)/m\u00b7\u03c3\u00b2 \u00b1 \u03c3\u00b2\u00b7\u221a(2(m\u22121))/m.",
      momentum);
}

void DrawStatisticPlot(const Snapshot& snapshot, const TrainEvalCache& cache, const Statistic& statistic,
                       const ImVec2& size) {
  const int layer = snapshot.bn_layer;
  char title[128];
  std::snprintf(title, sizeof(title), statistic.title_format, layer + 1, snapshot.config.probe_unit);
  if (!plot::BeginPlot(title, size)) return;
  plot::SetupAxes("step", statistic.axis);
  if (!cache.has_trace) {
    PlotNote(0, ImGui::GetColorU32(ImGuiCol_TextDisabled), "no training step yet");
    plot::EndPlot();
    return;
  }
  const UnitTrace& trace = snapshot.noise.traces[static_cast<std::size_t>(layer)];
  const int n = static_cast<int>(trace.size());
  statistic.tooltip(snapshot.config.net.bn_momentum);
  plot::SetupAxisLimits(plot::Axis_X, trace.step.front(), std::max(trace.step.back(), trace.step.front() + 1.0));
  plot::SetupAxisLimits(plot::Axis_Y, statistic.lo, statistic.hi);
  const ImU32 dot_color = WithAlpha(kBatchStatsColor, 210);
  // One word each, so that the legend takes one line above a short plot (the values are in the
  // hover read-out); the population's step where its measurement is older than the plotted steps
  // (the pass lags under load): it is then not on the plot.
  const std::size_t layer_index = static_cast<std::size_t>(layer);
  const History* measured = nullptr;
  if (layer_index < statistic.population->size() && !(*statistic.population)[layer_index].empty()) {
    measured = &(*statistic.population)[layer_index];
  }
  char population_label[96];
  if (cache.has_population && measured != nullptr && measured->last_x() < trace.step.front()) {
    std::snprintf(population_label, sizeof(population_label), "population (step %.0f)###population",
                  measured->last_x());
  } else if (cache.has_population && measured != nullptr) {
    std::snprintf(population_label, sizeof(population_label), "population###population");
  } else {
    std::snprintf(population_label, sizeof(population_label), "population: measuring\u2026###population");
  }
  const char* running_label = "running###running";
  if (cache.has_population) {
    plot::PlotBand(population_label, trace.step.data(), statistic.band_lo->data(), statistic.band_hi->data(), n,
                   WithAlpha(kPopulationStatsColor, 45));
  }
  plot::PlotScatter(statistic.dots_label, cache.trace_step.data(), statistic.batch_values->data(), n, dot_color, 2.5f);
  if (cache.has_population) {
    plot::PlotLine(population_label, trace.step.data(), statistic.population_line->data(), n, kPopulationStatsColor,
                   2.5f);
  }
  if (measured != nullptr) {
    // Where the population pass ran: the line only joins these.
    PlotHistoryDots(population_label, *measured, kPopulationStatsColor, 4.0f);
  }
  plot::PlotLine(running_label, trace.step.data(), statistic.running_values->data(), n, kRunningStatsColor, 2.5f);
  plot::EndPlot();
}

// The probe unit's trace in the shown layer (only read once the cache has a trace).
const UnitTrace& ShownTrace(const Snapshot& snapshot) {
  static const UnitTrace kNone;
  const std::size_t layer = static_cast<std::size_t>(snapshot.bn_layer);
  return layer < snapshot.noise.traces.size() ? snapshot.noise.traces[layer] : kNone;
}

}  // namespace

void DrawBatchMeanPlot(const Snapshot& snapshot, const TrainEvalCache& cache, const ImVec2& size) {
  const UnitTrace& trace = ShownTrace(snapshot);
  const Statistic mean{"Layer %d, unit %d: \u03bc_B of each step, running and population mean###mean",
                       "mean",
                       "\u03bc_B###dots",
                       MeanTooltip,
                       cache.mean_lo,
                       cache.mean_hi,
                       &snapshot.test_time.population_mean,
                       &cache.mean_band_lo,
                       &cache.mean_band_hi,
                       &cache.population_mean,
                       &trace.batch_mean,
                       &trace.running_mean};
  DrawStatisticPlot(snapshot, cache, mean, size);
}

void DrawBatchVariancePlot(const Snapshot& snapshot, const TrainEvalCache& cache, const ImVec2& size) {
  const UnitTrace& trace = ShownTrace(snapshot);
  const Statistic variance{"Layer %d, unit %d: \u03c3\u00b2_B of each step, running and population variance###var",
                           "variance",
                           "\u03c3\u00b2_B###dots",
                           VarianceTooltip,
                           cache.var_lo,
                           cache.var_hi,
                           &snapshot.test_time.population_var,
                           &cache.var_band_lo,
                           &cache.var_band_hi,
                           &cache.population_var,
                           &trace.batch_var,
                           &trace.running_var};
  DrawStatisticPlot(snapshot, cache, variance, size);
}

void DrawFoldedMapPlot(const Snapshot& snapshot, TrainEvalCache& cache, const ImVec2& size) {
  const TestTimeView& t = snapshot.test_time;
  BuildScatterCache(snapshot, cache);
  char title[128];
  std::snprintf(title, sizeof(title), "At test time BN is a fixed line: y = %.3f\u00b7x %c %.3f###folded", t.scale,
                t.shift < 0.0 ? '-' : '+', std::fabs(t.shift));
  if (!plot::BeginPlot(title, size)) return;
  plot::SetupAxes("x, BN's input", "y, BN's output");
  plot::SetupAxisLimits(plot::Axis_X, cache.x_lo, cache.x_hi);
  plot::SetupAxisLimits(plot::Axis_Y, cache.y_lo, cache.y_hi);
  plot::SetTitleTooltip(
      "Layer %d, unit %d, on the probe samples. In eval mode BN uses its running statistics, fixed numbers, so "
      "y = \u03b3\u00b7(x \u2212 \u03bc)/\u221a(\u03c3\u00b2 + \u03b5) + \u03b2 folds into y = a\u00b7x + c with "
      "a = \u03b3/\u221a(\u03c3\u00b2+\u03b5) = %.4f and c = \u03b2 \u2212 a\u00b7\u03bc = %.4f: every point on one line "
      "(white). In training mode the same samples, in batches of m = %d, are normalized with their batch's own "
      "statistics, so a sample's y depends on its batch-mates: a cloud (blue).",
      t.layer + 1, snapshot.config.probe_unit, t.scale, t.shift, snapshot.config.batch_size);
  if (t.train_x.empty() && t.eval_x.empty()) {
    PlotNote(0, ImGui::GetColorU32(ImGuiCol_TextDisabled), "measured after the next training step");
    plot::EndPlot();
    return;
  }
  Line line{t.scale, t.shift};
  char train_label[96], eval_label[96];
  std::snprintf(train_label, sizeof(train_label), "training mode, m = %d: rms off the line %.3f###train",
                snapshot.config.batch_size, cache.train_rms);
  std::snprintf(eval_label, sizeof(eval_label), "eval mode: max off the line %.0e###eval", cache.eval_max_error);
  plot::PlotScatter(train_label, t.train_x.data(), t.train_y.data(),
                    static_cast<int>(std::min(t.train_x.size(), t.train_y.size())), kTrainCloudColor, 3.0f);
  plot::PlotFunction(eval_label, LineAt, &line, WithAlpha(kRunningStatsColor, 120), 2.0f);
  plot::PlotScatter(eval_label, t.eval_x.data(), t.eval_y.data(),
                    static_cast<int>(std::min(t.eval_x.size(), t.eval_y.size())), kRunningStatsColor, 3.0f);
  plot::EndPlot();
}

}  // namespace bnlab
