// Items of one size (so many vertices and indices) written straight into an ImDrawList:
// room for them is reserved in chunks, each item is written at the list's write pointers,
// and Flush returns the room no item used. SegmentBatch and DotBatch write through it.
#pragma once

#include <imgui.h>

namespace plot {

class ReservedItems
{
public:
    // `expected_items` sizes the first chunk (a hint; more may come); a chunk holds at most
    // 16 384 vertices, well inside 16-bit indices.
    ReservedItems(ImDrawList* draw_list, int vertices, int indices, int expected_items);
    ~ReservedItems() { Flush(); }
    ReservedItems(const ReservedItems&) = delete;
    ReservedItems& operator=(const ReservedItems&) = delete;

    // Room for one more item: its vertices go to draw_list->_VtxWritePtr, numbered from
    // draw_list->_VtxCurrentIdx, its indices to draw_list->_IdxWritePtr.
    void Open()
    {
        if (room_ == 0)
            Reserve();
    }
    // The item is written: the write pointers move past it.
    void Close()
    {
        draw_list_->_VtxWritePtr += vertices_;
        draw_list_->_IdxWritePtr += indices_;
        draw_list_->_VtxCurrentIdx += (unsigned int)vertices_;
        --room_;
    }
    // Returns the reserved room no item used. Anything else drawn into the list before this
    // would land behind the reservation, so flush first.
    void Flush();

private:
    void Reserve();

    ImDrawList* draw_list_;
    int vertices_;
    int indices_;
    int max_chunk_;  // items
    int next_chunk_; // items
    int room_ = 0;   // reserved items not yet written
};

} // namespace plot
