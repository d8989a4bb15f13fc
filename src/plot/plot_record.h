// What each plot drew in the current frame, for the layout tests (bnlab --layout-report): its
// legend's box, every glyph of text drawn on or over it (its own title, ticks and labels, and
// the notes the caller wrote over it) and the newest point of each of its lines, in screen
// pixels. Off by default; while it is off nothing is recorded and nothing allocated.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace plot {

struct PixelRect
{
    ImVec2 min, max;
};

struct PlotRecord
{
    std::string title;             // the visible title, as given (before any wrapping)
    PixelRect frame, area;         // the whole widget; the data area inside the axes
    bool has_legend = false;       // a legend was drawn
    PixelRect legend;              // its box
    std::vector<PixelRect> glyphs; // text drawn by or over the plot, the legend's own excepted
    std::vector<ImVec2> newest;    // the newest (last) point of each line, where it is in the area
    std::vector<ImVec2> data;      // every point its lines and scatters drew (lines as decimated)
    float body_font = 0.0f;        // the font size current when the plot began
    float smallest_font = 0.0f;    // the smallest font size of the plot's own text
};

// Starts or stops recording (the current plot context).
void SetRecording(bool on);
// The plots drawn since the current ImGui frame began (after ImGui::Render, those of the
// frame just rendered); empty while recording is off.
const std::vector<PlotRecord>& GetFrameRecords();

// A legend may hide at most this share of its plot's drawn data (where a corner would hide
// more, it stands above the area).
constexpr float kLegendMaxDataShare = 0.2f;

// What a legend box covers: the glyphs and newest points of `record` inside it (a pixel of
// overlap is tolerated, as anti-aliased edges touch), and the share of its data points.
struct LegendCover
{
    int glyphs = 0;
    int newest = 0;
    float data_share = 0.0f;
    ImVec2 first; // the first covered glyph's or newest point's position
};
LegendCover LegendCovers(const PlotRecord& record);

} // namespace plot
