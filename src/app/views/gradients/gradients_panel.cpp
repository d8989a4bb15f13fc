// Gradients: do the plain net's gradients vanish? Per-layer ‖∂L/∂W‖ and update/weight ratio
// vs step, and their current values as bars, both nets on the same scale.
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "session/verdict.h"
#include "plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace bnlab {
namespace {

constexpr double kRuleOfThumb = 1e-3;  // a healthy update/weight ratio, as practitioners quote it

struct Span {
  double lo = HUGE_VAL;
  double hi = -HUGE_VAL;
  bool log = true;
  void Extend(double v) {
    if (!std::isfinite(v) || (log && v <= 0.0)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
};

const History& Series(const LayerHistory& history, GradientMeasure measure) {
  return measure == GradientMeasure::kGradNorm ? history.grad_norm : history.update_ratio;
}

double Current(const LayerProbe& probe, GradientMeasure measure) {
  return measure == GradientMeasure::kGradNorm ? probe.grad_norm : probe.update_ratio;
}

int LayerCount(const NetView& view) { return static_cast<int>(std::min(view.layers.size(), view.probe.layers.size())); }

// One y range per measure over both nets, the history and the current values, so every
// plot of a row (and the bars) reads on the same scale. The top third is left free for
// the legend and the layer labels.
Span RowLimits(const Snapshot& snapshot, GradientMeasure measure, bool log) {
  Span span;
  span.log = log;
  if (measure == GradientMeasure::kUpdateRatio) span.Extend(kRuleOfThumb);
  for (const NetView& view : snapshot.nets) {
    for (int l = 0; l < LayerCount(view); ++l) {
      for (float v : Series(view.layers[static_cast<std::size_t>(l)], measure).y()) span.Extend(v);
      span.Extend(Current(view.probe.layers[static_cast<std::size_t>(l)], measure));
    }
  }
  if (span.empty()) return Span{log ? 1e-6 : 0.0, 1.0, log};
  if (!log) return Span{0.0, std::max(span.hi * 1.4, 1e-12), log};
  const double lo = std::log10(span.lo) - 0.15;
  const double hi = std::log10(span.hi);
  return Span{std::pow(10.0, lo), std::pow(10.0, hi + 0.45 * std::max(hi - lo, 0.5)), log};
}

Span StepRange(const Snapshot& snapshot, GradientMeasure measure) {
  Span span;
  span.log = false;
  for (const NetView& view : snapshot.nets) {
    for (int l = 0; l < LayerCount(view); ++l) {
      const History& history = Series(view.layers[static_cast<std::size_t>(l)], measure);
      if (history.empty()) continue;
      span.Extend(history.x().front());
      span.Extend(history.x().back());
    }
  }
  return span;
}

const char* WhyGradientsVanish(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::kSigmoid:
      return "On its way back, the gradient is multiplied at every layer by \u03c3\u2032(z) \u2264 0.25, and by "
             "almost 0 where z is saturated: that pulls the layers far from the output toward smaller gradients "
             "(vanishing gradients). The weights it also passes through push the other way, so which layer gets "
             "the smaller gradient depends on the run: the line below says what it is now. BN keeps z where "
             "\u03c3\u2032 is large.";
    case ActivationKind::kTanh:
      return "On its way back, the gradient is multiplied at every layer by tanh\u2032(z) \u2264 1, and by almost "
             "0 where z is saturated. BN keeps z where tanh\u2032 is large.";
    case ActivationKind::kRelu:
      return "On its way back, the gradient is zeroed at every input with z \u2264 0. BN keeps about half the "
             "inputs above 0.";
  }
  return "";
}

// "Plain  L1 2.1e-03  L2 ..." lines for the tooltips.
void AppendCurrentValues(const Snapshot& snapshot, GradientMeasure measure, ImGuiTextBuffer& text) {
  text.appendf("\n\nNow (step %s):", GroupedSteps(snapshot.step).c_str());
  for (NetId id : kNets) {
    const NetView& view = snapshot.net(id);
    text.appendf("\n%s:", NetTitle(id));
    for (int l = 0; l < static_cast<int>(view.probe.layers.size()); ++l) {
      text.appendf("  L%d %.2e", l + 1, Current(view.probe.layers[static_cast<std::size_t>(l)], measure));
    }
  }
}

// What a measure's title tooltip says; built only while the title is hovered (BuildMeasureTooltip).
struct MeasureTooltip {
  const Snapshot* snapshot;
  GradientMeasure measure;
  const char* lead;  // what the plot shows, before the formula
};

void BuildMeasureTooltip(void* user_data) {
  const MeasureTooltip& tooltip = *static_cast<const MeasureTooltip*>(user_data);
  const Snapshot& snapshot = *tooltip.snapshot;
  const GradientMeasure measure = tooltip.measure;
  ImGuiTextBuffer text;
  text.append(tooltip.lead);
  if (measure == GradientMeasure::kGradNorm) {
    text.appendf(
        "\u2016\u2202L/\u2202W\u2016_F: the size (Frobenius norm) of the loss gradient for each layer's "
        "weight matrix W, from the last training step (one mini-batch of %d). L1 is next to the input.\n\n%s",
        snapshot.config.batch_size, WhyGradientsVanish(snapshot.config.net.activation));
  } else {
    const OptimizerConfig& optimizer = snapshot.config.optimizer;
    const bool plain_sgd = optimizer.momentum == 0.0 && optimizer.weight_decay == 0.0;
    text.appendf(
        "\u2016\u0394W\u2016_F / \u2016W\u2016_F: how much the last step changed each layer's weights, "
        "relative to their size. With plain SGD, \u0394W = \u2212lr\u00b7\u2202L/\u2202W, so the ratio is "
        "lr\u00b7\u2016\u2202L/\u2202W\u2016_F / \u2016W\u2016_F (lr = %.3g%s).\n\n"
        "A common rule of thumb puts it near 1e-3 (grey line): far below, the layer hardly learns; far "
        "above, training becomes unstable.",
        optimizer.learning_rate, plain_sgd ? "" : "; momentum and weight decay change \u0394W as well");
  }
  AppendCurrentValues(snapshot, measure, text);
  if (measure == GradientMeasure::kGradNorm) {
    const VerdictText now = ComputeVerdict(Verdict::kGradients, snapshot);
    if (now.ready) text.appendf("\n%s.", now.text.c_str());
  }
  plot::SetTitleTooltip("%s", text.c_str());
}

void DrawHistoryPlot(const Snapshot& snapshot, const UiState& ui, NetId id, GradientMeasure measure,
                     const ImVec2& size) {
  const bool grad = measure == GradientMeasure::kGradNorm;
  char title[96];
  std::snprintf(
      title, sizeof(title), "%s: %s##%s%d", NetTitle(id),
      grad ? "gradient norm \u2016\u2202L/\u2202W\u2016" : "update / weight \u2016\u0394W\u2016/\u2016W\u2016",
      grad ? "grad" : "ratio", static_cast<int>(id));
  if (!plot::BeginPlot(title, size)) return;
  plot::SetupAxes("step", nullptr, StepAxisFlags(ui), ui.log_gradients ? plot::AxisFlags_Log : 0);
  const Span limits = RowLimits(snapshot, measure, ui.log_gradients);
  plot::SetupAxisLimits(plot::Axis_Y, limits.lo, limits.hi);
  const Span steps = StepRange(snapshot, measure);
  if (!steps.empty()) SetupStepLimits(ui, steps.lo, steps.hi);
  MeasureTooltip tooltip{&snapshot, measure,
                         "Layer 1 solid, layer 2 dashed, layer 3 dotted (deeper layers also lighter).\n\n"};
  plot::SetTitleTooltipBuilder(BuildMeasureTooltip, &tooltip);

  if (!grad) plot::PlotHLine("##rule", kRuleOfThumb, ReferenceColor(), 1.5f);
  const NetView& view = snapshot.net(id);
  const int layers = LayerCount(view);
  ImGuiTextBuffer zero_layers;  // "L1, L2" whose newest value is exactly 0
  for (int l = 0; l < layers; ++l) {
    const History& history = Series(view.layers[static_cast<std::size_t>(l)], measure);
    char label[32];
    // "L1": the title names the net (a short entry keeps the legend to one line above the plot).
    std::snprintf(label, sizeof(label), "L%d###%s L%d", l + 1, NetTitle(id), l + 1);
    const ImU32 color = LayerShade(id, l, layers);
    plot::SetNextLineStyle(static_cast<plot::LineStyle>(l % 3));
    PlotHistoryLine(label, history, color, 2.5f);
    // A log axis has no 0: exact zeros go on the floor, labelled, so the plot is never empty.
    if (ui.log_gradients) PlotZerosAtFloor(history, color);
    if (!history.empty() && history.last_y() == 0.0f)
      zero_layers.appendf("%sL%d", zero_layers.empty() ? "" : ", ", l + 1);
  }
  if (!grad) PlotLabelAboveY("1e-3 rule of thumb", kRuleOfThumb, ReferenceColor());  // over the lines
  PlotChangeMarkers(snapshot);
  int line = 0;
  if (snapshot.step == 0) PlotNote(line++, ImGui::GetColorU32(ImGuiCol_TextDisabled), "no training step yet");
  if (!zero_layers.empty() && snapshot.step > 0) {
    char note[96];
    std::snprintf(note, sizeof(note), "exactly 0 now: %s", zero_layers.c_str());
    PlotNote(line++, NetColor(id), note);
  }
  PlotNetDivergence(id, view, line);
  plot::EndPlot();
}

// "layer 1" (or "L1" where that does not fit) above each pair of bars.
void DrawLayerLabels(int layers) {
  const ImVec2 area = plot::GetPlotPos();
  const float group_width = plot::GetPlotSize().x / static_cast<float>(std::max(layers, 1));
  for (int l = 0; l < layers; ++l) {
    char label[24];
    std::snprintf(label, sizeof(label), "layer %d", l + 1);
    // A gap of a letter's width or more between neighbours, else they read as one line of text.
    if (ImGui::CalcTextSize(label).x > group_width - ImGui::GetFontSize())
      std::snprintf(label, sizeof(label), "L%d", l + 1);
    const float x = plot::PlotToPixels(static_cast<double>(l + 1), 1.0).x;
    const ImVec2 size = ImGui::CalcTextSize(label);
    const ImVec2 pos(x - 0.5f * size.x, area.y + Px(4.0f));
    ImGui::GetWindowDrawList()->AddText(pos, ImGui::GetColorU32(ImGuiCol_Text), label);
    plot::ReserveText(pos, ImVec2(pos.x + size.x, pos.y + size.y));
  }
}

}  // namespace

void DrawGradientBars(const Snapshot& snapshot, const UiState& ui, GradientBarsScratch& scratch,
                      GradientMeasure measure, const ImVec2& size) {
  const bool grad = measure == GradientMeasure::kGradNorm;
  const int layers = ProbedLayerCount(snapshot);
  const char* title = grad ? "Gradient \u2016\u2202L/\u2202W\u2016 now##grad_bars" : "Update ratio now##ratio_bars";
  if (!plot::BeginPlot(title, size, plot::PlotFlags_NoLegend | plot::PlotFlags_NoHover)) return;
  plot::SetupAxes(nullptr, nullptr, plot::AxisFlags_NoTickLabels, ui.log_gradients ? plot::AxisFlags_Log : 0);
  const Span limits = RowLimits(snapshot, measure, ui.log_gradients);
  plot::SetupAxisLimits(plot::Axis_X, 0.5, static_cast<double>(layers) + 0.5);
  plot::SetupAxisLimits(plot::Axis_Y, limits.lo, limits.hi);
  MeasureTooltip tooltip{&snapshot, measure,
                         "The latest value of every layer: Plain (orange) and BN (blue) side by side.\n\n"};
  plot::SetTitleTooltipBuilder(BuildMeasureTooltip, &tooltip);
  if (!grad) {
    plot::PlotHLine("##rule", kRuleOfThumb, ReferenceColor(), 1.5f);
    PlotLabelAboveY("1e-3", kRuleOfThumb, ReferenceColor());
  }
  const double bar_width = 0.36;
  for (NetId id : kNets) {
    const NetView& view = snapshot.net(id);
    const double offset = id == NetId::kLeft ? -0.5 * bar_width : 0.5 * bar_width;
    scratch.bar_x.clear();
    scratch.bar_height.clear();
    for (int l = 0; l < layers; ++l) {
      scratch.bar_x.push_back(static_cast<double>(l + 1) + offset);
      scratch.bar_height.push_back(
          static_cast<float>(Current(view.probe.layers[static_cast<std::size_t>(l)], measure)));
    }
    plot::PlotBars(NetTitle(id), scratch.bar_x.data(), scratch.bar_height.data(), layers, bar_width,
                   WithAlpha(NetColor(id), 200));
    if (!ui.log_gradients) continue;
    for (int l = 0; l < layers; ++l) {
      const std::size_t at = static_cast<std::size_t>(l);
      if (scratch.bar_height[at] == 0.0f) PlotZeroMarker(scratch.bar_x[at], NetColor(id));
    }
  }
  DrawLayerLabels(layers);
  plot::EndPlot();
}

// Claim 8 in numbers: with a bias kept in front of BN, its gradient is zero (up to float
// rounding) in every layer, while the plain net's biases do get a gradient.
void DrawBiasBeforeBnLine(const Snapshot& snapshot) {
  const NetView& bn = snapshot.net(NetId::kRight);
  const NetView& plain = snapshot.net(NetId::kLeft);
  if (!snapshot.config.net.bias_before_bn || snapshot.config.net.placement != Placement::kBefore || !bn.has_probe)
    return;
  ImGuiTextBuffer text;
  text.append("Bias before BN, ‖∂L/∂b‖ per layer:  BN");
  for (const LayerProbe& layer : bn.probe.layers) text.appendf("  %.1e", std::max(layer.bias_grad_norm, 0.0));
  if (plain.has_probe) {
    text.append("    Plain");
    for (const LayerProbe& layer : plain.probe.layers) text.appendf("  %.1e", std::max(layer.bias_grad_norm, 0.0));
  }
  text.append("   (μ_B contains b, so b cancels; β does its job)");
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.85f, 0.4f, 1.0f));
  TextWrappedAtSpaces("%s", text.c_str());
  ImGui::PopStyleColor();
}

// A row of plots (title, plot, step ticks and label) shorter than this many lines of text would
// squash its plots: with less room the view shows one row, and a switch picks which.
constexpr float kMinRowLines = 7.0f;

void DrawGradientsPanel(const Snapshot& snapshot, UiState& ui, GradientBarsScratch& scratch, const ImVec2& size) {
  ImGui::BeginChild("##gradients_panel", size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  const float rows_height = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing();
  const bool both_rows = 0.5f * (rows_height - spacing.y) >= kMinRowLines * ImGui::GetFontSize();
  ImGui::Checkbox("log axes", &ui.log_gradients);
  if (!both_rows) {
    ImGui::SameLine(0.0f, Px(24.0f));
    if (ImGui::RadioButton("gradient norm", !ui.gradients_ratio_row)) ui.gradients_ratio_row = false;
    ImGui::SameLine();
    if (ImGui::RadioButton("update ratio", ui.gradients_ratio_row)) ui.gradients_ratio_row = true;
  }
  HintBeside(Px(24.0f),
             "Bars: the latest value of each layer, Plain and BN side by side. Hover a title's (?) for the formula.");
  DrawBiasBeforeBnLine(snapshot);
  if (DrawWaitingForProbe(snapshot, ImGui::GetContentRegionAvail())) {
    ImGui::EndChild();
    return;
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float bars_width = std::floor(0.24f * avail.x);
  const float history_width = std::floor(0.5f * (avail.x - bars_width - 2.0f * spacing.x));
  const float row_height = both_rows ? std::floor(0.5f * (avail.y - spacing.y)) : avail.y;
  for (GradientMeasure measure : {GradientMeasure::kGradNorm, GradientMeasure::kUpdateRatio}) {
    if (!both_rows && (measure == GradientMeasure::kUpdateRatio) != ui.gradients_ratio_row) continue;
    DrawHistoryPlot(snapshot, ui, NetId::kLeft, measure, ImVec2(history_width, row_height));
    ImGui::SameLine();
    DrawHistoryPlot(snapshot, ui, NetId::kRight, measure, ImVec2(history_width, row_height));
    ImGui::SameLine();
    DrawGradientBars(snapshot, ui, scratch, measure,
                     ImVec2(avail.x - 2.0f * history_width - 2.0f * spacing.x, row_height));
  }
  ImGui::EndChild();
}

}  // namespace bnlab
