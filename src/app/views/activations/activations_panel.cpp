// Activations: why does a sigmoid network need BN? Per hidden layer and net, the histogram
// of the activation's input z over the activation curve, with the saturated zones shaded.
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

constexpr int kBarAlpha = 170;

// The activation drawn over the histogram, scaled so that its top meets the plot's top.
struct Curve {
  ActivationKind kind;
  double z_hi;    // right end of the z range (ReLU is scaled to reach the top there)
  double height;  // data height of the plot
};

double CurveValue(double z, void* user_data) {
  const Curve& curve = *static_cast<const Curve*>(user_data);
  double unit = 0.0;  // the activation mapped onto [0, 1]
  switch (curve.kind) {
    case ActivationKind::kSigmoid: unit = 1.0 / (1.0 + std::exp(-z)); break;
    case ActivationKind::kTanh: unit = 0.5 * (std::tanh(z) + 1.0); break;
    case ActivationKind::kRelu: unit = std::max(z, 0.0) / std::max(curve.z_hi, 1e-9); break;
  }
  return curve.height * unit;
}

void ShadeSaturated(ActivationKind kind) {
  const double inf = HUGE_VAL;
  const ActivationInfo& info = InfoOf(kind);
  if (info.two_sided) plot::PlotShadedX(info.threshold, inf, kSaturatedShade);
  plot::PlotShadedX(-inf, info.two_sided ? -info.threshold : info.threshold, kSaturatedShade);
}

// Each cell is scaled to its own largest bin. A scale shared across the row would flatten
// BN's bell to nothing next to the plain net's saturated end bins (each can hold ~45%).
double TopShare(const Histogram& hist) {
  double top = 0.0;
  for (float share : hist.fractions) {
    if (std::isfinite(share)) top = std::max(top, static_cast<double>(share));
  }
  return std::max(top, 0.02);
}

// Red when most inputs sit where the gradient is ~0. ReLU has half its inputs below 0 even
// when healthy, so its thresholds are higher.
ImU32 ShareColor(ActivationKind kind, double share) {
  const bool relu = kind == ActivationKind::kRelu;
  if (share >= (relu ? 0.8 : 0.25)) return kAlarmColor;
  if (share >= (relu ? 0.6 : 0.05)) return kCautionColor;
  return ImGui::GetColorU32(ImGuiCol_Text);
}

const LayerProbe* FindProbe(const Snapshot& snapshot, NetId id, int layer) {
  const NetView& view = snapshot.net(id);
  if (!view.has_probe || layer < 0 || layer >= static_cast<int>(view.probe.layers.size())) return nullptr;
  return &view.probe.layers[static_cast<std::size_t>(layer)];
}

// The headline above a cell: the saturated share, big, or that the net diverged.
float DrawShareStrip(const Snapshot& snapshot, NetId id, const LayerProbe& probe, float width, float scale) {
  const ActivationKind kind = snapshot.config.net.activation;
  const NetView& view = snapshot.net(id);
  char headline[64];
  ImU32 color = ShareColor(kind, probe.saturated_share);
  if (view.diverged) {
    std::snprintf(headline, sizeof(headline), "diverged at step %s", GroupedSteps(view.diverged_at).c_str());
    color = kAlarmColor;
  } else if (kind == ActivationKind::kRelu) {
    std::snprintf(headline, sizeof(headline), "%.0f%% inactive (z \u2264 0)", 100.0 * probe.saturated_share);
  } else {
    std::snprintf(headline, sizeof(headline), "%.0f%% saturated", 100.0 * probe.saturated_share);
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  // Narrow cells (large UI scales) shrink the headline to fit, down to the body size, and then
  // drop the word: "16%" beside the neighbour's "0%" never runs into it.
  ImVec2 headline_size = ScaledTextSize(scale, headline);
  const float room = width - Px(12.0f);
  if (headline_size.x > room) {
    scale = std::max(1.0f, scale * room / headline_size.x);
    headline_size = ScaledTextSize(scale, headline);
    if (headline_size.x > room && !view.diverged) {
      std::snprintf(headline, sizeof(headline), "%.0f%%", 100.0 * probe.saturated_share);
      headline_size = ScaledTextSize(scale, headline);
    }
  }
  ImGui::Dummy(ImVec2(width, headline_size.y));
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  DrawScaledText(draw_list, ImVec2(origin.x + Px(6.0f), origin.y), scale, color, headline);

  char stats[64];
  std::snprintf(stats, sizeof(stats), "z mean %.2f, std %.2f", probe.z_mean, probe.z_std);
  const ImVec2 stats_size = ImGui::CalcTextSize(stats);
  if (headline_size.x + stats_size.x + Px(24.0f) < width) {
    draw_list->AddText(ImVec2(origin.x + width - stats_size.x - Px(6.0f), origin.y + headline_size.y - stats_size.y),
                       ImGui::GetColorU32(ImGuiCol_TextDisabled), stats);
  }
  return headline_size.y;
}

// The saturated share as a number left of the histogram, in a column `height` tall; returns its width.
float DrawShareBeside(const Snapshot& snapshot, NetId id, const LayerProbe& probe, float height) {
  const NetView& view = snapshot.net(id);
  constexpr float kScale = 1.3f;
  const float width = ScaledTextSize(kScale, "100%").x + Px(10.0f);
  char number[32];
  std::snprintf(number, sizeof(number), view.diverged ? "\u2014" : "%.0f%%", 100.0 * probe.saturated_share);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, height));
  const ImVec2 size = ScaledTextSize(kScale, number);
  DrawScaledText(
      ImGui::GetWindowDrawList(), ImVec2(origin.x + width - Px(8.0f) - size.x, origin.y + 0.5f * (height - size.y)),
      kScale, view.diverged ? kAlarmColor : ShareColor(snapshot.config.net.activation, probe.saturated_share), number);
  return width;
}

void InputCellTooltip(const Snapshot& snapshot, NetId id, int layer, const LayerProbe& probe) {
  const NetConfig& net = snapshot.config.net;
  const char* f = ActivationSymbol(net.activation);
  const int units = layer < static_cast<int>(net.hidden.size()) ? net.hidden[static_cast<std::size_t>(layer)] : 0;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(NetColor(id)), "%s net, layer %d", NetTitle(id), layer + 1);
  if (id == NetId::kLeft) {
    TextWrappedAtSpaces("The input of %s: z = W\u00b7a + b, all %d units over the probe batch.", f, units);
  } else if (net.placement == Placement::kBefore) {
    TextWrappedAtSpaces(
        "The input of %s: z = \u03b3\u00b7x_norm + \u03b2, where x_norm = (x \u2212 \u03bc_B) / "
        "\u221a(\u03c3\u00b2_B + \u03b5) is x = W\u00b7a normalized over the batch, and \u03b3, \u03b2 "
        "are learned. All %d units over the probe batch.",
        f, units);
  } else {
    TextWrappedAtSpaces(
        "BN is placed after the activation here, so the input of %s is z = W\u00b7BN(a) + b. "
        "All %d units over the probe batch.",
        f, units);
  }
  TextWrappedAtSpaces(
      "Bars: share of z per bin (values beyond the ends are counted in the end bins). "
      "Curve: %s(z), scaled to the plot.",
      f);
  ImGui::Text("Red zones: %s, %s.", SaturatedWord(net.activation), SaturationRule(net.activation));
  TextWrappedAtSpaces("%s gradient flows back through those inputs.",
                      net.activation == ActivationKind::kRelu ? "No" : "Almost no");
  ImGui::Separator();
  ImGui::Text("%.1f%% %s   z mean %.3f   z std %.3f", 100.0 * probe.saturated_share, SaturatedWord(net.activation),
              probe.z_mean, probe.z_std);
  if (id == NetId::kRight) ImGui::Text("\u03b3 mean %.3f   \u03b2 mean %.3f", probe.gamma_mean, probe.beta_mean);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void DrawInputPlot(const Snapshot& snapshot, NetId id, const LayerProbe& probe, const ImVec2& size) {
  const ActivationKind kind = snapshot.config.net.activation;
  const Histogram& hist = probe.z_hist;
  // Axis text costs rows the histogram needs in short cells (the dashboard, projector mode);
  // the shaded zones and the curve still say where z is.
  const bool label_z = size.y >= Px(170.0f);
  const plot::AxisFlags x_flags = size.y >= Px(110.0f) ? 0 : plot::AxisFlags_NoTickLabels;
  if (!plot::BeginPlot("##z", size, plot::PlotFlags_NoLegend | plot::PlotFlags_NoHover)) return;
  plot::SetupAxes(label_z ? "z (input of the activation)" : nullptr, nullptr, x_flags, plot::AxisFlags_NoTickLabels);
  const double height = 1.1 * TopShare(hist);
  plot::SetupAxisLimits(plot::Axis_X, hist.lo, hist.hi);
  plot::SetupAxisLimits(plot::Axis_Y, 0.0, height);
  ShadeSaturated(kind);
  plot::PlotHistogram("##z", hist.fractions.data(), static_cast<int>(hist.fractions.size()), hist.lo, hist.hi,
                      WithAlpha(NetColor(id), kBarAlpha));
  Curve curve{kind, hist.hi, height / 1.1};
  plot::PlotFunction("##curve", CurveValue, &curve, CurveColor(), 2.5f);
  plot::EndPlot();
}

void DrawOutputCell(const Snapshot& snapshot, NetId id, int layer, const ImVec2& size) {
  const LayerProbe* probe = FindProbe(snapshot, id, layer);
  if (!probe) {
    ImGui::Dummy(size);
    return;
  }
  const Histogram& hist = probe->a_hist;
  const char* f = ActivationSymbol(snapshot.config.net.activation);
  ImGui::PushID(static_cast<int>(id) * 1000 + layer);
  ImGui::BeginGroup();
  char title[32];
  std::snprintf(title, sizeof(title), "output %s(z)", f);
  if (ImGui::CalcTextSize(title).x > size.x) std::snprintf(title, sizeof(title), "%s(z)", f);  // narrow: the symbol
  ScaledTextCentered(title, size.x, 1.0f, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  const float plot_height = size.y - ImGui::GetItemRectSize().y - ImGui::GetStyle().ItemSpacing.y;
  if (plot::BeginPlot("##a", ImVec2(size.x, plot_height), plot::PlotFlags_NoLegend | plot::PlotFlags_NoHover)) {
    plot::SetupAxes(nullptr, nullptr, 0, plot::AxisFlags_NoTickLabels);
    plot::SetupAxisLimits(plot::Axis_X, hist.lo, hist.hi);
    plot::SetupAxisLimits(plot::Axis_Y, 0.0, 1.1 * TopShare(hist));
    plot::PlotHistogram("##a", hist.fractions.data(), static_cast<int>(hist.fractions.size()), hist.lo, hist.hi,
                        WithAlpha(NetColor(id), kBarAlpha));
    plot::EndPlot();
  }
  ImGui::EndGroup();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenOverlapped)) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    TextWrappedAtSpaces(
        "%s net, layer %d: the activation's output a = %s(z), share per bin over [%.0f, %.0f]. "
        "Outputs piled up at the ends come from saturated inputs: there the slope is almost 0 "
        "and the unit hardly learns.",
        NetTitle(id), layer + 1, f, hist.lo, hist.hi);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  ImGui::PopID();
}

}  // namespace

void DrawInputHistogramCell(const Snapshot& snapshot, NetId id, int layer, const ImVec2& size) {
  const LayerProbe* probe = FindProbe(snapshot, id, layer);
  if (!probe) {
    ImGui::Dummy(size);
    return;
  }
  ImGui::PushID(static_cast<int>(id) * 1000 + layer);
  ImGui::BeginGroup();
  if (size.y < Px(120.0f)) {
    // Short cells (the dashboard on a projector): the share beside the histogram, which keeps
    // the whole height.
    const float number_width = DrawShareBeside(snapshot, id, *probe, size.y);
    ImGui::SameLine(0.0f, 0.0f);
    DrawInputPlot(snapshot, id, *probe, ImVec2(size.x - number_width, size.y));
  } else {
    // The headline shrinks in short cells so the histogram keeps most of the height.
    const float scale = size.y >= Px(150.0f) ? 1.6f : 1.3f;
    const float strip = DrawShareStrip(snapshot, id, *probe, size.x, scale);
    const float plot_height = size.y - strip - ImGui::GetStyle().ItemSpacing.y;
    DrawInputPlot(snapshot, id, *probe, ImVec2(size.x, plot_height));
  }
  ImGui::EndGroup();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenOverlapped)) InputCellTooltip(snapshot, id, layer, *probe);
  ImGui::PopID();
}

void DrawActivationsPanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size) {
  ImGui::BeginChild("##activations_panel", size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const int layers = ProbedLayerCount(snapshot);
  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  const float header_height = ScaledTextSize(1.6f, "BN").y + spacing.y;
  // Rows share the height down to a readable minimum; the layers beyond go on further pages.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  int& page = ui.view_page[static_cast<std::size_t>(View::kActivations)];
  const GridPage grid =
      LayOutGrid(layers, 1, 0.0f, Px(130.0f), avail.x, avail.y - ImGui::GetFrameHeightWithSpacing() - header_height,
                 spacing.x, spacing.y, page);
  ImGui::Checkbox("show outputs", &ui.show_output_histograms);
  if (grid.pages > 1) ImGui::SameLine(0.0f, Px(24.0f));
  DrawPager(grid, layers, "layer", "layers", &page);
  const ActivationKind kind = snapshot.config.net.activation;
  HintBeside(Px(24.0f), "Bars: the activation's input z over all units of a layer.  Red zones: %s, %s.",
             SaturatedWord(kind), SaturationRule(kind));
  if (DrawWaitingForProbe(snapshot, ImGui::GetContentRegionAvail())) {
    ImGui::EndChild();
    return;
  }
  const float label_width = ScaledTextSize(1.2f, "layer 10").x + Px(8.0f);
  const float group_gap = Px(20.0f);
  const float group_width = std::floor(0.5f * (avail.x - label_width - group_gap - spacing.x));
  const float output_width = ui.show_output_histograms ? std::floor(0.28f * group_width) : 0.0f;
  const float input_width = ui.show_output_histograms ? group_width - output_width - spacing.x : group_width;

  ImGui::Dummy(ImVec2(label_width, 1.0f));
  for (NetId id : kNets) {
    ImGui::SameLine(0.0f, id == NetId::kLeft ? spacing.x : group_gap);
    ScaledTextCentered(NetTitle(id), group_width, 1.6f, NetColor(id));
  }
  for (int layer = grid.first; layer < grid.first + grid.count; ++layer) {
    DrawLayerRowLabel(layer, label_width, grid.cell_height, 1.2f);
    for (NetId id : kNets) {
      ImGui::SameLine(0.0f, id == NetId::kLeft ? spacing.x : group_gap);
      DrawInputHistogramCell(snapshot, id, layer, ImVec2(input_width, grid.cell_height));
      if (ui.show_output_histograms) {
        ImGui::SameLine();
        DrawOutputCell(snapshot, id, layer, ImVec2(output_width, grid.cell_height));
      }
    }
  }
  ImGui::EndChild();
}

}  // namespace bnlab
