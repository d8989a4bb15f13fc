// The Batch-size noise view's three plots over the batch size m (log-log): the spread of μ_B and
// σ²_B across batches with the theory for independent samples, one sample's x_norm noise, and
// the gradient noise of both nets. Each marks the current batch size.
#include "app/views/noise/noise_panel.h"

#include "app/views/panel_util.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

// Two thirds of the way to white: a theory line over its measured curve, in the same hue.
ImU32 Light(ImU32 color) {
  auto mix = [color](int shift) { return static_cast<int>(((color >> shift) & 0xFF) + 2 * 255) / 3; };
  return IM_COL32(mix(IM_COL32_R_SHIFT), mix(IM_COL32_G_SHIFT), mix(IM_COL32_B_SHIFT), 255);
}

void SetupBatchAxis(const NoiseViewCache& cache, const char* y_label, double y_lo, double y_hi) {
  plot::SetupAxes("batch size m", y_label, plot::AxisFlags_Log, plot::AxisFlags_Log);
  plot::SetupAxisLimits(plot::Axis_X, 0.75, std::max(cache.batch_max, 2.0) * 1.4);
  plot::SetupAxisLimits(plot::Axis_Y, y_lo, y_hi);
}

void MarkBatch(const Snapshot& snapshot) {
  char label[32];
  std::snprintf(label, sizeof(label), "batch %d", snapshot.config.batch_size);
  PlotMarkX(static_cast<double>(snapshot.config.batch_size), Ink(220), label);
}

// "−0.50 ±0.01" (the fit's standard error), "−0.4 ±0.2?" where that error is too wide to say
// anything (CompareSlope's rule), "−0.50" without one (too few points), or "–" when the slope
// could not be fitted.
void FormatSlope(char* out, std::size_t size, double slope, double error) {
  if (!std::isfinite(slope)) std::snprintf(out, size, "\u2013");
  else if (!std::isfinite(error)) std::snprintf(out, size, "%+.2f", slope);
  else if (error > kWideSlopeError) std::snprintf(out, size, "%+.1f \u00b1%.1f?", slope, error);
  else std::snprintf(out, size, "%+.2f \u00b1%.2f", slope, error);
}

double SlopeAt(const std::vector<double>& slopes, int layer) {
  return layer < static_cast<int>(slopes.size()) ? slopes[static_cast<std::size_t>(layer)] : NAN;
}

// The point measured at the current batch size, or null.
const NoisePoint* CurrentPoint(const Snapshot& snapshot) {
  for (const NoisePoint& point : snapshot.noise.points) {
    if (point.batch_size == snapshot.config.batch_size) return &point;
  }
  return nullptr;
}

void SpreadTooltip(const Snapshot& snapshot, const NoiseViewCache& cache, int layer) {
  const NoiseView& noise = snapshot.noise;
  ImGuiTextBuffer now;
  const NoisePoint* point = CurrentPoint(snapshot);
  if (point != nullptr && layer < static_cast<int>(point->layers.size())) {
    const LayerNoise& figures = point->layers[static_cast<std::size_t>(layer)];
    now.appendf(
        "\n\nNow, m = %d: std(\u03bc_B)/\u03c3 = %.3f (theory %.3f); std(\u03c3\u00b2_B)/\u03c3\u00b2 = %.3f "
        "(theory %.3f); mean \u03c3\u00b2_B/\u03c3\u00b2 = %.3f (theory (m\u22121)/m = %.3f).",
        point->batch_size, figures.std_batch_mean.median, figures.std_batch_mean_theory, figures.std_batch_var.median,
        figures.std_batch_var_theory, figures.mean_batch_var.median, figures.mean_batch_var_theory);
  }
  char mean_slope[32], var_slope[32];
  FormatSlope(mean_slope, sizeof(mean_slope), SlopeAt(cache.slopes.std_batch_mean, layer),
              SlopeAt(cache.slopes.std_batch_mean_error, layer));
  FormatSlope(var_slope, sizeof(var_slope), SlopeAt(cache.slopes.std_batch_var, layer),
              SlopeAt(cache.slopes.std_batch_var_error, layer));
  plot::SetTitleTooltip(
      "BN normalizes with the mean \u03bc_B and variance \u03c3\u00b2_B of the current batch: estimates from m "
      "samples, so they change from batch to batch. Measured on K = %d batches of m of the N = %d training "
      "samples (without replacement inside a batch), for every unit of layer %d: the spread (std) of \u03bc_B "
      "across the batches relative to the unit's population \u03c3, and of \u03c3\u00b2_B relative to "
      "\u03c3\u00b2. Line: median over the units; band: 25th to 75th percentile.\n\n"
      "Theory for independent samples (thin lines): std(\u03bc_B)/\u03c3 = \u221a((1 \u2212 m/N)/m) \u2248 "
      "1/\u221am; std(\u03c3\u00b2_B)/\u03c3\u00b2 = (m\u22121)/m \u00b7 \u221a((\u03ba \u2212 (m\u22123)/(m\u22121))/m) "
      "\u00b7 \u221a((N\u2212m)/(N\u22121)), \u03ba the unit's kurtosis (\u221a(2(m\u22121))/m for a Gaussian). "
      "At m = 1, \u03c3\u00b2_B is always 0: drawn as 0 at the floor.\n\n"
      "Fitted log-log slopes (m \u2264 N/4), \u00b1 their standard error: \u03bc_B %s, \u03c3\u00b2_B %s (theory "
      "\u22120.5).%s",
      noise.draws, noise.train_size, layer + 1, mean_slope, var_slope, now.c_str());
}

void GradientTooltip(const Snapshot& snapshot, const NoiseViewCache& cache) {
  ImGuiTextBuffer table;
  table.append("\n");
  for (std::size_t i = 0; i < cache.batch.size(); ++i) {
    table.appendf("\nm = %.0f:  cos Plain %.2f, BN %.2f;  rel. variance Plain %.3g, BN %.3g", cache.batch[i],
                  cache.grad_cosine[0][i], cache.grad_cosine[1][i], cache.grad_rel_var[0][i], cache.grad_rel_var[1][i]);
  }
  plot::SetTitleTooltip(
      "g_B: the gradient of all parameters on one batch of m; g: on a large batch, standing in for the "
      "full-data gradient. Plotted: the relative variance E\u2016g_B \u2212 E g_B\u2016\u00b2 / \u2016g\u2016\u00b2 "
      "over K = %d batches. If every sample's gradient were independent it would fall like 1/m (grey line, slope "
      "\u22121). In the BN net the samples of a batch are not independent: each one's gradient also flows "
      "through \u03bc_B and \u03c3\u00b2_B of the others.\n\nThe slopes are fitted from m = %d on. Below that BN's "
      "curve is not noise around one gradient: at m = 2 every x_norm is \u00b11 and BN divides by the distance "
      "of the two values, which can be tiny, so its gradient noise jumps by orders of magnitude; at m = 1 the "
      "hidden layers' gradients are exactly 0 (x \u2212 \u03bc_B = 0).\n\ncos(g_B, g): 1 means the batch "
      "points the same way as the full data.%s",
      snapshot.noise.draws, kGradientFitMinBatch, table.c_str());
}

}  // namespace

std::string SpreadSlopes(const NoiseViewCache& cache, int layer) {
  char mean_slope[32], var_slope[32], text[128];
  FormatSlope(mean_slope, sizeof(mean_slope), SlopeAt(cache.slopes.std_batch_mean, layer),
              SlopeAt(cache.slopes.std_batch_mean_error, layer));
  FormatSlope(var_slope, sizeof(var_slope), SlopeAt(cache.slopes.std_batch_var, layer),
              SlopeAt(cache.slopes.std_batch_var_error, layer));
  std::snprintf(text, sizeof(text), "Slopes: \u03bc_B %s, \u03c3\u00b2_B %s (theory \u22120.5).", mean_slope,
                var_slope);
  return text;
}

float SmallBatchSpike(const NoiseViewCache& cache) {
  const std::vector<float>& bn = cache.grad_rel_var[NetIndex(NetId::kRight)];
  float at_two = 0.0f, at_fit = 0.0f;
  for (std::size_t i = 0; i < cache.batch.size() && i < bn.size(); ++i) {
    if (cache.batch[i] == 2.0) at_two = bn[i];
    if (cache.batch[i] == static_cast<double>(kGradientFitMinBatch)) at_fit = bn[i];
  }
  return at_fit > 0.0f && at_two > 100.0f * at_fit ? at_two / at_fit : 0.0f;
}

NoiseCaption GradientCaption(const NoiseViewCache& cache) {
  const float spike = SmallBatchSpike(cache);
  char text[320];
  if (spike > 0.0f) {
    std::snprintf(text, sizeof(text),
                  "Gradient noise: slopes fitted from m = %d. %s at m = 2 is %s\u00d7 its m = %d value: x_norm = "
                  "\u00b11, divided by |x\u2081 \u2212 x\u2082|.",
                  kGradientFitMinBatch, NetTitle(NetId::kRight), GroupedSteps(std::lround(spike)).c_str(),
                  kGradientFitMinBatch);
  } else {
    std::snprintf(text, sizeof(text),
                  "Gradient noise: slopes fitted from m = %d on (below it BN's gradient is no noisy estimate of one "
                  "gradient: see the title's (?)).",
                  kGradientFitMinBatch);
  }
  return {text, ImGui::GetColorU32(ImGuiCol_Text)};
}

void DrawSpreadPlot(const Snapshot& snapshot, const NoiseViewCache& cache, int layer, const ImVec2& size) {
  const NoiseLayerCurves& curves = cache.layers[static_cast<std::size_t>(layer)];
  char title[96];
  std::snprintf(title, sizeof(title), "Layer %d: spread of \u03bc_B and \u03c3\u00b2_B across batches###spread",
                layer + 1);
  if (!plot::BeginPlot(title, size)) return;
  SetupBatchAxis(cache, "std across batches (relative)", curves.spread_lo, curves.spread_hi);
  SpreadTooltip(snapshot, cache, layer);
  const int n = static_cast<int>(cache.batch.size());
  const double* m = cache.batch.data();
  // Short entries, so that the legend takes one line above the plot where it would cover the
  // curves (a projector's scale); the slopes are in the caption under the plot.
  const char* mean_label = "\u03bc_B###mean";
  const char* var_label = "\u03c3\u00b2_B###var";

  plot::PlotBand(mean_label, m, curves.mean_q25.data(), curves.mean_q75.data(), n, WithAlpha(kBatchMeanColor, 55));
  plot::PlotBand(var_label, m, curves.var_q25.data(), curves.var_q75.data(), n, WithAlpha(kBatchVarColor, 55));
  plot::PlotLine(mean_label, m, curves.mean_median.data(), n, kBatchMeanColor, 3.5f);
  plot::PlotLine(var_label, m, curves.var_median.data(), n, kBatchVarColor, 3.5f);
  // Thin and light, on top: where the measurement follows the theory, both stay visible. The
  // legend entry is neutral grey, as it stands for both lines.
  plot::PlotLine("thin: theory###theory", static_cast<const double*>(nullptr), static_cast<const double*>(nullptr), 0,
                 Ink(170));
  plot::PlotLine("thin: theory###theory", m, curves.mean_theory.data(), n, Light(kBatchMeanColor), 1.5f);
  plot::PlotLine("thin: theory###theory", m, curves.var_theory.data(), n, Light(kBatchVarColor), 1.5f);
  for (int i = 0; i < n; ++i) {
    int stack = 0;
    if (curves.var_median[static_cast<std::size_t>(i)] == 0.0f) PlotZeroMarker(m[i], kBatchVarColor, stack++);
    if (curves.mean_median[static_cast<std::size_t>(i)] == 0.0f) PlotZeroMarker(m[i], kBatchMeanColor, stack++);
  }
  MarkBatch(snapshot);
  plot::EndPlot();
}

void DrawSampleNoisePlot(const Snapshot& snapshot, NoiseViewCache& cache, int layer, const ImVec2& size) {
  NoiseLayerCurves& curves = cache.layers[static_cast<std::size_t>(layer)];
  if (!plot::BeginPlot("One sample's x_norm across batches###sample", size)) return;
  SetupBatchAxis(cache, "std of its x_norm across batches", curves.sample_lo, curves.sample_hi);
  const NoisePoint* point = CurrentPoint(snapshot);
  char now[96] = "";
  if (point != nullptr && layer < static_cast<int>(point->layers.size())) {
    std::snprintf(now, sizeof(now), "\n\nNow, m = %d: %.3f (median over the units).", point->batch_size,
                  point->layers[static_cast<std::size_t>(layer)].sample_noise.median);
  }
  plot::SetTitleTooltip(
      "Put one training sample in K = %d different batches of m and normalize it each time: its "
      "x_norm = (x \u2212 \u03bc_B)/\u221a(\u03c3\u00b2_B + \u03b5) changes with its batch-mates. This jitter is "
      "the noise said to regularize (claim 5). Line: median over the units of layer %d of the std of x_norm "
      "across the batches; band: 25th to 75th percentile. Grey: c/\u221am through the curve.\n\n"
      "At m = 1, x = \u03bc_B, so x_norm = 0 for every sample (drawn at the floor); at m = 2, x_norm is "
      "always +1 or \u22121, and which one depends on the batch-mate.%s",
      snapshot.noise.draws, layer + 1, now);
  const int n = static_cast<int>(cache.batch.size());
  const double* m = cache.batch.data();
  char label[80], slope[32];
  FormatSlope(slope, sizeof(slope), SlopeAt(cache.slopes.sample_noise, layer),
              SlopeAt(cache.slopes.sample_noise_error, layer));
  std::snprintf(label, sizeof(label), "x_norm noise, slope %s###sample", slope);
  plot::PlotFunction(
      "\u221d 1/\u221am###guide", [](double x, void* c) { return *static_cast<double*>(c) / std::sqrt(x); },
      &curves.sample_scale, Ink(170), 1.5f);
  plot::PlotBand(label, m, curves.sample_q25.data(), curves.sample_q75.data(), n, WithAlpha(kSampleNoiseColor, 55));
  plot::PlotLine(label, m, curves.sample_median.data(), n, kSampleNoiseColor, 3.0f);
  for (int i = 0; i < n; ++i) {
    if (curves.sample_median[static_cast<std::size_t>(i)] == 0.0f) PlotZeroMarker(m[i], kSampleNoiseColor);
  }
  MarkBatch(snapshot);
  plot::EndPlot();
}

void DrawGradientNoisePlot(const Snapshot& snapshot, NoiseViewCache& cache, const ImVec2& size) {
  if (!plot::BeginPlot("Gradient noise vs batch size###gradient", size)) return;
  SetupBatchAxis(cache, "E\u2016g_B \u2212 E g_B\u2016\u00b2 / \u2016g\u2016\u00b2", cache.grad_lo, cache.grad_hi);
  GradientTooltip(snapshot, cache);
  const int n = static_cast<int>(cache.batch.size());
  plot::PlotFunction(
      "\u221d 1/m###guide", [](double x, void* c) { return *static_cast<double*>(c) / x; }, &cache.grad_scale, Ink(170),
      1.5f);
  for (NetId id : kNets) {
    char label[80], slope[32];
    FormatSlope(slope, sizeof(slope), cache.slopes.grad_rel_var[NetIndex(id)],
                cache.slopes.grad_rel_var_error[NetIndex(id)]);
    std::snprintf(label, sizeof(label), "%s, slope %s (m \u2265 %d)###%s", NetTitle(id), slope, kGradientFitMinBatch,
                  NetTitle(id));
    plot::PlotLine(label, cache.batch.data(), cache.grad_rel_var[NetIndex(id)].data(), n, NetColor(id), 3.0f);
    for (int i = 0; i < n; ++i) {
      if (cache.grad_rel_var[NetIndex(id)][static_cast<std::size_t>(i)] == 0.0f) {
        PlotZeroMarker(cache.batch[static_cast<std::size_t>(i)], NetColor(id), static_cast<int>(NetIndex(id)));
      }
    }
  }
  MarkBatch(snapshot);
  plot::EndPlot();
}

}  // namespace bnlab
