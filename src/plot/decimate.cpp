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

// First index whose x is not below `x` (lower bound); FirstIndexAbove is the upper bound.
// Written out rather than std::lower_bound: NaN breaks the ordering that the
// standard algorithms require, this loop only needs the index arithmetic.
int FirstIndexNotBelow(const double* xs, int count, double x)
{
    int lo = 0;
    int hi = count;
    while (lo < hi)
    {
        const int mid = lo + (hi - lo) / 2;
        if (xs[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int FirstIndexAbove(const double* xs, int count, double x)
{
    int lo = 0;
    int hi = count;
    while (lo < hi)
    {
        const int mid = lo + (hi - lo) / 2;
        if (xs[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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

WalkRange MakeWalkRange(const double* xs, int count, const AxisTransform& x_axis)
{
    WalkRange w;
    VisibleIndexRange(xs, count, x_axis.range.lo, x_axis.range.hi, &w.visible_first, &w.visible_last);
    w.first = std::max(0, w.visible_first - 1);
    w.last = std::min(count, w.visible_last + 1);
    const double width = std::fabs(x_axis.px_hi - x_axis.px_lo);
    w.columns = !(width >= 1.0) ? 1 : (int)std::min(std::ceil(width), 1e6); // NaN-safe
    return w;
}

// Calls scan(begin, end) with the index range of each pixel column of the
// visible points, left to right. Column edges are found by binary search, so
// the per-point work left to `scan` is a tight min/max loop.
template <typename Scan>
void ForEachColumn(const double* xs, const WalkRange& w, const AxisTransform& x_axis, Scan scan)
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
            end = begin + FirstIndexNotBelow(xs + begin, w.visible_last - begin, edge);
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

template <typename T>
void DecimateLineT(const double* xs, const T* ys, int count, const AxisTransform& x_axis, const AxisTransform& y_axis,
                   std::vector<PixelPoint>& out, FitBounds* visible_y)
{
    out.clear();
    if (!xs || !ys || count <= 0)
        return;
    const WalkRange w = MakeWalkRange(xs, count, x_axis);
    PolylineWriter writer{ out };
    auto valid = [&](int i) { return x_axis.Accepts(xs[i]) && y_axis.Accepts((double)ys[i]); };
    auto add = [&](int i) { writer.Add(x_axis.ToPixel(xs[i]), y_axis.ToPixel((double)ys[i])); };

    if (w.visible_last - w.visible_first <= w.columns)
    {
        for (int i = w.first; i < w.last; ++i)
        {
            if (!valid(i))
            {
                writer.Break();
                continue;
            }
            if (visible_y && i >= w.visible_first && i < w.visible_last)
                visible_y->Extend((double)ys[i]);
            add(i);
        }
        return;
    }

    GapTracker gaps;
    if (w.first < w.visible_first && valid(w.first))
    {
        add(w.first);
        gaps.last_valid = w.first;
    }
    ForEachColumn(xs, w, x_axis, [&](int begin, int end) {
        int first_valid = -1, last_valid = -1, i_min = -1, i_max = -1;
        double y_min = 0.0, y_max = 0.0;
        for (int i = begin; i < end; ++i)
        {
            const double y = (double)ys[i];
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
        if (gaps.BreaksBefore(first_valid))
            writer.Break();
        gaps.last_valid = last_valid;
        if (visible_y)
        {
            visible_y->Extend(y_min);
            visible_y->Extend(y_max);
        }
        add(std::min(i_min, i_max));
        if (i_min != i_max)
            add(std::max(i_min, i_max));
    });
    if (w.last > w.visible_last && valid(w.visible_last))
    {
        if (gaps.BreaksBefore(w.visible_last))
            writer.Break();
        add(w.visible_last);
    }
}

} // namespace

void VisibleIndexRange(const double* xs, int count, double x_lo, double x_hi, int* first, int* last)
{
    *first = 0;
    *last = 0;
    if (!xs || count <= 0)
        return;
    if (x_lo > x_hi)
        std::swap(x_lo, x_hi);
    *first = FirstIndexNotBelow(xs, count, x_lo);
    *last = std::max(*first, FirstIndexAbove(xs, count, x_hi));
}

int NearestIndex(const double* xs, int count, double x)
{
    if (!xs || count <= 0)
        return -1;
    const int above = FirstIndexNotBelow(xs, count, x);
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
    const int above = FirstIndexNotBelow(xs, count, x);
    if (above <= 0)
        return 0;
    if (above >= count)
        return count - 1;
    if (!x_axis.Accepts(xs[above - 1]))
        return above;
    const double px = x_axis.ToPixel(x);
    const double right = std::fabs(x_axis.ToPixel(xs[above]) - px);
    const double left = std::fabs(px - x_axis.ToPixel(xs[above - 1]));
    return right < left ? above : above - 1;
}

void DecimateLine(const double* xs, const float* ys, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y)
{
    DecimateLineT(xs, ys, count, x_axis, y_axis, out, visible_y);
}

void DecimateLine(const double* xs, const double* ys, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y)
{
    DecimateLineT(xs, ys, count, x_axis, y_axis, out, visible_y);
}

void DecimateBand(const double* xs, const float* lo, const float* hi, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelSpan>& out, FitBounds* visible_y)
{
    out.clear();
    if (!xs || !lo || !hi || count <= 0)
        return;
    const WalkRange w = MakeWalkRange(xs, count, x_axis);
    SpanWriter writer{ out };
    auto valid = [&](int i) {
        return x_axis.Accepts(xs[i]) && y_axis.Accepts((double)lo[i]) && y_axis.Accepts((double)hi[i]);
    };
    auto add = [&](int i) {
        writer.Add(x_axis.ToPixel(xs[i]), y_axis.ToPixel((double)lo[i]), y_axis.ToPixel((double)hi[i]));
    };

    if (w.visible_last - w.visible_first <= w.columns)
    {
        for (int i = w.first; i < w.last; ++i)
        {
            if (!valid(i))
            {
                writer.Break();
                continue;
            }
            if (visible_y && i >= w.visible_first && i < w.visible_last)
            {
                visible_y->Extend((double)lo[i]);
                visible_y->Extend((double)hi[i]);
            }
            add(i);
        }
        return;
    }

    // One span per column: the envelope of all its points, at its first point's x.
    GapTracker gaps;
    if (w.first < w.visible_first && valid(w.first))
    {
        add(w.first);
        gaps.last_valid = w.first;
    }
    ForEachColumn(xs, w, x_axis, [&](int begin, int end) {
        int first_valid = -1, last_valid = -1;
        double y_min = 0.0, y_max = 0.0;
        for (int i = begin; i < end; ++i)
        {
            const double a = (double)lo[i];
            const double b = (double)hi[i];
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
        if (gaps.BreaksBefore(first_valid))
            writer.Break();
        gaps.last_valid = last_valid;
        if (visible_y)
        {
            visible_y->Extend(y_min);
            visible_y->Extend(y_max);
        }
        writer.Add(x_axis.ToPixel(xs[first_valid]), y_axis.ToPixel(y_min), y_axis.ToPixel(y_max));
    });
    if (w.last > w.visible_last && valid(w.visible_last))
    {
        if (gaps.BreaksBefore(w.visible_last))
            writer.Break();
        add(w.visible_last);
    }
}

} // namespace plot
