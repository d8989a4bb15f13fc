// The plot frame: the context, Begin/EndPlot and their setup calls, legend entries, the
// crosshair and the hover read-out. Axes: plot_axes.cpp; legend: plot_legend.cpp; title:
// plot_title.cpp; items: plot_lines.cpp and plot_shapes.cpp.
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
    c.title_lines[0] = c.title_lines[1] = -1;
    c.title_cut = false;
    c.legend_above = false;
    RecordBegin(c);
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
    c.occupancy.AddKeep(min, max);
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
        c.record.legend_vtx_begin = c.draw_list->VtxBuffer.Size;
        legend_hovered = DrawLegend(c);
        c.record.legend_vtx_end = c.draw_list->VtxBuffer.Size;
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
    if (title_hovered && (!c.title_tooltip.empty() || c.title_cut))
    {
        // A title cut short shows whole here, above what the tooltip says.
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
        if (c.title_cut)
            ImGui::TextUnformatted(TextAt(c.title));
        if (c.title_cut && !c.title_tooltip.empty())
            ImGui::Separator();
        if (!c.title_tooltip.empty())
            ImGui::TextUnformatted(c.title_tooltip.data());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
    else if (c.hover_active && !legend_hovered)
    {
        ShowReadout(c);
    }

    RecordEnd(c);
    StoreFit(c);
    ImGui::PopID();
    c.in_plot = false;
}

} // namespace plot
