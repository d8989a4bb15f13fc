// Where legends go and what the layout tests record of a plot (plot/plot_record.h): its
// legend's box, the glyphs drawn on it and its lines' newest points; and titles that keep the
// body font.
#include "plot/plot.h"
#include "plot/plot_record.h"

#include "plot_frame_test.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace {

const ImU32 kColor = IM_COL32(70, 150, 230, 255);

bool Inside(const plot::PixelRect& box, const ImVec2& p) {
  return p.x >= box.min.x && p.x <= box.max.x && p.y >= box.min.y && p.y <= box.max.y;
}

class PlotLegendTest : public PlotDrawTest {
 protected:
  void SetUp() override {
    PlotDrawTest::SetUp();
    plot::SetRecording(true);
  }
  // The record of the one plot the last frame drew.
  const plot::PlotRecord& Last() {
    const std::vector<plot::PlotRecord>& records = plot::GetFrameRecords();
    EXPECT_EQ(records.size(), 1u);
    static const plot::PlotRecord kNone;
    return records.empty() ? kNone : records.back();
  }
};

// Four lines ending in the four corners of the area: no corner is free of a newest point, so the
// legend goes above the area (from the next frame on) and covers none of them.
TEST_F(PlotLegendTest, WithNoFreeCornerTheLegendGoesAboveTheArea) {
  // Ends a little inside the corners, where a corner's legend box (inset from the edges) lies.
  const std::vector<double> left_xs = {0.0, 5.0}, right_xs = {50.0, 95.0};
  const std::vector<float> up = {50.0f, 95.0f}, down = {50.0f, 5.0f};
  auto body = [&] {
    if (plot::BeginPlot("Four corners##c", ImVec2(600.0f, 300.0f), plot::PlotFlags_NoHover)) {
      plot::SetupAxes("step", "value");
      plot::SetupAxisLimits(plot::Axis_X, 0.0, 100.0);
      plot::SetupAxisLimits(plot::Axis_Y, 0.0, 100.0);
      plot::PlotLine("ends top left", left_xs.data(), up.data(), 2, kColor);
      plot::PlotLine("ends bottom left", left_xs.data(), down.data(), 2, kColor);
      plot::PlotLine("ends top right", right_xs.data(), up.data(), 2, kColor);
      plot::PlotLine("ends bottom right", right_xs.data(), down.data(), 2, kColor);
      plot::EndPlot();
    }
  };
  Frame(body);
  const plot::PlotRecord first = Last();
  ASSERT_TRUE(first.has_legend);
  ASSERT_EQ(first.newest.size(), 4u);
  EXPECT_GT(plot::LegendCovers(first).newest, 0) << "the first frame has only the corners";
  for (int i = 0; i < 3; ++i) Frame(body);
  const plot::PlotRecord& steady = Last();
  ASSERT_TRUE(steady.has_legend);
  EXPECT_LE(steady.legend.max.y, steady.area.min.y) << "above the area";
  EXPECT_GE(steady.legend.min.y, steady.frame.min.y);
  EXPECT_LT(steady.area.max.y - steady.area.min.y, first.area.max.y - first.area.min.y) << "the area gave it room";
  const plot::LegendCover cover = plot::LegendCovers(steady);
  EXPECT_EQ(cover.newest, 0);
  EXPECT_EQ(cover.glyphs, 0) << "nor the title over it";
  ASSERT_EQ(steady.newest.size(), 4u);
  for (const ImVec2& p : steady.newest) EXPECT_TRUE(Inside(steady.area, p));
}

// The record finds text in what was drawn: a note written over the plot without ReserveText,
// where the legend stands, is a covered text (the layout tests' failure), and the note once
// reserved sends the legend elsewhere.
TEST_F(PlotLegendTest, TextDrawnUnderTheLegendIsFoundInTheDrawing) {
  const std::vector<double> xs = {0.0, 100.0};
  const std::vector<float> ys = {0.0f, 0.0f};
  bool reserve = false;
  auto body = [&] {
    if (plot::BeginPlot("Note##n", ImVec2(600.0f, 300.0f), plot::PlotFlags_NoHover)) {
      plot::SetupAxes("step", "value");
      plot::SetupAxisLimits(plot::Axis_X, 0.0, 100.0);
      plot::SetupAxisLimits(plot::Axis_Y, 0.0, 100.0);
      plot::PlotLine("flat along the floor", xs.data(), ys.data(), 2, kColor);
      // A note in the top-right corner, where a legend goes first.
      const ImVec2 pos(plot::GetPlotPos().x + plot::GetPlotSize().x - 120.0f, plot::GetPlotPos().y + 8.0f);
      ImGui::GetWindowDrawList()->AddText(pos, IM_COL32_WHITE, "a note here");
      if (reserve) plot::ReserveText(pos, ImVec2(pos.x + ImGui::CalcTextSize("a note here").x, pos.y + 20.0f));
      plot::EndPlot();
    }
  };
  Frame(body);
  Frame(body);
  const plot::LegendCover hidden = plot::LegendCovers(Last());
  EXPECT_GT(hidden.glyphs, 5) << "the note's glyphs under the legend";
  EXPECT_EQ(hidden.newest, 0);
  reserve = true;
  Frame(body);
  Frame(body);
  const plot::LegendCover clear = plot::LegendCovers(Last());
  EXPECT_EQ(clear.glyphs, 0);
  EXPECT_EQ(clear.newest, 0);
  EXPECT_GT(Last().glyphs.size(), 20u) << "title, ticks, labels and the note are recorded";
}

// A title wider than its plot keeps the body font: broken at a space onto two lines, or, where
// even that is too long, cut with "…"; never drawn smaller.
TEST_F(PlotLegendTest, LongTitlesWrapOrAreCutNeverShrunk) {
  auto area_top = [&](const char* title, float width) {
    Frame([&] {
      if (plot::BeginPlot(title, ImVec2(width, 300.0f), plot::PlotFlags_NoLegend | plot::PlotFlags_NoHover)) {
        plot::SetupAxes("step", "value");
        plot::SetupAxisLimits(plot::Axis_X, 0.0, 1.0);
        plot::SetupAxisLimits(plot::Axis_Y, 0.0, 1.0);
        plot::EndPlot();
      }
    });
    const plot::PlotRecord& record = Last();
    EXPECT_GE(record.smallest_font, record.body_font) << title;
    // The title's row: its glyphs inside the frame (a glyph's quad may overhang its advance by
    // a pixel or two).
    float left = record.frame.max.x, right = record.frame.min.x;
    for (const plot::PixelRect& glyph : record.glyphs) {
      if (glyph.max.y > record.area.min.y) continue;
      left = std::min(left, glyph.min.x), right = std::max(right, glyph.max.x);
    }
    EXPECT_GE(left, record.frame.min.x) << title;
    EXPECT_LE(right, record.frame.max.x + 2.5f) << "the title stays inside the frame: " << title;
    return record.area.min.y - record.frame.min.y;
  };
  const float one_line = area_top("Short##a", 300.0f);
  const float two_lines = area_top("Layer 1, unit 0: the batch mean of each step, running and population##b", 300.0f);
  EXPECT_NEAR(two_lines - one_line, ImGui::GetFontSize() + 4.0f, 1.0f) << "one more line";
  const float cut = area_top("Averyveryverylongwordthatcannotbebrokenatanyspaceatall##c", 200.0f);
  EXPECT_FLOAT_EQ(cut, one_line);
}

// Nothing is recorded while recording is off.
TEST_F(PlotLegendTest, RecordingOffRecordsNothing) {
  plot::SetRecording(false);
  Frame([&] {
    if (plot::BeginPlot("Off##o", ImVec2(300.0f, 200.0f))) plot::EndPlot();
  });
  EXPECT_TRUE(plot::GetFrameRecords().empty());
}

}  // namespace
