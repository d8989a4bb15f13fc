// Small pieces the view files share: layer shades, large text for the back row, notes
// drawn on a plot, and the plots the dashboard borrows from the full views.
#pragma once

#include "session/snapshot.h"
#include "app/shell/ui_state.h"
#include "app/views/grid_layout.h"

#include "plot/plot.h"

#include <imgui.h>

#include <string>
#include <string_view>

namespace bnlab {

struct LossViewCache;        // loss_smoothing.h
struct GradientBarsScratch;  // panels.h

// The net's colour for layer 0, lighter for deeper layers, so lines of one net stay one hue.
ImU32 LayerShade(NetId id, int layer, int layer_count);

// Hidden layers that both nets have probes for (0 before the first probe).
int ProbedLayerCount(const Snapshot& snapshot);
// When a net has no probe yet, says so in the middle of `size` and returns true.
bool DrawWaitingForProbe(const Snapshot& snapshot, const ImVec2& size);

// A secondary hint beside the widgets of a view's toolbar, `gap` pixels after the last one:
// drawn only where it fits on that line (at large UI scales it gives way; tooltips keep it).
void HintBeside(float gap, const char* format, ...) IM_FMTARGS(2);

// Wrapped text broken at spaces only (text_wrap.h), where ImGui::TextWrapped also breaks "1.5×"
// after its point. It wraps where TextWrapped would: at a pushed wrap position, else at the
// window's edge.
void TextWrappedAtSpaces(const char* format, ...) IM_FMTARGS(1);
// `text` broken at spaces into lines no wider than `width` in the current font.
std::string WrapTextAtSpaces(std::string_view text, float width);

// The pager of a view whose cells do not all fit at once (grid_layout.h), at the cursor: two
// arrow buttons that turn `*page` and "layers 1–2 of 3" (`one` and `many` name the cells:
// "layer", "layers"). Draws nothing when every cell is shown.
void DrawPager(const GridPage& grid, int cells, const char* one, const char* many, int* page);
// The grid of `cells` cells in the rest of the window (LayOutGrid), with its pager on a line of
// its own above it when they do not all fit.
GridPage DrawGridPager(int cells, int max_columns, const ImVec2& min_cell, const char* one, const char* many,
                       int* page);

// The Batch-size noise, Train vs eval and Inside BN views follow the BN layers of the right
// column. When it has none (Plain, LayerNorm, Batch Renorm), says so in the middle of `size`,
// with what to choose, and returns true.
bool DrawNeedsBnColumn(const Snapshot& snapshot, const ImVec2& size);

// Text `scale` times the current font size. A larger font in the atlas is used when there
// is one (crisper on a projector); otherwise the current font is scaled.
ImVec2 ScaledTextSize(float scale, const char* text);
void DrawScaledText(ImDrawList* draw_list, const ImVec2& pos, float scale, ImU32 color, const char* text);
// "layer 3" (hidden layer `layer` + 1) at `text_scale` times the body text, centred in the
// height of a row `width` wide that it takes up: the label before a row of per-layer plots.
void DrawLayerRowLabel(int layer, float width, float height, float text_scale);
// A layout item `width` wide holding `text` centred at `scale` (column headers).
void ScaledTextCentered(const char* text, float width, float scale, ImU32 color);

// The saturation rule of an activation, in words ("|z| > 4, where σ′(z) < 0.018"), and just
// its zone ("|z| > 4") for running text, where ImGui's wrapping may break "0.018" at the dot.
const char* SaturationRule(ActivationKind kind);
const char* SaturationZone(ActivationKind kind);
const char* ActivationSymbol(ActivationKind kind);  // "σ", "tanh", "ReLU"
// What a flat-zone input is called: "saturated", or "inactive" for ReLU (whose zero half is
// normal, not a tail).
const char* SaturatedWord(ActivationKind kind);

// ---- Inside a plot (between plot::BeginPlot and plot::EndPlot) ------------------------
// Line thicknesses and marker radii given to plot:: items are in plot units: plot::SetScale
// already applies the UI scale to them, so they do not go through Px().

// A line of text at the plot area's top-left, `line` rows down, on a dark backing.
void PlotNote(int line, ImU32 color, const char* text);
// A vertical line at data x across the plot area.
void PlotVLine(double x, ImU32 color);
// Text just above the horizontal line at data y (labels a reference line); `align` 0 puts
// it at the left edge of the plot area, 1 at the right edge.
void PlotLabelAboveY(const char* text, double y, ImU32 color, float align = 1.0f);
// A vertical line at data x with `label` beside its lower end (e.g. "batch 60" on a plot over
// batch sizes, whose falling curves leave the bottom free at large m and the top-right to the
// legend); the label goes left of the line where the right side has no room.
void PlotMarkX(double x, ImU32 color, const char* label);
// Log axes cannot show 0, and an exact 0 is news (nothing flows back through a BN layer at
// batch size 1): a marker at the axis floor at data x, with "0" above it. `stack` > 0 puts the
// marker that many marker heights higher, for several zeros at one x.
void PlotZeroMarker(double x, ImU32 color, int stack = 0);
// A History plotted where it lies (plot's getter items), never copied per frame.
void PlotHistoryLine(const char* label, const History& history, ImU32 color, float thickness);
// The band between two histories measured at the same steps: the ys of `lo` and `hi` at the
// steps of `lo`.
void PlotHistoryBand(const char* label, const History& lo, const History& hi, ImU32 color);
// A dot at each point (e.g. where the test set was run).
void PlotHistoryDots(const char* label, const History& history, ImU32 color, float radius);
// A history drawn on a log y axis: its points that are exactly 0 as a thick line along the
// floor (a run of zeros) or a marker (a lone zero), labelled "0" at the newest one.
// Returns whether there was any.
bool PlotZerosAtFloor(const History& history, ImU32 color);
// For plots over steps: a red line where a net diverged and a note saying so.
// One net: the note goes on `line`; false if it has not diverged.
bool PlotNetDivergence(NetId id, const NetView& view, int line);
// Both nets; returns the number of note lines used, so callers can stack more below.
int PlotDivergence(const Snapshot& snapshot, int first_line);

// ---- The step axis: every plot over steps, as UiState::time_axis says --------------------
// Flags for SetupAxes' x: log for TimeAxis::kLog.
plot::AxisFlags StepAxisFlags(const UiState& ui);
// Fixes the x axis for data over [lo, hi]: all of it, the last ui.last_steps steps, or from
// step 1 (log).
void SetupStepLimits(const UiState& ui, double lo, double hi);
// Vertical lines where a live setting changed ("batch 60 → 4") or the nets were rebuilt,
// labelled along the top of the plot area (stacked when they would overlap).
void PlotChangeMarkers(const Snapshot& snapshot);

// ---- Plots one view draws and the dashboard reuses (defined in the view's own file) --

// loss_panel.cpp; `cache` (loss_smoothing.h) holds the smoothed per-batch series.
void DrawLossPlot(const Snapshot& snapshot, const UiState& ui, LossViewCache& cache, const ImVec2& size);
void DrawAccuracyPlot(const Snapshot& snapshot, const UiState& ui, LossViewCache& cache, const ImVec2& size);
// One net, one layer: histogram of z over the activation curve, with the saturated share.
void DrawInputHistogramCell(const Snapshot& snapshot, NetId id, int layer,
                            const ImVec2& size);  // activations_panel.cpp

enum class GradientMeasure { kGradNorm, kUpdateRatio };
// Current per-layer values of both nets as bars, side by side per layer (gradients_panel.cpp).
// `scratch` holds the bars' positions and heights, reused so a frame allocates nothing.
void DrawGradientBars(const Snapshot& snapshot, const UiState& ui, GradientBarsScratch& scratch,
                      GradientMeasure measure, const ImVec2& size);

}  // namespace bnlab
