#include "plot/segments.h"

#include <imgui_internal.h>

#include <algorithm>

namespace plot {

namespace {

// Segments a reservation holds at most: 4 096 vertices, well inside 16-bit indices.
const int kMaxReservation = 512;

void Put(ImDrawVert* v, ImVec2 pos, ImVec2 uv, ImU32 col)
{
    v->pos = pos;
    v->uv = uv;
    v->col = col;
}

} // namespace

// The paths and widths are those of ImDrawList::AddPolyline for an open two-point line.
SegmentBatch::SegmentBatch(ImDrawList* draw_list, ImU32 color, float thickness, int expected_segments)
    : draw_list_(draw_list), color_(color), thickness_(thickness),
      next_reservation_(std::min(std::max(expected_segments, 1), kMaxReservation))
{
    if ((color & IM_COL32_A_MASK) == 0)
    {
        path_ = Path::Skip;
        return;
    }
    if ((draw_list->Flags & ImDrawListFlags_AntiAliasedLines) == 0)
        return;
    const float fringe = draw_list->_FringeScale;
    const float width = std::max(thickness, 1.0f); // thinner lines are drawn one pixel wide
    const int whole = (int)width;
    if ((draw_list->Flags & ImDrawListFlags_AntiAliasedLinesUseTex) && whole < IM_DRAWLIST_TEX_LINES_WIDTH_MAX &&
        width - (float)whole <= 0.00001f && fringe == 1.0f)
    {
        path_ = Path::Textured;
        outer_ = width * 0.5f + 1.0f;
        const ImVec4 uv = draw_list->_Data->TexUvLines[whole];
        uv0_ = ImVec2(uv.x, uv.y);
        uv1_ = ImVec2(uv.z, uv.w);
        vertices_per_segment_ = 4;
        indices_per_segment_ = 6;
    }
    else if (thickness > fringe)
    {
        path_ = Path::Thick;
        inner_ = (width - fringe) * 0.5f;
        outer_ = inner_ + fringe;
        vertices_per_segment_ = 8;
        indices_per_segment_ = 18;
    }
}

void SegmentBatch::Reserve()
{
    Flush();
    draw_list_->PrimReserve(next_reservation_ * indices_per_segment_, next_reservation_ * vertices_per_segment_);
    room_ = next_reservation_;
    next_reservation_ = kMaxReservation;
}

void SegmentBatch::Flush()
{
    if (room_ > 0)
        draw_list_->PrimUnreserve(room_ * indices_per_segment_, room_ * vertices_per_segment_);
    room_ = 0;
}

void SegmentBatch::Add(ImVec2 from, ImVec2 to)
{
    if (path_ == Path::Skip)
        return;
    if (path_ == Path::AddLine)
    {
        draw_list_->AddLine(from, to, color_, thickness_);
        return;
    }
    if (room_ == 0)
        Reserve();

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
    if (path_ == Path::Textured)
    {
        for (int e = 0; e < 2; ++e)
        {
            const ImVec2 p = ends[e];
            const ImVec2 out(normals[e].x * outer_, normals[e].y * outer_);
            Put(&v[0], ImVec2(p.x + out.x, p.y + out.y), uv0_, color_);
            Put(&v[1], ImVec2(p.x - out.x, p.y - out.y), uv1_, color_);
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
            const ImVec2 out(normals[e].x * outer_, normals[e].y * outer_);
            const ImVec2 in(normals[e].x * inner_, normals[e].y * inner_);
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
    draw_list_->_VtxWritePtr += vertices_per_segment_;
    draw_list_->_IdxWritePtr += indices_per_segment_;
    draw_list_->_VtxCurrentIdx += (unsigned int)vertices_per_segment_;
    --room_;
}

} // namespace plot
