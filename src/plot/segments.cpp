#include "plot/segments.h"

#include <imgui_internal.h>

#include <algorithm>

namespace plot {

namespace {

void Put(ImDrawVert* v, ImVec2 pos, ImVec2 uv, ImU32 col)
{
    v->pos = pos;
    v->uv = uv;
    v->col = col;
}

} // namespace

// The paths and widths are those of ImDrawList::AddPolyline for an open two-point line.
SegmentBatch::Geometry SegmentBatch::GeometryFor(const ImDrawList* draw_list, ImU32 color, float thickness)
{
    Geometry g;
    if ((color & IM_COL32_A_MASK) == 0)
    {
        g.path = Path::Skip;
        return g;
    }
    if ((draw_list->Flags & ImDrawListFlags_AntiAliasedLines) == 0)
        return g;
    const float fringe = draw_list->_FringeScale;
    const float width = std::max(thickness, 1.0f); // thinner lines are drawn one pixel wide
    const int whole = (int)width;
    if ((draw_list->Flags & ImDrawListFlags_AntiAliasedLinesUseTex) && whole < IM_DRAWLIST_TEX_LINES_WIDTH_MAX &&
        width - (float)whole <= 0.00001f && fringe == 1.0f)
    {
        g.path = Path::Textured;
        g.outer = width * 0.5f + 1.0f;
        const ImVec4 uv = draw_list->_Data->TexUvLines[whole];
        g.uv0 = ImVec2(uv.x, uv.y);
        g.uv1 = ImVec2(uv.z, uv.w);
        g.vertices = 4;
        g.indices = 6;
    }
    else if (thickness > fringe)
    {
        g.path = Path::Thick;
        g.inner = (width - fringe) * 0.5f;
        g.outer = g.inner + fringe;
        g.vertices = 8;
        g.indices = 18;
    }
    return g;
}

SegmentBatch::SegmentBatch(ImDrawList* draw_list, ImU32 color, float thickness, int expected_segments)
    : draw_list_(draw_list), color_(color), thickness_(thickness),
      geometry_(GeometryFor(draw_list, color, thickness)),
      items_(draw_list, geometry_.vertices, geometry_.indices, expected_segments)
{
}

void SegmentBatch::Add(ImVec2 from, ImVec2 to)
{
    if (geometry_.path == Path::Skip)
        return;
    if (geometry_.path == Path::AddLine)
    {
        draw_list_->AddLine(from, to, color_, thickness_);
        return;
    }
    items_.Open();

    // AddLine strokes through pixel centres.
    const ImVec2 a(from.x + 0.5f, from.y + 0.5f);
    const ImVec2 b(to.x + 0.5f, to.y + 0.5f);
    float dx = b.x - a.x;
    float dy = b.y - a.y;
    const float length_squared = dx * dx + dy * dy;
    if (length_squared > 0.0f)
    {
        const float inverse_length = ImRsqrt(length_squared);
        dx *= inverse_length;
        dy *= inverse_length;
    }
    const ImVec2 normal(dy, -dx); // a zero-length segment collapses to nothing, as in AddLine
    // AddPolyline divides the end's normal by its squared length, which ImRsqrt's
    // approximation leaves up to ~4e-4 off 1: a hundredth of a pixel at 40 px wide.
    ImVec2 end_normal = normal;
    const float normal_squared = normal.x * normal.x + normal.y * normal.y;
    if (normal_squared > 0.000001f)
    {
        const float widen = std::min(1.0f / normal_squared, 100.0f);
        end_normal = ImVec2(normal.x * widen, normal.y * widen);
    }

    ImDrawVert* v = draw_list_->_VtxWritePtr;
    ImDrawIdx* i = draw_list_->_IdxWritePtr;
    const unsigned int first = draw_list_->_VtxCurrentIdx;
    const ImVec2 uv = draw_list_->_Data->TexUvWhitePixel;
    const ImVec2 ends[2] = { a, b };
    const ImVec2 normals[2] = { normal, end_normal };
    if (geometry_.path == Path::Textured)
    {
        for (int e = 0; e < 2; ++e)
        {
            const ImVec2 p = ends[e];
            const ImVec2 out(normals[e].x * geometry_.outer, normals[e].y * geometry_.outer);
            Put(&v[0], ImVec2(p.x + out.x, p.y + out.y), geometry_.uv0, color_);
            Put(&v[1], ImVec2(p.x - out.x, p.y - out.y), geometry_.uv1, color_);
            v += 2;
        }
        const unsigned int order[6] = { 2, 0, 1, 3, 1, 2 };
        for (int k = 0; k < 6; ++k)
            i[k] = (ImDrawIdx)(first + order[k]);
    }
    else
    {
        const ImU32 clear = color_ & ~IM_COL32_A_MASK;
        for (int e = 0; e < 2; ++e)
        {
            const ImVec2 p = ends[e];
            const ImVec2 out(normals[e].x * geometry_.outer, normals[e].y * geometry_.outer);
            const ImVec2 in(normals[e].x * geometry_.inner, normals[e].y * geometry_.inner);
            Put(&v[0], ImVec2(p.x + out.x, p.y + out.y), uv, clear);
            Put(&v[1], ImVec2(p.x + in.x, p.y + in.y), uv, color_);
            Put(&v[2], ImVec2(p.x - in.x, p.y - in.y), uv, color_);
            Put(&v[3], ImVec2(p.x - out.x, p.y - out.y), uv, clear);
            v += 4;
        }
        // The core quad and the two fringe quads, each two triangles (vertices 0-3 at `from`,
        // 4-7 at `to`), in AddPolyline's order.
        const unsigned int order[18] = { 5, 1, 2, 2, 6, 5, 5, 1, 0, 0, 4, 5, 6, 2, 3, 3, 7, 6 };
        for (int k = 0; k < 18; ++k)
            i[k] = (ImDrawIdx)(first + order[k]);
    }
    items_.Close();
}

} // namespace plot
