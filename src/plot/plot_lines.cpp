// Items along x: lines, bands, functions and reference marks.
#include "plot/plot.h"

#include "plot/plot_internal.h"
#include "plot/segments.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plot {

using namespace detail;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// xs ascend, so the x extent is the first and last value the axis accepts:
// O(1) for clean data however long the history. x_of(i) is the x of point i.
template <typename XOf>
void FitSortedX(XOf x_of, int count)
{
    AxisState& axis = XAxis();
    if (axis.fixed)
        return;
    for (int i = 0; i < count; ++i)
        if (axis.transform.Accepts(x_of(i)))
        {
            axis.fit.Extend(x_of(i));
            break;
        }
    for (int i = count - 1; i >= 0; --i)
        if (axis.transform.Accepts(x_of(i)))
        {
            axis.fit.Extend(x_of(i));
            break;
        }
}

// The line's drawn points, for the legend's placement.
void MarkOccupied(const std::vector<PixelPoint>& points)
{
    PlotContext& c = Ctx();
    for (const PixelPoint& point : points)
        if (!IsBreak(point))
        {
            c.occupancy.AddPoint(ImVec2(point.x, point.y), 1.0f);
            RecordData(c, ImVec2(point.x, point.y));
        }
}

// Separate segments rather than one AddPolyline: ImGui's joins grow long
// miter spikes where a decimated line turns back on itself within a column.
void DrawPolyline(const std::vector<PixelPoint>& points, ImU32 color, float thickness)
{
    DrawStyledPolyline(points, color, thickness, LineStyle_Solid);
}

} // namespace

namespace detail {

void DrawStyledPolyline(const std::vector<PixelPoint>& points, ImU32 color, float thickness, int style)
{
    ImDrawList* dl = Ctx().draw_list;
    const int count = (int)points.size();
    SegmentBatch segments(dl, color, thickness, count - 1);
    float phase = 0.0f;
    for (int i = 0; i < count; ++i)
    {
        const PixelPoint& p = points[i];
        if (IsBreak(p))
            continue;
        const bool joined_before = i > 0 && !IsBreak(points[i - 1]);
        const bool joined_after = i + 1 < count && !IsBreak(points[i + 1]);
        if (!joined_before && !joined_after)
        {
            // An isolated valid point between gaps would otherwise be invisible.
            if (!OutsideArea(p.x, p.y, p.x, p.y, thickness))
            {
                segments.Flush();
                dl->AddCircleFilled(ImVec2(p.x, p.y), thickness, color, 8);
            }
            continue;
        }
        if (!joined_after)
            continue;
        const PixelPoint& q = points[i + 1];
        if (OutsideArea(p.x, p.y, q.x, q.y, thickness))
            continue;
        if (style == LineStyle_Solid)
        {
            segments.Add(ImVec2(p.x, p.y), ImVec2(q.x, q.y));
            continue;
        }
        // Dashes follow the path's length, so their rhythm is even across the many short
        // segments of a decimated line; `phase` carries over from segment to segment.
        const float on = style == LineStyle_Dashed ? 4.0f * thickness : thickness;
        const float period = on + (style == LineStyle_Dashed ? 2.5f * thickness : 1.6f * thickness);
        const float dx = q.x - p.x, dy = q.y - p.y;
        const float length = std::sqrt(dx * dx + dy * dy);
        float t = 0.0f;
        while (t < length)
        {
            const float in_period = std::fmod(phase + t, period);
            const float step = in_period < on ? std::min(on - in_period, length - t) : std::min(period - in_period, length - t);
            if (in_period < on)
            {
                const float a = t / length, b = (t + step) / length;
                segments.Add(ImVec2(p.x + a * dx, p.y + a * dy), ImVec2(p.x + b * dx, p.y + b * dy));
            }
            t += std::max(step, 0.01f);
        }
        phase = std::fmod(phase + length, period);
    }
}

} // namespace detail

namespace {

// A line item's data, two arrays or a getter (PlotLineG): its points, and the search and
// decimation of plot/decimate.h for it.
template <typename T>
struct ArrayLine
{
    const double* xs;
    const T* ys;
    int count;

    PlotPoint Point(int i) const { return PlotPoint{ xs[i], (double)ys[i] }; }
    int Nearest(double x, const AxisTransform& x_axis) const { return NearestIndex(xs, count, x, x_axis); }
    void Decimate(const AxisTransform& x_axis, const AxisTransform& y_axis, std::vector<PixelPoint>& out,
                  FitBounds* visible_y) const
    {
        DecimateLine(xs, ys, count, x_axis, y_axis, out, visible_y);
    }
};

struct GetterLine
{
    PlotGetter getter;
    const void* data;
    int count;

    PlotPoint Point(int i) const { return getter(i, data); }
    int Nearest(double x, const AxisTransform& x_axis) const { return NearestIndex(getter, data, count, x, x_axis); }
    void Decimate(const AxisTransform& x_axis, const AxisTransform& y_axis, std::vector<PixelPoint>& out,
                  FitBounds* visible_y) const
    {
        DecimateLine(getter, data, count, x_axis, y_axis, out, visible_y);
    }
};

template <typename Line>
void AddHoverEntry(const char* label, ImU32 color, const Line& line)
{
    PlotContext& c = Ctx();
    const char* end = label ? LabelEnd(label) : nullptr;
    if (!end || end == label)
        return;
    const int i = line.Nearest(c.mouse_x, XAxis().transform);
    if (i < 0)
        return;
    const PlotPoint point = line.Point(i);
    HoverEntry entry;
    entry.label = StoreText(label, end);
    entry.color = color;
    entry.x = point.x;
    entry.y = point.y;
    entry.has_marker = XAxis().transform.Accepts(entry.x) && YAxis().transform.Accepts(entry.y);
    entry.marker = entry.has_marker ? ToScreen(entry.x, entry.y) : ImVec2(0.0f, 0.0f);
    c.hover.push_back(entry);
}

// The newest (last) point of a line, where it is in the area: the legend keeps off it, and the
// layout tests check that it does. A few trailing breaks (NaN) are stepped over.
template <typename Line>
void MarkNewest(const Line& line)
{
    PlotContext& c = Ctx();
    for (int i = line.count - 1; i >= 0 && i >= line.count - 8; --i)
    {
        const PlotPoint point = line.Point(i);
        if (!std::isfinite(point.y) || !XAxis().transform.Accepts(point.x) || !YAxis().transform.Accepts(point.y))
            continue;
        const ImVec2 p = ToScreen(point.x, point.y);
        if (OutsideArea(p.x, p.y, p.x, p.y, 0.0f))
            return;
        c.occupancy.AddKeep(p, p);
        RecordNewest(c, p);
        return;
    }
}

// Missing data (a null array or getter) comes with count 0.
template <typename Line>
void PlotLineT(const char* label, const Line& line, ImU32 color, float thickness)
{
    if (!InPlot())
        return;
    PlotContext& c = Ctx();
    const int style = c.next_line_style;
    const bool shown = BeginItem(label, color);
    c.next_line_style = LineStyle_Solid;
    if (!shown || line.count <= 0)
        return;
    FitSortedX([&line](int i) { return line.Point(i).x; }, line.count);
    AxisState& y_axis = YAxis();
    if (!c.ready)
    {
        for (int i = 0; i < line.count; ++i)
            FitValue(y_axis, line.Point(i).y);
        return;
    }
    line.Decimate(XAxis().transform, y_axis.transform, c.points, y_axis.fixed ? nullptr : &y_axis.fit);
    DrawStyledPolyline(c.points, color, thickness * c.scale, style);
    MarkOccupied(c.points);
    MarkNewest(line);
    if (c.hover_active)
        AddHoverEntry(label, color, line);
}

// Plain quads without anti-aliased fringes: fringes of neighbouring quads
// would overlap into visible seams in a translucent band.
void DrawBand(const std::vector<PixelSpan>& spans, ImU32 color)
{
    ImDrawList* dl = Ctx().draw_list;
    const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
    for (size_t i = 1; i < spans.size(); ++i)
    {
        const PixelSpan& a = spans[i - 1];
        const PixelSpan& b = spans[i];
        if (IsBreak(a) || IsBreak(b))
            continue;
        const float top = std::min(std::min(a.y0, a.y1), std::min(b.y0, b.y1));
        const float bottom = std::max(std::max(a.y0, a.y1), std::max(b.y0, b.y1));
        if (OutsideArea(a.x, top, b.x, bottom, 0.0f))
            continue;
        dl->PrimReserve(6, 4);
        dl->PrimQuadUV(ImVec2(a.x, a.y0), ImVec2(b.x, b.y0), ImVec2(b.x, b.y1), ImVec2(a.x, a.y1), uv, uv, uv, uv,
                       color);
        // A band is data too, if less than a line: its edges count half a point each.
        Ctx().occupancy.AddPoint(ImVec2(a.x, a.y0), 0.5f);
        Ctx().occupancy.AddPoint(ImVec2(a.x, a.y1), 0.5f);
    }
}

template <typename Function>
void PlotFunctionT(const char* label, Function f, ImU32 color, float thickness)
{
    if (!InPlot() || !BeginItem(label, color))
        return;
    PlotContext& c = Ctx();
    if (!c.ready)
        return;
    const AxisTransform& x_axis = XAxis().transform;
    AxisState& y_axis = YAxis();
    c.points.clear();
    const int columns = (int)(c.area_max.x - c.area_min.x);
    for (int i = 0; i <= columns; ++i)
    {
        const double px = (double)c.area_min.x + (double)i;
        const double y = f(x_axis.FromPixel(px));
        if (!y_axis.transform.Accepts(y))
        {
            if (!c.points.empty() && !IsBreak(c.points.back()))
                c.points.push_back(PixelPoint{ kNaN, kNaN });
            continue;
        }
        FitValue(y_axis, y);
        c.points.push_back(PixelPoint{ (float)px, (float)std::clamp(y_axis.transform.ToPixel(y), -1e7, 1e7) });
    }
    DrawPolyline(c.points, color, thickness * c.scale);
}

struct PlainFunction
{
    double (*f)(double);
    double operator()(double x) const { return f(x); }
};

struct UserFunction
{
    double (*f)(double, void*);
    void* user_data;
    double operator()(double x) const { return f(x, user_data); }
};

} // namespace

void SetNextLineStyle(LineStyle style)
{
    if (InPlot())
        Ctx().next_line_style = style;
}

void PlotLine(const char* label, const double* xs, const float* ys, int count, ImU32 color, float thickness)
{
    PlotLineT(label, ArrayLine<float>{ xs, ys, xs && ys ? count : 0 }, color, thickness);
}

void PlotLine(const char* label, const double* xs, const double* ys, int count, ImU32 color, float thickness)
{
    PlotLineT(label, ArrayLine<double>{ xs, ys, xs && ys ? count : 0 }, color, thickness);
}

void PlotLineG(const char* label, PlotGetter getter, const void* data, int count, ImU32 color, float thickness)
{
    PlotLineT(label, GetterLine{ getter, data, getter ? count : 0 }, color, thickness);
}

void PlotBand(const char* label, const double* xs, const float* lo, const float* hi, int count, ImU32 color)
{
    if (!InPlot() || !BeginItem(label, color) || !xs || !lo || !hi || count <= 0)
        return;
    PlotContext& c = Ctx();
    FitSortedX([xs](int i) { return xs[i]; }, count);
    AxisState& y_axis = YAxis();
    if (!c.ready)
    {
        FitAll(y_axis, lo, count);
        FitAll(y_axis, hi, count);
        return;
    }
    DecimateBand(xs, lo, hi, count, XAxis().transform, y_axis.transform, c.spans, y_axis.fixed ? nullptr : &y_axis.fit);
    DrawBand(c.spans, color);
}

void PlotBandG(const char* label, PlotGetter lo, const void* lo_data, PlotGetter hi, const void* hi_data, int count,
               ImU32 color)
{
    if (!InPlot() || !BeginItem(label, color) || !lo || !hi || count <= 0)
        return;
    PlotContext& c = Ctx();
    FitSortedX([lo, lo_data](int i) { return lo(i, lo_data).x; }, count);
    AxisState& y_axis = YAxis();
    if (!c.ready)
    {
        for (int i = 0; i < count; ++i)
        {
            FitValue(y_axis, lo(i, lo_data).y);
            FitValue(y_axis, hi(i, hi_data).y);
        }
        return;
    }
    DecimateBand(lo, lo_data, hi, hi_data, count, XAxis().transform, y_axis.transform, c.spans,
                 y_axis.fixed ? nullptr : &y_axis.fit);
    DrawBand(c.spans, color);
}

void PlotHLine(const char* label, double y, ImU32 color, float thickness)
{
    if (!InPlot() || !BeginItem(label, color))
        return;
    FitValue(YAxis(), y);
    const PlotContext& c = Ctx();
    if (!c.ready || !YAxis().transform.Accepts(y))
        return;
    const float py = (float)YAxis().transform.ToPixel(y);
    if (py < c.area_min.y - 1.0f || py > c.area_max.y + 1.0f)
        return;
    c.draw_list->AddLine(ImVec2(c.area_min.x, py), ImVec2(c.area_max.x, py), color, thickness * c.scale);
}

void PlotShadedX(double x_lo, double x_hi, ImU32 color)
{
    if (!InPlot() || !Ctx().ready || std::isnan(x_lo) || std::isnan(x_hi))
        return;
    const PlotContext& c = Ctx();
    const AxisTransform& x_axis = XAxis().transform;
    auto to_pixel = [&](double x) {
        if (!x_axis.Accepts(x))
            return x > 0.0 ? (double)c.area_max.x : (double)c.area_min.x; // +inf, -inf, or <= 0 on a log axis
        return std::clamp(x_axis.ToPixel(x), (double)c.area_min.x, (double)c.area_max.x);
    };
    const float px0 = (float)to_pixel(std::min(x_lo, x_hi));
    const float px1 = (float)to_pixel(std::max(x_lo, x_hi));
    if (px1 > px0)
        c.draw_list->AddRectFilled(ImVec2(px0, c.area_min.y), ImVec2(px1, c.area_max.y), color);
}

void PlotFunction(const char* label, double (*f)(double), ImU32 color, float thickness)
{
    if (f)
        PlotFunctionT(label, PlainFunction{ f }, color, thickness);
}

void PlotFunction(const char* label, double (*f)(double x, void* user_data), void* user_data, ImU32 color,
                  float thickness)
{
    if (f)
        PlotFunctionT(label, UserFunction{ f, user_data }, color, thickness);
}

void PlotText(const char* text, double x, double y, ImU32 color)
{
    if (!InPlot() || !text || !Ctx().ready || !XAxis().transform.Accepts(x) || !YAxis().transform.Accepts(y))
        return;
    const ImVec2 p = ToScreen(x, y);
    const ImVec2 size = ImGui::CalcTextSize(text);
    if (OutsideArea(p.x, p.y, p.x, p.y, std::max(size.x, size.y)))
        return;
    const ImVec2 text_min(p.x - 0.5f * size.x, p.y - 0.5f * size.y);
    Ctx().draw_list->AddText(text_min, color, text);
    Ctx().occupancy.AddKeep(text_min, ImVec2(text_min.x + size.x, text_min.y + size.y));
}

} // namespace plot
