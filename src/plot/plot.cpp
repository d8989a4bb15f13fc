// The plot frame: layout, axes, legend, title and hover read-out.
#include "plot/plot.h"

#include "plot/plot_internal.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <type_traits>

static_assert(std::is_same<ImU32, plot::Color32>::value, "Color32 must be ImU32");
#if IM_COL32_R_SHIFT != 0
#error "plot::Color32 assumes ImGui's default RGBA packing (IMGUI_USE_BGRA_PACKED_COLOR is not supported)"
#endif

namespace plot {
namespace {

// Current context, as ImGui's GImGui and ImPlot's GImPlot: owned by whoever created it.
PlotContext* g_current_context = nullptr;

} // namespace

namespace detail {

PlotContext& Ctx()
{
    IM_ASSERT(g_current_context && "no current plot context: call plot::CreateContext() after ImGui::CreateContext()");
    return *g_current_context;
}

const char* LabelEnd(const char* label)
{
    const char* hashes = std::strstr(label, "##");
    return hashes ? hashes : label + std::strlen(label);
}

int StoreText(const char* begin, const char* end)
{
    std::vector<char>& text = Ctx().text;
    const int offset = (int)text.size();
    text.insert(text.end(), begin, end);
    text.push_back('\0');
    return offset;
}

const char* TextAt(int offset)
{
    const std::vector<char>& text = Ctx().text;
    return offset >= 0 && offset < (int)text.size() ? text.data() + offset : "";
}

bool BeginItem(const char* label, ImU32 legend_color)
{
    PlotContext& c = Ctx();
    IM_ASSERT(c.in_plot && "plot item outside BeginPlot/EndPlot");
    if (!label)
        return true;
    const char* end = LabelEnd(label);
    if (end == label || (c.flags & PlotFlags_NoLegend))
        return true; // without a legend entry nothing could un-hide it
    const ImGuiID id = ImGui::GetID(label);
    const bool hidden = ImGui::GetStateStorage()->GetBool(id, false);
    for (const LegendEntry& entry : c.legend)
        if (entry.id == id)
            return !hidden;
    c.legend.push_back(LegendEntry{ id, WithAlpha(legend_color, 1.0f), StoreText(label, end), hidden, c.next_line_style });
    return !hidden;
}

namespace {

const double kPadFractionY = 0.05;

// The corner of the area (LegendCorner) for a legend box of `size`: the one that covers the
// least of the plot's points, newest points and notes. The corner of the last frame stays
// unless another covers less than half as much, so that a legend does not hop about.
ImVec2 LegendBoxMin(PlotContext& c, const ImVec2& size, float inset)
{
    const auto box_min = [&](int corner) {
        const bool right = corner == LegendCorner_TopRight || corner == LegendCorner_BottomRight;
        const bool top = corner == LegendCorner_TopRight || corner == LegendCorner_TopLeft;
        return ImVec2(right ? c.area_max.x - inset - size.x : c.area_min.x + inset,
                      top ? c.area_min.y + inset : c.area_max.y - inset - size.y);
    };
    float cost[4];
    int best = 0;
    for (int corner = 0; corner < 4; ++corner)
    {
        const ImVec2 min = box_min(corner);
        cost[corner] = c.occupancy.Sum(min, ImVec2(min.x + size.x, min.y + size.y));
        if (cost[corner] < cost[best])
            best = corner;
    }
    PlotMemory& memory = MemoryFor(c.id);
    int& corner = memory.legend_corner;
    if (corner < 0 || corner > 3 || cost[best] < 0.5f * cost[corner])
        corner = best;
    return box_min(corner);
}

// In the corner of the area that covers the least data (top right where nothing is in the
// way); a click on an entry toggles its series.
// Returns whether the mouse is over the legend (then no read-out is shown).
bool DrawLegend(PlotContext& c)
{
    if ((c.flags & PlotFlags_NoLegend) || c.legend.empty())
        return false;
    const float font_size = ImGui::GetFontSize();
    const float inset = Px(kLegendInset);
    const float padding = Px(kLegendPadding);
    const float gap = Px(kLegendPadding);
    const float row_height = font_size + Px(2.0f);
    const float swatch = std::floor(font_size * 0.7f);
    float widest = 0.0f;
    for (const LegendEntry& entry : c.legend)
        widest = std::max(widest, ImGui::CalcTextSize(TextAt(entry.label)).x);
    const ImVec2 box_size(2.0f * padding + swatch + gap + widest, 2.0f * padding + row_height * (float)c.legend.size());
    const ImVec2 box_min = LegendBoxMin(c, box_size, inset);
    const ImVec2 box_max(box_min.x + box_size.x, box_min.y + box_size.y);
    c.legend_min = box_min;
    c.legend_max = box_max;
    const bool legend_hovered = c.frame_hovered && MouseIn(box_min, box_max);

    ImDrawList* dl = c.draw_list;
    dl->AddRectFilled(box_min, box_max, ImGui::GetColorU32(ImGuiCol_PopupBg, 0.85f));
    dl->AddRect(box_min, box_max, ImGui::GetColorU32(ImGuiCol_Border));
    for (size_t i = 0; i < c.legend.size(); ++i)
    {
        const LegendEntry& entry = c.legend[i];
        const ImVec2 row_min(box_min.x, box_min.y + padding + row_height * (float)i);
        const ImVec2 row_max(box_max.x, row_min.y + row_height);
        const bool row_hovered = legend_hovered && MouseIn(row_min, row_max);
        if (row_hovered)
        {
            ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
            dl->AddRectFilled(row_min, row_max, ImGui::GetColorU32(ImGuiCol_HeaderHovered, 0.5f));
            if (ImGui::IsMouseClicked(ImGuiMouseButton_Left))
                ImGui::GetStateStorage()->SetBool(entry.id, !entry.hidden);
        }
        const ImVec2 swatch_min(row_min.x + padding, row_min.y + 0.5f * (row_height - swatch));
        const ImVec2 swatch_max(swatch_min.x + swatch, swatch_min.y + swatch);
        if (entry.hidden)
            dl->AddRect(swatch_min, swatch_max, ImGui::GetColorU32(ImGuiCol_TextDisabled));
        else if (entry.line_style == LineStyle_Solid)
            dl->AddRectFilled(swatch_min, swatch_max, entry.color);
        else
        {
            // A sample of the line: its dashes, wider than the swatch so two or three show.
            const float y = 0.5f * (swatch_min.y + swatch_max.y);
            const std::vector<PixelPoint> sample = { { swatch_min.x - 0.5f * swatch, y }, { swatch_max.x, y } };
            DrawStyledPolyline(sample, entry.color, 2.5f * c.scale, entry.line_style);
        }
        const ImU32 text_color = ImGui::GetColorU32(entry.hidden ? ImGuiCol_TextDisabled : ImGuiCol_Text);
        dl->AddText(ImVec2(swatch_max.x + gap, row_min.y + 0.5f * (row_height - font_size)), text_color,
                    TextAt(entry.label));
    }
    return legend_hovered;
}

void DrawCrosshair(PlotContext& c)
{
    const float px = std::floor(ImGui::GetIO().MousePos.x) + 0.5f;
    c.draw_list->AddLine(ImVec2(px, c.area_min.y), ImVec2(px, c.area_max.y), ImGui::GetColorU32(ImGuiCol_Text, 0.35f),
                         Px(kThinLine));
    for (const HoverEntry& entry : c.hover)
        if (entry.has_marker)
        {
            c.draw_list->AddCircleFilled(entry.marker, Px(kMarkerRadius), entry.color);
            c.draw_list->AddCircle(entry.marker, Px(kMarkerRadius), ImGui::GetColorU32(ImGuiCol_Text), 0,
                                   Px(kThinLine));
        }
}

void ShowReadout(const PlotContext& c)
{
    char value[64];
    const double x = c.hover.empty() ? c.mouse_x : c.hover.front().x;
    FormatValue(x, value, (int)sizeof(value));
    const AxisState& x_axis = c.axes[Axis_X];
    ImGui::BeginTooltip();
    ImGui::Text("%s %s", x_axis.label >= 0 ? TextAt(x_axis.label) : "x", value);
    float widest = 0.0f;
    for (const HoverEntry& entry : c.hover)
        widest = std::max(widest, ImGui::CalcTextSize(TextAt(entry.label)).x);
    for (const HoverEntry& entry : c.hover)
    {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(WithAlpha(entry.color, 1.0f)), "%s", TextAt(entry.label));
        ImGui::SameLine(widest + ImGui::GetFontSize());
        FormatValue(entry.y, value, (int)sizeof(value));
        ImGui::TextUnformatted(value);
    }
    ImGui::EndTooltip();
}

// Centred on top; with a tooltip, a dimmed "(?)" tells students there is more.
// Returns whether the mouse is over the title.
bool DrawTitle(PlotContext& c)
{
    if ((c.flags & PlotFlags_NoTitle) || TextAt(c.title)[0] == '\0')
        return false;
    const bool has_tooltip = !c.title_tooltip.empty() || c.title_tooltip_builder;
    const char* hint = " (?)";
    const char* title = TextAt(c.title);
    // A title wider than the frame (large UI scales, narrow plots) is drawn smaller, down to
    // 70% of the font, before the frame's edge cuts it.
    ImFont* font = ImGui::GetFont();
    const float room = c.frame_max.x - c.frame_min.x;
    float font_size = ImGui::GetFontSize();
    const float natural = ImGui::CalcTextSize(title).x + (has_tooltip ? ImGui::CalcTextSize(hint).x : 0.0f);
    if (natural > room && natural > 0.0f)
        font_size *= std::max(0.7f, room / natural);
    const float title_width = font->CalcTextSizeA(font_size, FLT_MAX, 0.0f, title).x;
    const float width = title_width + (has_tooltip ? font->CalcTextSizeA(font_size, FLT_MAX, 0.0f, hint).x : 0.0f);
    const float center = 0.5f * (c.frame_min.x + c.frame_max.x);
    const ImVec2 title_min(std::max(c.frame_min.x, center - 0.5f * width), c.frame_min.y + Px(kFramePadding));
    const ImVec2 title_max(title_min.x + width, title_min.y + font_size);
    c.draw_list->AddText(font, font_size, title_min, ImGui::GetColorU32(ImGuiCol_Text), title);
    if (has_tooltip)
        c.draw_list->AddText(font, font_size, ImVec2(title_min.x + title_width, title_min.y),
                             ImGui::GetColorU32(ImGuiCol_TextDisabled), hint);
    return c.frame_hovered && MouseIn(title_min, title_max);
}

void StoreFit(PlotContext& c)
{
    PlotMemory& memory = MemoryFor(c.id);
    for (int a = 0; a < 2; ++a)
    {
        AxisState& axis = c.axes[a];
        if (axis.fixed)
            continue;
        FitBounds fit = axis.fit;
        if (!fit.IsEmpty() && (axis.flags & AxisFlags_AutoFitZero))
            fit.Extend(0.0);
        const bool log = (axis.flags & AxisFlags_Log) != 0;
        const double pad = a == Axis_Y ? kPadFractionY : 0.0;
        const bool has_data = log ? fit.HasPositive() : !fit.IsEmpty();
        // Nothing submitted (all hidden, no data yet): keep the last range
        // rather than jumping to [0, 1] and back.
        if (has_data)
            memory.ranges[a] = log ? FitLog(fit, pad) : FitLinear(fit, pad);
        else if (!memory.has_range[a])
            memory.ranges[a] = DefaultRange(axis);
        memory.has_range[a] = true;
    }
}

} // namespace
} // namespace detail

using namespace detail;

PlotContext* CreateContext()
{
    PlotContext* context = new PlotContext();
    if (!g_current_context)
        g_current_context = context;
    return context;
}

void DestroyContext(PlotContext* context)
{
    if (!context)
        context = g_current_context;
    if (!context)
        return;
    IM_ASSERT(!context->in_plot && "DestroyContext: inside BeginPlot/EndPlot");
    if (context == g_current_context)
        g_current_context = nullptr;
    delete context;
}

PlotContext* GetCurrentContext() { return g_current_context; }

void SetCurrentContext(PlotContext* context) { g_current_context = context; }

void SetScale(float scale)
{
    if (std::isfinite(scale) && scale > 0.0f)
        Ctx().scale = std::clamp(scale, 0.25f, 8.0f);
}

float GetScale() { return Ctx().scale; }

bool BeginPlot(const char* title_id, const ImVec2& size, PlotFlags flags)
{
    // Programming errors: they assert in a debug build; a release build ignores the call.
    IM_ASSERT(g_current_context && "BeginPlot: no plot context (plot::CreateContext missing?)");
    if (!g_current_context)
        return false;
    PlotContext& c = Ctx();
    IM_ASSERT(!c.in_plot && "BeginPlot: nested inside another plot (EndPlot missing?)");
    IM_ASSERT(title_id && "BeginPlot: no title");
    if (c.in_plot || !title_id || !ImGui::GetCurrentContext())
        return false;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImVec2 frame_size;
    frame_size.x = size.x > 0.0f ? size.x : avail.x + size.x;
    frame_size.y = size.y > 0.0f ? size.y : (size.y < 0.0f ? avail.y + size.y : ImGui::GetFontSize() * 18.0f);
    if (!(frame_size.x >= 1.0f && frame_size.y >= 1.0f)) // also rejects NaN
        return false;

    const ImGuiID id = ImGui::GetID(title_id);
    ImGui::InvisibleButton(title_id, frame_size);
    if (!ImGui::IsItemVisible())
        return false;

    c.in_plot = true;
    c.setup_done = false;
    c.ready = false;
    c.hover_active = false;
    c.clip_pushed = false;
    c.id = id;
    c.flags = flags;
    c.draw_list = ImGui::GetWindowDrawList();
    c.frame_min = ImGui::GetItemRectMin();
    c.frame_max = ImGui::GetItemRectMax();
    c.area_min = c.frame_min;
    c.area_max = c.frame_max;
    c.frame_hovered = ImGui::IsItemHovered();
    c.text.clear();
    c.legend.clear();
    c.legend_min = c.legend_max = ImVec2(0.0f, 0.0f);
    c.next_line_style = LineStyle_Solid;
    c.hover.clear();
    c.title_tooltip.clear();
    c.title_tooltip_builder = nullptr;
    c.title_tooltip_data = nullptr;
    for (AxisState& axis : c.axes)
    {
        axis.flags = 0;
        axis.label = -1;
        axis.fixed = false;
        axis.fit = FitBounds();
        axis.ticks.clear();
        axis.tick_labels.clear();
    }
    c.title = StoreText(title_id, LabelEnd(title_id));
    // Legend visibility lives in ImGui's storage under plot id + label.
    ImGui::PushID(title_id);
    return true;
}

void SetupAxes(const char* x_label, const char* y_label, AxisFlags x_flags, AxisFlags y_flags)
{
    PlotContext& c = Ctx();
    if (!c.in_plot || c.setup_done)
        return;
    const char* labels[2] = { x_label, y_label };
    const AxisFlags flags[2] = { x_flags, y_flags };
    for (int a = 0; a < 2; ++a)
    {
        c.axes[a].flags = flags[a];
        const char* end = labels[a] ? LabelEnd(labels[a]) : nullptr;
        c.axes[a].label = end && end != labels[a] ? StoreText(labels[a], end) : -1;
    }
}

void SetupAxisLimits(Axis axis, double lo, double hi)
{
    PlotContext& c = Ctx();
    if (!c.in_plot || c.setup_done || (axis != Axis_X && axis != Axis_Y))
        return;
    c.axes[axis].fixed = true;
    c.axes[axis].fixed_range = Range{ lo, hi };
}

void SetTitleTooltip(const char* fmt, ...)
{
    PlotContext& c = Ctx();
    if (!c.in_plot || !fmt)
        return;
    va_list args;
    va_start(args, fmt);
    va_list args_copy;
    va_copy(args_copy, args);
    const int length = std::vsnprintf(nullptr, 0, fmt, args);
    if (length > 0)
    {
        c.title_tooltip.resize((size_t)length + 1);
        std::vsnprintf(c.title_tooltip.data(), c.title_tooltip.size(), fmt, args_copy);
    }
    va_end(args_copy);
    va_end(args);
}

void SetTitleTooltipBuilder(TitleTooltipBuilder build, void* user_data)
{
    PlotContext& c = Ctx();
    if (!c.in_plot)
        return;
    c.title_tooltip_builder = build;
    c.title_tooltip_data = user_data;
}

bool IsPlotHovered()
{
    PlotContext& c = Ctx();
    if (!c.in_plot)
        return false;
    EnsureSetup();
    return c.frame_hovered && MouseIn(c.area_min, c.area_max);
}

ImVec2 GetPlotMousePos()
{
    PlotContext& c = Ctx();
    if (!c.in_plot)
        return ImVec2(0.0f, 0.0f);
    EnsureSetup();
    return ImVec2((float)c.mouse_x, (float)c.mouse_y);
}

void ReserveText(const ImVec2& min, const ImVec2& max)
{
    PlotContext& c = Ctx();
    if (!c.in_plot)
        return;
    EnsureSetup();
    c.occupancy.AddRect(min, max, kOccupancyKeep);
}

void GetLastLegendRect(ImVec2* min, ImVec2* max)
{
    const PlotContext& c = Ctx();
    *min = c.legend_min;
    *max = c.legend_max;
}

ImVec2 GetPlotPos()
{
    PlotContext& c = Ctx();
    if (!c.in_plot)
        return ImVec2(0.0f, 0.0f);
    EnsureSetup();
    return c.area_min;
}

ImVec2 GetPlotSize()
{
    PlotContext& c = Ctx();
    if (!c.in_plot)
        return ImVec2(0.0f, 0.0f);
    EnsureSetup();
    return ImVec2(std::max(0.0f, c.area_max.x - c.area_min.x), std::max(0.0f, c.area_max.y - c.area_min.y));
}

ImVec2 PlotToPixels(double x, double y)
{
    PlotContext& c = Ctx();
    if (!c.in_plot)
        return ImVec2(0.0f, 0.0f);
    EnsureSetup();
    return ToScreen(x, y);
}

void EndPlot()
{
    PlotContext& c = Ctx();
    IM_ASSERT(c.in_plot && "EndPlot: no BeginPlot returned true before it");
    if (!c.in_plot)
        return;
    EnsureSetup();

    bool legend_hovered = false;
    if (c.clip_pushed)
    {
        legend_hovered = DrawLegend(c);
        if (c.hover_active && !legend_hovered)
            DrawCrosshair(c);
        c.draw_list->PopClipRect();
        c.draw_list->AddRect(c.area_min, c.area_max, ImGui::GetColorU32(ImGuiCol_Text, 0.35f), 0.0f, 0, Px(kThinLine));
    }
    c.draw_list->PushClipRect(c.frame_min, c.frame_max, true);
    const bool title_hovered = DrawTitle(c);
    c.draw_list->PopClipRect();
    if (title_hovered && c.title_tooltip_builder)
        c.title_tooltip_builder(c.title_tooltip_data);
    if (title_hovered && !c.title_tooltip.empty())
    {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
        ImGui::TextUnformatted(c.title_tooltip.data());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    else if (c.hover_active && !legend_hovered)
    {
        ShowReadout(c);
    }

    StoreFit(c);
    ImGui::PopID();
    c.in_plot = false;
}

namespace detail {

void Occupancy::Reset(const ImVec2& area_min, const ImVec2& area_max)
{
    min = area_min;
    max = area_max;
    std::fill(std::begin(weight), std::end(weight), 0.0f);
}

void Occupancy::AddPoint(const ImVec2& p, float w)
{
    AddRect(p, p, w);
}

void Occupancy::AddRect(const ImVec2& rect_min, const ImVec2& rect_max, float w)
{
    const float width = max.x - min.x, height = max.y - min.y;
    if (!(width > 0.0f && height > 0.0f) || !(rect_max.x >= min.x && rect_min.x <= max.x) ||
        !(rect_max.y >= min.y && rect_min.y <= max.y))
        return; // also a NaN point (a break in a line)
    const auto cell = [](float v, float lo, float size) {
        return std::clamp((int)((v - lo) / size * (float)kOccupancyCells), 0, kOccupancyCells - 1);
    };
    const int x0 = cell(rect_min.x, min.x, width), x1 = cell(rect_max.x, min.x, width);
    const int y0 = cell(rect_min.y, min.y, height), y1 = cell(rect_max.y, min.y, height);
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
            weight[y * kOccupancyCells + x] += w;
}

float Occupancy::Sum(const ImVec2& rect_min, const ImVec2& rect_max) const
{
    const float width = max.x - min.x, height = max.y - min.y;
    if (!(width > 0.0f && height > 0.0f))
        return 0.0f;
    const auto cell = [](float v, float lo, float size) {
        return std::clamp((int)((v - lo) / size * (float)kOccupancyCells), 0, kOccupancyCells - 1);
    };
    float sum = 0.0f;
    for (int y = cell(rect_min.y, min.y, height); y <= cell(rect_max.y, min.y, height); ++y)
        for (int x = cell(rect_min.x, min.x, width); x <= cell(rect_max.x, min.x, width); ++x)
            sum += weight[y * kOccupancyCells + x];
    return sum;
}

} // namespace detail

} // namespace plot
