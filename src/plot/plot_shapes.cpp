// Filled items: histograms, bars, scatter points, heatmaps and images.
#include "plot/plot.h"

#include "plot/plot_internal.h"

#include <algorithm>
#include <cmath>

namespace plot {

using namespace detail;

namespace {

// Pixel y of a bar's base: zero, or the bottom edge on a log axis (no zero there).
float BarBase()
{
    const PlotContext& c = Ctx();
    const AxisTransform& y = YAxis().transform;
    if (y.log)
        return c.area_max.y;
    return (float)std::clamp(y.ToPixel(0.0), (double)c.area_min.y - 1.0, (double)c.area_max.y + 1.0);
}

void DrawBar(float x0, float x1, float top, float base, ImU32 fill, ImU32 outline)
{
    if (OutsideArea(x0, top, x1, base, 1.0f))
        return;
    ImDrawList* dl = Ctx().draw_list;
    const ImVec2 min(std::min(x0, x1), std::min(top, base));
    const ImVec2 max(std::max(x0, x1), std::max(top, base));
    dl->AddRectFilled(min, max, fill);
    dl->AddRect(min, max, outline, 0.0f, 0, Px(kThinLine));
}

// point_of(i) is scatter point i (from two arrays, or from a getter).
template <typename PointOf>
void FitScatter(PointOf point_of, int count)
{
    for (int i = 0; i < count; ++i)
    {
        const PlotPoint p = point_of(i);
        if (std::isfinite(p.x) && std::isfinite(p.y))
        {
            FitValue(XAxis(), p.x);
            FitValue(YAxis(), p.y);
        }
    }
}

template <typename PointOf, typename ColorOf>
void DrawScatter(PointOf point_of, int count, float radius, ColorOf color_of)
{
    const AxisTransform& x_axis = XAxis().transform;
    const AxisTransform& y_axis = YAxis().transform;
    const float r = Px(radius);
    DotBatch dots(Ctx().draw_list, Ctx().dot_stamps, r, count);
    for (int i = 0; i < count; ++i)
    {
        const PlotPoint point = point_of(i);
        if (!x_axis.Accepts(point.x) || !y_axis.Accepts(point.y))
            continue;
        const ImVec2 p = ToScreen(point.x, point.y);
        if (!OutsideArea(p.x, p.y, p.x, p.y, r))
        {
            dots.Add(p, color_of(i));
            Ctx().occupancy.AddPoint(p, 1.0f);
            RecordData(Ctx(), p);
        }
    }
}

// Pixel edges of the heatmap cells along one axis. Cells narrower than a
// pixel are grouped into blocks of `stride` cells (returned) drawn with the
// first cell's value, so a fine grid costs what the plot's pixels cost.
// Block b spans edges[b]..edges[b+1].
int CellEdges(const AxisTransform& axis, double lo, double hi, int cells, std::vector<float>& edges)
{
    edges.clear();
    const double cell_pixels = std::fabs(axis.ToPixel(hi) - axis.ToPixel(lo)) / (double)cells;
    const int stride =
        cell_pixels >= 1.0 || !(cell_pixels > 0.0) ? 1 : (int)std::min(std::ceil(1.0 / cell_pixels), (double)cells);
    const double step = (hi - lo) / (double)cells;
    for (int i = 0; i < cells; i += stride)
        edges.push_back((float)axis.ToPixel(lo + step * (double)i));
    edges.push_back((float)axis.ToPixel(hi));
    return stride;
}

} // namespace

void PlotHistogram(const char* label, const float* counts, int bins, double x_lo, double x_hi, ImU32 color)
{
    if (!InPlot() || !BeginItem(label, color) || !counts || bins <= 0 || !std::isfinite(x_lo) || !std::isfinite(x_hi) ||
        x_lo == x_hi)
        return;
    PlotContext& c = Ctx();
    FitValue(XAxis(), x_lo);
    FitValue(XAxis(), x_hi);
    FitValue(YAxis(), 0.0);
    FitAll(YAxis(), counts, bins);
    if (!c.ready)
        return;
    const AxisTransform& x_axis = XAxis().transform;
    const AxisTransform& y_axis = YAxis().transform;
    const float base = BarBase();
    const ImU32 outline = WithAlpha(color, 1.0f);
    const double bin_width = (x_hi - x_lo) / (double)bins;
    for (int i = 0; i < bins; ++i)
    {
        const double count = (double)counts[i];
        const double left = x_lo + bin_width * (double)i;
        if (count == 0.0 || !y_axis.Accepts(count) || !x_axis.Accepts(left) || !x_axis.Accepts(left + bin_width))
            continue;
        DrawBar((float)x_axis.ToPixel(left), (float)x_axis.ToPixel(left + bin_width), (float)y_axis.ToPixel(count),
                base, color, outline);
    }
}

void PlotBars(const char* label, const double* xs, const float* heights, int count, double bar_width, ImU32 color)
{
    if (!InPlot() || !BeginItem(label, color) || !xs || !heights || count <= 0 || !std::isfinite(bar_width))
        return;
    PlotContext& c = Ctx();
    const double half = 0.5 * std::fabs(bar_width);
    for (int i = 0; i < count; ++i)
    {
        if (!std::isfinite(xs[i]) || !std::isfinite(heights[i]))
            continue;
        FitValue(XAxis(), xs[i] - half);
        FitValue(XAxis(), xs[i] + half);
        FitValue(YAxis(), (double)heights[i]);
    }
    FitValue(YAxis(), 0.0);
    if (!c.ready)
        return;
    const AxisTransform& x_axis = XAxis().transform;
    const AxisTransform& y_axis = YAxis().transform;
    const float base = BarBase();
    const ImU32 outline = WithAlpha(color, 1.0f);
    for (int i = 0; i < count; ++i)
    {
        const double height = (double)heights[i];
        if (!y_axis.Accepts(height) || !x_axis.Accepts(xs[i] - half) || !x_axis.Accepts(xs[i] + half))
            continue;
        DrawBar((float)x_axis.ToPixel(xs[i] - half), (float)x_axis.ToPixel(xs[i] + half), (float)y_axis.ToPixel(height),
                base, color, outline);
    }
}

void PlotScatter(const char* label, const float* xs, const float* ys, int count, ImU32 color, float radius)
{
    if (!InPlot() || !BeginItem(label, color) || !xs || !ys || count <= 0)
        return;
    const auto point_of = [xs, ys](int i) { return PlotPoint{ (double)xs[i], (double)ys[i] }; };
    FitScatter(point_of, count);
    if (Ctx().ready)
        DrawScatter(point_of, count, radius, [color](int) { return color; });
}

void PlotScatterG(const char* label, PlotGetter getter, const void* data, int count, ImU32 color, float radius)
{
    if (!InPlot() || !BeginItem(label, color) || !getter || count <= 0)
        return;
    const auto point_of = [getter, data](int i) { return getter(i, data); };
    FitScatter(point_of, count);
    if (Ctx().ready)
        DrawScatter(point_of, count, radius, [color](int) { return color; });
}

void PlotScatterColored(const float* xs, const float* ys, const ImU32* colors, int count, float radius)
{
    if (!InPlot() || !xs || !ys || !colors || count <= 0)
        return;
    const auto point_of = [xs, ys](int i) { return PlotPoint{ (double)xs[i], (double)ys[i] }; };
    FitScatter(point_of, count);
    if (Ctx().ready)
        DrawScatter(point_of, count, radius, [colors](int i) { return colors[i]; });
}

void PlotHeatmap(const char* label, const float* values, int rows, int cols, double x_lo, double x_hi, double y_lo,
                 double y_hi, double v_lo, double v_hi, Colormap map)
{
    if (!InPlot() || !BeginItem(label, SampleColormap(map, 0.75)) || !values || rows <= 0 || cols <= 0)
        return;
    const double bounds[4] = { x_lo, x_hi, y_lo, y_hi };
    for (double b : bounds)
        if (!std::isfinite(b))
            return;
    PlotContext& c = Ctx();
    FitValue(XAxis(), x_lo);
    FitValue(XAxis(), x_hi);
    FitValue(YAxis(), y_lo);
    FitValue(YAxis(), y_hi);
    if (!c.ready || !XAxis().transform.Accepts(x_lo) || !XAxis().transform.Accepts(x_hi) ||
        !YAxis().transform.Accepts(y_lo) || !YAxis().transform.Accepts(y_hi))
        return;
    const double v_span = v_hi - v_lo;
    const double v_scale = std::isfinite(v_span) && v_span != 0.0 ? 1.0 / v_span : 0.0;
    const int col_stride = CellEdges(XAxis().transform, x_lo, x_hi, cols, c.edges_x);
    const int row_stride = CellEdges(YAxis().transform, y_lo, y_hi, rows, c.edges_y);
    ImDrawList* dl = c.draw_list;
    for (size_t r = 0; r + 1 < c.edges_y.size(); ++r)
    {
        const float y0 = c.edges_y[r], y1 = c.edges_y[r + 1];
        if (OutsideArea(c.area_min.x, y0, c.area_min.x, y1, 0.0f))
            continue;
        const float* row = values + (size_t)r * (size_t)row_stride * (size_t)cols;
        for (size_t k = 0; k + 1 < c.edges_x.size(); ++k)
        {
            const float x0 = c.edges_x[k], x1 = c.edges_x[k + 1];
            const double v = (double)row[k * (size_t)col_stride];
            if (std::isnan(v) || OutsideArea(x0, c.area_min.y, x1, c.area_min.y, 0.0f))
                continue;
            const double t = v_scale != 0.0 ? (v - v_lo) * v_scale : 0.5;
            dl->AddRectFilled(ImVec2(std::min(x0, x1), std::min(y0, y1)), ImVec2(std::max(x0, x1), std::max(y0, y1)),
                              SampleColormap(map, t));
        }
    }
}

void PlotImage(ImTextureID texture, double x_lo, double y_lo, double x_hi, double y_hi)
{
    if (!InPlot())
        return;
    FitValue(XAxis(), x_lo);
    FitValue(XAxis(), x_hi);
    FitValue(YAxis(), y_lo);
    FitValue(YAxis(), y_hi);
    const AxisTransform& x_axis = XAxis().transform;
    const AxisTransform& y_axis = YAxis().transform;
    if (!Ctx().ready || !texture || !x_axis.Accepts(x_lo) || !x_axis.Accepts(x_hi) || !y_axis.Accepts(y_lo) ||
        !y_axis.Accepts(y_hi))
        return;
    // uv (0,1) at the top-left puts the texture's first row (v = 0) at y_lo.
    Ctx().draw_list->AddImage(texture, ToScreen(x_lo, y_hi), ToScreen(x_hi, y_lo), ImVec2(0.0f, 1.0f),
                              ImVec2(1.0f, 0.0f));
}

} // namespace plot
