#include "app/views/panel_util.h"

#include "app/shell/theme.h"
#include "app/views/text_wrap.h"
#include "plot/plot.h"
#include "session/verdict.h"  // GroupedSteps

#include <algorithm>
#include <cfloat>
#include <cstdarg>
#include <cstdint>
#include <cstdio>

#include <imgui_internal.h>  // the wrap position TextWrapped would use

namespace bnlab {
namespace {

// The smallest atlas font at least as large as `pixel_size`, else the largest there is:
// a font rasterized near its drawn size stays sharp where a scaled one goes soft.
ImFont* FontFor(float pixel_size) {
  ImFont* best = nullptr;
  ImFont* largest = ImGui::GetFont();
  for (ImFont* font : ImGui::GetIO().Fonts->Fonts) {
    if (font->FontSize > largest->FontSize) largest = font;
    if (font->FontSize >= 0.95f * pixel_size && (!best || font->FontSize < best->FontSize)) best = font;
  }
  return best ? best : largest;
}

std::uint8_t Lighten(ImU32 color, int shift, float t) {
  const float channel = static_cast<float>((color >> shift) & 0xFF);
  return static_cast<std::uint8_t>(channel + (255.0f - channel) * t);
}

}  // namespace

ImU32 LayerShade(NetId id, int layer, int layer_count) {
  const ImU32 base = NetColor(id);
  // Up to 55% of the way to white: the deepest layer still reads as the net's hue.
  const float t = layer_count > 1 ? 0.55f * static_cast<float>(layer) / static_cast<float>(layer_count - 1) : 0.0f;
  return IM_COL32(Lighten(base, IM_COL32_R_SHIFT, t), Lighten(base, IM_COL32_G_SHIFT, t),
                  Lighten(base, IM_COL32_B_SHIFT, t), 255);
}

int ProbedLayerCount(const Snapshot& snapshot) {
  std::size_t count = snapshot.nets[0].probe.layers.size();
  for (const NetView& view : snapshot.nets) {
    if (!view.has_probe) return 0;
    count = std::min({count, view.probe.layers.size(), view.layers.size()});
  }
  return static_cast<int>(count);
}

bool DrawWaitingForProbe(const Snapshot& snapshot, const ImVec2& size) {
  const bool probed = snapshot.nets[0].has_probe && snapshot.nets[1].has_probe;
  if (probed && ProbedLayerCount(snapshot) > 0) return false;
  const char* text = probed ? "These networks have no hidden layers to show." : "Waiting for the first probe...";
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 text_size = ScaledTextSize(1.5f, text);
  ImGui::Dummy(ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  const ImVec2 pos(origin.x + 0.5f * (size.x - text_size.x), origin.y + 0.5f * (size.y - text_size.y));
  DrawScaledText(ImGui::GetWindowDrawList(), pos, 1.5f, ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
  return true;
}

bool DrawNeedsBnColumn(const Snapshot& snapshot, const ImVec2& size) {
  if (IsBatchNorm(snapshot.config.right)) return false;
  const float width = std::min(size.x, Px(720.0f));
  ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + 0.5f * (size.x - width), ImGui::GetCursorPosY() + Px(60.0f)));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::PushFont(BigFont());
  TextWrappedAtSpaces("This view looks inside the BN layers of the right column, which is %s.",
                      VariantTitle(snapshot.config.right));
  ImGui::PopFont();
  TextWrappedAtSpaces(
      "Choose BN, BN after the activation, BN + bias or Ghost BN for the right column in the control "
      "panel (Network), and the view measures again.");
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  return true;
}

void HintBeside(float gap, const char* format, ...) {
  char text[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof(text), format, args);
  va_end(args);
  const float right = ImGui::GetItemRectMax().x + gap;
  const float end = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (right + ImGui::CalcTextSize(text).x > end) return;
  ImGui::SameLine(0.0f, gap);
  ImGui::TextDisabled("%s", text);
}

std::string WrapTextAtSpaces(std::string_view text, float width) {
  return WrapAtSpaces(text, width, [](std::string_view piece) {
    return ImGui::CalcTextSize(piece.data(), piece.data() + piece.size()).x;
  });
}

void TextWrappedAtSpaces(const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  const int length = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  std::string text(static_cast<std::size_t>(std::max(length, 0)), '\0');
  std::vsnprintf(text.data(), text.size() + 1, format, again);
  va_end(again);
  // As ImGui::TextWrapped: a pushed wrap position, else the window's content edge (0).
  const ImGuiWindow* window = ImGui::GetCurrentWindow();
  const float wrap_pos = std::max(window->DC.TextWrapPos, 0.0f);
  const std::string lines = WrapTextAtSpaces(text, ImGui::CalcWrapWidthForPos(window->DC.CursorPos, wrap_pos));
  ImGui::PushTextWrapPos(-1.0f);  // the lines are broken already
  ImGui::TextUnformatted(lines.data(), lines.data() + lines.size());
  ImGui::PopTextWrapPos();
}

void DrawPager(const GridPage& grid, int cells, const char* one, const char* many, int* page) {
  if (grid.pages <= 1) return;
  ImGui::PushID(many);
  ImGui::BeginGroup();
  if (ImGui::ArrowButton("##previous", ImGuiDir_Left)) *page = grid.page > 0 ? grid.page - 1 : grid.pages - 1;
  ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
  if (ImGui::ArrowButton("##next", ImGuiDir_Right)) *page = (grid.page + 1) % grid.pages;
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  if (grid.count == 1) ImGui::Text("%s %d of %d", one, grid.first + 1, cells);
  else ImGui::Text("%s %d\u2013%d of %d", many, grid.first + 1, grid.first + grid.count, cells);
  ImGui::EndGroup();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Not all of them fit at this size: the arrows show the others.");
  ImGui::PopID();
}

GridPage DrawGridPager(int cells, int max_columns, const ImVec2& min_cell, const char* one, const char* many,
                       int* page) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
  GridPage grid = LayOutGrid(cells, max_columns, min_cell.x, min_cell.y, avail.x, avail.y, spacing.x, spacing.y, *page);
  if (grid.pages <= 1) return grid;
  grid = LayOutGrid(cells, max_columns, min_cell.x, min_cell.y, avail.x, avail.y - ImGui::GetFrameHeightWithSpacing(),
                    spacing.x, spacing.y, *page);
  DrawPager(grid, cells, one, many, page);
  return grid;
}

ImVec2 ScaledTextSize(float scale, const char* text) {
  const float pixel_size = ImGui::GetFontSize() * scale;
  return FontFor(pixel_size)->CalcTextSizeA(pixel_size, FLT_MAX, 0.0f, text);
}

void DrawScaledText(ImDrawList* draw_list, const ImVec2& pos, float scale, ImU32 color, const char* text) {
  const float pixel_size = ImGui::GetFontSize() * scale;
  draw_list->AddText(FontFor(pixel_size), pixel_size, pos, color, text);
}

void DrawLayerRowLabel(int layer, float width, float height, float text_scale) {
  char label[24];
  std::snprintf(label, sizeof(label), "layer %d", layer + 1);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 text_size = ScaledTextSize(text_scale, label);
  ImGui::Dummy(ImVec2(width, height));
  DrawScaledText(ImGui::GetWindowDrawList(), ImVec2(origin.x, origin.y + 0.5f * (height - text_size.y)), text_scale,
                 ImGui::GetColorU32(ImGuiCol_Text), label);
}

void ScaledTextCentered(const char* text, float width, float scale, ImU32 color) {
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 text_size = ScaledTextSize(scale, text);
  ImGui::Dummy(ImVec2(std::max(width, 1.0f), text_size.y));
  DrawScaledText(ImGui::GetWindowDrawList(), ImVec2(origin.x + 0.5f * (width - text_size.x), origin.y), scale, color,
                 text);
}

const char* SaturationRule(ActivationKind kind) { return InfoOf(kind).rule; }

const char* SaturationZone(ActivationKind kind) { return InfoOf(kind).zone; }

const char* ActivationSymbol(ActivationKind kind) { return InfoOf(kind).symbol; }

const char* SaturatedWord(ActivationKind kind) { return kind == ActivationKind::kRelu ? "inactive" : "saturated"; }

namespace {

// Text over a plot on a backing `pad` wider than it (so a curve behind never hides a word),
// reserved so that the legend keeps off it.
void DrawBackedText(const ImVec2& pos, const ImVec2& text_size, float pad, ImU32 color, const char* text,
                    int backing_alpha) {
  const ImVec2 min(pos.x - pad, pos.y - pad), max(pos.x + text_size.x + pad, pos.y + text_size.y + pad);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  draw_list->AddRectFilled(min, max, TextBacking(backing_alpha), pad);
  draw_list->AddText(pos, color, text);
  plot::ReserveText(min, max);
}

}  // namespace

void PlotNote(int line, ImU32 color, const char* text) {
  const ImVec2 area = plot::GetPlotPos();
  const float row = ImGui::GetFontSize() + Px(6.0f);
  const ImVec2 pos(area.x + Px(8.0f), area.y + Px(6.0f) + row * static_cast<float>(line));
  const ImVec2 text_size = ImGui::CalcTextSize(text);
  DrawBackedText(pos, text_size, Px(3.0f), color, text, 170);
}

void PlotVLine(double x, ImU32 color) {
  const ImVec2 area = plot::GetPlotPos();
  const ImVec2 size = plot::GetPlotSize();
  const float px = plot::PlotToPixels(x, 1.0).x;
  if (!(px >= area.x && px <= area.x + size.x)) return;  // also rejects NaN
  ImGui::GetWindowDrawList()->AddLine(ImVec2(px, area.y), ImVec2(px, area.y + size.y), color, Px(2.0f));
}

void PlotLabelAboveY(const char* text, double y, ImU32 color, float align) {
  const ImVec2 area = plot::GetPlotPos();
  const ImVec2 size = plot::GetPlotSize();
  const float py = plot::PlotToPixels(0.0, y).y;
  const ImVec2 text_size = ImGui::CalcTextSize(text);
  if (!(py - text_size.y >= area.y && py <= area.y + size.y)) return;
  const float margin = Px(8.0f);
  const float x = area.x + margin + std::clamp(align, 0.0f, 1.0f) * (size.x - text_size.x - 2.0f * margin);
  const ImVec2 pos(x, py - text_size.y - Px(1.0f));
  // On a backing, so a curve running along the line never hides the word.
  const float pad = Px(2.0f);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  draw_list->AddRectFilled(ImVec2(pos.x - pad, pos.y - pad), ImVec2(pos.x + text_size.x + pad, pos.y + text_size.y),
                           TextBacking(160), pad);
  draw_list->AddText(pos, color, text);
  plot::ReserveText(ImVec2(pos.x - pad, pos.y - pad), ImVec2(pos.x + text_size.x + pad, pos.y + text_size.y));
}

void PlotMarkX(double x, ImU32 color, const char* label) {
  PlotVLine(x, color);
  const ImVec2 area = plot::GetPlotPos();
  const ImVec2 size = plot::GetPlotSize();
  const float px = plot::PlotToPixels(x, 1.0).x;
  if (!(px >= area.x && px <= area.x + size.x)) return;
  const ImVec2 text_size = ImGui::CalcTextSize(label);
  const float gap = Px(5.0f);
  const float right_edge = area.x + size.x;
  const float left = px + gap + text_size.x <= right_edge ? px + gap : px - gap - text_size.x;
  const ImVec2 pos(std::max(left, area.x), area.y + size.y - text_size.y - Px(4.0f));
  DrawBackedText(pos, text_size, Px(2.0f), color, label, 170);
}

namespace {

float ZeroMarkerHeight() { return ImGui::GetFontSize() + Px(10.0f); }

// A downward triangle touching the floor at pixel x, "0" above it.
void DrawZeroMarkerAt(float px, float floor_y, ImU32 color) {
  const float half = Px(6.0f);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  draw_list->AddTriangleFilled(ImVec2(px - half, floor_y - half * 1.6f), ImVec2(px + half, floor_y - half * 1.6f),
                               ImVec2(px, floor_y), color);
  const ImVec2 text_size = ImGui::CalcTextSize("0");
  const ImVec2 text_pos(px - 0.5f * text_size.x, floor_y - half * 1.6f - text_size.y - Px(1.0f));
  draw_list->AddText(text_pos, color, "0");
  plot::ReserveText(ImVec2(std::min(text_pos.x, px - half), text_pos.y),
                    ImVec2(std::max(text_pos.x + text_size.x, px + half), floor_y));
}

}  // namespace

void PlotZeroMarker(double x, ImU32 color, int stack) {
  const ImVec2 area = plot::GetPlotPos();
  const ImVec2 size = plot::GetPlotSize();
  const float px = plot::PlotToPixels(x, 1.0).x;
  if (!(px >= area.x && px <= area.x + size.x)) return;
  const float floor_y = area.y + size.y - Px(2.0f) - ZeroMarkerHeight() * static_cast<float>(std::max(stack, 0));
  DrawZeroMarkerAt(px, floor_y, color);
}

namespace {

// plot::PlotGetter over a `const History*`: its point `index`.
plot::PlotPoint HistoryPoint(int index, const void* data) {
  const History& history = *static_cast<const History*>(data);
  const std::size_t i = static_cast<std::size_t>(index);
  return plot::PlotPoint{history.x()[i], static_cast<double>(history.y()[i])};
}

}  // namespace

void PlotHistoryLine(const char* label, const History& history, ImU32 color, float thickness) {
  plot::PlotLineG(label, HistoryPoint, &history, static_cast<int>(history.size()), color, thickness);
}

void PlotHistoryBand(const char* label, const History& lo, const History& hi, ImU32 color) {
  plot::PlotBandG(label, HistoryPoint, &lo, HistoryPoint, &hi, static_cast<int>(std::min(lo.size(), hi.size())), color);
}

void PlotHistoryDots(const char* label, const History& history, ImU32 color, float radius) {
  plot::PlotScatterG(label, HistoryPoint, &history, static_cast<int>(history.size()), color, radius);
}

bool PlotZerosAtFloor(const History& history, ImU32 color) {
  const History::Column<double> xs = history.x();
  const History::Column<float> ys = history.y();
  const int count = static_cast<int>(history.size());
  if (count <= 0) return false;
  const ImVec2 area = plot::GetPlotPos();
  const ImVec2 size = plot::GetPlotSize();
  const float floor_y = area.y + size.y - Px(3.0f);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  auto to_px = [&](double x) { return std::clamp(plot::PlotToPixels(x, 1.0).x, area.x, area.x + size.x); };
  float newest = -1.0f;
  for (int i = 0; i < count; ++i) {
    if (ys[i] != 0.0f) continue;
    int end = i;
    while (end + 1 < count && ys[end + 1] == 0.0f) ++end;
    const float x0 = to_px(xs[i]);
    const float x1 = to_px(xs[end]);
    if (end > i) draw_list->AddLine(ImVec2(x0, floor_y), ImVec2(x1, floor_y), color, Px(4.0f));
    else draw_list->AddCircleFilled(ImVec2(x0, floor_y), Px(3.0f), color);
    newest = x1;
    i = end;
  }
  if (newest < 0.0f) return false;
  // The newest zero is usually at the right edge: keep its marker and "0" inside the area.
  const float inset = Px(10.0f);
  DrawZeroMarkerAt(std::clamp(newest, area.x + inset, area.x + size.x - inset), floor_y, color);
  return true;
}

bool PlotNetDivergence(NetId id, const NetView& view, int line) {
  if (!view.diverged) return false;
  PlotVLine(static_cast<double>(view.diverged_at), kAlarmColor);
  char text[96];
  std::snprintf(text, sizeof(text), "%s diverged at step %s (loss is not a number)", NetTitle(id),
                GroupedSteps(view.diverged_at).c_str());
  PlotNote(line, kAlarmColor, text);
  return true;
}

int PlotDivergence(const Snapshot& snapshot, int first_line) {
  int lines = 0;
  for (NetId id : kNets) lines += PlotNetDivergence(id, snapshot.net(id), first_line + lines) ? 1 : 0;
  return lines;
}

plot::AxisFlags StepAxisFlags(const UiState& ui) { return ui.time_axis == TimeAxis::kLog ? plot::AxisFlags_Log : 0; }

void SetupStepLimits(const UiState& ui, double lo, double hi) {
  if (!(lo <= hi)) return;
  switch (ui.time_axis) {
    case TimeAxis::kAll: break;
    case TimeAxis::kLast: lo = std::max(lo, hi - static_cast<double>(std::max(ui.last_steps, 10))); break;
    case TimeAxis::kLog: lo = std::max(lo, 1.0); break;  // step 0 has no place on a log axis
  }
  plot::SetupAxisLimits(plot::Axis_X, lo, std::max(hi, lo + 1.0));
}

void PlotChangeMarkers(const Snapshot& snapshot) {
  const ImVec2 area = plot::GetPlotPos();
  const ImVec2 size = plot::GetPlotSize();
  constexpr int kRows = 3;
  float row_right[kRows] = {-1e9f, -1e9f, -1e9f};
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const ImU32 color = WithAlpha(Ink(255), 200);
  const float pad = Px(2.0f);
  for (const ChangeMarker& change : snapshot.changes) {
    if (change.label.empty()) continue;
    const float px = plot::PlotToPixels(static_cast<double>(change.step), 1.0).x;
    if (!(px >= area.x && px <= area.x + size.x)) continue;
    // Dashed, so a marker is never mistaken for data.
    for (float y = area.y; y < area.y + size.y; y += Px(9.0f)) {
      draw_list->AddLine(ImVec2(px, y), ImVec2(px, std::min(y + Px(5.0f), area.y + size.y)), color, Px(1.5f));
    }
    const ImVec2 text_size = ImGui::CalcTextSize(change.label.c_str());
    float x = px + Px(4.0f);
    if (x + text_size.x > area.x + size.x) x = px - Px(4.0f) - text_size.x;  // at the right edge: left of the line
    for (int row = 0; row < kRows; ++row) {
      if (x <= row_right[row]) continue;
      const ImVec2 pos(std::max(x, area.x), area.y + Px(4.0f) + static_cast<float>(row) * (text_size.y + Px(4.0f)));
      DrawBackedText(pos, text_size, pad, color, change.label.c_str(), 190);
      row_right[row] = pos.x + text_size.x + Px(6.0f);
      break;
    }
  }
}

}  // namespace bnlab
