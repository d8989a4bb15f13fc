// Loss landscape: why BN helps, in the terms of Santurkar, Tsipras, Ilyas and Madry (2018),
// "How Does Batch Normalization Help Optimization?" (their Figure 4), live for both nets:
// along each net's own gradient, how much the loss and the gradient change over a range of
// step sizes, and the largest change of the gradient per unit of distance (a local β).
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

enum class Figure { kLoss, kGradient, kSmoothness };

const char* Tooltip(Figure figure) {
  switch (figure) {
    case Figure::kLoss:
      return "From the weights \u03b8 of each net, steps against its gradient g of 0.25, 0.5, 1, 2 and 4 times the "
             "learning rate: the band is the range of the loss L(\u03b8 \u2212 \u03b7g) they reach, on a fixed batch of "
             "64 training images in training mode. A narrow band: the loss changes predictably along the gradient, so "
             "a larger step is safe. (Santurkar et al. 2018, Fig. 4a: \"loss landscape\".)";
    case Figure::kGradient:
      return "The range of \u2016\u2207L(\u03b8 \u2212 \u03b7g) \u2212 \u2207L(\u03b8)\u2016 over the same steps: how different "
             "the gradients a step would meet are from the one it was taken along. Small: the gradient predicts the "
             "landscape ahead. (Santurkar et al. 2018, Fig. 4b: \"gradient predictiveness\".)";
    case Figure::kSmoothness:
      return "The largest \u2016\u2207L(\u03b8 \u2212 \u03b7g) \u2212 \u2207L(\u03b8)\u2016 / \u2016\u03b7g\u2016 over the steps: "
             "how fast the gradient changes per unit of distance moved, a local \u03b2 of \u03b2-smoothness. Smaller is "
             "smoother. (Santurkar et al. 2018, Fig. 4c: \"effective \u03b2-smoothness\".)";
  }
  return "";
}

void DrawFigure(const Snapshot& snapshot, const UiState& ui, Figure figure, const ImVec2& size) {
  static const char* const kTitles[] = {
      "Loss along the gradient: range over steps of 0.25-4 \u00d7 lr###land_loss",
      "Gradient change along it: range###land_grad",
      "Effective smoothness: max \u2016\u0394\u2207L\u2016 / \u2016\u0394\u03b8\u2016###land_beta"};
  if (!plot::BeginPlot(kTitles[static_cast<int>(figure)], size)) return;
  plot::SetupAxes("step", nullptr, StepAxisFlags(ui), plot::AxisFlags_Log);
  plot::SetTitleTooltip("%s", Tooltip(figure));
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (const NetView& view : snapshot.nets) {
    const History& any = view.landscape.smoothness;
    if (any.empty()) continue;
    lo = std::min(lo, any.x().front());
    hi = std::max(hi, any.x().back());
  }
  if (lo <= hi) SetupStepLimits(ui, lo, hi);
  for (NetId id : kNets) {
    const LandscapeHistory& h = snapshot.net(id).landscape;
    const ImU32 color = NetColor(id);
    const char* name = NetTitle(id);
    if (figure == Figure::kSmoothness) {
      PlotHistoryLine(name, h.smoothness, color, 2.5f);
      continue;
    }
    const History& low = figure == Figure::kLoss ? h.loss_lo : h.grad_change_lo;
    const History& high = figure == Figure::kLoss ? h.loss_hi : h.grad_change_hi;
    PlotHistoryBand(name, low, high, WithAlpha(color, 70));
    PlotHistoryLine(name, low, color, 1.5f);
    PlotHistoryLine(name, high, color, 1.5f);
  }
  if (snapshot.net(NetId::kLeft).landscape.smoothness.empty() &&
      snapshot.net(NetId::kRight).landscape.smoothness.empty()) {
    PlotNote(0, ImGui::GetColorU32(ImGuiCol_TextDisabled), "measuring from the next step on, while this view is open");
  }
  PlotChangeMarkers(snapshot);
  plot::EndPlot();
}

}  // namespace

void DrawLandscapePanel(const Snapshot& snapshot, UiState& ui, const ImVec2& size) {
  ImGui::BeginChild("##landscape_panel", size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PushTextWrapPos(0.0f);
  static const char* const kWhy =
      "Santurkar et al. (2018) found that BN helps not by freezing each layer's input distribution (the Distribution "
      "view shows it still moves) but by making the loss smoother along the gradient, so that larger steps are "
      "safe. Here the same figures for these two nets, live: a lower smoothness line is smoother. A flat, narrow "
      "loss band can also mean a net that is stuck, not one that is smooth.";
  // Where the paragraph would take more than a quarter of the view (a projector's large text),
  // it waits behind a line that shows it on hover, and the plots keep the room.
  const float line = ImGui::GetTextLineHeightWithSpacing();
  if (ImGui::CalcTextSize(kWhy, nullptr, false, size.x).y <= 0.25f * size.y) {
    ImGui::TextUnformatted(kWhy);
  } else {
    ImGui::TextDisabled("Why these figures (Santurkar et al. 2018): hover here");
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
      ImGui::TextUnformatted(kWhy);
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
  const LandscapeHistory& left = snapshot.net(NetId::kLeft).landscape;
  const LandscapeHistory& right = snapshot.net(NetId::kRight).landscape;
  if (!left.smoothness.empty() && !right.smoothness.empty()) {
    // The newest of each, and which is smoother now: called only when the gap is larger than
    // the figures' own spread over their last measurements (Differ, verdict.h).
    const double a = left.smoothness.last_y(), b = right.smoothness.last_y();
    const double spread = SpreadOfDifference(RecentSpread(left.smoothness), RecentSpread(right.smoothness));
    const bool differ = Differ(a, b, spread);
    const ImU32 color = !differ ? ImGui::GetColorU32(ImGuiCol_Text) : NetColor(b < a ? NetId::kRight : NetId::kLeft);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color));
    if (differ) {
      TextWrappedAtSpaces("Now (step %.0f): effective smoothness %s %.3g, %s %.3g: %s is smoother (its figure %s).",
                          right.smoothness.last_x(), NetTitle(NetId::kLeft), a, NetTitle(NetId::kRight), b,
                          NetTitle(b < a ? NetId::kRight : NetId::kLeft),
                          RatioText(std::min(a, b) / std::max(a, b)).c_str());
    } else if (!std::isfinite(spread)) {
      TextWrappedAtSpaces(
          "Now (step %.0f): effective smoothness %s %.3g, %s %.3g: too few measurements yet to call either "
          "smoother.",
          right.smoothness.last_x(), NetTitle(NetId::kLeft), a, NetTitle(NetId::kRight), b);
    } else {
      TextWrappedAtSpaces(
          "Now (step %.0f): effective smoothness %s %.3g, %s %.3g: about the same (the gap is within their "
          "last measurements' spread).",
          right.smoothness.last_x(), NetTitle(NetId::kLeft), a, NetTitle(NetId::kRight), b);
    }
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float top = std::floor(0.5f * (avail.y - ImGui::GetStyle().ItemSpacing.y));
  // Two rows (two plots above the wide smoothness plot) while a row keeps ten lines of text;
  // lower, the three side by side at the whole height, so that none is a sliver.
  if (top >= 10.0f * line) {
    const float half = std::floor(0.5f * (avail.x - spacing));
    DrawFigure(snapshot, ui, Figure::kLoss, ImVec2(half, top));
    ImGui::SameLine();
    DrawFigure(snapshot, ui, Figure::kGradient, ImVec2(avail.x - half - spacing, top));
    DrawFigure(snapshot, ui, Figure::kSmoothness, ImVec2(avail.x, ImGui::GetContentRegionAvail().y));
  } else {
    const float third = std::floor((avail.x - 2.0f * spacing) / 3.0f);
    DrawFigure(snapshot, ui, Figure::kLoss, ImVec2(third, avail.y));
    ImGui::SameLine();
    DrawFigure(snapshot, ui, Figure::kGradient, ImVec2(third, avail.y));
    ImGui::SameLine();
    DrawFigure(snapshot, ui, Figure::kSmoothness, ImVec2(avail.x - 2.0f * (third + spacing), avail.y));
  }
  ImGui::EndChild();
}

}  // namespace bnlab
