#include "plot/colormap.h"

#include <cmath>

namespace plot {

namespace {

int LerpChannel(int a, int b, float t) { return (int)std::lround((float)a + ((float)b - (float)a) * t); }

// Control points picked to look like viridis (perceptually ordered, readable
// by colour-blind viewers) while staying our own: interpolating in sRGB is
// linear in luma, so luma rises monotonically as long as the control points'
// lumas do (21, 72, 105, 137, 181, 222 on a 0..255 scale).
const Color32 kSequentialStops[] = {
    PackColor(68, 1, 84),
    PackColor(65, 68, 135),
    PackColor(42, 120, 142),
    PackColor(34, 168, 132),
    PackColor(122, 209, 81),
    PackColor(253, 231, 37),
};

// Muted on purpose: the decision-boundary view draws bright class points on
// top, and the neutral midpoint matches the dark plot background so the
// boundary (p = 0.5) reads as a dark seam.
const Color32 kDivergingLow = PackColor(59, 117, 196);
const Color32 kDivergingMid = PackColor(38, 38, 42);
const Color32 kDivergingHigh = PackColor(214, 110, 52);

Color32 SampleStops(const Color32* stops, int stop_count, double t)
{
    const double position = t * (double)(stop_count - 1);
    int segment = (int)position;
    if (segment >= stop_count - 1)
        segment = stop_count - 2;
    return LerpColor(stops[segment], stops[segment + 1], (float)(position - (double)segment));
}

} // namespace

Color32 LerpColor(Color32 a, Color32 b, float t)
{
    if (!(t > 0.0f)) // also catches NaN
        t = 0.0f;
    if (t > 1.0f)
        t = 1.0f;
    return PackColor(LerpChannel(ColorR(a), ColorR(b), t), LerpChannel(ColorG(a), ColorG(b), t),
                     LerpChannel(ColorB(a), ColorB(b), t), LerpChannel(ColorA(a), ColorA(b), t));
}

Color32 WithAlpha(Color32 c, float alpha)
{
    if (!(alpha > 0.0f))
        alpha = 0.0f;
    if (alpha > 1.0f)
        alpha = 1.0f;
    return (c & 0x00FFFFFFu) | ((Color32)std::lround(alpha * 255.0f) << 24);
}

Color32 ScaleAlpha(Color32 c, float factor) { return WithAlpha(c, (float)ColorA(c) / 255.0f * factor); }

float Luma(Color32 c)
{
    return (0.2126f * (float)ColorR(c) + 0.7152f * (float)ColorG(c) + 0.0722f * (float)ColorB(c)) / 255.0f;
}

Color32 SampleColormap(Colormap map, double t)
{
    if (std::isnan(t))
        return 0;
    t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
    switch (map)
    {
    case Colormap_Diverging:
        return SampleDiverging(kDivergingLow, kDivergingMid, kDivergingHigh, t);
    case Colormap_Sequential:
    default:
        return SampleStops(kSequentialStops, (int)(sizeof(kSequentialStops) / sizeof(kSequentialStops[0])), t);
    }
}

Color32 SampleDiverging(Color32 low, Color32 mid, Color32 high, double t)
{
    if (std::isnan(t))
        return 0;
    const Color32 stops[] = { low, mid, high };
    t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
    return SampleStops(stops, 3, t);
}

} // namespace plot
