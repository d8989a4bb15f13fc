// Filled dots written into an ImDrawList in batches: each dot the vertices and triangles
// ImGui's AddCircleFilled would write, stamped from one circle recorded around (0, 0) instead
// of building the polygon, its normals and its anti-aliased fringe anew for every dot.
// Through AddCircleFilled, the Train vs eval view's dots were about half of its frame's
// build (perf).
//
//     DotBatch batch(draw_list, stamps, radius, expected_dots);
//     batch.Add(centre, color);
//     ...
//     batch.Flush(); // before anything else draws into the list; the destructor flushes too
#pragma once

#include "plot/reserved_items.h"

#include <imgui.h>

#include <vector>

namespace plot {

// One circle as AddCircleFilled draws it around (0, 0) into a list like `like`.
struct DotStamp
{
    float radius = 0.0f;
    ImDrawListFlags flags = 0;
    float fringe = 0.0f;
    std::vector<ImVec2> offsets;       // vertex positions around the centre
    std::vector<unsigned char> clear;  // 1: the vertex takes the colour without its alpha (the fringe)
    std::vector<unsigned int> indices; // relative to the first vertex
    ImVec2 uv;

    bool Matches(const ImDrawList* like, float r) const;
    void Record(const ImDrawList* like, float r);
};

// The stamps recorded so far, one per radius and list setting; a frame's few radii are
// recorded once and then reused, so steady frames allocate nothing.
class DotStamps
{
public:
    const DotStamp& For(const ImDrawList* like, float radius);

private:
    std::vector<DotStamp> stamps_;
    size_t next_replaced_ = 0;
};

class DotBatch
{
public:
    DotBatch(ImDrawList* draw_list, DotStamps& stamps, float radius, int expected_dots);

    // The dot AddCircleFilled(centre, radius, color) draws.
    void Add(ImVec2 centre, ImU32 color);

    // Before anything else draws into the list (the destructor flushes too).
    void Flush() { items_.Flush(); }

private:
    ImDrawList* draw_list_;
    const DotStamp& stamp_;
    ReservedItems items_;
};

} // namespace plot
