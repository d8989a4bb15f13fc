// Decision boundary: what has each net learned? For the 2-D sets, each net's
// p(class | x₁, x₂) over the plane as a colour map drawn by a shader (boundary_renderer),
// Plain and BN side by side, with the held-out test points on top.
#include "app/views/boundary/boundary_panel.h"
#include "app/views/boundary/boundary_renderer.h"
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"  // GroupedSteps

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

namespace bnlab {
namespace {

// Test points: radius ~0.75% of the plot's side, so 1000 points neither vanish in a large
// plot nor merge into a blob in a small one.
constexpr float kPointRadiusShare = 0.0075f;
constexpr float kMinPointRadius = 1.6f;
constexpr float kMaxPointRadius = 3.5f;
constexpr float kPointOutline = 1.3f;
constexpr float kLegendDotRadius = 4.5f;
constexpr float kLegendDotOutline = 1.3f;
constexpr ImU32 kOutlineColor = IM_COL32(10, 10, 12, 235);
constexpr float kHeaderScale = 1.5f;
constexpr float kColumnGap = 24.0f;
// Rendered image sizes are rounded up to this step, so resizing the window does not
// recreate the texture on every pixel of change.
constexpr int kImageStep = 32;
constexpr int kMaxImageSize = 2048;

using ClassColorFn = ImU32 (*)(int class_index, int num_classes);

ImU32 GpuMapClassColor(int class_index, int /*num_classes*/) { return BoundaryClassColor(class_index); }

// The CPU map is a plot colour map; each class takes the colour it has there. Classes use
// the sequential map from kCpuFirstShade up: its darkest end would vanish on the background.
constexpr double kCpuFirstShade = 0.2;
ImU32 CpuMapClassColor(int class_index, int num_classes) {
  if (num_classes == 2) return plot::SampleColormap(plot::Colormap_Diverging, class_index);
  const double share = static_cast<double>(class_index) / static_cast<double>(std::max(num_classes - 1, 1));
  return plot::SampleColormap(plot::Colormap_Sequential, kCpuFirstShade + (1.0 - kCpuFirstShade) * share);
}

// The shader handles up to kMaxBoundaryClasses; beyond that, or without GL, the CPU map.
bool UsesGpuMap(const BoundaryRenderer& renderer, int num_classes) {
  return !renderer.failed() && num_classes <= kMaxBoundaryClasses;
}

// The GPU path failed (no GL 3.3, a shader or the framebuffer): said once on stderr, though
// both nets' renderers fail; the view goes on with the CPU map.
void ReportRendererFailure(BoundaryViewState& state, const BoundaryRenderer& renderer) {
  if (!renderer.failed() || state.failure_reported) return;
  std::fprintf(stderr, "bnlab: decision boundary: %s; drawing the map on the CPU instead\n",
               renderer.failure().c_str());
  state.failure_reported = true;
}

void DrawNot2dMessage(const Snapshot& snapshot, const ImVec2& size) {
  static const std::string text = "The decision boundary is shown for the 2-D datasets (" +
                                  DatasetNameList(/*synthetic_only=*/true) + "). Choose one in the controls.";
  const char* message = text.c_str();
  const ImVec2 start = ImGui::GetCursorPos();
  const float wrap = std::max(std::min(size.x - Px(40.0f), Px(760.0f)), Px(200.0f));
  ImGui::PushFont(BigFont());
  const ImVec2 text_size = ImGui::CalcTextSize(message, nullptr, false, wrap);
  const float line = ImGui::GetTextLineHeightWithSpacing();
  ImGui::SetCursorPos(ImVec2(start.x + std::max(0.0f, 0.5f * (size.x - text_size.x)),
                             start.y + std::max(0.0f, 0.5f * (size.y - text_size.y - line))));
  ImGui::PushTextWrapPos(ImGui::GetCursorPos().x + wrap);
  TextWrappedAtSpaces("%s", message);
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  if (snapshot.dataset) {
    ImGui::SetCursorPosX(start.x + std::max(0.0f, 0.5f * (size.x - text_size.x)));
    ImGui::TextDisabled("Now training on %s: %d inputs per sample.", snapshot.dataset->name.c_str(),
                        snapshot.dataset->features());
  }
  ImGui::SetCursorPos(start);
  ImGui::Dummy(size);
}

// One row above the plots: what the colours mean. Wraps to lines starting at `left`
// (window coordinates) when the region is narrow.
void DrawClassLegend(int num_classes, ClassColorFn color_of, float left, const char* note) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float radius = Px(kLegendDotRadius);
  const float item_gap = Px(14.0f);
  const auto same_line_if_fits = [&](float width) {
    ImGui::SameLine(0.0f, item_gap);
    if (ImGui::GetContentRegionAvail().x < width) {
      ImGui::NewLine();
      ImGui::SetCursorPosX(left);
    }
  };
  char label[24];
  for (int k = 0; k < num_classes; ++k) {
    std::snprintf(label, sizeof(label), "class %d", k);
    const float dot_width = 2.0f * radius + Px(5.0f);
    if (k > 0) same_line_if_fits(dot_width + ImGui::CalcTextSize(label).x);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 centre(pos.x + radius + Px(1.0f), pos.y + 0.5f * ImGui::GetTextLineHeight());
    draw_list->AddCircleFilled(centre, radius + Px(kLegendDotOutline), kOutlineColor);
    draw_list->AddCircleFilled(centre, radius, color_of(k, num_classes));
    ImGui::Dummy(ImVec2(dot_width, ImGui::GetTextLineHeight()));
    ImGui::SameLine(0.0f, 0.0f);
    ImGui::TextUnformatted(label);
  }
  same_line_if_fits(ImGui::CalcTextSize(note).x);
  // Still too long for a line of its own (large UI scale): wrap at the region's edge.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::PushTextWrapPos(0.0f);
  TextWrappedAtSpaces("%s", note);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void GatherTestPoints(const Dataset& data, ClassColorFn color_of, BoundaryViewState& state) {
  const int count = data.test_size();
  const std::size_t n = static_cast<std::size_t>(count);
  state.point_x.resize(n);
  state.point_y.resize(n);
  state.point_colors.resize(n);
  state.outline_colors.assign(n, kOutlineColor);
  for (int i = 0; i < count; ++i) {
    const std::size_t at = static_cast<std::size_t>(i);
    state.point_x[at] = data.test_x(0, i);
    state.point_y[at] = data.test_x(1, i);
    state.point_colors[at] = color_of(data.test_y[at], data.num_classes);
  }
}

// Without the shader: the most likely class (or p(class 1) for two classes) as a heatmap.
void DrawCpuMap(const float* probabilities, int grid, int num_classes, double lo, double hi,
                std::vector<float>& cpu_values) {
  const std::size_t cells = static_cast<std::size_t>(grid) * static_cast<std::size_t>(grid);
  const std::size_t classes = static_cast<std::size_t>(num_classes);
  cpu_values.resize(cells);
  for (std::size_t cell = 0; cell < cells; ++cell) {
    const float* p = probabilities + cell * classes;
    if (num_classes == 2) {
      cpu_values[cell] = p[1];
    } else {
      const float* best = std::max_element(p, p + classes);
      cpu_values[cell] = std::isfinite(*best) ? static_cast<float>(best - p) : NAN;
    }
  }
  if (num_classes == 2) {
    plot::PlotHeatmap("##map", cpu_values.data(), grid, grid, lo, hi, lo, hi, 0.0, 1.0, plot::Colormap_Diverging);
  } else {
    // Class k at kCpuFirstShade + (1 - kCpuFirstShade) k / (K - 1), as CpuMapClassColor.
    const double last = num_classes - 1.0;
    const double v_lo = -last * kCpuFirstShade / (1.0 - kCpuFirstShade);
    plot::PlotHeatmap("##map", cpu_values.data(), grid, grid, lo, hi, lo, hi, v_lo, last, plot::Colormap_Sequential);
  }
  // Dimmed like the shader's regions, so points in their class colour stand out.
  ImGui::GetWindowDrawList()->AddRectFilled(plot::PlotToPixels(lo, hi), plot::PlotToPixels(hi, lo),
                                            IM_COL32(0, 0, 0, 120));
}

// Under the mouse: the net's probabilities at the nearest grid point.
void ShowCellReadout(const Snapshot& snapshot, const NetView& view, ClassColorFn color_of) {
  const int grid = snapshot.boundary_grid;
  const int num_classes = snapshot.dataset->num_classes;
  const ImVec2 mouse = plot::GetPlotMousePos();
  const float cell_size = (snapshot.boundary_hi - snapshot.boundary_lo) / static_cast<float>(grid);
  const int col = static_cast<int>(std::floor((mouse.x - snapshot.boundary_lo) / cell_size));
  const int row = static_cast<int>(std::floor((mouse.y - snapshot.boundary_lo) / cell_size));
  if (col < 0 || col >= grid || row < 0 || row >= grid) return;
  const float* p = view.boundary.data() + static_cast<std::size_t>(row * grid + col) * num_classes;
  const int best = static_cast<int>(std::max_element(p, p + num_classes) - p);
  const bool finite = std::all_of(p, p + num_classes, [](float value) { return std::isfinite(value); });
  ImGui::BeginTooltip();
  ImGui::Text("x\u2081 = %.2f, x\u2082 = %.2f", mouse.x, mouse.y);
  if (!finite) ImGui::TextUnformatted("no prediction: the network's outputs are not numbers (it diverged)");
  for (int k = 0; k < num_classes && finite; ++k) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(color_of(k, num_classes)), "p(class %d) = %.3f%s", k, p[k],
                       k == best ? "  \u2190 predicted" : "");
  }
  ImGui::EndTooltip();
}

void DrawDivergedOverlay(const NetView& view) {
  const ImVec2 pos = plot::GetPlotPos();
  const ImVec2 size = plot::GetPlotSize();
  char detail[96];
  std::snprintf(detail, sizeof(detail), "at step %s; the map is from before", GroupedSteps(view.diverged_at).c_str());
  const ImVec2 title_size = ScaledTextSize(2.0f, "diverged");
  const ImVec2 detail_size = ImGui::CalcTextSize(detail);
  const float pad = Px(10.0f);
  const float width = std::max(title_size.x, detail_size.x) + 2.0f * pad;
  const float height = title_size.y + detail_size.y + 2.0f * pad;
  const ImVec2 box_min(pos.x + 0.5f * (size.x - width), pos.y + 0.5f * (size.y - height));
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  draw_list->AddRectFilled(box_min, ImVec2(box_min.x + width, box_min.y + height), TextBacking(200), Px(6.0f));
  DrawScaledText(draw_list, ImVec2(box_min.x + 0.5f * (width - title_size.x), box_min.y + pad), 2.0f, kAlarmColor,
                 "diverged");
  draw_list->AddText(ImVec2(box_min.x + 0.5f * (width - detail_size.x), box_min.y + pad + title_size.y), kAlarmColor,
                     detail);
}

void SetMapTooltip(const Snapshot& snapshot, NetId id) {
  const NetView& view = snapshot.net(id);
  const char* eval_note = id == NetId::kRight
                              ? "each BN layer normalizes with its running mean and variance, not with a batch's"
                              : "the Plain net has no BN layers, so eval and training mode agree";
  char accuracy[96] = "no test evaluation yet.";
  if (view.has_test) {
    std::snprintf(accuracy, sizeof(accuracy), "%.1f%% of the test points are classified correctly (step %s).",
                  100.0 * view.test.accuracy, GroupedSteps(snapshot.step).c_str());
  }
  plot::SetTitleTooltip(
      "What the %s net predicts at every point of the plane: p(class | x\u2081, x\u2082), from the network in "
      "eval mode (%s).\n\n"
      "Colour: the class colours mixed by these probabilities; grey where the net is unsure (its largest "
      "probability near 1/%d, a guess). The thin dark line is the decision boundary, where the two most likely "
      "classes are equally likely.\n\n"
      "Dots: the %d held-out test points in the colour of their true class; a dot on a region of another colour "
      "is misclassified. Test accuracy: %s\n\nHover the map for the probabilities at a point.",
      NetTitle(id), eval_note, snapshot.dataset->num_classes, snapshot.dataset->test_size(), accuracy);
}

void DrawNetMap(const Snapshot& snapshot, NetId id, float side, BoundaryViewState& state) {
  const NetView& view = snapshot.net(id);
  const std::size_t index = static_cast<std::size_t>(id);
  const Dataset& data = *snapshot.dataset;
  const int grid = snapshot.boundary_grid;
  const int num_classes = data.num_classes;
  char title[64];
  std::snprintf(title, sizeof(title), "p(class | x\u2081, x\u2082)##boundary_%s", NetName(id));
  if (!plot::BeginPlot(title, ImVec2(side, side), plot::PlotFlags_NoLegend | plot::PlotFlags_NoHover)) return;

  // Equal units on both axes (circles stay round): widen the longer side's range by the
  // area's aspect ratio, measured on the previous frame.
  const double lo = snapshot.boundary_lo, hi = snapshot.boundary_hi;
  const double centre = 0.5 * (lo + hi), half = 0.5 * (hi - lo);
  const double aspect = state.area_aspect[index];
  const double x_half = half * std::max(aspect, 1.0), y_half = half * std::max(1.0 / aspect, 1.0);
  plot::SetupAxes("x\u2081", "x\u2082");
  plot::SetupAxisLimits(plot::Axis_X, centre - x_half, centre + x_half);
  plot::SetupAxisLimits(plot::Axis_Y, centre - y_half, centre + y_half);
  SetMapTooltip(snapshot, id);
  const ImVec2 area = plot::GetPlotSize();
  if (area.x > 0.0f && area.y > 0.0f) state.area_aspect[index] = area.x / area.y;

  const bool has_map =
      grid > 0 && num_classes >= 2 && view.boundary.size() == static_cast<std::size_t>(grid) * grid * num_classes;
  BoundaryRenderer& renderer = state.renderers[index];
  ClassColorFn color_of = UsesGpuMap(renderer, num_classes) ? GpuMapClassColor : CpuMapClassColor;
  GatherTestPoints(data, color_of, state);
  // Screen pixels: the plot module's scale is taken out below where it applies it itself.
  const float radius =
      std::clamp(kPointRadiusShare * std::min(area.x, area.y), Px(kMinPointRadius), Px(kMaxPointRadius));
  const float outline = Px(kPointOutline);
  bool points_on_image = false;
  if (has_map) {
    // One image pixel per screen pixel keeps the boundary line thin and sharp.
    const float pixels = std::min(area.x, area.y) * ImGui::GetIO().DisplayFramebufferScale.x;
    const int image_size =
        std::clamp((static_cast<int>(pixels) / kImageStep + 1) * kImageStep, kImageStep, kMaxImageSize);
    // The image's pixels per screen pixel, for the points' discs drawn into it.
    const float span = plot::PlotToPixels(hi, lo).x - plot::PlotToPixels(lo, lo).x;
    const float to_image = span > 0.0f ? static_cast<float>(image_size) / span : 0.0f;
    const BoundaryImageKey key{snapshot.generation,
                               snapshot.step,
                               grid,
                               num_classes,
                               image_size,
                               static_cast<float>(lo),
                               static_cast<float>(hi),
                               radius * to_image,
                               outline * to_image};
    const BoundaryPoints points{state.point_x.data(), state.point_y.data(), state.point_colors.data(),
                                static_cast<int>(state.point_x.size()), kOutlineColor};
    if (renderer.Update(key, view.boundary.data(), points)) {
      plot::PlotImage(renderer.texture(), lo, lo, hi, hi);
      points_on_image = true;
    } else {
      ReportRendererFailure(state, renderer);
      if (color_of != CpuMapClassColor) {
        color_of = CpuMapClassColor;
        GatherTestPoints(data, color_of, state);
      }
      DrawCpuMap(view.boundary.data(), grid, num_classes, lo, hi, state.cpu_values);
    }
  }
  if (!points_on_image) {
    const int count = static_cast<int>(state.point_x.size());
    const float scale = plot::GetScale();  // the plot module multiplies radii by it
    plot::PlotScatterColored(state.point_x.data(), state.point_y.data(), state.outline_colors.data(), count,
                             (radius + outline) / scale);
    plot::PlotScatterColored(state.point_x.data(), state.point_y.data(), state.point_colors.data(), count,
                             radius / scale);
  }

  if (!has_map) PlotNote(0, ImGui::GetColorU32(ImGuiCol_Text), "waiting for the first evaluation");
  if (view.diverged) DrawDivergedOverlay(view);
  if (has_map && plot::IsPlotHovered()) ShowCellReadout(snapshot, view, color_of);
  plot::EndPlot();
}

}  // namespace

void DrawBoundaryPanel(const Snapshot& snapshot, UiState& ui, BoundaryViewState& state, const ImVec2& size) {
  (void)ui;  // the view has no options yet
  if (!snapshot.is_2d()) {
    DrawNot2dMessage(snapshot, size);
    return;
  }
  const ImVec2 start = ImGui::GetCursorPos();
  const float gap = Px(kColumnGap);
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float header_height = ScaledTextSize(kHeaderScale, "BN").y + spacing;
  // Two squares side by side, as large as the region allows (the legend's one line is
  // assumed here; if it wraps, the squares shrink below).
  const auto fit_side = [&](float used_height) {
    return std::max(std::min(0.5f * (size.x - gap), size.y - used_height - header_height - Px(4.0f)), Px(120.0f));
  };
  const auto left_of = [&](float side) { return start.x + std::max(0.0f, 0.5f * (size.x - 2.0f * side - gap)); };

  const int num_classes = snapshot.dataset->num_classes;
  const float legend_left = left_of(fit_side(ImGui::GetTextLineHeight() + spacing));
  ImGui::SetCursorPosX(legend_left);
  if (UsesGpuMap(state.renderers[0], num_classes)) {
    DrawClassLegend(num_classes, GpuMapClassColor, legend_left,
                    "grey: the net is unsure  \u00b7  dark line: decision boundary  \u00b7  dots: test points");
  } else {
    const char* why = num_classes > kMaxBoundaryClasses ? "the shader shows up to 8 classes" : "no GPU shader";
    char note[128];
    std::snprintf(note, sizeof(note), "map: %s (simple CPU map: %s)",
                  num_classes == 2 ? "p(class 1)" : "the most likely class", why);
    DrawClassLegend(num_classes, CpuMapClassColor, legend_left, note);
  }
  const float side = fit_side(ImGui::GetCursorPosY() - start.y);
  const float left = left_of(side);

  // Both headers in one format and size, so the two plots stay level.
  std::array<std::array<char, 64>, 2> headers;
  float header_scale = kHeaderScale;
  for (int form = 0; form < 2; ++form) {
    float widest = 0.0f;
    for (NetId id : kNets) {
      const NetView& view = snapshot.net(id);
      char* header = headers[static_cast<std::size_t>(id)].data();
      const char* format = form == 0 ? "%s  \u00b7  test accuracy %.1f%%" : "%s  %.1f%%";
      if (view.has_test) std::snprintf(header, 64, format, NetTitle(id), 100.0 * view.test.accuracy);
      else std::snprintf(header, 64, "%s", NetTitle(id));
      widest = std::max(widest, ScaledTextSize(kHeaderScale, header).x);
    }
    // Never below the body text: the shorter form is tried first.
    header_scale = std::max(1.0f, kHeaderScale * std::min(1.0f, side / std::max(widest, 1.0f)));
    if (widest <= side) break;
  }

  ImGui::SetCursorPosX(left);
  for (NetId id : kNets) {
    ImGui::BeginGroup();
    ScaledTextCentered(headers[static_cast<std::size_t>(id)].data(), side, header_scale, NetColor(id));
    DrawNetMap(snapshot, id, side, state);
    ImGui::EndGroup();
    if (id == NetId::kLeft) ImGui::SameLine(0.0f, gap);
  }
}

}  // namespace bnlab
