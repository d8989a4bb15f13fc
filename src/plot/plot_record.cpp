// Recording for the layout tests (plot_record.h). The text a plot shows is found in what was
// drawn, not in what was declared: every glyph quad the plot's draw list received between
// BeginPlot and EndPlot (its own labels, and the notes the caller wrote over it), so a note
// that forgot plot::ReserveText is caught too.
#include "plot/plot_record.h"

#include "plot/plot_internal.h"

#include <algorithm>
#include <cfloat>

namespace plot {
namespace detail {
namespace {

bool Recording(const PlotContext& c) { return c.record.on && c.in_plot && !c.record.records.empty(); }

// Every quad of font-atlas glyphs among the draw list's vertices [begin, end), but those in
// [skip_begin, skip_end) (the legend's own). Shapes use the atlas's white pixel, anti-aliased
// thin lines its baked lines: neither is text. Images (other textures) are left out.
void CollectGlyphs(const ImDrawList* dl, int begin, int end, int skip_begin, int skip_end,
                   std::vector<PixelRect>& out)
{
    if (end <= begin)
        return;
    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const ImVec2 white = atlas->TexUvWhitePixel;
    ImVec2 lines_min(FLT_MAX, FLT_MAX), lines_max(-FLT_MAX, -FLT_MAX);
    for (const ImVec4& uv : atlas->TexUvLines)
    {
        lines_min = ImVec2(std::min(lines_min.x, std::min(uv.x, uv.z)), std::min(lines_min.y, std::min(uv.y, uv.w)));
        lines_max = ImVec2(std::max(lines_max.x, std::max(uv.x, uv.z)), std::max(lines_max.y, std::max(uv.y, uv.w)));
    }
    std::vector<char> textured((size_t)(end - begin), 0);
    for (const ImDrawCmd& cmd : dl->CmdBuffer)
    {
        if (cmd.UserCallback || cmd.TextureId != atlas->TexID)
            continue;
        for (unsigned int i = cmd.IdxOffset; i < cmd.IdxOffset + cmd.ElemCount && i < (unsigned int)dl->IdxBuffer.Size;
             ++i)
        {
            const int v = (int)(cmd.VtxOffset + dl->IdxBuffer[(int)i]);
            if (v >= begin && v < end)
                textured[(size_t)(v - begin)] = 1;
        }
    }
    const auto glyph_vertex = [&](int v) {
        if (v >= end || !textured[(size_t)(v - begin)] || (v >= skip_begin && v < skip_end))
            return false;
        const ImDrawVert& vertex = dl->VtxBuffer[v];
        if ((vertex.col & IM_COL32_A_MASK) == 0 || (vertex.uv.x == white.x && vertex.uv.y == white.y))
            return false;
        return !(vertex.uv.x >= lines_min.x && vertex.uv.x <= lines_max.x && vertex.uv.y >= lines_min.y &&
                 vertex.uv.y <= lines_max.y);
    };
    for (int v = begin; v < end;)
    {
        if (!(glyph_vertex(v) && glyph_vertex(v + 1) && glyph_vertex(v + 2) && glyph_vertex(v + 3)))
        {
            ++v;
            continue;
        }
        PixelRect rect{ dl->VtxBuffer[v].pos, dl->VtxBuffer[v].pos };
        for (int k = 1; k < 4; ++k)
        {
            const ImVec2 p = dl->VtxBuffer[v + k].pos;
            rect.min = ImVec2(std::min(rect.min.x, p.x), std::min(rect.min.y, p.y));
            rect.max = ImVec2(std::max(rect.max.x, p.x), std::max(rect.max.y, p.y));
        }
        out.push_back(rect);
        v += 4;
    }
}

} // namespace

void RecordBegin(PlotContext& c)
{
    RecordState& record = c.record;
    if (!record.on)
        return;
    if (record.frame != ImGui::GetFrameCount())
    {
        record.records.clear();
        record.frame = ImGui::GetFrameCount();
    }
    record.records.emplace_back();
    PlotRecord& r = record.records.back();
    r.title = TextAt(c.title);
    r.frame = PixelRect{ c.frame_min, c.frame_max };
    r.body_font = ImGui::GetFontSize();
    r.smallest_font = r.body_font; // ticks, labels and legend use it; the title says if smaller
    record.vtx_begin = c.draw_list->VtxBuffer.Size;
    record.legend_vtx_begin = record.legend_vtx_end = 0;
}

void RecordNewest(PlotContext& c, const ImVec2& p)
{
    if (Recording(c))
        c.record.records.back().newest.push_back(p);
}

void RecordData(PlotContext& c, const ImVec2& p)
{
    if (Recording(c))
        c.record.records.back().data.push_back(p);
}

void RecordFont(PlotContext& c, float size)
{
    if (Recording(c))
        c.record.records.back().smallest_font = std::min(c.record.records.back().smallest_font, size);
}

void RecordEnd(PlotContext& c)
{
    if (!Recording(c))
        return;
    PlotRecord& r = c.record.records.back();
    r.area = PixelRect{ c.area_min, c.area_max };
    r.has_legend = c.legend_max.x > c.legend_min.x && c.legend_max.y > c.legend_min.y;
    r.legend = PixelRect{ c.legend_min, c.legend_max };
    CollectGlyphs(c.draw_list, c.record.vtx_begin, c.draw_list->VtxBuffer.Size, c.record.legend_vtx_begin,
                  c.record.legend_vtx_end, r.glyphs);
}

} // namespace detail

void SetRecording(bool on)
{
    detail::RecordState& record = detail::Ctx().record;
    record.on = on;
    if (!on)
    {
        record.records.clear();
        record.records.shrink_to_fit();
    }
}

const std::vector<PlotRecord>& GetFrameRecords()
{
    static const std::vector<PlotRecord> kNone;
    const detail::RecordState& record = detail::Ctx().record;
    return record.on && record.frame == ImGui::GetFrameCount() ? record.records : kNone;
}

LegendCover LegendCovers(const PlotRecord& record)
{
    LegendCover cover;
    if (!record.has_legend)
        return cover;
    // A pixel of overlap is tolerated: anti-aliased edges touch.
    const ImVec2 min(record.legend.min.x + 1.0f, record.legend.min.y + 1.0f);
    const ImVec2 max(record.legend.max.x - 1.0f, record.legend.max.y - 1.0f);
    const auto note = [&cover](const ImVec2& at) {
        if (cover.glyphs + cover.newest == 0)
            cover.first = at;
    };
    for (const PixelRect& glyph : record.glyphs)
        if (glyph.max.x > min.x && glyph.min.x < max.x && glyph.max.y > min.y && glyph.min.y < max.y)
        {
            note(glyph.min);
            ++cover.glyphs;
        }
    const auto inside = [&](const ImVec2& p) { return p.x > min.x && p.x < max.x && p.y > min.y && p.y < max.y; };
    for (const ImVec2& p : record.newest)
        if (inside(p))
        {
            note(p);
            ++cover.newest;
        }
    int hidden = 0;
    for (const ImVec2& p : record.data)
        hidden += inside(p) ? 1 : 0;
    cover.data_share = record.data.empty() ? 0.0f : (float)hidden / (float)record.data.size();
    return cover;
}

} // namespace plot
