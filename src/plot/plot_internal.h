// State shared by the plot module's files (plot.cpp, plot_axes.cpp, plot_legend.cpp,
// plot_title.cpp, plot_record.cpp and the items' plot_lines.cpp, plot_shapes.cpp). Not part of
// the public API.
#pragma once

#include "plot/decimate.h"
#include "plot/dots.h"
#include "plot/plot.h"
#include "plot/plot_record.h"

#include <algorithm>
#include <vector>

namespace plot {
namespace detail {

struct AxisState
{
    AxisFlags flags = 0;
    int label = -1; // offset into PlotContext::text, -1: none
    bool fixed = false;
    Range fixed_range;
    Range range;            // the range drawn this frame
    bool has_range = false; // fixed, or fitted on an earlier frame
    FitBounds fit;          // what this frame's items submitted, for the next frame
    AxisTransform transform;
    std::vector<double> ticks;
    std::vector<int> tick_labels; // offsets into PlotContext::text
};

struct LegendEntry
{
    ImGuiID id;
    ImU32 color;
    int label;
    bool hidden;
    int line_style; // LineStyle of the item; solid entries show a filled swatch
};

// One line series' value under the mouse, for the read-out tooltip.
struct HoverEntry
{
    int label;
    ImU32 color;
    double x;
    double y;
    ImVec2 marker;
    bool has_marker;
};

// What a plot keeps from one frame to the next: the fitted ranges.
struct PlotMemory
{
    ImGuiID id = 0;
    Range ranges[2];
    bool has_range[2] = { false, false };
    int legend_corner = 0;     // LegendCorner: where the legend stood last frame
    float legend_strip = 0.0f; // > 0: the legend stands above the area, in a strip this tall
};

// The legend's corners of the area, in the order tried when the cost is the same.
enum LegendCorner
{
    LegendCorner_TopRight,
    LegendCorner_TopLeft,
    LegendCorner_BottomRight,
    LegendCorner_BottomLeft
};

// What a legend could cover, on a coarse grid over the plot area: drawn data (weight 1 a
// point) and what it must never cover: the newest point of every line and the text written
// over the plot (counted apart: a legend covers none of those where a corner free of them
// exists, and else goes above the area).
constexpr int kOccupancyCells = 16;
struct Cover
{
    float data = 0.0f;
    int keep = 0;
};
struct Occupancy
{
    ImVec2 min, max; // the area the grid covers
    float data[kOccupancyCells * kOccupancyCells] = {};
    int keep[kOccupancyCells * kOccupancyCells] = {};
    float total_data = 0.0f;

    void Reset(const ImVec2& area_min, const ImVec2& area_max);
    void AddPoint(const ImVec2& p, float w);
    void AddKeep(const ImVec2& rect_min, const ImVec2& rect_max);
    // What the cells `rect` overlaps hold.
    Cover Sum(const ImVec2& rect_min, const ImVec2& rect_max) const;

private:
    bool CellRange(const ImVec2& rect_min, const ImVec2& rect_max, int* x0, int* y0, int* x1, int* y1) const;
};

// The plot being recorded for the layout tests (plot_record.h).
struct RecordState
{
    bool on = false;
    int frame = -1; // ImGui's frame count of `records`
    std::vector<PlotRecord> records;
    int vtx_begin = 0; // the draw list's vertices when the plot began
    int legend_vtx_begin = 0, legend_vtx_end = 0;
};

} // namespace detail

struct PlotContext
{
    bool in_plot = false;
    bool setup_done = false;
    bool ready = false;        // both ranges known and the area non-empty: items may draw
    bool hover_active = false; // the mouse is over the area and read-outs are wanted
    bool clip_pushed = false;
    ImGuiID id = 0;
    PlotFlags flags = 0;
    ImDrawList* draw_list = nullptr;
    ImVec2 frame_min, frame_max; // the whole widget
    ImVec2 area_min, area_max;   // the data area inside the axes
    bool frame_hovered = false;
    double mouse_x = 0.0, mouse_y = 0.0; // mouse in data coordinates
    int title = -1;
    detail::AxisState axes[2];

    // Per-frame storage, cleared in BeginPlot; capacity is kept, so steady
    // state allocates nothing.
    std::vector<char> text;
    std::vector<detail::LegendEntry> legend;
    int next_line_style = 0; // SetNextLineStyle, consumed by the next line item
    std::vector<detail::HoverEntry> hover;
    std::vector<char> title_tooltip;
    TitleTooltipBuilder title_tooltip_builder = nullptr; // builds title_tooltip on hover
    void* title_tooltip_data = nullptr;
    std::vector<PixelPoint> points;
    std::vector<PixelSpan> spans;
    std::vector<float> edges_x, edges_y;
    DotStamps dot_stamps;            // scatter dots, one recorded circle per radius
    detail::Occupancy occupancy;     // where the legend should not go
    ImVec2 legend_min, legend_max;   // the legend's box in the last plot drawn (tests)
    float legend_strip_top = 0.0f;   // where the strip of a legend above the area begins
    bool legend_above = false;       // this frame the legend stands in that strip
    int title_lines[2] = { -1, -1 }; // the title as shown: one or two lines (offsets into text)
    bool title_cut = false;          // shortened with "…": the full title shows on hover
    detail::RecordState record;

    std::vector<detail::PlotMemory> memory; // one per plot id ever shown
    float scale = 1.0f;
};

namespace detail {

// The current context; asserts that there is one (CreateContext was called).
PlotContext& Ctx();

// Pixel sizes at scale 1; every use goes through Px(), so SetScale() grows
// the whole plot for a projector.
constexpr float kFramePadding = 6.0f; // frame edge to title, labels and area
constexpr float kLabelGap = 4.0f;     // between tick labels, axis labels and the area
constexpr float kTickLength = 4.0f;
constexpr float kLegendInset = 6.0f; // legend box to the area's corner
constexpr float kLegendPadding = 5.0f;
constexpr float kMarkerRadius = 4.0f; // hover marker on a line
constexpr float kThinLine = 1.0f;     // grid, frame, outlines

inline float Px(float pixels) { return pixels * Ctx().scale; }

// Where the visible part of an ImGui label ends ("Loss##id" -> before "##").
const char* LabelEnd(const char* label);
int StoreText(const char* begin, const char* end);
const char* TextAt(int offset);

PlotMemory& MemoryFor(ImGuiID id);
Range DefaultRange(const AxisState& axis);
bool MouseIn(const ImVec2& min, const ImVec2& max);

// Lays out the frame, fixes the transforms and draws the background, grid and
// tick labels; runs once, on the first item, query or EndPlot.
void EnsureSetup();
// Registers the item's legend entry; false when the user has hidden it.
bool BeginItem(const char* label, ImU32 legend_color);
// Line segments between consecutive points (breaks skipped), solid, dashed or dotted (LineStyle).
void DrawStyledPolyline(const std::vector<PixelPoint>& points, ImU32 color, float thickness, int style);

// The legend (plot_legend.cpp), in EndPlot: where it covers the least, or in a strip above the
// area; returns whether the mouse is over it (then no read-out is shown).
bool DrawLegend(PlotContext& c);
// The title's lines (EnsureSetup): one where it fits, else two broken at a space, else cut
// with "…"; `max_lines` 1 where the plot is too short for two. Returns the lines' count.
int LayOutTitle(PlotContext& c, float room, int max_lines);
// Draws the lines LayOutTitle chose, centred on top (EndPlot); with a tooltip, a dimmed "(?)"
// tells students there is more. Returns whether the mouse is over the title.
bool DrawTitle(PlotContext& c);

// Recording for the layout tests (plot_record.cpp); each does nothing while it is off.
void RecordBegin(PlotContext& c);
void RecordNewest(PlotContext& c, const ImVec2& p);
void RecordData(PlotContext& c, const ImVec2& p);
void RecordFont(PlotContext& c, float size);
void RecordEnd(PlotContext& c);

// ---- Helpers for the items ----

inline AxisState& XAxis() { return Ctx().axes[Axis_X]; }
inline AxisState& YAxis() { return Ctx().axes[Axis_Y]; }

// Every item starts here: nothing is drawn outside BeginPlot/EndPlot.
inline bool InPlot()
{
    if (!Ctx().in_plot)
        return false;
    EnsureSetup();
    return true;
}

template <typename T>
inline void FitAll(AxisState& axis, const T* values, int count)
{
    if (axis.fixed || !values)
        return;
    for (int i = 0; i < count; ++i)
        axis.fit.Extend((double)values[i]);
}

inline void FitValue(AxisState& axis, double v)
{
    if (!axis.fixed)
        axis.fit.Extend(v);
}

// Culling: whether the box spanned by two pixels misses the plot area grown by `margin`.
inline bool OutsideArea(float x0, float y0, float x1, float y1, float margin)
{
    const PlotContext& c = Ctx();
    return std::max(x0, x1) < c.area_min.x - margin || std::min(x0, x1) > c.area_max.x + margin ||
           std::max(y0, y1) < c.area_min.y - margin || std::min(y0, y1) > c.area_max.y + margin;
}

inline ImVec2 ToScreen(double x, double y)
{
    const PlotContext& c = Ctx();
    return ImVec2((float)c.axes[Axis_X].transform.ToPixel(x), (float)c.axes[Axis_Y].transform.ToPixel(y));
}

} // namespace detail
} // namespace plot
