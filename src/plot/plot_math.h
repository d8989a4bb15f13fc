// The pure maths behind the plots: ticks, labels, histogram binning, fitting
// and the data-to-pixel transform. No ImGui here, so all of it is unit-tested.
#pragma once

#include <cmath>
#include <limits>
#include <vector>

namespace plot {

// ---- Ticks and labels ------------------------------------------------------

// The 1, 2 or 5 x 10^n step that cuts `range` into roughly target_count parts.
// Returns 0 for a zero, negative or non-finite range.
double NiceStep(double range, int target_count);

// Multiples of NiceStep inside [lo, hi] (either order; the output ascends).
// lo == hi gives the single tick lo; non-finite bounds give no ticks.
// Writes into `out` (cleared, capacity kept) and returns the step, 0 if none.
double NiceTicks(double lo, double hi, int target_count, std::vector<double>& out);
std::vector<double> NiceTicks(double lo, double hi, int target_count);

// Ticks for a log axis over [lo, hi], lo > 0: every decade, with 2 and 5
// between them when the range spans only a few decades, every k-th decade
// when it spans more than max_count. A range too narrow to hold three such
// ticks falls back to NiceTicks. Returns nothing when lo or hi is not > 0.
void LogTicks(double lo, double hi, int max_count, std::vector<double>& out);
std::vector<double> LogTicks(double lo, double hi);

// Label for a linear-axis tick: as many decimals as `step` needs ("0.3", not
// "0.30000000000000004"), compact scientific ("2e-5", "1.5e6") when the
// step is huge or the values are tiny. Returns the length written.
int FormatTick(double value, double step, char* buf, int size);
// Label for a log-axis tick: "1e-3", "0.01", "0.1", "1", "10", "1e4".
int FormatLogTick(double value, char* buf, int size);
// Read-out of one value (hover tooltip): integers exactly ("step 1234"),
// anything else with four significant digits.
int FormatValue(double value, char* buf, int size);

// ---- Histogram binning -----------------------------------------------------

// Counts `values` into `bins` equal bins over [lo, hi] (either order; hi
// itself falls into the last bin). `counts` is overwritten. NaN and values
// outside [lo, hi] are dropped; the return value is how many were counted,
// so count - return is the share the caller may want to report as "outside".
int BinValues(const float* values, int count, double lo, double hi, int bins, float* counts);
// Same, but values outside the range land in the edge bins (NaN still dropped).
int BinValuesClamped(const float* values, int count, double lo, double hi, int bins, float* counts);

// ---- Fitting ---------------------------------------------------------------

struct Range
{
    double lo = 0.0;
    double hi = 1.0;
};

// Running bounds of the data submitted to one axis; ignores NaN and +-inf,
// and keeps the smallest positive value for log axes.
struct FitBounds
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    double min_positive = std::numeric_limits<double>::infinity();

    void Extend(double v);
    void Extend(const FitBounds& other);
    bool IsEmpty() const { return !(lo <= hi); }
    bool HasPositive() const { return min_positive < std::numeric_limits<double>::infinity(); }
};

FitBounds DataBounds(const float* values, int count);
FitBounds DataBounds(const double* values, int count);

// Axis range for linear data: padded by pad_fraction of the span on each side,
// but never across zero when the data stay on one side of it. An empty fit
// gives [0, 1]; a single value v gives a small range around v.
Range FitLinear(const FitBounds& bounds, double pad_fraction);
// Axis range for log data from the positive values only, padded by
// pad_fraction of the span in decades. No positive value gives [1, 10].
Range FitLog(const FitBounds& bounds, double pad_fraction);
// Makes any range drawable: ordered, finite, non-empty (and > 0 for log).
Range SanitizeLinear(Range r);
Range SanitizeLog(Range r);

// ---- Data <-> pixel transform ------------------------------------------------

// An affine map from data (or log10 of data) to one pixel coordinate,
// computed once per plot and axis.
struct AxisTransform
{
    Range range;         // visible data range
    double px_lo = 0.0;  // pixel where range.lo lands (the bottom edge for y)
    double px_hi = 1.0;  // pixel where range.hi lands
    double origin = 0.0; // range.lo, or log10(range.lo) on a log axis
    double scale = 1.0;  // pixels per unit (or per decade)
    bool log = false;

    // A value this axis can place: finite, and positive on a log axis.
    bool Accepts(double v) const { return std::isfinite(v) && (!log || v > 0.0); }
    // Not meaningful for values Accepts() rejects (gives NaN or inf). Inline:
    // it runs once per point in the decimation loop.
    double ToPixel(double v) const { return px_lo + ((log ? std::log10(v) : v) - origin) * scale; }
    double FromPixel(double px) const;
};

AxisTransform MakeLinearTransform(Range range, double px_lo, double px_hi);
AxisTransform MakeLogTransform(Range range, double px_lo, double px_hi);

} // namespace plot
