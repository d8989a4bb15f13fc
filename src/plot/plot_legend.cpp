// The legend: where it goes (the corner of the area that covers the least, never a newest
// point or a note where a corner free of them exists, else a strip above the area) and how it
// is drawn and clicked.
#include "plot/plot_internal.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace plot {
namespace detail {

void Occupancy::Reset(const ImVec2& area_min, const ImVec2& area_max)
{
    min = area_min;
    max = area_max;
    std::fill(std::begin(data), std::end(data), 0.0f);
    std::fill(std::begin(keep), std::end(keep), 0);
    total_data = 0.0f;
}

bool Occupancy::CellRange(const ImVec2& rect_min, const ImVec2& rect_max, int* x0, int* y0, int* x1, int* y1) const
{
    const float width = max.x - min.x, height = max.y - min.y;
    if (!(width > 0.0f && height > 0.0f) || !(rect_max.x >= min.x && rect_min.x <= max.x) ||
        !(rect_max.y >= min.y && rect_min.y <= max.y))
        return false; // also a NaN point (a break in a line)
    const auto cell = [](float v, float lo, float size) {
        return std::clamp((int)((v - lo) / size * (float)kOccupancyCells), 0, kOccupancyCells - 1);
    };
    *x0 = cell(rect_min.x, min.x, width), *x1 = cell(rect_max.x, min.x, width);
    *y0 = cell(rect_min.y, min.y, height), *y1 = cell(rect_max.y, min.y, height);
    return true;
}

void Occupancy::AddPoint(const ImVec2& p, float w)
{
    int x0, y0, x1, y1;
    if (!CellRange(p, p, &x0, &y0, &x1, &y1))
        return;
    data[y0 * kOccupancyCells + x0] += w;
    total_data += w;
}

void Occupancy::AddKeep(const ImVec2& rect_min, const ImVec2& rect_max)
{
    int x0, y0, x1, y1;
    if (!CellRange(rect_min, rect_max, &x0, &y0, &x1, &y1))
        return;
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
            ++keep[y * kOccupancyCells + x];
}

Cover Occupancy::Sum(const ImVec2& rect_min, const ImVec2& rect_max) const
{
    Cover cover;
    int x0, y0, x1, y1;
    if (!CellRange(rect_min, rect_max, &x0, &y0, &x1, &y1))
        return cover;
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
        {
            cover.data += data[y * kOccupancyCells + x];
            cover.keep += keep[y * kOccupancyCells + x];
        }
    return cover;
}

namespace {

// It stands above only while the area keeps this many text lines of height.
constexpr float kMinAreaLines = 3.0f;

bool Less(const Cover& a, const Cover& b) { return a.keep != b.keep ? a.keep < b.keep : a.data < b.data; }

struct LegendMetrics
{
    float font_size, padding, gap, row_height, swatch;

    LegendMetrics()
    {
        font_size = ImGui::GetFontSize();
        padding = Px(kLegendPadding);
        gap = Px(kLegendPadding);
        row_height = font_size + Px(2.0f);
        swatch = std::floor(font_size * 0.7f);
    }
    float EntryWidth(const LegendEntry& entry) const
    {
        return swatch + gap + ImGui::CalcTextSize(TextAt(entry.label)).x;
    }
};

// Where each entry goes in a strip `width` wide, entries side by side, wrapping to more rows;
// returns the rows. `place(i, x, row)` receives each entry's left edge and row.
template <typename Place>
int FlowEntries(const PlotContext& c, const LegendMetrics& m, float width, Place place)
{
    const float spacing = m.font_size;
    float x = 0.0f;
    int row = 0;
    for (size_t i = 0; i < c.legend.size(); ++i)
    {
        const float w = m.EntryWidth(c.legend[i]);
        if (x > 0.0f && x + w > width)
        {
            x = 0.0f;
            ++row;
        }
        place(i, x, row);
        x += w + spacing;
    }
    return row + 1;
}

float StripHeight(const LegendMetrics& m, int rows) { return m.row_height * (float)rows + Px(kLabelGap); }

// The box in the corner of the area (LegendCorner) for a legend of `size`: the one that covers
// the least of the plot's newest points and notes, then of its data. The corner of the last
// frame stays unless another covers less than half as much, so that a legend does not hop about.
// `cover` receives what the chosen corner covers, `best` what the emptiest one does.
ImVec2 CornerBoxMin(PlotContext& c, const ImVec2& size, float inset, Cover* cover, Cover* best_cover)
{
    const auto box_min = [&](int corner) {
        const bool right = corner == LegendCorner_TopRight || corner == LegendCorner_BottomRight;
        const bool top = corner == LegendCorner_TopRight || corner == LegendCorner_TopLeft;
        return ImVec2(right ? c.area_max.x - inset - size.x : c.area_min.x + inset,
                      top ? c.area_min.y + inset : c.area_max.y - inset - size.y);
    };
    Cover covers[4];
    int best = 0;
    for (int corner = 0; corner < 4; ++corner)
    {
        const ImVec2 min = box_min(corner);
        covers[corner] = c.occupancy.Sum(min, ImVec2(min.x + size.x, min.y + size.y));
        if (Less(covers[corner], covers[best]))
            best = corner;
    }
    PlotMemory& memory = MemoryFor(c.id);
    int& corner = memory.legend_corner;
    if (corner < 0 || corner > 3 || covers[best].keep < covers[corner].keep ||
        (covers[best].keep == covers[corner].keep && covers[best].data < 0.5f * covers[corner].data))
        corner = best;
    *cover = covers[corner];
    *best_cover = covers[best];
    return box_min(corner);
}

void DrawSwatch(PlotContext& c, const LegendEntry& entry, const ImVec2& swatch_min, float swatch)
{
    ImDrawList* dl = c.draw_list;
    const ImVec2 swatch_max(swatch_min.x + swatch, swatch_min.y + swatch);
    if (entry.hidden)
        dl->AddRect(swatch_min, swatch_max, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    else if (entry.line_style == LineStyle_Solid)
        dl->AddRectFilled(swatch_min, swatch_max, entry.color);
    else
    {
        // A sample of the line: its dashes, wider than the swatch so two or three show. Lines
        // are culled to the area; a legend above it draws outside, so the frame stands in.
        const float y = 0.5f * (swatch_min.y + swatch_max.y);
        const std::vector<PixelPoint> sample = { { swatch_min.x - 0.5f * swatch, y }, { swatch_max.x, y } };
        const ImVec2 area_min = c.area_min, area_max = c.area_max;
        c.area_min = c.frame_min;
        c.area_max = c.frame_max;
        DrawStyledPolyline(sample, entry.color, 2.5f * c.scale, entry.line_style);
        c.area_min = area_min;
        c.area_max = area_max;
    }
}

// One entry in the row [row_min, row_max]: hover, click (toggles the series), swatch and label.
void DrawEntry(PlotContext& c, const LegendMetrics& m, const LegendEntry& entry, const ImVec2& row_min,
               const ImVec2& row_max, float swatch_x, bool hovered)
{
    ImDrawList* dl = c.draw_list;
    if (hovered)
    {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        dl->AddRectFilled(row_min, row_max, ImGui::GetColorU32(ImGuiCol_HeaderHovered, 0.5f));
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left))
            ImGui::GetStateStorage()->SetBool(entry.id, !entry.hidden);
    }
    const ImVec2 swatch_min(swatch_x, row_min.y + 0.5f * (m.row_height - m.swatch));
    DrawSwatch(c, entry, swatch_min, m.swatch);
    const ImU32 text_color = ImGui::GetColorU32(entry.hidden ? ImGuiCol_TextDisabled : ImGuiCol_Text);
    dl->AddText(ImVec2(swatch_min.x + m.swatch + m.gap, row_min.y + 0.5f * (m.row_height - m.font_size)), text_color,
                TextAt(entry.label));
}

// The entries side by side in the strip above the area (EnsureSetup left room for it).
bool DrawLegendAbove(PlotContext& c, const LegendMetrics& m)
{
    const float width = c.area_max.x - c.area_min.x;
    const ImVec2 origin(c.area_min.x, c.legend_strip_top);
    c.draw_list->PushClipRect(c.frame_min, c.frame_max, false);
    bool any_hovered = false;
    ImVec2 box_min(FLT_MAX, FLT_MAX), box_max(-FLT_MAX, -FLT_MAX);
    const int rows = FlowEntries(c, m, width, [&](size_t i, float x, int row) {
        const ImVec2 row_min(origin.x + x, origin.y + m.row_height * (float)row);
        const ImVec2 row_max(row_min.x + m.EntryWidth(c.legend[i]), row_min.y + m.row_height);
        const bool hovered = c.frame_hovered && MouseIn(row_min, row_max);
        any_hovered = any_hovered || hovered;
        DrawEntry(c, m, c.legend[i], row_min, row_max, row_min.x, hovered);
        box_min = ImVec2(std::min(box_min.x, row_min.x), std::min(box_min.y, row_min.y));
        box_max = ImVec2(std::max(box_max.x, row_max.x), std::max(box_max.y, row_max.y));
    });
    c.draw_list->PopClipRect();
    c.legend_min = box_min;
    c.legend_max = box_max;
    MemoryFor(c.id).legend_strip = StripHeight(m, rows);
    return any_hovered;
}

bool DrawLegendInCorner(PlotContext& c, const LegendMetrics& m, const ImVec2& box_min, const ImVec2& box_size)
{
    const ImVec2 box_max(box_min.x + box_size.x, box_min.y + box_size.y);
    c.legend_min = box_min;
    c.legend_max = box_max;
    const bool legend_hovered = c.frame_hovered && MouseIn(box_min, box_max);
    ImDrawList* dl = c.draw_list;
    dl->AddRectFilled(box_min, box_max, ImGui::GetColorU32(ImGuiCol_PopupBg, 0.85f));
    dl->AddRect(box_min, box_max, ImGui::GetColorU32(ImGuiCol_Border));
    for (size_t i = 0; i < c.legend.size(); ++i)
    {
        const ImVec2 row_min(box_min.x, box_min.y + m.padding + m.row_height * (float)i);
        const ImVec2 row_max(box_max.x, row_min.y + m.row_height);
        DrawEntry(c, m, c.legend[i], row_min, row_max, row_min.x + m.padding,
                  legend_hovered && MouseIn(row_min, row_max));
    }
    return legend_hovered;
}

} // namespace

bool DrawLegend(PlotContext& c)
{
    if ((c.flags & PlotFlags_NoLegend) || c.legend.empty())
    {
        MemoryFor(c.id).legend_strip = 0.0f; // no entries now: no strip next frame
        return false;
    }
    const LegendMetrics m;
    float widest = 0.0f;
    for (const LegendEntry& entry : c.legend)
        widest = std::max(widest, ImGui::CalcTextSize(TextAt(entry.label)).x);
    const ImVec2 box_size(2.0f * m.padding + m.swatch + m.gap + widest,
                          2.0f * m.padding + m.row_height * (float)c.legend.size());
    Cover cover, best;
    const ImVec2 box_min = CornerBoxMin(c, box_size, Px(kLegendInset), &cover, &best);
    PlotMemory& memory = MemoryFor(c.id);
    const float area_height = c.area_max.y - c.area_min.y;
    if (c.legend_above)
    {
        // Back into a corner (next frame) where one covers no newest point or note and half the
        // data share that sent it here at most (so it does not hop back and forth), or where the
        // plot has become too short to spare the strip.
        const bool back = (best.keep == 0 && best.data <= 0.5f * kLegendMaxDataShare * c.occupancy.total_data) ||
                          area_height < kMinAreaLines * m.font_size;
        const bool hovered = DrawLegendAbove(c, m);
        if (back)
            memory.legend_strip = 0.0f;
        return hovered;
    }
    const bool hides_much = cover.data > kLegendMaxDataShare * c.occupancy.total_data && c.occupancy.total_data > 0.0f;
    if (cover.keep > 0 || hides_much)
    {
        // Above the area from the next frame on, where the area keeps a readable height.
        const int rows = FlowEntries(c, m, c.area_max.x - c.area_min.x, [](size_t, float, int) {});
        const float strip = StripHeight(m, rows);
        if (area_height - strip >= kMinAreaLines * m.font_size)
            memory.legend_strip = strip;
    }
    return DrawLegendInCorner(c, m, box_min, box_size);
}

} // namespace detail
} // namespace plot
