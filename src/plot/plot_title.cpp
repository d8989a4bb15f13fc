// The plot's title: at the body font always (the back row reads it), on one line where it
// fits, else broken at a space onto two, else cut with "…" (the full title then shows on hover).
#include "plot/plot_internal.h"

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <cstring>
#include <vector>

namespace plot {
namespace detail {
namespace {

const char* const kHint = " (?)";
const char* const kEllipsis = "\u2026";

bool HasTooltip(const PlotContext& c) { return !c.title_tooltip.empty() || c.title_tooltip_builder; }

float Width(const char* begin, const char* end) { return ImGui::CalcTextSize(begin, end).x; }

// Stores [begin, p) and "…", with p the furthest character boundary (before any trailing
// spaces) at which that and `after_width` fit in `room`. No allocation once the text buffer
// has grown.
int StoreCut(const char* begin, const char* end, float room, float after_width)
{
    const float ellipsis = Width(kEllipsis, nullptr);
    const char* p = end;
    while (p > begin && Width(begin, p) + ellipsis + after_width > room)
    {
        do
            --p;
        while (p > begin && (static_cast<unsigned char>(*p) & 0xC0) == 0x80); // a UTF-8 continuation
    }
    while (p > begin && p[-1] == ' ')
        --p;
    std::vector<char>& text = Ctx().text;
    const int offset = StoreText(begin, p);
    text.pop_back(); // the terminator; "…" and a new one follow
    text.insert(text.end(), kEllipsis, kEllipsis + std::strlen(kEllipsis) + 1);
    return offset;
}

} // namespace

int LayOutTitle(PlotContext& c, float room, int max_lines)
{
    c.title_lines[0] = c.title_lines[1] = -1;
    c.title_cut = false;
    // A copy: storing the lines may move the text buffer the title lives in.
    char title[256];
    std::snprintf(title, sizeof(title), "%s", TextAt(c.title));
    const char* end = title + std::strlen(title);
    if (end == title)
        return 0;
    // The "(?)" is drawn after the last line; the room is measured with it.
    const float hint = HasTooltip(c) ? Width(kHint, nullptr) : 0.0f;
    if (Width(title, end) + hint <= room)
    {
        c.title_lines[0] = c.title;
        return 1;
    }
    if (max_lines >= 2)
    {
        // The longest first line that fits, broken at a space.
        const char* split = nullptr;
        for (const char* space = std::strchr(title, ' '); space; space = std::strchr(space + 1, ' '))
        {
            if (Width(title, space) > room)
                break;
            split = space;
        }
        if (split)
        {
            c.title_lines[0] = StoreText(title, split);
            if (Width(split + 1, end) + hint <= room)
                c.title_lines[1] = StoreText(split + 1, end);
            else
            {
                c.title_lines[1] = StoreCut(split + 1, end, room, hint);
                c.title_cut = true;
            }
            return 2;
        }
    }
    c.title_lines[0] = StoreCut(title, end, room, hint);
    c.title_cut = true;
    return 1;
}

bool DrawTitle(PlotContext& c)
{
    if ((c.flags & PlotFlags_NoTitle) || c.title_lines[0] < 0)
        return false;
    const bool has_tooltip = HasTooltip(c) || c.title_cut;
    const float font_size = ImGui::GetFontSize();
    const float line_height = font_size + Px(kLabelGap);
    const float center = 0.5f * (c.frame_min.x + c.frame_max.x);
    const float top = c.frame_min.y + Px(kFramePadding);
    ImVec2 hover_min(FLT_MAX, top), hover_max(-FLT_MAX, top);
    for (int line = 0; line < 2 && c.title_lines[line] >= 0; ++line)
    {
        const char* text = TextAt(c.title_lines[line]);
        const bool last = line == 1 || c.title_lines[1] < 0;
        const float text_width = ImGui::CalcTextSize(text).x;
        const float width = text_width + (last && has_tooltip ? ImGui::CalcTextSize(kHint).x : 0.0f);
        const ImVec2 pos(std::max(c.frame_min.x, center - 0.5f * width), top + line_height * (float)line);
        c.draw_list->AddText(pos, ImGui::GetColorU32(ImGuiCol_Text), text);
        if (last && has_tooltip)
            c.draw_list->AddText(ImVec2(pos.x + text_width, pos.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), kHint);
        hover_min.x = std::min(hover_min.x, pos.x);
        hover_max = ImVec2(std::max(hover_max.x, pos.x + width), pos.y + font_size);
    }
    RecordFont(c, font_size);
    return c.frame_hovered && MouseIn(hover_min, hover_max);
}

} // namespace detail
} // namespace plot
