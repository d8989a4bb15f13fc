#include "plot/reserved_items.h"

#include <algorithm>

namespace plot {

namespace {

const int kMaxChunkVertices = 16384;

} // namespace

ReservedItems::ReservedItems(ImDrawList* draw_list, int vertices, int indices, int expected_items)
    : draw_list_(draw_list), vertices_(vertices), indices_(indices),
      max_chunk_(std::max(1, kMaxChunkVertices / std::max(1, vertices))),
      next_chunk_(std::min(std::max(expected_items, 1), max_chunk_))
{
}

void ReservedItems::Reserve()
{
    draw_list_->PrimReserve(next_chunk_ * indices_, next_chunk_ * vertices_);
    room_ = next_chunk_;
    next_chunk_ = max_chunk_;
}

void ReservedItems::Flush()
{
    if (room_ > 0)
        draw_list_->PrimUnreserve(room_ * indices_, room_ * vertices_);
    room_ = 0;
}

} // namespace plot
