// Batch-size noise: why is the batch size part of BN? How much μ_B and σ²_B change from one
// batch of m samples to the next (with the theory for independent samples), how much one
// sample's normalized value is jittered by its batch-mates, and how noisy the gradient is,
// all vs m; below, a live trace of one unit's μ_B and the ghost-BN experiment.
#include "app/views/noise/noise_panel.h"

#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"  // GroupedSteps

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

double MedianOf(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  return values[mid];
}

std::uint64_t SweepKey(const NoiseView& noise, std::uint64_t generation, int batch_size) {
  std::uint64_t key = HashBytes(kHashSeed, &generation, sizeof(generation));
  key = HashBytes(key, &batch_size, sizeof(batch_size));
  key = HashBytes(key, &noise.train_size, sizeof(noise.train_size));
  for (const NoisePoint& point : noise.points) {
    key = HashBytes(key, &point.batch_size, sizeof(point.batch_size));
    for (const LayerNoise& layer : point.layers) key = HashBytes(key, &layer, sizeof(layer));
    key = HashBytes(key, point.gradient.data(), sizeof(point.gradient));
  }
  return key;
}

// Log-axis limits around the positive values, with `headroom` decades on top for the legend.
void LogLimits(const std::vector<double>& values, double headroom, double* lo, double* hi) {
  double min_v = HUGE_VAL, max_v = -HUGE_VAL;
  for (double v : values) {
    if (!(v > 0.0) || !std::isfinite(v)) continue;
    min_v = std::min(min_v, v);
    max_v = std::max(max_v, v);
  }
  if (!(min_v <= max_v)) {
    *lo = 1e-3;
    *hi = 1.0;
    return;
  }
  const double decades = std::max(std::log10(max_v) - std::log10(min_v), 1.0);
  *lo = std::pow(10.0, std::log10(min_v) - 0.12 * decades);
  *hi = std::pow(10.0, std::log10(max_v) + headroom * decades);
}

// c in c·m^power, the least-squares fit in log space through the positive values.
double GuideScale(const std::vector<double>& ms, const std::vector<float>& ys, double power) {
  std::vector<double> logs;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    if (ys[i] > 0.0f && std::isfinite(ys[i])) logs.push_back(std::log(ys[i]) - power * std::log(ms[i]));
  }
  return logs.empty() ? 1.0 : std::exp(MedianOf(logs));
}

void BuildSweepCache(const Snapshot& snapshot, NoiseViewCache& cache) {
  const NoiseView& noise = snapshot.noise;
  const std::uint64_t key = SweepKey(noise, snapshot.generation, snapshot.config.batch_size);
  if (cache.has_sweep == !noise.points.empty() && key == cache.sweep_key) return;
  cache.sweep_key = key;
  cache.has_sweep = !noise.points.empty();
  // The whole grid of a sweep, so the x axis stays put while the points arrive.
  const std::vector<int> grid =
      noise.train_size > 0 ? NoiseBatchSizes(snapshot.config.batch_size, noise.train_size) : std::vector<int>();
  cache.expected_points = static_cast<int>(grid.size());
  cache.batch.clear();
  for (const NoisePoint& point : noise.points) cache.batch.push_back(point.batch_size);
  cache.batch_max = grid.empty() ? 2.0 : grid.back();
  if (!cache.batch.empty()) cache.batch_max = std::max(cache.batch_max, cache.batch.back());
  const std::size_t layer_count = noise.points.empty() ? 0 : noise.points.front().layers.size();
  cache.layers.assign(layer_count, NoiseLayerCurves{});
  for (std::size_t l = 0; l < layer_count; ++l) {
    NoiseLayerCurves& curves = cache.layers[l];
    std::vector<double> spread_values, sample_values, ratios;
    for (const NoisePoint& point : noise.points) {
      const LayerNoise& layer = point.layers[std::min(l, point.layers.size() - 1)];
      curves.mean_q25.push_back(static_cast<float>(layer.std_batch_mean.q25));
      curves.mean_median.push_back(static_cast<float>(layer.std_batch_mean.median));
      curves.mean_q75.push_back(static_cast<float>(layer.std_batch_mean.q75));
      curves.mean_theory.push_back(layer.std_batch_mean_theory);
      curves.var_q25.push_back(static_cast<float>(layer.std_batch_var.q25));
      curves.var_median.push_back(static_cast<float>(layer.std_batch_var.median));
      curves.var_q75.push_back(static_cast<float>(layer.std_batch_var.q75));
      curves.var_theory.push_back(layer.std_batch_var_theory);
      curves.sample_q25.push_back(static_cast<float>(layer.sample_noise.q25));
      curves.sample_median.push_back(static_cast<float>(layer.sample_noise.median));
      curves.sample_q75.push_back(static_cast<float>(layer.sample_noise.q75));
      for (double v : {layer.std_batch_mean.q25, layer.std_batch_mean.q75, layer.std_batch_mean_theory,
                       layer.std_batch_var.q25, layer.std_batch_var.q75, layer.std_batch_var_theory}) {
        spread_values.push_back(v);
      }
      sample_values.push_back(layer.sample_noise.q25);
      sample_values.push_back(layer.sample_noise.q75);
      // The theory is exact for sampling without replacement, so every m compares.
      if (layer.std_batch_mean_theory > 0.0) {
        ratios.push_back(layer.std_batch_mean.median / layer.std_batch_mean_theory);
      }
    }
    LogLimits(spread_values, 0.45, &curves.spread_lo, &curves.spread_hi);
    LogLimits(sample_values, 0.45, &curves.sample_lo, &curves.sample_hi);
    curves.sample_scale = GuideScale(cache.batch, curves.sample_median, -0.5);
    curves.ratio_count = static_cast<int>(ratios.size());
    if (!ratios.empty()) {
      curves.ratio_lo = *std::min_element(ratios.begin(), ratios.end());
      curves.ratio_hi = *std::max_element(ratios.begin(), ratios.end());
      curves.ratio_median = MedianOf(ratios);
    }
  }
  std::vector<double> grad_values;
  for (NetId id : kNets) {
    std::vector<float>& rel_var = cache.grad_rel_var[NetIndex(id)];
    std::vector<float>& cosine = cache.grad_cosine[NetIndex(id)];
    rel_var.clear();
    cosine.clear();
    for (const NoisePoint& point : noise.points) {
      rel_var.push_back(static_cast<float>(point.gradient[NetIndex(id)].rel_var));
      cosine.push_back(static_cast<float>(point.gradient[NetIndex(id)].cosine));
      grad_values.push_back(point.gradient[NetIndex(id)].rel_var);
    }
  }
  LogLimits(grad_values, 0.45, &cache.grad_lo, &cache.grad_hi);
  cache.grad_scale = GuideScale(cache.batch, cache.grad_rel_var[NetIndex(NetId::kLeft)], -1.0);
  cache.slopes = FitNoiseSlopes(noise.points, noise.train_size);
}

// What the theory line means for the shown layer, in numbers measured now.
NoiseCaption TheoryCaption(const NoiseViewCache& cache, int layer) {
  const NoiseLayerCurves& curves = cache.layers[static_cast<std::size_t>(layer)];
  char text[640];
  if (curves.ratio_count < 3) {
    return {"Too few batch sizes measured yet to compare with the theory.", ImGui::GetColorU32(ImGuiCol_TextDisabled)};
  }
  const std::string slopes = SpreadSlopes(cache, layer);
  if (layer == 0) {
    std::snprintf(text, sizeof(text),
                  "%s Layer 1 sees the data itself, independent samples: its measured std(\u03bc_B) is %.2f\u00d7 "
                  "the theory (median over %d batch sizes; from %.2f\u00d7 to %.2f\u00d7).",
                  slopes.c_str(), curves.ratio_median, curves.ratio_count, curves.ratio_lo, curves.ratio_hi);
    return {text, ImGui::GetColorU32(ImGuiCol_Text)};
  }
  std::snprintf(text, sizeof(text),
                "%s The theory assumes independent samples: true for layer 1 (the data). Layer %d sees inputs the BN "
                "layer before has already normalized per batch, so its batch means vary less: measured %.2f\u00d7 "
                "the theory (median over %d batch sizes).",
                slopes.c_str(), layer + 1, curves.ratio_median, curves.ratio_count);
  return {text, kCautionColor};
}

float CaptionHeight(const NoiseCaption& caption, float width) {
  return ImGui::CalcTextSize(WrapTextAtSpaces(caption.text, width).c_str()).y;
}

void DrawCaption(const NoiseCaption& caption, float width) {
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::PushStyleColor(ImGuiCol_Text, caption.color);
  TextWrappedAtSpaces("%s", caption.text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

// A sweep plot with its caption under it, in a cell of `size`. Where the caption would leave
// the plot's data a sliver under its title, ticks and axis label (a projector's large UI scale,
// a short window), the plot takes the whole cell and the caption shows on hovering it.
template <typename DrawPlot>
void PlotWithCaption(const NoiseCaption* caption, const ImVec2& size, DrawPlot draw_plot) {
  ImGui::BeginGroup();
  const float caption_height =
      caption != nullptr ? CaptionHeight(*caption, size.x) + ImGui::GetStyle().ItemSpacing.y : 0.0f;
  const bool room = size.y - caption_height >= 9.0f * ImGui::GetTextLineHeight();
  draw_plot(ImVec2(size.x, room ? size.y - caption_height : size.y));
  if (caption != nullptr && room) DrawCaption(*caption, size.x);
  ImGui::EndGroup();
  if (caption != nullptr && !room && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    TextWrappedAtSpaces("%s", caption->text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

// `short_view`: the status goes beside the buttons where it fits, else on hovering "Measure
// now", not on lines of its own (the plots need the height).
void DrawHeader(const Snapshot& snapshot, UiState& ui, Session& session, const NoiseViewCache& cache, int shown,
                int layers, bool short_view) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("BN layer");
  for (int l = 0; l < layers; ++l) {
    ImGui::SameLine();
    char label[16];
    std::snprintf(label, sizeof(label), "%d", l + 1);
    if (ImGui::RadioButton(label, shown == l)) ui.noise_layer = l;
  }
  ImGui::SameLine(0.0f, Px(24.0f));
  if (ImGui::Button("Measure now")) session.Send(cmd::MeasureNoiseNow{});
  const bool measure_hovered = ImGui::IsItemHovered();
  // The session measures one batch size at a time, at a tenth of its time, while this view is open.
  const NoiseView& noise = snapshot.noise;
  char status[256];
  if (noise.measured_step < 0) {
    std::snprintf(status, sizeof(status),
                  "Measured in the background, one batch size at a time, while this view is open.");
  } else if (noise.measuring && static_cast<int>(cache.batch.size()) < cache.expected_points) {
    std::snprintf(status, sizeof(status),
                  "Measuring at step %s: %d of %d batch sizes so far (K = %d batches each); re-measured while this "
                  "view is open.",
                  GroupedSteps(noise.measured_step).c_str(), static_cast<int>(cache.batch.size()),
                  cache.expected_points, noise.draws);
  } else if (noise.measuring) {
    std::snprintf(status, sizeof(status),
                  "A new sweep from step %s is under way (K = %d batches per size); until it ends, the curves mix it "
                  "with the last one.",
                  GroupedSteps(noise.measured_step).c_str(), noise.draws);
  } else {
    std::snprintf(status, sizeof(status),
                  "Measured at step %s (K = %d batches per size); re-measured in the background while this view is "
                  "open.",
                  GroupedSteps(noise.measured_step).c_str(), noise.draws);
  }
  // Beside the buttons when it fits, else on its own lines (a projector's large UI scale) or,
  // in a short view, on hover.
  ImGui::SameLine(0.0f, Px(24.0f));
  const bool fits_beside = ImGui::GetContentRegionAvail().x >= ImGui::CalcTextSize(status).x;
  if (measure_hovered) {
    ImGui::SetTooltip("A fresh sweep of every batch size from the networks as they are now.%s%s",
                      short_view && !fits_beside ? "\n\n" : "", short_view && !fits_beside ? status : "");
  }
  if (short_view && !fits_beside) {
    ImGui::NewLine();
    return;
  }
  if (!fits_beside) ImGui::NewLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  TextWrappedAtSpaces("%s", status);
  ImGui::PopStyleColor();
}

void DrawMeasuring(const ImVec2& size) {
  const char* text = "Measuring the noise at every batch size\u2026";
  const char* what =
      "the spread of \u03bc_B and \u03c3\u00b2_B, one sample's noise and the gradient noise, for m = 1 to 1024";
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float scale = std::clamp(size.x / ScaledTextSize(1.5f, text).x * 1.5f, 1.0f, 1.5f);
  const ImVec2 text_size = ScaledTextSize(scale, text);
  const ImVec2 what_size = ImGui::CalcTextSize(what, nullptr, false, size.x);
  ImGui::Dummy(ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  const float top = origin.y + 0.5f * (size.y - text_size.y - what_size.y);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImU32 color = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  DrawScaledText(draw_list, ImVec2(origin.x + std::max(0.5f * (size.x - text_size.x), 0.0f), top), scale, color, text);
  const ImVec2 what_pos(origin.x + std::max(0.5f * (size.x - what_size.x), 0.0f), top + text_size.y + Px(4.0f));
  draw_list->AddText(nullptr, 0.0f, what_pos, color, what, nullptr, size.x);
}

// A projector's large UI scale: the five panels in two columns or one, each sweep plot with its
// caption under it, and what does not fit on further pages.
void DrawNoisePanelsInGrid(const Snapshot& snapshot, UiState& ui, Session& session, NoiseViewCache& cache, int layer,
                           bool has_layer) {
  // Until the first batch sizes are measured, the three sweep plots are one "measuring" panel.
  enum Panel { kSpread, kSample, kGradient, kTrace, kExperiment, kMeasuring };
  static constexpr Panel kMeasured[] = {kSpread, kSample, kGradient, kTrace, kExperiment};
  static constexpr Panel kWaiting[] = {kMeasuring, kTrace, kExperiment};
  const Panel* panels = has_layer ? kMeasured : kWaiting;
  const int count = has_layer ? 5 : 3;
  const GridPage grid = DrawGridPager(count, 2, ImVec2(Px(330.0f), Px(230.0f)), "panel", "panels",
                                      &ui.view_page[static_cast<std::size_t>(View::kNoise)]);
  const ImVec2 cell(grid.cell_width, grid.cell_height);
  const NoiseCaption theory = has_layer ? TheoryCaption(cache, layer) : NoiseCaption{};
  const NoiseCaption gradient = GradientCaption(cache);
  for (int i = grid.first; i < grid.first + grid.count; ++i) {
    if ((i - grid.first) % grid.columns != 0) ImGui::SameLine();
    ImGui::PushID(i);
    switch (panels[i]) {
      case kSpread:
        PlotWithCaption(&theory, cell, [&](const ImVec2& plot) { DrawSpreadPlot(snapshot, cache, layer, plot); });
        break;
      case kSample: DrawSampleNoisePlot(snapshot, cache, layer, cell); break;
      case kGradient:
        PlotWithCaption(&gradient, cell, [&](const ImVec2& plot) { DrawGradientNoisePlot(snapshot, cache, plot); });
        break;
      case kTrace: DrawNoiseTracePlot(snapshot, layer, cache, cell); break;
      case kExperiment: DrawGhostExperimentPanel(snapshot, session, cache, cell); break;
      case kMeasuring: DrawMeasuring(cell); break;
    }
    ImGui::PopID();
  }
}

}  // namespace

// A view shorter than this many lines of text (a caption bar under it on a projector) keeps the
// header to one line.
constexpr float kShortViewLines = 15.0f;

void DrawNoisePanel(const Snapshot& snapshot, UiState& ui, Session& session, NoiseViewCache& cache,
                    const ImVec2& size) {
  ImGui::BeginChild("##noise_panel", size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (DrawNeedsBnColumn(snapshot, ImGui::GetContentRegionAvail())) {
    ImGui::EndChild();
    return;
  }
  BuildSweepCache(snapshot, cache);
  const int layers = static_cast<int>(std::max(cache.layers.size(), snapshot.noise.traces.size()));
  // Clamped here, not in ui: a saved choice survives the first frames, before any layer is known.
  const int layer = std::clamp(ui.noise_layer, 0, std::max(layers - 1, 0));
  DrawHeader(snapshot, ui, session, cache, layer, layers, size.y < kShortViewLines * ImGui::GetFontSize());

  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool has_layer = cache.has_sweep && layer < static_cast<int>(cache.layers.size());
  if (avail.x < Px(1100.0f)) {
    DrawNoisePanelsInGrid(snapshot, ui, session, cache, layer, has_layer);
    ImGui::EndChild();
    return;
  }
  // Wide: the three sweep plots in a row, their captions under them, the trace and the
  // experiment below.
  const float width = avail.x;
  // The two captions as tall as their wrapped text (the slopes with their errors can take a
  // third line), else two lines for the "measuring" panel.
  const NoiseCaption theory = has_layer ? TheoryCaption(cache, layer) : NoiseCaption{};
  const NoiseCaption gradient = has_layer ? GradientCaption(cache) : NoiseCaption{};
  const float caption_height = has_layer ? CaptionHeight(theory, width) + spacing.y + CaptionHeight(gradient, width)
                                         : 2.0f * ImGui::GetTextLineHeightWithSpacing();
  const float row_height = std::floor(0.54f * (avail.y - caption_height - 2.0f * spacing.y));
  const float third = std::floor((width - 2.0f * spacing.x) / 3.0f);
  if (!has_layer) {
    DrawMeasuring(ImVec2(width, row_height + caption_height + spacing.y));
  } else {
    DrawSpreadPlot(snapshot, cache, layer, ImVec2(width - 2.0f * third - 2.0f * spacing.x, row_height));
    ImGui::SameLine();
    DrawSampleNoisePlot(snapshot, cache, layer, ImVec2(third, row_height));
    ImGui::SameLine();
    DrawGradientNoisePlot(snapshot, cache, ImVec2(third, row_height));
    ImGui::BeginChild("##noise_caption", ImVec2(width, caption_height), false, ImGuiWindowFlags_NoScrollbar);
    DrawCaption(theory, width);
    DrawCaption(gradient, width);
    ImGui::EndChild();
  }
  const float lower_height = ImGui::GetContentRegionAvail().y;
  const float trace_width = std::floor(0.52f * (width - spacing.x));
  DrawNoiseTracePlot(snapshot, layer, cache, ImVec2(trace_width, lower_height));
  ImGui::SameLine();
  DrawGhostExperimentPanel(snapshot, session, cache, ImVec2(width - trace_width - spacing.x, lower_height));
  ImGui::EndChild();
}

}  // namespace bnlab
