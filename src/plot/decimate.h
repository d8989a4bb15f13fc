// Turning long series into screen-space polylines whose size depends on the
// plot's width, not on the history length. Pure functions, unit-tested.
#pragma once

#include "plot/plot_math.h"

#include <vector>

namespace plot {

// One vertex of a screen-space polyline. A NaN x marks a break (a gap in
// the line where the data had NaN/inf, or <= 0 on a log axis).
struct PixelPoint
{
    float x;
    float y;
};

// One column of a shaded band: it covers the pixels between y0 and y1 at x.
// A NaN x marks a break.
struct PixelSpan
{
    float x;
    float y0;
    float y1;
};

inline bool IsBreak(const PixelPoint& p) { return p.x != p.x; }
inline bool IsBreak(const PixelSpan& s) { return s.x != s.x; }

// Data that does not lie in two arrays (e.g. a series whose newest point is held apart from the
// others) is read through a getter, as ImPlot's PlotLineG reads it: getter(index, data) is
// point `index` of `data`.
struct PlotPoint
{
    double x;
    double y;
};
typedef PlotPoint (*PlotGetter)(int index, const void* data);

// [*first, *last): the points of ascending xs inside [x_lo, x_hi]. Two binary
// searches; NaN in xs cannot make it loop or read out of bounds.
void VisibleIndexRange(const double* xs, int count, double x_lo, double x_hi, int* first, int* last);

// Index of the point of ascending xs nearest to x (binary search), or -1 when
// count <= 0. With an axis, "nearest" is measured in pixels (log axes).
int NearestIndex(const double* xs, int count, double x);
int NearestIndex(const double* xs, int count, double x, const AxisTransform& x_axis);
int NearestIndex(PlotGetter getter, const void* data, int count, double x, const AxisTransform& x_axis);

// Screen polyline of the points visible on x_axis, plus one neighbour on each
// side so the line runs to the plot's edge. When more points are visible than
// the axis has pixel columns, each column contributes only its minimum and its
// maximum, in the order they occur: at most two vertices per column (plus
// breaks), so spikes survive and a million points cost what a thousand do.
// Otherwise every point is kept. `out` is cleared but keeps its capacity, so
// a reused buffer allocates nothing once warmed up. If visible_y is given, it
// is extended by the y of every visible valid point (auto-fit of y to what
// is shown).
void DecimateLine(const double* xs, const float* ys, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y = nullptr);
void DecimateLine(const double* xs, const double* ys, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y = nullptr);
void DecimateLine(PlotGetter getter, const void* data, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelPoint>& out, FitBounds* visible_y = nullptr);

// The same for a band between lo[i] and hi[i]: one span per point, or per
// pixel column (the envelope of all the column's points) when decimating.
void DecimateBand(const double* xs, const float* lo, const float* hi, int count, const AxisTransform& x_axis,
                  const AxisTransform& y_axis, std::vector<PixelSpan>& out, FitBounds* visible_y = nullptr);
// Between the ys of two getters, at the xs of the first.
void DecimateBand(PlotGetter lo, const void* lo_data, PlotGetter hi, const void* hi_data, int count,
                  const AxisTransform& x_axis, const AxisTransform& y_axis, std::vector<PixelSpan>& out,
                  FitBounds* visible_y = nullptr);

} // namespace plot
