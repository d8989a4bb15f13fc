#include "plot/dots.h"

#include <imgui_internal.h>

#include <algorithm>

namespace plot {

namespace {

const size_t kMaxStamps = 16;

} // namespace

bool DotStamp::Matches(const ImDrawList* like, float r) const
{
    return radius == r && flags == like->Flags && fringe == like->_FringeScale;
}

void DotStamp::Record(const ImDrawList* like, float r)
{
    radius = r;
    flags = like->Flags;
    fringe = like->_FringeScale;
    ImDrawList scratch(like->_Data);
    scratch._ResetForNewFrame();
    scratch.Flags = flags;
    scratch._FringeScale = fringe;
    scratch.AddCircleFilled(ImVec2(0.0f, 0.0f), r, IM_COL32_WHITE);
    offsets.clear();
    clear.clear();
    indices.assign(scratch.IdxBuffer.begin(), scratch.IdxBuffer.end());
    uv = like->_Data->TexUvWhitePixel;
    for (const ImDrawVert& v : scratch.VtxBuffer)
    {
        offsets.push_back(v.pos);
        clear.push_back((v.col & IM_COL32_A_MASK) == 0 ? 1 : 0);
    }
}

const DotStamp& DotStamps::For(const ImDrawList* like, float radius)
{
    for (const DotStamp& stamp : stamps_)
        if (stamp.Matches(like, radius))
            return stamp;
    // A fixed capacity: a batch's stamp stays where it is while others are recorded.
    if (stamps_.capacity() < kMaxStamps)
        stamps_.reserve(kMaxStamps);
    DotStamp* stamp = nullptr;
    if (stamps_.size() < kMaxStamps)
    {
        stamps_.emplace_back();
        stamp = &stamps_.back();
    }
    else
    {
        stamp = &stamps_[next_replaced_];
        next_replaced_ = (next_replaced_ + 1) % kMaxStamps;
    }
    stamp->Record(like, radius);
    return *stamp;
}

DotBatch::DotBatch(ImDrawList* draw_list, DotStamps& stamps, float radius, int expected_dots)
    : draw_list_(draw_list), stamp_(stamps.For(draw_list, radius)),
      items_(draw_list, (int)stamp_.offsets.size(), (int)stamp_.indices.size(), expected_dots)
{
}

void DotBatch::Add(ImVec2 centre, ImU32 color)
{
    // AddCircleFilled draws nothing transparent, nor below half a pixel (an empty stamp).
    if ((color & IM_COL32_A_MASK) == 0 || stamp_.offsets.empty())
        return;
    items_.Open();
    const ImU32 clear_color = color & ~IM_COL32_A_MASK;
    ImDrawVert* v = draw_list_->_VtxWritePtr;
    for (size_t k = 0; k < stamp_.offsets.size(); ++k)
    {
        v[k].pos = ImVec2(centre.x + stamp_.offsets[k].x, centre.y + stamp_.offsets[k].y);
        v[k].uv = stamp_.uv;
        v[k].col = stamp_.clear[k] ? clear_color : color;
    }
    const unsigned int first = draw_list_->_VtxCurrentIdx;
    ImDrawIdx* i = draw_list_->_IdxWritePtr;
    for (size_t k = 0; k < stamp_.indices.size(); ++k)
        i[k] = (ImDrawIdx)(first + stamp_.indices[k]);
    items_.Close();
}

} // namespace plot
