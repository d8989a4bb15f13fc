#include "plot/plot_math.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace plot {

namespace {

// Labels are for humans; a silently truncated one is still better than none.
int WrittenLength(int n, int size)
{
    if (n < 0)
        return 0;
    return n < size ? n : size - 1;
}

int FormatNonFinite(double value, char* buf, int size)
{
    const char* text = std::isnan(value) ? "nan" : (value > 0.0 ? "inf" : "-inf");
    return WrittenLength(std::snprintf(buf, (size_t)size, "%s", text), size);
}

// "%e" does the rounding (9.99e-5 at two digits becomes 1.0e-04); we only make
// it compact: no trailing zeros, no '+', no leading zeros in the exponent.
int FormatCompactScientific(double value, int significant_digits, char* buf, int size)
{
    significant_digits = std::clamp(significant_digits, 1, 15);
    char tmp[64];
    std::snprintf(tmp, sizeof(tmp), "%.*e", significant_digits - 1, value);
    char* e = std::strchr(tmp, 'e');
    if (!e)
        return WrittenLength(std::snprintf(buf, (size_t)size, "%s", tmp), size);
    const int exponent = std::atoi(e + 1);
    *e = '\0';
    if (std::strchr(tmp, '.'))
    {
        char* end = e - 1;
        while (end > tmp && *end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
    return WrittenLength(std::snprintf(buf, (size_t)size, "%se%d", tmp, exponent), size);
}

// Fewest decimals that print `step` exactly; 0.1 -> 1, 0.25 -> 2, 5 -> 0.
int DecimalsFor(double step)
{
    double scaled = step;
    for (int decimals = 0; decimals < 15; ++decimals, scaled *= 10.0)
        if (std::fabs(scaled - std::round(scaled)) <= 1e-6 * scaled)
            return decimals;
    return 15;
}

int FloorLog10(double v) { return (int)std::floor(std::log10(std::fabs(v))); }

} // namespace

// ---- Ticks and labels ------------------------------------------------------

double NiceStep(double range, int target_count)
{
    if (!(range > 0.0) || !std::isfinite(range))
        return 0.0;
    target_count = std::clamp(target_count, 1, 1000);
    const double raw = range / (double)target_count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    if (!(magnitude > 0.0) || !std::isfinite(magnitude))
        return 0.0;
    // Thresholds at the geometric means (sqrt 2, sqrt 10, sqrt 50) pick the
    // candidate closest to the raw step on a log scale.
    const double normalized = raw / magnitude;
    const double nice = normalized < 1.4142 ? 1.0 : normalized < 3.1623 ? 2.0
                                                : normalized < 7.0711   ? 5.0
                                                                        : 10.0;
    return nice * magnitude;
}

double NiceTicks(double lo, double hi, int target_count, std::vector<double>& out)
{
    out.clear();
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return 0.0;
    if (lo > hi)
        std::swap(lo, hi);
    // Below ~1e-13 relative the ticks would print and land identically.
    const double range = hi - lo;
    if (!(range > std::max(std::fabs(lo), std::fabs(hi)) * 1e-13))
    {
        out.push_back(lo);
        return 0.0;
    }
    const double step = NiceStep(range, target_count);
    if (step == 0.0)
        return 0.0;
    // Ticks as k * step, never by accumulation, so 0.1 + 0.1 + 0.1 cannot drift.
    const double k_first = std::ceil(lo / step - 1e-9);
    const double k_last = std::floor(hi / step + 1e-9);
    const int count = (int)std::min(k_last - k_first + 1.0, 1000.0);
    for (int i = 0; i < count; ++i)
    {
        double v = (k_first + (double)i) * step;
        if (std::fabs(v) < step * 1e-9)
            v = 0.0;
        if (std::isfinite(v))
            out.push_back(v);
    }
    return step;
}

std::vector<double> NiceTicks(double lo, double hi, int target_count)
{
    std::vector<double> ticks;
    NiceTicks(lo, hi, target_count, ticks);
    return ticks;
}

void LogTicks(double lo, double hi, int max_count, std::vector<double>& out)
{
    out.clear();
    if (!(lo > 0.0) || !(hi > 0.0) || !std::isfinite(lo) || !std::isfinite(hi))
        return;
    if (lo > hi)
        std::swap(lo, hi);
    max_count = std::clamp(max_count, 2, 1000);
    const double log_lo = std::log10(lo);
    const double log_hi = std::log10(hi);
    const double decades = log_hi - log_lo;
    const double tolerance = 1e-9;
    const int e_first = (int)std::floor(log_lo - tolerance);
    const int e_last = (int)std::ceil(log_hi + tolerance);

    if (decades * 3.0 <= (double)max_count)
    {
        static const double kMultipliers[] = { 1.0, 2.0, 5.0 };
        for (int e = e_first; e <= e_last; ++e)
            for (double m : kMultipliers)
            {
                const double v = m * std::pow(10.0, e);
                if (v >= lo * (1.0 - tolerance) && v <= hi * (1.0 + tolerance))
                    out.push_back(v);
            }
    }
    else
    {
        const int stride = std::max(1, (int)std::ceil(decades / (double)max_count));
        for (int e = e_first; e <= e_last; ++e)
        {
            const double v = std::pow(10.0, e);
            if (((e % stride) + stride) % stride == 0 && v >= lo * (1.0 - tolerance) && v <= hi * (1.0 + tolerance))
                out.push_back(v);
        }
    }
    if (out.size() >= 3)
        return;
    if (decades > 1.0)
    {
        // One or two decades in a short axis: one or two powers of ten alone give no feel for
        // the scale (a loss from 0.13 to 4.5 had the single tick "1", and linear ticks then
        // put "2" and "4" at the top), so 1 and 3 of each decade, where that many have room.
        // Counted first, so a frame that keeps the powers of ten allocates nothing.
        static const double kThirds[] = { 1.0, 3.0 };
        int count = 0;
        for (int pass = 0; pass < 2; ++pass)
        {
            if (pass == 1)
            {
                if (count > max_count)
                    return;
                out.clear();
            }
            for (int e = e_first; e <= e_last; ++e)
                for (double m : kThirds)
                {
                    const double v = m * std::pow(10.0, e);
                    if (!(v >= lo * (1.0 - tolerance) && v <= hi * (1.0 + tolerance)))
                        continue;
                    if (pass == 0)
                        ++count;
                    else
                        out.push_back(v);
                }
        }
        return;
    }

    // Less than a decade or so (a loss between 0.3 and 0.8): ordinary nice
    // ticks read better than a lone "0.5".
    NiceTicks(lo, hi, std::max(2, max_count / 2 + 1), out);
    out.erase(std::remove_if(out.begin(), out.end(), [](double v) { return !(v > 0.0); }), out.end());
}

std::vector<double> LogTicks(double lo, double hi)
{
    std::vector<double> ticks;
    LogTicks(lo, hi, 10, ticks);
    return ticks;
}

int FormatTick(double value, double step, char* buf, int size)
{
    if (!buf || size <= 0)
        return 0;
    if (!std::isfinite(value))
        return FormatNonFinite(value, buf, size);
    step = std::fabs(step);
    if (!(step > 0.0) || !std::isfinite(step))
        return FormatValue(value, buf, size);
    if (std::fabs(value) < step * 1e-9) // also turns -0 into 0
        return WrittenLength(std::snprintf(buf, (size_t)size, "0"), size);
    const bool huge_step = step >= 1e5;
    const bool tiny_values = step < 1e-4 && std::fabs(value) < step * 1e4;
    if (huge_step || tiny_values)
        return FormatCompactScientific(value, FloorLog10(value) - FloorLog10(step) + 1, buf, size);
    return WrittenLength(std::snprintf(buf, (size_t)size, "%.*f", DecimalsFor(step), value), size);
}

int FormatLogTick(double value, char* buf, int size)
{
    if (!buf || size <= 0)
        return 0;
    if (!(value > 0.0) || !std::isfinite(value))
        return FormatValue(value, buf, size);
    if (value >= 1e-2 && value < 1e4)
        return WrittenLength(std::snprintf(buf, (size_t)size, "%.6g", value), size);
    return FormatCompactScientific(value, 3, buf, size);
}

int FormatValue(double value, char* buf, int size)
{
    if (!buf || size <= 0)
        return 0;
    if (!std::isfinite(value))
        return FormatNonFinite(value, buf, size);
    if (value == 0.0)
        return WrittenLength(std::snprintf(buf, (size_t)size, "0"), size);
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return WrittenLength(std::snprintf(buf, (size_t)size, "%.0f", value), size);
    const double magnitude = std::fabs(value);
    if (magnitude >= 1e-3 && magnitude < 1e6)
    {
        const int decimals = std::max(0, 3 - FloorLog10(value));
        return WrittenLength(std::snprintf(buf, (size_t)size, "%.*f", decimals, value), size);
    }
    return FormatCompactScientific(value, 4, buf, size);
}

// ---- Histogram binning -----------------------------------------------------

namespace {

enum OutOfRange
{
    OutOfRange_Drop,
    OutOfRange_Clamp
};

int Bin(const float* values, int count, double lo, double hi, int bins, float* counts, OutOfRange policy)
{
    if (!counts || bins <= 0)
        return 0;
    std::fill(counts, counts + bins, 0.0f);
    if (!values || count <= 0 || !std::isfinite(lo) || !std::isfinite(hi) || lo == hi)
        return 0;
    if (lo > hi)
        std::swap(lo, hi);
    const double bins_per_unit = (double)bins / (hi - lo);
    if (!std::isfinite(bins_per_unit))
        return 0;
    int counted = 0;
    for (int i = 0; i < count; ++i)
    {
        const double v = values[i];
        if (std::isnan(v))
            continue;
        const double position = (v - lo) * bins_per_unit;
        int bin;
        if (position < 0.0)
        {
            if (policy == OutOfRange_Drop)
                continue;
            bin = 0;
        }
        else if (position >= (double)bins)
        {
            // hi itself belongs to the last bin: the range is closed.
            if (policy == OutOfRange_Drop && v > hi)
                continue;
            bin = bins - 1;
        }
        else
        {
            bin = (int)position;
        }
        counts[bin] += 1.0f;
        ++counted;
    }
    return counted;
}

} // namespace

int BinValues(const float* values, int count, double lo, double hi, int bins, float* counts)
{
    return Bin(values, count, lo, hi, bins, counts, OutOfRange_Drop);
}

int BinValuesClamped(const float* values, int count, double lo, double hi, int bins, float* counts)
{
    return Bin(values, count, lo, hi, bins, counts, OutOfRange_Clamp);
}

// ---- Fitting ---------------------------------------------------------------

void FitBounds::Extend(double v)
{
    if (!std::isfinite(v))
        return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (v > 0.0)
        min_positive = std::min(min_positive, v);
}

void FitBounds::Extend(const FitBounds& other)
{
    lo = std::min(lo, other.lo);
    hi = std::max(hi, other.hi);
    min_positive = std::min(min_positive, other.min_positive);
}

FitBounds DataBounds(const float* values, int count)
{
    FitBounds bounds;
    for (int i = 0; values && i < count; ++i)
        bounds.Extend(values[i]);
    return bounds;
}

FitBounds DataBounds(const double* values, int count)
{
    FitBounds bounds;
    for (int i = 0; values && i < count; ++i)
        bounds.Extend(values[i]);
    return bounds;
}

Range FitLinear(const FitBounds& bounds, double pad_fraction)
{
    if (bounds.IsEmpty())
        return Range{ 0.0, 1.0 };
    const double lo = bounds.lo;
    const double hi = bounds.hi;
    if (lo == hi)
        return SanitizeLinear(Range{ lo, hi });
    const double pad = (hi - lo) * std::max(0.0, pad_fraction);
    Range r{ lo - pad, hi + pad };
    // Losses, counts and norms are >= 0: an axis dipping below zero would
    // suggest negative values that cannot occur.
    if (lo >= 0.0 && r.lo < 0.0)
        r.lo = 0.0;
    if (hi <= 0.0 && r.hi > 0.0)
        r.hi = 0.0;
    return SanitizeLinear(r);
}

Range FitLog(const FitBounds& bounds, double pad_fraction)
{
    if (!bounds.HasPositive())
        return Range{ 1.0, 10.0 };
    double log_lo = std::log10(bounds.min_positive);
    double log_hi = std::log10(std::max(bounds.hi, bounds.min_positive));
    if (log_hi - log_lo < 1e-9)
    {
        log_lo -= 0.5;
        log_hi += 0.5;
    }
    const double pad = (log_hi - log_lo) * std::max(0.0, pad_fraction);
    return SanitizeLog(Range{ std::pow(10.0, log_lo - pad), std::pow(10.0, log_hi + pad) });
}

Range SanitizeLinear(Range r)
{
    if (!std::isfinite(r.lo) || !std::isfinite(r.hi))
        return Range{ 0.0, 1.0 };
    if (r.lo > r.hi)
        std::swap(r.lo, r.hi);
    if (!std::isfinite(r.hi - r.lo))
        return Range{ -1e307, 1e307 };
    const double magnitude = std::max(std::fabs(r.lo), std::fabs(r.hi));
    if (!(r.hi - r.lo > magnitude * 1e-12))
    {
        const double center = 0.5 * (r.lo + r.hi);
        const double half = center != 0.0 ? std::fabs(center) * 0.1 : 0.5;
        return Range{ center - half, center + half };
    }
    return r;
}

Range SanitizeLog(Range r)
{
    if (!(r.hi > 0.0) || !std::isfinite(r.hi))
        std::swap(r.lo, r.hi);
    if (!(r.hi > 0.0) || !std::isfinite(r.hi))
        return Range{ 1.0, 10.0 };
    if (!(r.lo > 0.0) || !std::isfinite(r.lo))
        r.lo = r.hi * 1e-3;
    if (r.lo > r.hi)
        std::swap(r.lo, r.hi);
    if (!(r.hi > r.lo * (1.0 + 1e-9)))
    {
        const double sqrt10 = 3.1622776601683795;
        r.lo /= sqrt10;
        r.hi *= sqrt10;
    }
    return r;
}

// ---- Data <-> pixel transform ------------------------------------------------

double AxisTransform::FromPixel(double px) const
{
    const double v = scale != 0.0 ? origin + (px - px_lo) / scale : origin;
    return log ? std::pow(10.0, v) : v;
}

AxisTransform MakeLinearTransform(Range range, double px_lo, double px_hi)
{
    AxisTransform t;
    t.range = SanitizeLinear(range);
    t.px_lo = px_lo;
    t.px_hi = px_hi;
    t.origin = t.range.lo;
    t.scale = (px_hi - px_lo) / (t.range.hi - t.range.lo);
    t.log = false;
    return t;
}

AxisTransform MakeLogTransform(Range range, double px_lo, double px_hi)
{
    AxisTransform t;
    t.range = SanitizeLog(range);
    t.px_lo = px_lo;
    t.px_hi = px_hi;
    t.origin = std::log10(t.range.lo);
    t.scale = (px_hi - px_lo) / (std::log10(t.range.hi) - t.origin);
    t.log = true;
    return t;
}

} // namespace plot
