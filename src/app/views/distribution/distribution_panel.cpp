// Distribution over time: what is "internal covariate shift"? The 15/50/85th percentiles of
// one unit's activation input vs step, per layer and net (the BN paper's Figure 1 b,c).
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

struct Range {
  double lo = HUGE_VAL;
  double hi = -HUGE_VAL;
  void Extend(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
};

int SmallestHiddenWidth(const TrainConfig& config) {
  int smallest = 0;
  for (int width : config.net.hidden) smallest = smallest == 0 ? width : std::min(smallest, width);
  return smallest;
}

// The unit is part of the session's config: changing it starts new percentile traces.
void DrawUnitControl(const Snapshot& snapshot, Session& session) {
  const int last_unit = std::max(SmallestHiddenWidth(snapshot.config) - 1, 0);
  int unit = snapshot.config.probe_unit;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("unit");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(Px(150.0f));
  if (ImGui::InputInt("##unit", &unit, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue)) {
    unit = std::clamp(unit, 0, last_unit);
    if (unit != snapshot.config.probe_unit) {
      session.Send(cmd::SetProbeUnit{unit});
    }
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Which unit of each layer to follow (0 to %d).", last_unit);
}

void DrawLayerChoice(int layers, UiState& ui) {
  char preview[32];
  const bool one = ui.distribution_layer >= 0 && ui.distribution_layer < layers;
  if (one) {
    std::snprintf(preview, sizeof(preview), "layer %d", ui.distribution_layer + 1);
  } else {
    std::snprintf(preview, sizeof(preview), "every layer");
  }
  ImGui::SetNextItemWidth(Px(160.0f));
  if (!ImGui::BeginCombo("##layer", preview)) return;
  if (ImGui::Selectable("every layer", !one)) ui.distribution_layer = -1;
  for (int layer = 0; layer < layers; ++layer) {
    char label[32];
    std::snprintf(label, sizeof(label), "layer %d", layer + 1);
    if (ImGui::Selectable(label, one && ui.distribution_layer == layer)) ui.distribution_layer = layer;
  }
  ImGui::EndCombo();
}

// One y range per layer over both nets, so the two bands are read on the same scale.
Range RowRange(const Snapshot& snapshot, int layer) {
  Range range;
  for (const NetView& view : snapshot.nets) {
    if (layer >= static_cast<int>(view.layers.size())) continue;
    const LayerHistory& history = view.layers[static_cast<std::size_t>(layer)];
    for (float v : history.p15.y()) range.Extend(v);
    for (float v : history.p85.y()) range.Extend(v);
  }
  if (range.empty()) return Range{-1.0, 1.0};
  const double pad = std::max(0.08 * (range.hi - range.lo), 0.05);
  return Range{range.lo - pad, range.hi + pad};
}

// One step range for every plot, so a moment in training is at the same x everywhere.
Range StepRange(const Snapshot& snapshot, int first_layer, int last_layer) {
  Range range;
  for (const NetView& view : snapshot.nets) {
    for (int layer = first_layer; layer <= last_layer && layer < static_cast<int>(view.layers.size()); ++layer) {
      const History& p50 = view.layers[static_cast<std::size_t>(layer)].p50;
      if (p50.empty()) continue;
      range.Extend(p50.x().front());
      range.Extend(p50.x().back());
    }
  }
  return range;
}

void DistributionTooltip(const Snapshot& snapshot, NetId id, int layer, const LayerProbe& probe) {
  const bool bn_before = id == NetId::kRight && snapshot.config.net.placement == Placement::kBefore;
  plot::SetTitleTooltip(
      "%s net: the 15th, 50th (line) and 85th percentiles (band) of unit %d's activation input z in layer %d, "
      "over the probe batch, vs training step. This is the BN paper's Figure 1(b,c), its picture of "
      "\"internal covariate shift\": in the plain net the distribution drifts as the layers below change.\n\n"
      "Be careful with that story. Later work (Santurkar et al. 2018, \"How Does Batch Normalization Help "
      "Optimization?\") found that BN does not freeze a unit's input distribution: you can see BN's band still "
      "move here. What BN does is keep it centred and out of saturation (%s), and, they found, make the loss "
      "landscape smoother, so larger learning rates work: the Loss landscape view measures that for these nets.%s\n\n"
      "Now: p15 %.3f   p50 %.3f   p85 %.3f",
      NetTitle(id), snapshot.config.probe_unit, layer + 1, SaturationZone(snapshot.config.net.activation),
      bn_before ? "\n\nWith BN before the activation, z = \u03b3\u00b7x_norm + \u03b2 with x_norm normalized over "
                  "the batch, so the median follows \u03b2 and the band's width follows \u03b3: the band moves "
                  "exactly as fast as \u03b3 and \u03b2 are learned."
                : "",
      probe.unit_p15, probe.unit_p50, probe.unit_p85);
}

void DrawDistributionPlot(const Snapshot& snapshot, const UiState& ui, NetId id, int layer, const Range& steps,
                          const ImVec2& size) {
  const NetView& view = snapshot.net(id);
  if (layer >= static_cast<int>(view.layers.size()) || layer >= static_cast<int>(view.probe.layers.size())) {
    ImGui::Dummy(size);
    return;
  }
  const LayerHistory& history = view.layers[static_cast<std::size_t>(layer)];
  char title[64];
  // ### : the plot's identity (and its legend state) is the net and layer, not the unit shown.
  std::snprintf(title, sizeof(title), "%s: layer %d, unit %d###dist%d_%d", NetTitle(id), layer + 1,
                snapshot.config.probe_unit, static_cast<int>(id), layer);
  if (!plot::BeginPlot(title, size, plot::PlotFlags_NoLegend)) return;
  plot::SetupAxes("step", "z", StepAxisFlags(ui), 0);
  if (!steps.empty()) SetupStepLimits(ui, steps.lo, steps.hi);
  const Range values = RowRange(snapshot, layer);
  plot::SetupAxisLimits(plot::Axis_Y, values.lo, values.hi);
  DistributionTooltip(snapshot, id, layer, view.probe.layers[static_cast<std::size_t>(layer)]);

  // Where the activation goes flat: a drifting band that crosses these lines stops learning.
  const ActivationKind kind = snapshot.config.net.activation;
  const double threshold = InfoOf(kind).threshold;
  plot::PlotHLine("##saturated_hi", threshold, WithAlpha(kAlarmColor, 150), 1.5f);
  if (InfoOf(kind).two_sided) plot::PlotHLine("##saturated_lo", -threshold, WithAlpha(kAlarmColor, 150), 1.5f);
  PlotLabelAboveY(kind == ActivationKind::kRelu ? "inactive below" : "saturated beyond", threshold,
                  WithAlpha(kAlarmColor, 220));

  PlotHistoryBand("15th-85th percentile", history.p15, history.p85, WithAlpha(NetColor(id), 80));
  PlotHistoryLine("median", history.p50, NetColor(id), 2.5f);
  PlotChangeMarkers(snapshot);
  PlotNetDivergence(id, view, 0);
  plot::EndPlot();
}

}  // namespace

void DrawDistributionPanel(const Snapshot& snapshot, UiState& ui, Session& session, const ImVec2& size) {
  ImGui::BeginChild("##distribution_panel", size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const int layers = ProbedLayerCount(snapshot);
  const bool one = ui.distribution_layer >= 0 && ui.distribution_layer < layers;
  const int first = one ? ui.distribution_layer : 0;
  const int last = one ? ui.distribution_layer : layers - 1;
  const int rows = last - first + 1;
  // Rows share the height down to a readable minimum; the layers beyond go on further pages.
  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float header_height = ScaledTextSize(1.6f, "BN").y + spacing.y;
  int& page = ui.view_page[static_cast<std::size_t>(View::kDistribution)];
  const GridPage grid =
      LayOutGrid(rows, 1, 0.0f, Px(140.0f), avail.x, avail.y - ImGui::GetFrameHeightWithSpacing() - header_height,
                 spacing.x, spacing.y, page);
  DrawUnitControl(snapshot, session);
  ImGui::SameLine(0.0f, Px(24.0f));
  DrawLayerChoice(layers, ui);
  if (grid.pages > 1) ImGui::SameLine(0.0f, Px(24.0f));
  DrawPager(grid, rows, "layer", "layers", &page);
  HintBeside(Px(24.0f), "Band: 15th to 85th percentile of one unit's input z; line: median. Red lines: saturation.");
  if (DrawWaitingForProbe(snapshot, ImGui::GetContentRegionAvail())) {
    ImGui::EndChild();
    return;
  }
  const float column_gap = Px(20.0f);
  const float width = std::floor(0.5f * (avail.x - column_gap));
  for (NetId id : kNets) {
    if (id == NetId::kRight) ImGui::SameLine(0.0f, column_gap);
    ScaledTextCentered(NetTitle(id), width, 1.6f, NetColor(id));
  }
  const Range steps = StepRange(snapshot, first, last);
  for (int layer = first + grid.first; layer < first + grid.first + grid.count; ++layer) {
    DrawDistributionPlot(snapshot, ui, NetId::kLeft, layer, steps, ImVec2(width, grid.cell_height));
    ImGui::SameLine(0.0f, column_gap);
    DrawDistributionPlot(snapshot, ui, NetId::kRight, layer, steps, ImVec2(width, grid.cell_height));
  }
  ImGui::EndChild();
}

}  // namespace bnlab
