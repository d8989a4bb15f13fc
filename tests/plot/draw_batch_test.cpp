// The batches write what ImGui writes: SegmentBatch, segment for segment, what AddLine
// writes, and DotBatch, dot for dot, what AddCircleFilled writes: the same vertices (positions
// to a thousandth of a pixel, uv and colours exactly) and the same triangles, in every path
// ImGui takes (textured, thick, thin, aliased, transparent), across several reservations and
// with other drawing in between.
#include "plot/dots.h"
#include "plot/segments.h"

#include "headless_imgui.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <vector>

namespace {

struct Drawn {
  std::vector<ImDrawVert> vertices;
  std::vector<unsigned int> indices;  // relative to the first vertex drawn
};

const ImDrawListFlags kFullFlags = ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedLinesUseTex |
                                   ImDrawListFlags_AntiAliasedFill | ImDrawListFlags_AllowVtxOffset;

// What `draw(list)` draws into a fresh draw list with `flags`, after checking the list's
// bookkeeping is consistent.
template <typename Draw>
Drawn Capture(ImDrawListFlags flags, Draw draw) {
  ImDrawList storage(ImGui::GetDrawListSharedData());
  ImDrawList* list = &storage;
  list->_ResetForNewFrame();
  list->Flags = flags;
  const int first_vertex = list->VtxBuffer.Size;
  const int first_index = list->IdxBuffer.Size;
  const unsigned int base = list->_VtxCurrentIdx;
  draw(list);
  unsigned int elements = 0;
  for (const ImDrawCmd& command : list->CmdBuffer) elements += command.ElemCount;
  EXPECT_EQ(elements, static_cast<unsigned int>(list->IdxBuffer.Size));
  EXPECT_EQ(list->_VtxWritePtr, list->VtxBuffer.Data + list->VtxBuffer.Size);
  EXPECT_EQ(list->_IdxWritePtr, list->IdxBuffer.Data + list->IdxBuffer.Size);
  EXPECT_EQ(list->_VtxCurrentIdx - base, static_cast<unsigned int>(list->VtxBuffer.Size - first_vertex));
  Drawn drawn;
  drawn.vertices.assign(list->VtxBuffer.Data + first_vertex, list->VtxBuffer.Data + list->VtxBuffer.Size);
  for (int i = first_index; i < list->IdxBuffer.Size; ++i) drawn.indices.push_back(list->IdxBuffer[i] - base);
  return drawn;
}

void ExpectSame(const Drawn& expected, const Drawn& actual, const char* what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(expected.vertices.size(), actual.vertices.size());
  ASSERT_EQ(expected.indices.size(), actual.indices.size());
  for (size_t i = 0; i < expected.vertices.size(); ++i) {
    const ImDrawVert& e = expected.vertices[i];
    const ImDrawVert& a = actual.vertices[i];
    ASSERT_NEAR(e.pos.x, a.pos.x, 1e-3f) << "vertex " << i;
    ASSERT_NEAR(e.pos.y, a.pos.y, 1e-3f) << "vertex " << i;
    ASSERT_EQ(e.uv.x, a.uv.x) << "vertex " << i;
    ASSERT_EQ(e.uv.y, a.uv.y) << "vertex " << i;
    ASSERT_EQ(e.col, a.col) << "vertex " << i;
  }
  for (size_t i = 0; i < expected.indices.size(); ++i)
    ASSERT_EQ(expected.indices[i], actual.indices[i]) << "index " << i;
}

// A decimated history's kind of path: long runs, turns back within a column, vertical and
// horizontal pieces, a zero-length segment; more segments than one reservation holds.
std::vector<ImVec2> Path() {
  std::vector<ImVec2> points;
  for (int i = 0; i < 1400; ++i) {
    const float x = 20.0f + 0.9f * static_cast<float>(i / 2);
    const float y = 300.0f + 120.0f * std::sin(0.013f * static_cast<float>(i)) + ((i % 2) ? 9.5f : -7.25f);
    points.emplace_back(x, y);
  }
  points.emplace_back(points.back());                                 // zero length
  points.emplace_back(points.back().x, points.back().y + 40.0f);      // vertical
  points.emplace_back(points.back().x + 60.0f, points.back().y);      // horizontal
  points.emplace_back(points.back().x - 30.0f, points.back().y - 5);  // backwards
  return points;
}

class DrawBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = CreateHeadlessContext(ImVec2(1600.0f, 900.0f));
    ImGui::NewFrame();  // the draw lists' shared data: the line texture's coordinates
  }

  void TearDown() override {
    ImGui::EndFrame();
    ImGui::DestroyContext(context_);
  }

  // The path through AddLine and through a SegmentBatch.
  static void ExpectSameAsAddLine(ImDrawListFlags flags, ImU32 color, float thickness, const char* what) {
    const std::vector<ImVec2> points = Path();
    const Drawn expected = Capture(flags, [&](ImDrawList* list) {
      for (size_t i = 1; i < points.size(); ++i) list->AddLine(points[i - 1], points[i], color, thickness);
    });
    const Drawn actual = Capture(flags, [&](ImDrawList* list) {
      plot::SegmentBatch batch(list, color, thickness, 100);
      for (size_t i = 1; i < points.size(); ++i) batch.Add(points[i - 1], points[i]);
    });
    ExpectSame(expected, actual, what);
  }

  // Dots through AddCircleFilled and through a DotBatch, in colours that change from dot to dot.
  // (`dots` keeps a list below 65 536 vertices, where ImGui starts a new command.)
  static void ExpectSameAsAddCircleFilled(ImDrawListFlags flags, float radius, const char* what, size_t dots = 1400) {
    std::vector<ImVec2> centres = Path();
    centres.resize(std::min(dots, centres.size()));
    auto color = [](size_t i) { return IM_COL32(40 + i % 200, 90, 200, (i % 7 == 3) ? 0 : 120 + i % 100); };
    const Drawn expected = Capture(flags, [&](ImDrawList* list) {
      for (size_t i = 0; i < centres.size(); ++i) list->AddCircleFilled(centres[i], radius, color(i));
    });
    plot::DotStamps stamps;
    const Drawn actual = Capture(flags, [&](ImDrawList* list) {
      plot::DotBatch batch(list, stamps, radius, 100);
      for (size_t i = 0; i < centres.size(); ++i) batch.Add(centres[i], color(i));
    });
    ExpectSame(expected, actual, what);
  }

  ImGuiContext* context_ = nullptr;
};

TEST_F(DrawBatchTest, WritesWhatAddLineWritesAtEveryWidth) {
  const ImDrawListFlags flags = kFullFlags;
  const ImU32 color = IM_COL32(70, 150, 230, 200);
  ExpectSameAsAddLine(flags, color, 0.5f, "thinner than a pixel");
  ExpectSameAsAddLine(flags, color, 1.0f, "one pixel");
  ExpectSameAsAddLine(flags, color, 2.0f, "2 px, textured");
  ExpectSameAsAddLine(flags, color, 2.5f, "2.5 px, thick");
  ExpectSameAsAddLine(flags, color, 3.0f, "3 px, textured");
  ExpectSameAsAddLine(flags, color, 5.0f, "5 px, textured");
  ExpectSameAsAddLine(flags, color, 7.25f, "7.25 px, thick");
  ExpectSameAsAddLine(flags, color, 80.0f, "wider than the line texture");
  ExpectSameAsAddLine(flags, IM_COL32(70, 150, 230, 0), 2.5f, "transparent");
}

TEST_F(DrawBatchTest, WritesWhatAddLineWritesWithoutTexturesOrAntiAliasing) {
  const ImU32 color = IM_COL32(230, 120, 60, 255);
  ImDrawListFlags flags = kFullFlags & ~ImDrawListFlags_AntiAliasedLinesUseTex;
  ExpectSameAsAddLine(flags, color, 2.0f, "2 px, no line texture");
  ExpectSameAsAddLine(flags, color, 3.5f, "3.5 px, no line texture");
  flags &= ~ImDrawListFlags_AntiAliasedLines;
  ExpectSameAsAddLine(flags, color, 2.0f, "aliased");
}

TEST_F(DrawBatchTest, OtherDrawingBetweenFlushesLandsInPlace) {
  const ImU32 color = IM_COL32(70, 150, 230, 255);
  const ImVec2 a(10.0f, 10.0f), b(200.0f, 50.5f), c(400.0f, 20.0f);
  const Drawn expected = Capture(kFullFlags, [&](ImDrawList* list) {
    list->AddLine(a, b, color, 2.5f);
    list->AddCircleFilled(b, 3.0f, color, 8);
    list->AddLine(b, c, color, 2.5f);
  });
  const Drawn actual = Capture(kFullFlags, [&](ImDrawList* list) {
    plot::SegmentBatch batch(list, color, 2.5f, 1000);
    batch.Add(a, b);
    batch.Flush();
    list->AddCircleFilled(b, 3.0f, color, 8);
    batch.Add(b, c);
  });
  ExpectSame(expected, actual, "a circle between two segments");
}

TEST_F(DrawBatchTest, DotsAreWhatAddCircleFilledWrites) {
  ExpectSameAsAddCircleFilled(kFullFlags, 0.4f, "below half a pixel: nothing");
  ExpectSameAsAddCircleFilled(kFullFlags, 2.0f, "2 px");
  ExpectSameAsAddCircleFilled(kFullFlags, 2.5f, "2.5 px");
  ExpectSameAsAddCircleFilled(kFullFlags, 6.0f, "6 px");
  ExpectSameAsAddCircleFilled(kFullFlags, 90.0f, "90 px, many segments", 300);
  ExpectSameAsAddCircleFilled(kFullFlags & ~ImDrawListFlags_AntiAliasedFill, 3.0f, "aliased");
}

TEST_F(DrawBatchTest, DotStampsFollowTheRadiusAndTheListsSettings) {
  plot::DotStamps stamps;
  ImDrawList list(ImGui::GetDrawListSharedData());
  list._ResetForNewFrame();
  list.Flags = kFullFlags;
  const plot::DotStamp& small = stamps.For(&list, 2.0f);
  const size_t small_vertices = small.offsets.size();
  EXPECT_EQ(&stamps.For(&list, 2.0f), &small);  // recorded once
  EXPECT_GT(stamps.For(&list, 30.0f).offsets.size(), small_vertices);
  list.Flags = kFullFlags & ~ImDrawListFlags_AntiAliasedFill;
  EXPECT_LT(stamps.For(&list, 2.0f).offsets.size(), small_vertices);       // no fringe
  for (int r = 1; r <= 40; ++r) stamps.For(&list, static_cast<float>(r));  // more radii than it keeps
  list.Flags = kFullFlags;
  EXPECT_EQ(stamps.For(&list, 2.0f).offsets.size(), small_vertices);
}

}  // namespace
