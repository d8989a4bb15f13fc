// bnlab's small plotting library: ImPlot's shape, drawn with ImDrawList.
//
//     if (plot::BeginPlot("Loss##loss", ImVec2(-1, 0)))
//     {
//         plot::SetupAxes("step", "loss", 0, plot::AxisFlags_Log);
//         plot::SetTitleTooltip("cross-entropy, now %.3f", loss);
//         plot::PlotLine("Plain", steps, plain_loss, n, plain_color);
//         plot::PlotLine("BN", steps, bn_loss, n, bn_color);
//         plot::EndPlot();
//     }
//
// Call order: BeginPlot, then SetupAxes / SetupAxisLimits / SetTitleTooltip(Builder),
// then items, then EndPlot (only when BeginPlot returned true). The first
// item or query fixes the layout; Setup calls after it are ignored. Plots do
// not nest.
//
// Auto-fit: an axis without SetupAxisLimits is fitted to the data the items
// submit; items are drawn immediately with the fit of the previous frame
// (stored per plot id), as ImPlot does. A plot's first frame draws its axes
// but no items, so it never flashes a wrong scale; from the second frame on
// it lags the data by one frame. Y is fitted to the points inside the
// visible x range (padded 5%, never across zero for one-signed data); x is
// fitted without padding.
//
// Labels follow ImGui: text after "##" is not shown, and an item whose
// label shows nothing ("##ref") gets no legend entry. Items with the same
// label share one legend entry, so a band and a line drawn as "BN" hide
// together.
//
// Drawing allocates nothing per frame once the module's scratch buffers have
// grown to the largest plot. All pixel sizes follow SetScale().
//
// As in ImPlot, the module's state (those buffers, each plot's fitted ranges,
// the scale) is a context the application creates after ImGui's context and
// destroys before it: CreateContext(), DestroyContext().
#pragma once

#include "plot/colormap.h"
#include "plot/decimate.h"
#include "plot/plot_math.h"

#include <imgui.h>

namespace plot {

typedef int PlotFlags;
enum PlotFlags_
{
    PlotFlags_None = 0,
    PlotFlags_NoLegend = 1 << 0,
    PlotFlags_NoHover = 1 << 1, // no crosshair, no read-out tooltip
    PlotFlags_NoTitle = 1 << 2,
};

typedef int AxisFlags;
enum AxisFlags_
{
    AxisFlags_None = 0,
    AxisFlags_Log = 1 << 0,          // base-10; values <= 0 are skipped (lines break there)
    AxisFlags_NoTickLabels = 1 << 1, // grid lines stay, numbers go
    AxisFlags_AutoFitZero = 1 << 2,  // auto-fit always includes 0 (linear axes)
};

enum Axis
{
    Axis_X = 0,
    Axis_Y = 1,
};

// The module's state. CreateContext makes the new context current when there is none;
// DestroyContext(nullptr) destroys the current one. Every other call needs a current context.
struct PlotContext;
PlotContext* CreateContext();
void DestroyContext(PlotContext* context = nullptr);
PlotContext* GetCurrentContext();
void SetCurrentContext(PlotContext* context);

// UI scale factor (projector mode): multiplies every pixel constant, line
// widths and marker radii included. Fonts are the caller's (ImGui's current font).
void SetScale(float scale);
float GetScale();

// size: <= 0 in x means "available width + size.x" (ImGui convention);
// 0 in y means a default height, < 0 "available height + size.y".
// Returns false when the plot has no area or is clipped away; call EndPlot
// only when it returns true.
bool BeginPlot(const char* title_id, const ImVec2& size, PlotFlags flags = 0);
void SetupAxes(const char* x_label, const char* y_label, AxisFlags x_flags = 0, AxisFlags y_flags = 0);
// Fixes an axis to [lo, hi] this frame (no auto-fit). Reversed bounds are
// swapped; degenerate or non-positive (log) bounds are made drawable.
void SetupAxisLimits(Axis axis, double lo, double hi);
// Shown (wrapped at ~35 em) while the mouse is over the title, which then
// carries a small "(?)". Meant for the formula and the current numbers.
void SetTitleTooltip(const char* fmt, ...) IM_FMTARGS(1);
// For a tooltip whose text costs something to build: EndPlot calls build(user_data) only
// while the mouse is over the title, and build sets the text with SetTitleTooltip. The title
// carries its "(?)" either way. user_data must stay valid until EndPlot.
typedef void (*TitleTooltipBuilder)(void* user_data);
void SetTitleTooltipBuilder(TitleTooltipBuilder build, void* user_data);

// ---- Items -----------------------------------------------------------------

// Lines of one colour told apart by their dash as well as their shade (layers of one net,
// train vs test). Applies to the next PlotLine only; its legend swatch shows the dash.
enum LineStyle
{
    LineStyle_Solid = 0,
    LineStyle_Dashed,
    LineStyle_Dotted,
};
void SetNextLineStyle(LineStyle style);
// xs must ascend for lines and bands (they are searched, not scanned). NaN or
// inf in a y breaks the line there. Everything tolerates count <= 0 and null
// pointers.

void PlotLine(const char* label, const double* xs, const float* ys, int count, ImU32 color, float thickness = 2.0f);
void PlotLine(const char* label, const double* xs, const double* ys, int count, ImU32 color, float thickness = 2.0f);
// Shaded area between lo[i] and hi[i] (e.g. 15th..85th percentile); give
// `color` the alpha you want.
void PlotBand(const char* label, const double* xs, const float* lo, const float* hi, int count, ImU32 color);
// bins bars over [x_lo, x_hi], each from 0 to counts[i]; filled with `color`
// and outlined with it at full alpha, so two translucent histograms overlap readably.
void PlotHistogram(const char* label, const float* counts, int bins, double x_lo, double x_hi, ImU32 color);
// Bars centred on xs[i], bar_width wide in data units, from 0 to heights[i].
void PlotBars(const char* label, const double* xs, const float* heights, int count, double bar_width, ImU32 color);
void PlotScatter(const char* label, const float* xs, const float* ys, int count, ImU32 color, float radius = 2.0f);
// Lines, bands and points read through a getter (ImPlot's PlotLineG, PlotShadedG,
// PlotScatterG): for data that does not lie in arrays, plotted where it lies. getter(i, data)
// is point i; PlotGetter is in plot/decimate.h. A band's xs are those of `lo`.
void PlotLineG(const char* label, PlotGetter getter, const void* data, int count, ImU32 color, float thickness = 2.0f);
void PlotBandG(const char* label, PlotGetter lo, const void* lo_data, PlotGetter hi, const void* hi_data, int count,
               ImU32 color);
void PlotScatterG(const char* label, PlotGetter getter, const void* data, int count, ImU32 color, float radius = 2.0f);
// Per-point colours, no legend entry, cannot be hidden.
void PlotScatterColored(const float* xs, const float* ys, const ImU32* colors, int count, float radius);
// values row-major, rows x cols; row 0 is the bottom row (y_lo), column 0 the
// left one (x_lo). Value v is coloured at (v - v_lo) / (v_hi - v_lo); NaN
// cells are left empty. Cells smaller than a pixel are sampled, not all drawn.
void PlotHeatmap(const char* label, const float* values, int rows, int cols, double x_lo, double x_hi, double y_lo,
                 double y_hi, double v_lo, double v_hi, Colormap map);
// A texture stretched over [x_lo, x_hi] x [y_lo, y_hi] in data coordinates.
// The texture's first row is drawn at y_lo (bottom), as in PlotHeatmap.
void PlotImage(ImTextureID texture, double x_lo, double y_lo, double x_hi, double y_hi);
// Horizontal reference line across the plot (e.g. 1e-3); y is included in the auto-fit.
void PlotHLine(const char* label, double y, ImU32 color, float thickness = 1.0f);
// Vertical shaded region (e.g. the sigmoid's saturated zone); +-inf reach the
// plot's edges. Decoration: not fitted, no legend.
void PlotShadedX(double x_lo, double x_hi, ImU32 color);
// f sampled once per pixel column over the visible x range; its values join
// the y auto-fit, x is left to the other items.
void PlotFunction(const char* label, double (*f)(double), ImU32 color, float thickness = 2.0f);
void PlotFunction(const char* label, double (*f)(double x, void* user_data), void* user_data, ImU32 color,
                  float thickness = 2.0f);
// Text centred on (x, y); an annotation, not fitted.
void PlotText(const char* text, double x, double y, ImU32 color);

// ---- Queries (between BeginPlot and EndPlot) ---------------------------------

bool IsPlotHovered();     // mouse over the plot area (not the axes or the title)
ImVec2 GetPlotMousePos(); // mouse in data coordinates (float precision)
ImVec2 GetPlotPos();      // top-left of the plot area in screen pixels
ImVec2 GetPlotSize();     // size of the plot area in pixels
// Text written over the plot area by the caller (a caption, a note), in screen pixels: the
// legend then takes a corner where it covers none of it. The legend takes the corner of the
// area that covers none of these notes and no line's newest point, and the least data; where
// every corner would cover one of them, or a fifth of the data, it stands above the area from
// the next frame on, its entries side by side (the area gives it the room).
void ReserveText(const ImVec2& min, const ImVec2& max);
// The legend's box in the last plot that drew one (screen pixels; empty if none).
void GetLastLegendRect(ImVec2* min, ImVec2* max);
ImVec2 PlotToPixels(double x, double y);

void EndPlot();

} // namespace plot
