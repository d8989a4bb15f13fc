// The Inside BN view's right-hand column: claim 1 (x_norm has zero mean and unit variance) on
// this unit with a verdict computed from the numbers, the same for every unit of the layer
// against y's free mean and variance, claim 2 as a what-if, and how to step batch by batch.
#include "app/views/inside_bn/inside_bn_panel.h"

#include "app/views/panel_util.h"
#include "app/shell/theme.h"
#include "plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

constexpr ImU32 kGoodColor = IM_COL32(110, 220, 120, 255);
// Float rounding of x_norm over a batch stays far below these.
constexpr double kMeanTolerance = 1e-4;
constexpr double kVarTolerance = 1e-4;

void BigLine(const char* text, ImU32 color) {
  ImGui::PushFont(BigFont());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void DrawClaimOne(const BnUnitRecord& r, const InsideBnCache& cache) {
  ImGui::TextUnformatted("Claim 1, this unit: x_norm over the batch");
  char text[160];
  std::snprintf(text, sizeof(text), "mean %.5f", std::fabs(cache.xnorm_mean) < 5e-6 ? 0.0 : cache.xnorm_mean);
  BigLine(text, Ink(255));
  std::snprintf(text, sizeof(text), "variance %.5f", cache.xnorm_var);
  BigLine(text, Ink(255));
  const bool holds = std::fabs(cache.xnorm_mean) < kMeanTolerance &&
                     std::fabs(cache.xnorm_var - cache.xnorm_var_expected) < kVarTolerance;
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled(
      "exactly %.1e and %.6f; \u03b5 = %.0e makes the variance \u03c3\u00b2/(\u03c3\u00b2+\u03b5) = %.6f",
      cache.xnorm_mean, cache.xnorm_var, r.eps, cache.xnorm_var_expected);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(holds ? kGoodColor : kAlarmColor));
  TextWrappedAtSpaces(holds ? "Holds: zero mean, unit variance, whatever x was."
                            : "Not 0 and 1 on this batch: see the numbers.");
  ImGui::PopStyleColor();
  if (cache.groups > 1) {
    TextWrappedAtSpaces("Ghost BN: %d groups, each normalized with its own statistics:", cache.groups);
    for (int g = 0; g < cache.groups && g < 8; ++g) {
      ImGui::Text("  group %d: \u03bc_B = %.3f, \u03c3_B = %.3f", g + 1, r.batch_mean[static_cast<std::size_t>(g)],
                  cache.group_sigma[static_cast<std::size_t>(g)]);
    }
  }
  ImGui::PopTextWrapPos();
}

void DrawIdentityWhatIf(const BnUnitRecord& r, UiState& ui, const InsideBnCache& cache) {
  ImGui::TextUnformatted("Claim 2: BN can undo itself");
  ImGui::Checkbox("set \u03b3 = \u221a(\u03c3\u00b2_B + \u03b5), \u03b2 = \u03bc_B###identity", &ui.inside_identity);
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip(
        "A calculation on this batch's numbers only: the training nets keep their own \u03b3 and \u03b2.");
  }
  if (!ui.inside_identity) {
    ImGui::TextDisabled("(what-if for this unit; training is untouched)");
    return;
  }
  ImGui::PushTextWrapPos(0.0f);
  if (cache.groups == 1) {
    ImGui::Text("\u03b3\u2032 = %.4f, \u03b2\u2032 = %.4f (learned: %.3f, %.3f)", std::sqrt(r.batch_var[0] + r.eps),
                r.batch_mean[0], r.gamma, r.beta);
  } else {
    TextWrappedAtSpaces("\u03b3\u2032, \u03b2\u2032 from each ghost group's own statistics");
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kIdentityColor));
  TextWrappedAtSpaces("Pink rings on the x row: y = \u03b3\u2032\u00b7x_norm + \u03b2\u2032. They sit on the x dots:");
  ImGui::PopStyleColor();
  char text[64];
  std::snprintf(text, sizeof(text), "max |y \u2212 x| = %.1e", cache.identity_error);
  BigLine(text, cache.identity_error < 1e-4 * std::max(1.0, std::fabs(cache.forward_hi)) ? kGoodColor : kAlarmColor);
  ImGui::PopTextWrapPos();
}

// Every unit of the layer: x_norm's (mean, variance) all at (0, 1); y's wherever γ and β put it.
void DrawUnitsPlot(const BnUnitRecord& r, const InsideBnCache& cache) {
  TextWrappedAtSpaces(
      "Every unit's x_norm: |mean| \u2264 %.0e, variance %.4f to %.4f. y: wherever \u03b3 and \u03b2 put it.",
      cache.units_xnorm_max_mean, cache.units_xnorm_var_lo, cache.units_xnorm_var_hi);
  char title[96];
  std::snprintf(title, sizeof(title), "All %zu units of layer %d: mean vs variance###units", r.xhat_mean.size(),
                r.layer + 1);
  const ImVec2 size(-1.0f, ImGui::GetContentRegionAvail().y);
  if (!plot::BeginPlot(title, size)) return;
  plot::SetupAxes("mean over the batch", "variance");
  plot::SetTitleTooltip(
      "One dot per unit of the layer, on this batch. White: x_norm, at mean 0 and variance 1 for "
      "every unit (claim 1), stacked on one spot. Blue: y = \u03b3\u00b7x_norm + \u03b2, whose mean is "
      "\u03b2 and variance \u03b3\u00b2 times x_norm's: free, chosen by learning. Yellow: unit %d's y.",
      r.unit);
  const int n = static_cast<int>(r.xhat_mean.size());
  PlotVLine(0.0, WithAlpha(ReferenceColor(), 70));
  plot::PlotHLine("##one", 1.0, WithAlpha(ReferenceColor(), 70));
  plot::PlotScatter("y###y", r.y_mean.data(), r.y_var.data(), n, WithAlpha(kBnColor, 220), 4.0f);
  plot::PlotScatter("x_norm###xn", r.xhat_mean.data(), r.xhat_var.data(), n, Ink(255), 5.0f);
  const std::size_t u = static_cast<std::size_t>(r.unit);
  if (u < r.y_mean.size()) plot::PlotScatter("##chosen", &r.y_mean[u], &r.y_var[u], 1, kHighlightColor, 6.0f);
  plot::EndPlot();
}

void DrawStepHint(const Snapshot& snapshot) {
  ImGui::PushTextWrapPos(0.0f);
  if (snapshot.paused) {
    TextWrappedAtSpaces("Paused. N trains one step: the next batch appears here.");
  } else if (snapshot.speed > 0.0 && snapshot.speed <= 2.0) {
    TextWrappedAtSpaces("%.0f step/s: one batch at a time. Space pauses, N steps once.", snapshot.speed);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kCautionColor));
    TextWrappedAtSpaces(
        "%.0f steps/s. To follow the batches one by one, set the speed to 1 step/s in the controls, or "
        "pause (Space) and press N for one step.",
        snapshot.steps_per_second);
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
}

void DrawClaimsText(const Snapshot& snapshot, UiState& ui, const InsideBnCache& cache) {
  const BnUnitRecord& r = snapshot.inside.record;
  DrawClaimOne(r, cache);
  ImGui::Spacing();
  ImGui::Separator();
  DrawIdentityWhatIf(r, ui, cache);
  ImGui::Spacing();
  ImGui::Separator();
  DrawStepHint(snapshot);
}

}  // namespace

void DrawInsideBnClaims(const Snapshot& snapshot, UiState& ui, const InsideBnCache& cache, const ImVec2& size) {
  ImGui::BeginChild("##inside_claims", size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  DrawClaimsText(snapshot, ui, cache);
  DrawUnitsPlot(snapshot.inside.record, cache);
  ImGui::EndChild();
}

void DrawInsideBnClaimsBeside(const Snapshot& snapshot, UiState& ui, const InsideBnCache& cache, const ImVec2& size) {
  const float gap = Px(24.0f);
  const float left = std::floor(0.5f * (size.x - gap));
  ImGui::BeginChild("##inside_claims", ImVec2(left, size.y), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  DrawClaimsText(snapshot, ui, cache);
  ImGui::EndChild();
  ImGui::SameLine(0.0f, gap);
  ImGui::BeginChild("##inside_units", ImVec2(size.x - left - gap, size.y), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  DrawUnitsPlot(snapshot.inside.record, cache);
  ImGui::EndChild();
}

}  // namespace bnlab
