// Layout of the plot frame, ticks, grid and axis labels.
#include "plot/plot_internal.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cmath>

namespace plot {
namespace detail {

Range DefaultRange(const AxisState& axis)
{
    return (axis.flags & AxisFlags_Log) ? Range{ 1.0, 10.0 } : Range{ 0.0, 1.0 };
}

PlotMemory& MemoryFor(ImGuiID id)
{
    std::vector<PlotMemory>& memory = Ctx().memory;
    for (PlotMemory& m : memory)
        if (m.id == id)
            return m;
    memory.push_back(PlotMemory());
    memory.back().id = id;
    return memory.back();
}

bool MouseIn(const ImVec2& min, const ImVec2& max)
{
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    return mouse.x >= min.x && mouse.x < max.x && mouse.y >= min.y && mouse.y < max.y;
}

namespace {

Range SanitizeFor(const AxisState& axis, Range r)
{
    return (axis.flags & AxisFlags_Log) ? SanitizeLog(r) : SanitizeLinear(r);
}

void ComputeTicks(AxisState& axis, int target_count)
{
    axis.tick_labels.clear();
    char buf[64];
    if (axis.flags & AxisFlags_Log)
    {
        LogTicks(axis.range.lo, axis.range.hi, target_count + 2, axis.ticks);
        for (double v : axis.ticks)
            axis.tick_labels.push_back(StoreText(buf, buf + FormatLogTick(v, buf, (int)sizeof(buf))));
        return;
    }
    double step = NiceTicks(axis.range.lo, axis.range.hi, target_count, axis.ticks);
    // A short axis can round to a step with a single multiple in range; one
    // tick gives no scale, so ask for finer steps.
    for (int finer = 2; axis.ticks.size() < 2 && finer <= 8; finer *= 2)
        step = NiceTicks(axis.range.lo, axis.range.hi, target_count * finer, axis.ticks);
    for (double v : axis.ticks)
        axis.tick_labels.push_back(StoreText(buf, buf + FormatTick(v, step, buf, (int)sizeof(buf))));
}

float WidestTickLabel(const AxisState& axis)
{
    float widest = 0.0f;
    for (int label : axis.tick_labels)
        widest = std::max(widest, ImGui::CalcTextSize(TextAt(label)).x);
    return widest;
}

bool TickLabelsOverlapX(const AxisState& axis, float min_gap)
{
    for (size_t i = 1; i < axis.ticks.size(); ++i)
    {
        const double spacing =
            std::fabs(axis.transform.ToPixel(axis.ticks[i]) - axis.transform.ToPixel(axis.ticks[i - 1]));
        const float half_widths = 0.5f * (ImGui::CalcTextSize(TextAt(axis.tick_labels[i - 1])).x +
                                          ImGui::CalcTextSize(TextAt(axis.tick_labels[i])).x);
        if (spacing < (double)(half_widths + min_gap))
            return true;
    }
    return false;
}

// Where even the fewest nice ticks carry labels too wide for their spacing (large fonts in a
// small plot), label every 2nd, 4th, ... tick: the grid stays, the numbers never run together.
void ThinTickLabelsX(AxisState& axis, float min_gap)
{
    for (size_t keep = 2; keep <= 8; keep *= 2)
    {
        bool overlap = false;
        for (size_t i = keep; i < axis.ticks.size() && !overlap; i += keep)
        {
            const double spacing =
                std::fabs(axis.transform.ToPixel(axis.ticks[i]) - axis.transform.ToPixel(axis.ticks[i - keep]));
            const float half_widths = 0.5f * (ImGui::CalcTextSize(TextAt(axis.tick_labels[i - keep])).x +
                                              ImGui::CalcTextSize(TextAt(axis.tick_labels[i])).x);
            overlap = spacing < (double)(half_widths + min_gap);
        }
        if (overlap)
            continue;
        for (size_t i = 0; i < axis.tick_labels.size(); ++i)
            if (i % keep != 0)
                axis.tick_labels[i] = -1; // TextAt(-1) is ""
        return;
    }
    for (size_t i = 1; i < axis.tick_labels.size(); ++i)
        axis.tick_labels[i] = -1;
}

// Labels of y ticks closer than `min_spacing` pixels to the last labelled one, from the bottom
// up, are left out (a log axis crowds its ticks at the top): the grid stays.
void ThinTickLabelsY(AxisState& axis, float min_spacing)
{
    double last = 0.0;
    bool any = false;
    for (size_t i = 0; i < axis.ticks.size(); ++i)
    {
        const double py = axis.transform.ToPixel(axis.ticks[i]);
        if (any && std::fabs(py - last) < (double)min_spacing)
        {
            axis.tick_labels[i] = -1;
            continue;
        }
        last = py;
        any = true;
    }
}

AxisTransform MakeTransform(const AxisState& axis, double px_lo, double px_hi)
{
    return (axis.flags & AxisFlags_Log) ? MakeLogTransform(axis.range, px_lo, px_hi)
                                        : MakeLinearTransform(axis.range, px_lo, px_hi);
}

// ImGui 1.86 cannot draw rotated text, so we lay it out horizontally where it
// cannot be clipped away (the font skips glyphs outside the clip rect) and
// turn its vertices a quarter turn counter-clockwise onto `center`.
void AddTextVertical(ImDrawList* draw_list, ImVec2 layout_center, ImVec2 center, ImU32 color, const char* text)
{
    const ImVec2 size = ImGui::CalcTextSize(text);
    const int first_vertex = draw_list->VtxBuffer.Size;
    draw_list->AddText(ImVec2(layout_center.x - 0.5f * size.x, layout_center.y - 0.5f * size.y), color, text);
    for (int i = first_vertex; i < draw_list->VtxBuffer.Size; ++i)
    {
        ImDrawVert& v = draw_list->VtxBuffer[i];
        const float dx = v.pos.x - layout_center.x;
        const float dy = v.pos.y - layout_center.y;
        v.pos = ImVec2(center.x + dy, center.y - dx);
    }
}

void DrawAxes(PlotContext& c, float font_size, float gap)
{
    ImDrawList* dl = c.draw_list;
    const AxisState& x_axis = c.axes[Axis_X];
    const AxisState& y_axis = c.axes[Axis_Y];
    const ImU32 grid_color = ImGui::GetColorU32(ImGuiCol_Text, 0.10f);
    const ImU32 label_color = ImGui::GetColorU32(ImGuiCol_Text, 0.85f);
    const ImU32 tick_color = ImGui::GetColorU32(ImGuiCol_Text, 0.45f);
    const float tick_length = Px(kTickLength);
    const float line = Px(kThinLine);

    // A dark backdrop regardless of the window colour: the series colours are
    // chosen for a dark background.
    // A backing a shade away from the page, towards the opposite of the text: darker under
    // light text (dark style), lighter under dark text (light style).
    const ImVec4 text = ImGui::GetStyleColorVec4(ImGuiCol_Text);
    const bool light_text = 0.299f * text.x + 0.587f * text.y + 0.114f * text.z > 0.5f;
    dl->AddRectFilled(c.area_min, c.area_max, light_text ? IM_COL32(0, 0, 0, 96) : IM_COL32(255, 255, 255, 230));

    for (size_t i = 0; i < x_axis.ticks.size(); ++i)
    {
        const float px = std::floor((float)x_axis.transform.ToPixel(x_axis.ticks[i])) + 0.5f;
        if (px < c.area_min.x - 0.5f || px > c.area_max.x + 0.5f)
            continue;
        dl->AddLine(ImVec2(px, c.area_min.y), ImVec2(px, c.area_max.y), grid_color, line);
        dl->AddLine(ImVec2(px, c.area_max.y - tick_length), ImVec2(px, c.area_max.y), tick_color, line);
        if (x_axis.flags & AxisFlags_NoTickLabels)
            continue;
        const char* label = TextAt(x_axis.tick_labels[i]);
        const float width = ImGui::CalcTextSize(label).x;
        const float left = std::clamp(px - 0.5f * width, c.frame_min.x, std::max(c.frame_min.x, c.frame_max.x - width));
        dl->AddText(ImVec2(left, c.area_max.y + gap), label_color, label);
    }
    for (size_t i = 0; i < y_axis.ticks.size(); ++i)
    {
        const float py = std::floor((float)y_axis.transform.ToPixel(y_axis.ticks[i])) + 0.5f;
        if (py < c.area_min.y - 0.5f || py > c.area_max.y + 0.5f)
            continue;
        dl->AddLine(ImVec2(c.area_min.x, py), ImVec2(c.area_max.x, py), grid_color, line);
        dl->AddLine(ImVec2(c.area_min.x, py), ImVec2(c.area_min.x + tick_length, py), tick_color, line);
        if (y_axis.flags & AxisFlags_NoTickLabels)
            continue;
        const char* label = TextAt(y_axis.tick_labels[i]);
        const float width = ImGui::CalcTextSize(label).x;
        const float top =
            std::clamp(py - 0.5f * font_size, c.frame_min.y, std::max(c.frame_min.y, c.frame_max.y - font_size));
        dl->AddText(ImVec2(c.area_min.x - gap - width, top), label_color, label);
    }

    const ImVec2 area_center((c.area_min.x + c.area_max.x) * 0.5f, (c.area_min.y + c.area_max.y) * 0.5f);
    const ImU32 text_color = ImGui::GetColorU32(ImGuiCol_Text);
    if (x_axis.label >= 0)
    {
        const char* label = TextAt(x_axis.label);
        const float below_ticks = (x_axis.flags & AxisFlags_NoTickLabels) ? 0.0f : font_size + gap;
        dl->AddText(ImVec2(area_center.x - 0.5f * ImGui::CalcTextSize(label).x, c.area_max.y + gap + below_ticks),
                    text_color, label);
    }
    if (y_axis.label >= 0)
    {
        // Beside the plot area, below the title's row (the title may reach this far left):
        // centred on the area where it fits, else moved down as far as the frame allows, and
        // longer than that room, cut with "…" rather than clipped mid-glyph at both ends.
        const float pad = Px(kFramePadding);
        const float top = c.area_min.y, bottom = c.frame_max.y - pad;
        const float room = bottom - top;
        char label[128];
        std::snprintf(label, sizeof(label), "%s", TextAt(y_axis.label));
        float width = ImGui::CalcTextSize(label).x;
        for (size_t length = std::strlen(label); width > room && length > 0;)
        {
            do
                --length;
            while (length > 0 && (static_cast<unsigned char>(label[length]) & 0xC0) == 0x80);
            std::snprintf(label + length, sizeof(label) - length, "\u2026");
            width = ImGui::CalcTextSize(label).x;
        }
        const float center_y = std::clamp(area_center.y, top + 0.5f * width, std::max(top + 0.5f * width, bottom - 0.5f * width));
        AddTextVertical(dl, area_center, ImVec2(c.frame_min.x + pad + 0.5f * font_size, center_y), text_color, label);
    }
}

} // namespace

void EnsureSetup()
{
    PlotContext& c = Ctx();
    if (!c.in_plot || c.setup_done)
        return;
    c.setup_done = true;

    PlotMemory& memory = MemoryFor(c.id);
    for (int a = 0; a < 2; ++a)
    {
        AxisState& axis = c.axes[a];
        if (axis.fixed)
            axis.range = axis.fixed_range;
        else if (memory.has_range[a])
            axis.range = memory.ranges[a];
        else
            axis.range = DefaultRange(axis);
        axis.range = SanitizeFor(axis, axis.range);
        axis.has_range = axis.fixed || memory.has_range[a];
    }

    const float font_size = ImGui::GetFontSize();
    const float pad = Px(kFramePadding);
    const float gap = Px(kLabelGap);
    AxisState& x_axis = c.axes[Axis_X];
    AxisState& y_axis = c.axes[Axis_Y];
    const bool show_title = !(c.flags & PlotFlags_NoTitle) && TextAt(c.title)[0] != '\0';
    const float x_labels_height = (x_axis.flags & AxisFlags_NoTickLabels) ? 0.0f : font_size + gap;

    c.area_max.y = c.frame_max.y - pad - x_labels_height - (x_axis.label >= 0 ? font_size + gap : 0.0f);
    // A title that needs two lines takes them only where the area keeps four lines' height.
    const float line = font_size + gap;
    const int title_lines =
        show_title ? LayOutTitle(c, c.frame_max.x - c.frame_min.x - 2.0f * pad,
                                 c.area_max.y - (c.frame_min.y + pad + 2.0f * line) >= 4.0f * font_size ? 2 : 1)
                   : 0;
    c.area_min.y = c.frame_min.y + pad + line * (float)title_lines;
    // A legend that found no free corner last frame stands in a strip above the area.
    const float strip = (c.flags & PlotFlags_NoLegend) ? 0.0f : memory.legend_strip;
    c.legend_above = strip > 0.0f;
    c.legend_strip_top = c.area_min.y;
    c.area_min.y += strip;
    const float height = c.area_max.y - c.area_min.y;
    ComputeTicks(y_axis, std::clamp((int)(height / (font_size * 2.5f)), 2, 8));
    const float y_labels_width = (y_axis.flags & AxisFlags_NoTickLabels) ? 0.0f : WidestTickLabel(y_axis) + gap;
    c.area_min.x = c.frame_min.x + pad + (y_axis.label >= 0 ? font_size + gap : 0.0f) + y_labels_width;
    c.area_max.x = c.frame_max.x - pad;
    const float width = c.area_max.x - c.area_min.x;

    x_axis.transform = MakeTransform(x_axis, c.area_min.x, c.area_max.x);
    y_axis.transform = MakeTransform(y_axis, c.area_max.y, c.area_min.y);
    ThinTickLabelsY(y_axis, 1.15f * font_size);
    // Long labels ("1000000") need fewer ticks: thin out until they fit.
    int x_target = std::clamp((int)(width / (font_size * 5.0f)), 2, 10);
    ComputeTicks(x_axis, x_target);
    for (int attempt = 0; attempt < 4 && x_target > 2 && TickLabelsOverlapX(x_axis, font_size); ++attempt)
    {
        x_target = std::max(2, x_target * 2 / 3);
        ComputeTicks(x_axis, x_target);
    }
    if (TickLabelsOverlapX(x_axis, font_size))
        ThinTickLabelsX(x_axis, font_size);

    const bool has_area = width >= 1.0f && height >= 1.0f;
    c.ready = has_area && x_axis.has_range && y_axis.has_range;
    c.occupancy.Reset(c.area_min, c.area_max);
    c.mouse_x = x_axis.transform.FromPixel(ImGui::GetIO().MousePos.x);
    c.mouse_y = y_axis.transform.FromPixel(ImGui::GetIO().MousePos.y);
    c.hover_active = c.ready && !(c.flags & PlotFlags_NoHover) && c.frame_hovered && MouseIn(c.area_min, c.area_max);
    if (!has_area)
        return;

    // Labels longer than the frame are cut at its edge rather than drawn over
    // the neighbouring widgets.
    c.draw_list->PushClipRect(c.frame_min, c.frame_max, true);
    DrawAxes(c, font_size, gap);
    c.draw_list->PopClipRect();
    c.draw_list->PushClipRect(c.area_min, c.area_max, true);
    c.clip_pushed = true;
}

} // namespace detail
} // namespace plot
