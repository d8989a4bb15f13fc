// Straight line segments written into an ImDrawList in batches: for each segment the
// vertices ImGui's AddLine would write (its anti-aliased geometry, textured for whole-pixel
// widths), without AddLine's per-call path building and buffer reservation. Through
// AddLine, the few thousand segments of the dashboard's decimated histories were more
// than a third of a frame's build.
//
//     SegmentBatch batch(draw_list, color, thickness, expected_segments);
//     batch.Add(a, b);
//     ...
//     batch.Flush(); // before anything else draws into the list; the destructor flushes too
#pragma once

#include "plot/reserved_items.h"

#include <imgui.h>

namespace plot {

class SegmentBatch
{
public:
    // `expected_segments` sizes the first reservation (a hint; more may be added).
    SegmentBatch(ImDrawList* draw_list, ImU32 color, float thickness, int expected_segments);

    // The segment AddLine(from, to, color, thickness) draws.
    void Add(ImVec2 from, ImVec2 to);

    // Before anything else draws into the list (the destructor flushes too).
    void Flush() { items_.Flush(); }

private:
    enum class Path
    {
        Skip,     // transparent: AddLine draws nothing
        Textured, // two vertices a point on ImGui's baked line texture (whole-pixel widths)
        Thick,    // four vertices a point: a solid core between two anti-aliased fringes
        AddLine,  // thin or aliased lines, rare in plots: ImGui's own AddLine
    };
    // What AddLine draws for this colour and thickness in a list like `draw_list`.
    struct Geometry
    {
        Path path = Path::AddLine;
        float inner = 0.0f; // half-width of the solid core (Thick)
        float outer = 0.0f; // half-width to the fringe's outer edge (Thick, Textured)
        ImVec2 uv0, uv1;    // the line texture's two edges (Textured)
        int vertices = 0;   // per segment
        int indices = 0;    // per segment
    };
    static Geometry GeometryFor(const ImDrawList* draw_list, ImU32 color, float thickness);

    ImDrawList* draw_list_;
    ImU32 color_;
    float thickness_;
    Geometry geometry_;
    ReservedItems items_;
};

} // namespace plot
