#include "plot/decimate.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plot {

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// Far-off neighbours (data at 1e300) must not overflow float; at 1e7 px the
// direction of a segment into the plot is still exact to a fraction of a pixel.
float ToScreen(double px) { return (float)std::clamp(px, -1e7, 1e7); }

// Where an item's data lies: arrays, or getters (PlotLineG). Each gives the x of point i,
// and the point itself: (x, y) for a line, (x, lo, hi) for a band. Inlined, the arrays cost
// what indexing them directly did.
struct ArrayX
{
    const double* xs;
    double X(int i) const { return xs[i]; }
};

template <typename T>
struct ArrayLine
{
    const double* xs;
    const T* ys;
    double X(int i) const { return xs[i]; }
    PlotPoint operator()(int i) const { return PlotPoint{ xs[i], (double)ys[i] }; }
};

struct GetterLine
{
    PlotGetter getter;
    const void* data;
    double X(int i) const { return getter(i, data).x; }
    PlotPoint operator()(int i) const { return getter(i, data); }
};

struct BandPoint
{
    double x;
    double lo;
    double hi;
};

struct ArrayBand
{
    const double* xs;
    const float* lo;
    const float* hi;
    double X(int i) const { return xs[i]; }
    BandPoint operator()(int i) const { return BandPoint{ xs[i], (double)lo[i], (double)hi[i] }; }
};

// The band's x is the lower getter's.
struct GetterBand
{
    PlotGetter lo;
    const void* lo_data;
    PlotGetter hi;
    const void* hi_data;
    double X(int i) const { return lo(i, lo_data).x; }
    BandPoint operator()(int i) const
    {
        const PlotPoint low = lo(i, lo_data);
        return BandPoint{ low.x, low.y, hi(i, hi_data).y };
    }
};

// First index in [begin, end) whose x is not below `x` (lower bound); FirstIndexAbove is the
// upper bound. Written out rather than std::lower_bound: NaN breaks the ordering that the
// standard algorithms require, this loop only needs the index arithmetic.
template <typename Points>
int FirstIndexNotBelow(const Points& points, int begin, int end, double x)
{
    int lo = begin;
    int hi = end;
    while (lo < hi)
    {
        const int mid = lo + (hi - lo) / 2;
        if (points.X(mid) < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// The same lower bound, searched outwards from `begin` (galloping): O(log(distance)) xs read,
// not O(log(end - begin)). A column's edge is usually a few points past the previous one,
// and the xs may come from a getter, a call each.
template <typename Points>
int FirstIndexNotBelowFrom(const Points& points, int begin, int end, double x)
{
    int lo = begin; // every x before lo is below x
    for (int step = 1; lo < end; step *= 2)
    {
        const int probe = std::min(lo + step - 1, end - 1);
        if (!(points.X(probe) < x))
            return FirstIndexNotBelow(points, lo, probe, x);
        lo = probe + 1;
    }
    return end;
}

template <typename Points>
int FirstIndexAbove(const Points& points, int count, double x)
{
    int lo = 0;
    int hi = count;
    while (lo < hi)
    {
        const int mid = lo + (hi - lo) / 2;
        if (points.X(mid) <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

template <typename Points>
void VisibleIndexRangeT(const Points& points, int count, double x_lo, double x_hi, int* first, int* last)
{
    if (x_lo > x_hi)
        std::swap(x_lo, x_hi);
    *first = FirstIndexNotBelow(points, 0, count, x_lo);
    *last = std::max(*first, FirstIndexAbove(points, count, x_hi));
}

template <typename Points>
int NearestIndexT(const Points& points, int count, double x, const AxisTransform& x_axis)
{
    const int above = FirstIndexNotBelow(points, 0, count, x);
    if (above <= 0)
        return 0;
    if (above >= count)
        return count - 1;
    const double x_below = points.X(above - 1);
    if (!x_axis.Accepts(x_below))
        return above;
    const double px = x_axis.ToPixel(x);
    const double right = std::fabs(x_axis.ToPixel(points.X(above)) - px);
    const double left = std::fabs(px - x_axis.ToPixel(x_below));
    return right < left ? above : above - 1;
}

struct PolylineWriter
{
    std::vector<PixelPoint>& out;

    void Add(double px, double py) { out.push_back(PixelPoint{ ToScreen(px), ToScreen(py) }); }
    void Break()
    {
        if (!out.empty() && !IsBreak(out.back()))
            out.push_back(PixelPoint{ kNaN, kNaN });
    }
};

struct SpanWriter
{
    std::vector<PixelSpan>& out;

    void Add(double px, double py0, double py1)
    {
        out.push_back(PixelSpan{ ToScreen(px), ToScreen(py0), ToScreen(py1) });
    }
    void Break()
    {
        if (!out.empty() && !IsBreak(out.back()))
            out.push_back(PixelSpan{ kNaN, kNaN, kNaN });
    }
};

// The span of points to walk: the visible ones and one neighbour on each side.
struct WalkRange
{
    int first;
    int last;
    int visible_first;
    int visible_last;
    int columns;
};

template <typename Points>
WalkRange MakeWalkRange(const Points& points, int count, const AxisTransform& x_axis)
{
    WalkRange w;
    VisibleIndexRangeT(points, count, x_axis.range.lo, x_axis.range.hi, &w.visible_first, &w.visible_last);
    w.first = std::max(0, w.visible_first - 1);
    w.last = std::min(count, w.visible_last + 1);
    const double width = std::fabs(x_axis.px_hi - x_axis.px_lo);
    w.columns = !(width >= 1.0) ? 1 : (int)std::min(std::ceil(width), 1e6); // NaN-safe
    return w;
}

// Calls scan(begin, end) with the index range of each pixel column of the
// visible points, left to right. Column edges are searched for, not scanned,
// so the per-point work left to `scan` is a tight min/max loop.
template <typename Points, typename Scan>
void ForEachColumn(const Points& points, const WalkRange& w, const AxisTransform& x_axis, Scan scan)
{
    // Walk pixels from the side where range.lo lands, so edges ascend in data
    // units even on a mirrored axis.
    const double direction = x_axis.px_hi >= x_axis.px_lo ? 1.0 : -1.0;
    int begin = w.visible_first;
    for (int column = 0; column < w.columns && begin < w.visible_last; ++column)
    {
        int end = w.visible_last;
        if (column + 1 < w.columns)
        {
            const double edge = x_axis.FromPixel(x_axis.px_lo + direction * (double)(column + 1));
            end = FirstIndexNotBelowFrom(points, begin, w.visible_last, edge);
        }
        if (end > begin)
            scan(begin, end);
        begin = end;
    }
}

// Gaps narrower than a pixel column are not drawn: a break is written only
// when invalid points separate the previous column's last valid point from
// this column's first. So breaks, too, are bounded by the number of columns,
// however often the data dips below zero on a log axis.
struct GapTracker
{
    int last_valid = -1;

    bool BreaksBefore(int first_valid) const { return last_valid >= 0 && first_valid != last_valid + 1; }
};

// The walk both decimators share. Few points on screen: every one, with a break at each
// invalid point. Many: the point just left of the view, one `column(begin, end, gaps)` call
// per pixel column (it writes the column's summary), and the point just right of the view.
// `extend(p)` is called for each visible point drawn whole, to fit the y axis to the view.
template <typename Points, typename Writer, typename Valid, typename Add, typename Extend, typename Column>
void WalkDecimated(const Points& points, int count, const AxisTransform& x_axis, Writer& writer, Valid valid, Add add,
                   Extend extend, Column column)
{
    const WalkRange w = MakeWalkRange(points, count, x_axis);
    if (w.visible_last - w.visible_first <= w.columns)
    {
        for (int i = w.first; i < w.last; ++i)
        {
            const auto p = points(i);
            if (!valid(p))
            {
                writer.Break();
                continue;
            }
            if (i >= w.visible_first && i < w.visible_last)
                extend(p);
            add(p);
        }
        return;
    }

    GapTracker gaps;
    if (w.first < w.visible_first && valid(points(w.first)))
    {
        add(points(w.first));
        gaps.last_valid = w.first;
    }
    ForEachColumn(points, w, x_axis, [&](int begin, int end) { column(begin, end, gaps); });
    if (w.last > w.visible_last && valid(points(w.visible_last)))
    {
        if (gaps.BreaksBefore(w.visible_last))
            writer.Break();
        add(points(w.visible_last));
    }
}

// A column's valid points span [y_min, y_max]: a break first where a gap ends, then the
// visible range widened.
template <typename Writer>
void StartColumn(Writer& writer, GapTracker& gaps, int first_valid, int last_valid, double y_min, double y_max,
                 FitBounds* visible_y)
{
    if (gaps.BreaksBefore(first_valid))
        writer.Break();
    gaps.last_valid = last_valid;
    if (visible_y)
    {
        visible_y->Extend(y_min);
        visible_y->Extend(y_max);
    }
}

template <typename Points>
void DecimateLineT(const Points& points, int count, const AxisTransform& x_axis, const AxisTransform& y_axis,
                   std::vector<PixelPoint>& out, FitBounds* visible_y)
{
    out.clear();
    if (count <= 0)
        return;
    PolylineWriter writer{ out };
    auto valid = [&](const PlotPoint& p) { return x_axis.Accepts(p.x) && y_axis.Accepts(p.y); };
    auto add = [&](const PlotPoint& p) { writer.Add(x_axis.ToPixel(p.x), y_axis.ToPixel(p.y)); };
    auto extend = [&](const PlotPoint& p) {
        if (visible_y)
            visible_y->Extend(p.y);
    };
    // Per column: its lowest and highest point, in the order they come.
    WalkDecimated(points, count, x_axis, writer, valid, add, extend, [&](int begin, int end, GapTracker& gaps) {
        int first_valid = -1, last_valid = -1, i_min = -1, i_max = -1;
        double y_min = 0.0, y_max = 0.0;
        for (int i = begin; i < end; ++i)
        {
            const double y = points(i).y;
            if (!y_axis.Accepts(y))
                continue;
            last_valid = i;
            if (first_valid < 0)
            {
                first_valid = i_min = i_max = i;
                y_min = y_max = y;
            }
            else if (y < y_min)
            {
                y_min = y;
                i_min = i;
            }
            else if (y > y_max)
            {
                y_max = y;
                i_max = i;
            }
        }
        if (first_valid < 0)
            return;
        StartColumn(writer, gaps, first_valid, last_valid, y_min, y_max, visible_y);
        add(points(std::min(i_min, i_max)));
        if (i_min != i_max)
            add(points(std::max(i_min, i_max)));
    });
}

template <typename Band>
void DecimateBandT(const Band& band, int count, const AxisTransform& x_axis, const AxisTransform& y_axis,
                   std::vector<PixelSpan>& out, FitBounds* visible_y)
{
    out.clear();
    if (count <= 0)
        return;
    SpanWriter writer{ out };
    auto valid = [&](const BandPoint& p) {
        return x_axis.Accepts(p.x) && y_axis.Accepts(p.lo) && y_axis.Accepts(p.hi);
    };
    auto add = [&](const BandPoint& p) { writer.Add(x_axis.ToPixel(p.x), y_axis.ToPixel(p.lo), y_axis.ToPixel(p.hi)); };
    auto extend = [&](const BandPoint& p) {
        if (visible_y)
        {
            visible_y->Extend(p.lo);
            visible_y->Extend(p.hi);
        }
    };
    // One span per column: the envelope of all its points, at its first point's x.
    WalkDecimated(band, count, x_axis, writer, valid, add, extend, [&](int begin, int end, GapTracker& gaps) {
        int first_valid = -1, last_valid = -1;
        double y_min = 0.0, y_max = 0.0;
        for (int i = begin; i < end; ++i)
        {
            const BandPoint p = band(i);
            const double a = p.lo;
            const double b = p.hi;
            if (!y_axis.Accepts(a) || !y_axis.Accepts(b))
                continue;
            last_valid = i;
            if (first_valid < 0)
            {
                first_valid = i;
                y_min = std::min(a, b);
                y_max = std::max(a, b);
                continue;
            }
            y_min = std::min(y_min, std::min(a, b));
            y_max = std::max(y_max, std::max(a, b));
        }
        if (first_valid < 0)
            return;
        StartColumn(writer, gaps, first_valid, last_valid, y_min, y_max, visible_y);
        writer.Add(x_axis.ToPixel(band.X(first_valid)), y_axis.ToPixel(y_min), y_axis.ToPixel(y_max));
    });
}

} // namespace

void VisibleIndexRange(const double* xs, int count, double x_lo, double x_hi, int* first, int* last)
{
    *first = 0;
    *last = 0;
    if (!xs || count <= 0)
        return;
    VisibleIndexRangeT(ArrayX{ xs }, count, x_lo, x_hi, first, last);
}

int NearestIndex(const double* xs, int count, double x)
{
    if (!xs || count <= 0)
        return -1;
    const int above = FirstIndexNotBelow(ArrayX{ xs }, 0, count, x);
    if (above <= 0)
        return 0;
    if (above >= count)
        return count - 1;
    return std::fabs(xs[above] - x) < std::fabs(x - xs[above - 1]) ? above : above - 1;
}

int NearestIndex(const double* xs, int count, double x, const AxisTransform& x_axis)
{
    if (!xs || count <= 0)
        return -1;
    return NearestIndexT(ArrayX{ xs }, count, x, x_axis);
}

int NearestIndex(PlotGetter getter, const void* data, int count, double x, const AxisTransform& x_axis)
{
    if (!getter || count <= 0)
        return -1;
    return NearestIndexT(GetterLine{ getter, data }, count, x, x_axis);
}

void DecimateLine(const double* xs, const float* ys, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y)
{
    if (!xs || !ys)
        count = 0;
    DecimateLineT(ArrayLine<float>{ xs, ys }, count, x_axis, y_axis, out, visible_y);
}

void DecimateLine(const double* xs, const double* ys, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y)
{
    if (!xs || !ys)
        count = 0;
    DecimateLineT(ArrayLine<double>{ xs, ys }, count, x_axis, y_axis, out, visible_y);
}

void DecimateLine(PlotGetter getter, const void* data, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y)
{
    if (!getter)
        count = 0;
    DecimateLineT(GetterLine{ getter, data }, count, x_axis, y_axis, out, visible_y);
}

void DecimateBand(const double* xs, const float* lo, const float* hi, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelSpan>& out, FitBounds* visible_y)
{
    if (!xs || !lo || !hi)
        count = 0;
    DecimateBandT(ArrayBand{ xs, lo, hi }, count, x_axis, y_axis, out, visible_y);
}

void DecimateBand(PlotGetter lo, const void* lo_data, PlotGetter hi, const void* hi_data, int count,
                  const AxisTransform& x_axis, const AxisTransform& y_axis, std::vector<PixelSpan>& out,
                  FitBounds* visible_y)
{
    if (!lo || !hi)
        count = 0;
    DecimateBandT(GetterBand{ lo, lo_data, hi, hi_data }, count, x_axis, y_axis, out, visible_y);
}

} // namespace plot
