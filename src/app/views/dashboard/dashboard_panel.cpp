// The default view, for the back row of a lecture hall: few, large plots. Loss and accuracy
// on top; below, each net's activation inputs per layer and the current gradient sizes.
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

constexpr float kTopShare = 0.36f;         // of the height: loss and accuracy
constexpr float kShortTopShare = 0.5f;     // the same in a short view
constexpr float kLossShare = 0.55f;        // of the width: loss beside accuracy
constexpr float kActivationShare = 0.70f;  // of the lower width: activations beside gradient bars

// The loss and accuracy row's least height, in lines of body text: the accuracy's big numbers
// and a plot with its title, ticks and axis label.
constexpr float kMinTopLines = 8.0f;

float GridTitleScale(bool short_view) { return short_view ? 1.3f : 1.6f; }
float GridMinRowHeight(bool short_view) { return Px(short_view ? 28.0f : 40.0f); }

// The activation grid's least height: the nets' names over the rows at their least.
float ActivationGridMinHeight(int layers, bool short_view) {
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float rows = static_cast<float>(std::max(layers, 1));
  return ScaledTextSize(GridTitleScale(short_view), "B").y + spacing + rows * GridMinRowHeight(short_view) +
         (rows - 1.0f) * spacing;
}

// One row per hidden layer, Plain left and BN right; rows shrink to fit rather than scroll.
void DrawActivationGrid(const Snapshot& snapshot, const ImVec2& size, bool short_view) {
  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  const float label_width = ImGui::CalcTextSize("layer 10").x + Px(6.0f);
  const float gap = Px(16.0f);
  const float cell_width = std::floor(0.5f * (size.x - label_width - spacing.x - gap));
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(label_width, 1.0f));
  for (NetId id : kNets) {
    ImGui::SameLine(0.0f, id == NetId::kLeft ? spacing.x : gap);
    ScaledTextCentered(NetTitle(id), cell_width, GridTitleScale(short_view), NetColor(id));
  }
  const int layers = ProbedLayerCount(snapshot);
  const float rows_height = size.y - ImGui::GetItemRectSize().y - spacing.y;
  const float row_height =
      std::max(GridMinRowHeight(short_view),
               std::floor((rows_height - spacing.y * static_cast<float>(layers - 1)) / static_cast<float>(layers)));
  for (int layer = 0; layer < layers; ++layer) {
    DrawLayerRowLabel(layer, label_width, row_height, 1.0f);
    for (NetId id : kNets) {
      ImGui::SameLine(0.0f, id == NetId::kLeft ? spacing.x : gap);
      DrawInputHistogramCell(snapshot, id, layer, ImVec2(cell_width, row_height));
    }
  }
  ImGui::EndGroup();
}

}  // namespace

void DrawDashboard(const Snapshot& snapshot, UiState& ui, LossViewCache& loss_cache, GradientBarsScratch& bars,
                   const ImVec2& size) {
  ImGui::BeginChild("##dashboard", size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  // Short (a projector's large UI scale): the histograms have the share beside them, not above,
  // and need less height, which goes to loss and accuracy.
  const bool short_view = avail.y < Px(600.0f);
  const float top_min = kMinTopLines * ImGui::GetFontSize();
  const float lower_min = ActivationGridMinHeight(ProbedLayerCount(snapshot), short_view);
  // Too short for both rows at their least (a caption bar under the view on a projector): one
  // row at a time, the whole height, and a pager for the other.
  int shown_row = -1;
  if (avail.y < top_min + spacing.y + lower_min) {
    int& page = ui.view_page[static_cast<std::size_t>(View::kDashboard)];
    GridPage rows;
    rows.pages = 2;
    rows.page = rows.first = shown_row = std::clamp(page, 0, 1);
    rows.count = 1;
    DrawPager(rows, 2, "row", "rows", &page);
    avail = ImGui::GetContentRegionAvail();
  }
  const float share_height = std::floor((short_view ? kShortTopShare : kTopShare) * avail.y);
  const float top_height =
      shown_row == 0 ? avail.y : std::clamp(share_height, top_min, std::max(avail.y - spacing.y - lower_min, top_min));
  if (shown_row != 1) {
    const float loss_width = std::floor(kLossShare * (avail.x - spacing.x));
    DrawLossPlot(snapshot, ui, loss_cache, ImVec2(loss_width, top_height));
    ImGui::SameLine();
    DrawAccuracyPlot(snapshot, ui, loss_cache, ImVec2(avail.x - loss_width - spacing.x, top_height));
  }
  const ImVec2 lower(avail.x, ImGui::GetContentRegionAvail().y);
  if (shown_row != 0 && !DrawWaitingForProbe(snapshot, lower)) {
    const float grid_width = std::floor(kActivationShare * (lower.x - spacing.x));
    DrawActivationGrid(snapshot, ImVec2(grid_width, lower.y), short_view);
    ImGui::SameLine();
    DrawGradientBars(snapshot, ui, bars, GradientMeasure::kGradNorm, ImVec2(lower.x - grid_width - spacing.x, lower.y));
  }
  ImGui::EndChild();
}

}  // namespace bnlab
