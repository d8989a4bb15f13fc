// Colours and colour maps for the plot module. Pure functions, no ImGui.
#pragma once

#include <cstdint>

namespace plot {

// Packed exactly like ImU32 from IM_COL32 (R in the low byte, A in the high
// byte), so a Color32 can be handed straight to ImDrawList.
using Color32 = std::uint32_t;

enum Colormap
{
    Colormap_Sequential = 0, // dark violet -> blue -> teal -> green -> yellow, luma rises monotonically
    Colormap_Diverging,      // class 0 blue -> dark neutral at 0.5 -> class 1 orange (probability maps)
    Colormap_COUNT
};

constexpr Color32 PackColor(int r, int g, int b, int a = 255)
{
    return (Color32)(r & 0xFF) | ((Color32)(g & 0xFF) << 8) | ((Color32)(b & 0xFF) << 16) | ((Color32)(a & 0xFF) << 24);
}
constexpr int ColorR(Color32 c) { return (int)(c & 0xFF); }
constexpr int ColorG(Color32 c) { return (int)((c >> 8) & 0xFF); }
constexpr int ColorB(Color32 c) { return (int)((c >> 16) & 0xFF); }
constexpr int ColorA(Color32 c) { return (int)((c >> 24) & 0xFF); }

// Component-wise linear interpolation of all four channels; t is clamped to [0, 1].
Color32 LerpColor(Color32 a, Color32 b, float t);
// Same colour with its alpha replaced (alpha in [0, 1]).
Color32 WithAlpha(Color32 c, float alpha);
// Same colour with its alpha multiplied (used for greyed legend entries and fills).
Color32 ScaleAlpha(Color32 c, float factor);
// Rec. 709 luma of the gamma-encoded channels, in [0, 1]; what "lighter" means for a colour map.
float Luma(Color32 c);

// t in [0, 1] (clamped); NaN gives fully transparent black so missing cells stay invisible.
Color32 SampleColormap(Colormap map, double t);
// Piecewise-linear map low -> mid (t = 0.5) -> high; the building block of Colormap_Diverging.
Color32 SampleDiverging(Color32 low, Color32 mid, Color32 high, double t);

} // namespace plot
