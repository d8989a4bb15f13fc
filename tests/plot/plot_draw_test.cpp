// The drawing path, headless: a real ImGui context renders plots into draw
// lists (no GPU needed), so we can count vertices and allocations.
#include "plot/plot.h"

#include "allocation_counter.h"
#include "plot_frame_test.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace {

const ImU32 kPlainColor = IM_COL32(230, 120, 60, 255);
const ImU32 kBnColor = IM_COL32(70, 150, 230, 255);

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double Scaled(double x, void* user_data) { return *(const double*)user_data / std::sqrt(x); }

struct Series {
  std::vector<double> xs;
  std::vector<float> ys;
};

Series MakeNoisyHistory(int count) {
  Series s;
  s.xs.resize(count);
  s.ys.resize(count);
  for (int i = 0; i < count; ++i) {
    s.xs[i] = (double)i;
    s.ys[i] = (float)(std::exp(-i * 1e-5) + 0.1 * std::sin(i * 0.37));
  }
  for (int i = 1000; i < count; i += 99991) s.ys[i] = std::numeric_limits<float>::quiet_NaN();
  return s;
}

}  // namespace

TEST_F(PlotDrawTest, MillionPointLineCostsBoundedVertices) {
  const Series history = MakeNoisyHistory(1000000);
  auto draw = [&](bool with_line) {
    return Frame([&] {
      if (plot::BeginPlot("Loss##million", ImVec2(600.0f, 300.0f))) {
        plot::SetupAxes("step", "loss");
        plot::SetupAxisLimits(plot::Axis_X, 0.0, 1e6);
        plot::SetupAxisLimits(plot::Axis_Y, -0.5, 1.5);
        if (with_line)
          plot::PlotLine("Plain", history.xs.data(), history.ys.data(), (int)history.xs.size(), kPlainColor);
        plot::EndPlot();
      }
    });
  };
  const int empty = draw(false);
  const int with_line = draw(true);
  const int line_vertices = with_line - empty;
  RecordProperty("line_vertices", line_vertices);
  EXPECT_GT(line_vertices, 1000);  // the line is there
  EXPECT_LT(line_vertices, 20000) << "decimation should bound the cost by the plot width";
}

TEST_F(PlotDrawTest, AutoFitDrawsFromTheSecondFrame) {
  const Series history = MakeNoisyHistory(5000);
  auto draw = [&](bool with_line) {
    return Frame([&] {
      if (plot::BeginPlot(with_line ? "Fit##with" : "Fit##without", ImVec2(500.0f, 250.0f))) {
        plot::SetupAxes("step", "loss");
        // The empty series keeps the legend identical in both plots.
        plot::PlotLine("BN", history.xs.data(), history.ys.data(), with_line ? 5000 : 0, kBnColor);
        plot::EndPlot();
      }
    });
  };
  // Frame 1: axes only, the fit is not known yet; frame 2 draws the line.
  const int first_with = draw(true);
  const int first_without = draw(false);
  EXPECT_EQ(first_with, first_without);
  const int second_with = draw(true);
  const int second_without = draw(false);
  EXPECT_GT(second_with, second_without + 500);
}

plot::PlotPoint SeriesPoint(int index, const void* data) {
  const Series& s = *static_cast<const Series*>(data);
  return plot::PlotPoint{s.xs[index], (double)s.ys[index]};
}

TEST_F(PlotDrawTest, EveryItemDrawsAndSteadyFramesDoNotAllocate) {
  const Series history = MakeNoisyHistory(200000);
  std::vector<float> lo(history.ys), hi(history.ys);
  for (size_t i = 0; i < lo.size(); ++i) {
    lo[i] -= 0.2f;
    hi[i] += 0.2f;
  }
  Series lower = history, upper = history;
  lower.ys = lo;
  upper.ys = hi;
  const Series evaluations = MakeNoisyHistory(40);
  std::vector<float> z(4000);
  for (size_t i = 0; i < z.size(); ++i)
    z[i] = (float)(3.0 * std::sin((double)i * 12.9898) * std::cos((double)i * 78.233));
  std::vector<float> counts(40);
  plot::BinValues(z.data(), (int)z.size(), -4.0, 4.0, 40, counts.data());
  std::vector<float> grid(64 * 64);
  for (int r = 0; r < 64; ++r)
    for (int c = 0; c < 64; ++c) grid[r * 64 + c] = (float)Sigmoid((c - 32) * 0.2 - (r - 32) * 0.1);
  grid[5] = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> px(100), py(100);
  std::vector<ImU32> pc(100);
  for (int i = 0; i < 100; ++i) {
    px[i] = (float)std::cos(i * 0.7) * 3.0f;
    py[i] = (float)std::sin(i * 1.3) * 3.0f;
    pc[i] = (i % 2) ? kPlainColor : kBnColor;
  }
  const double batch_sizes[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  const float spread[] = {1.0f, 0.7f, 0.5f, 0.36f, 0.25f, 0.18f, 0.12f, 0.09f, 0.06f};
  const double bar_x[] = {1.0, 2.0, 3.0};
  const float bar_h[] = {0.4f, -0.2f, 0.9f};
  double scale = 1.0;

  auto body = [&] {
    if (plot::BeginPlot("Loss##all", ImVec2(-1.0f, 220.0f))) {
      plot::SetupAxes("step", "loss", 0, plot::AxisFlags_Log);
      plot::SetTitleTooltip("cross-entropy; last %.3f", 0.123);
      plot::PlotBand("Plain", history.xs.data(), lo.data(), hi.data(), (int)lo.size(), IM_COL32(230, 120, 60, 60));
      plot::PlotLine("Plain", history.xs.data(), history.ys.data(), (int)history.xs.size(), kPlainColor);
      plot::PlotHLine("##floor", 1e-3, IM_COL32(255, 255, 255, 90));
      plot::EndPlot();
    }
    if (plot::BeginPlot("Getters##all", ImVec2(-1.0f, 220.0f))) {
      plot::SetupAxes("step", "loss");
      plot::PlotBandG("BN", SeriesPoint, &lower, SeriesPoint, &upper, (int)lower.xs.size(), IM_COL32(70, 150, 230, 60));
      plot::PlotLineG("BN", SeriesPoint, &history, (int)history.xs.size(), kBnColor);
      plot::PlotScatterG("BN test", SeriesPoint, &evaluations, (int)evaluations.xs.size(), kBnColor, 3.0f);
      plot::EndPlot();
    }
    if (plot::BeginPlot("Activations##all", ImVec2(400.0f, 220.0f))) {
      plot::SetupAxes("z", "count", 0, plot::AxisFlags_AutoFitZero);
      plot::PlotShadedX(-INFINITY, -4.0, IM_COL32(255, 0, 0, 40));
      plot::PlotHistogram("BN", counts.data(), 40, -4.0, 4.0, IM_COL32(70, 150, 230, 120));
      plot::PlotFunction("sigmoid", Sigmoid, IM_COL32(255, 255, 255, 200));
      plot::PlotBars("bars", bar_x, bar_h, 3, 0.5, kPlainColor);
      plot::PlotText("saturated", -5.0, 10.0, IM_COL32(255, 255, 255, 255));
      plot::EndPlot();
    }
    ImGui::SameLine();
    if (plot::BeginPlot("Boundary##all", ImVec2(400.0f, 220.0f), plot::PlotFlags_NoLegend)) {
      plot::SetupAxes("x1", "x2");
      plot::PlotHeatmap("p", grid.data(), 64, 64, -3.0, 3.0, -3.0, 3.0, 0.0, 1.0, plot::Colormap_Diverging);
      plot::PlotScatterColored(px.data(), py.data(), pc.data(), 100, 3.0f);
      plot::PlotScatter("points", px.data(), py.data(), 10, kBnColor);
      plot::PlotImage((ImTextureID)(intptr_t)1, -1.0, -1.0, 1.0, 1.0);
      plot::EndPlot();
    }
    if (plot::BeginPlot("Noise##all", ImVec2(-1.0f, -1.0f))) {
      plot::SetupAxes("batch size", "spread of mu_B", plot::AxisFlags_Log, plot::AxisFlags_Log);
      plot::PlotLine("measured", batch_sizes, spread, 9, kBnColor);
      plot::PlotFunction("1/sqrt(m)", Scaled, &scale, IM_COL32(255, 255, 255, 160), 1.0f);
      plot::EndPlot();
    }
  };

  const int first = Frame(body);
  const int second = Frame(body);
  EXPECT_GT(first, 0);
  EXPECT_GT(second, first);  // items join from the second frame
  for (int i = 0; i < 3; ++i) Frame(body);

  const long before = AllocationCount();
  const int steady = Frame(body);
  EXPECT_EQ(AllocationCount(), before) << "a warmed-up frame of plots must not allocate";
  EXPECT_GT(steady, 0);
}

TEST_F(PlotDrawTest, HoverShowsReadoutAndMouseInDataCoordinates) {
  const double xs[] = {0.0, 50.0, 100.0};
  const float ys[] = {1.0f, 2.0f, 3.0f};
  ImVec2 plot_pos, plot_size, mouse_data;
  bool hovered = false;
  auto body = [&] {
    if (plot::BeginPlot("Hover##h", ImVec2(600.0f, 300.0f))) {
      plot::SetupAxes("step", "loss");
      plot::SetupAxisLimits(plot::Axis_X, 0.0, 100.0);
      plot::SetupAxisLimits(plot::Axis_Y, 0.0, 4.0);
      plot::PlotLine("BN", xs, ys, 3, kBnColor);
      plot_pos = plot::GetPlotPos();
      plot_size = plot::GetPlotSize();
      hovered = plot::IsPlotHovered();
      mouse_data = plot::GetPlotMousePos();
      plot::EndPlot();
    }
  };
  Frame(body);
  Frame(body);
  EXPECT_FALSE(hovered);
  const int lists_without_hover = DrawListCount();
  ImGui::GetIO().MousePos = ImVec2(plot_pos.x + plot_size.x * 0.5f, plot_pos.y + plot_size.y * 0.25f);
  Frame(body);
  Frame(body);
  EXPECT_TRUE(hovered);
  EXPECT_NEAR(mouse_data.x, 50.0f, 0.5f);
  EXPECT_NEAR(mouse_data.y, 3.0f, 0.05f);
  EXPECT_GT(DrawListCount(), lists_without_hover);  // the read-out tooltip window
}

// A built-on-hover tooltip: the title carries its "(?)" from the start, exactly as with the
// text given up front, and the text is built only on the frames the mouse is over the title.
TEST_F(PlotDrawTest, TitleTooltipBuilderRunsOnlyWhileTheTitleIsHovered) {
  int builds = 0;
  const auto build = [](void* user_data) {
    ++*static_cast<int*>(user_data);
    plot::SetTitleTooltip("built %d", 1);
  };
  ImVec2 frame_min;
  auto body = [&](bool lazy) {
    if (plot::BeginPlot("Tooltip##t", ImVec2(600.0f, 300.0f), plot::PlotFlags_NoHover)) {
      plot::SetupAxes("step", "loss");
      if (lazy) plot::SetTitleTooltipBuilder(build, &builds);
      else plot::SetTitleTooltip("built %d", 1);
      frame_min = ImGui::GetItemRectMin();
      plot::EndPlot();
    }
  };
  const int eager_vertices = Frame([&] { body(false); });
  const int lazy_vertices = Frame([&] { body(true); });
  EXPECT_EQ(lazy_vertices, eager_vertices) << "the (?) must be drawn before any text is built";
  EXPECT_EQ(builds, 0);
  const int lists_without_tooltip = DrawListCount();

  // The title is centred on the frame's top edge.
  ImGui::GetIO().MousePos = ImVec2(frame_min.x + 300.0f, frame_min.y + 6.0f + 0.5f * ImGui::GetFontSize());
  Frame([&] { body(true); });
  Frame([&] { body(true); });
  EXPECT_EQ(builds, 2);
  EXPECT_GT(DrawListCount(), lists_without_tooltip);  // the tooltip window

  ImGui::GetIO().MousePos = ImVec2(frame_min.x + 300.0f, frame_min.y + 150.0f);  // inside the plot, off the title
  Frame([&] { body(true); });
  EXPECT_EQ(builds, 2);
}

TEST_F(PlotDrawTest, LegendClickHidesAndShowsASeries) {
  const Series history = MakeNoisyHistory(2000);
  ImVec2 plot_pos, plot_size;
  auto body = [&] {
    if (plot::BeginPlot("Legend##l", ImVec2(600.0f, 300.0f), plot::PlotFlags_NoHover)) {
      plot::SetupAxes("step", "loss");
      plot::SetupAxisLimits(plot::Axis_X, 0.0, 2000.0);
      plot::SetupAxisLimits(plot::Axis_Y, -1.0, 2.0);
      plot::PlotLine("Plain", history.xs.data(), history.ys.data(), 2000, kPlainColor);
      plot_pos = plot::GetPlotPos();
      plot_size = plot::GetPlotSize();
      plot::EndPlot();
    }
  };
  const int visible = Frame(body);
  // The first legend row sits just inside the top-right corner of the plot area.
  const ImVec2 entry(plot_pos.x + plot_size.x - 12.0f, plot_pos.y + 6.0f + 5.0f + ImGui::GetFontSize() * 0.5f);
  auto click = [&] {
    ImGui::GetIO().MousePos = entry;
    ImGui::GetIO().MouseDown[0] = true;
    Frame(body);
    ImGui::GetIO().MouseDown[0] = false;
    Frame(body);
    ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    return Frame(body);
  };
  const int hidden = click();
  EXPECT_LT(hidden, visible - 500);
  const int shown_again = click();
  EXPECT_EQ(shown_again, visible);
}

// The legend takes the corner that covers the least data: never the newest point of a line,
// nor a note written over the plot (ReserveText), where another corner is free of them.
TEST_F(PlotDrawTest, LegendMovesOffTheNewestDataAndTheNotes) {
  std::vector<double> xs(101);
  std::vector<float> ys(101);
  for (int i = 0; i <= 100; ++i) xs[i] = i, ys[i] = (float)i;  // climbs to the top-right corner
  bool reserve = false;
  ImVec2 plot_pos, plot_size, newest;
  auto body = [&] {
    if (plot::BeginPlot("Climb##c", ImVec2(600.0f, 300.0f), plot::PlotFlags_NoHover)) {
      plot::SetupAxes("step", "accuracy");
      plot::SetupAxisLimits(plot::Axis_X, 0.0, 100.0);
      plot::SetupAxisLimits(plot::Axis_Y, 0.0, 100.0);
      plot::PlotLine("BN", xs.data(), ys.data(), 101, kBnColor);
      plot_pos = plot::GetPlotPos();
      plot_size = plot::GetPlotSize();
      newest = plot::PlotToPixels(100.0, 100.0);
      if (reserve) {  // a caption over the top-left quarter
        plot::ReserveText(plot_pos, ImVec2(plot_pos.x + 0.5f * plot_size.x, plot_pos.y + 0.5f * plot_size.y));
      }
      plot::EndPlot();
    }
  };
  auto legend = [] {
    ImVec2 min, max;
    plot::GetLastLegendRect(&min, &max);
    return std::make_pair(min, max);
  };
  auto covers = [](const std::pair<ImVec2, ImVec2>& box, const ImVec2& p) {
    return p.x >= box.first.x && p.x <= box.second.x && p.y >= box.first.y && p.y <= box.second.y;
  };
  Frame(body);
  auto box = legend();
  EXPECT_FALSE(covers(box, ImVec2(newest.x - 1.0f, newest.y + 1.0f)));
  EXPECT_LT(box.first.x, plot_pos.x + 0.25f * plot_size.x) << "top left: the diagonal leaves it empty";
  EXPECT_LT(box.first.y, plot_pos.y + 0.25f * plot_size.y);
  for (int i = 0; i < 3; ++i) Frame(body);
  const auto steady = legend();
  EXPECT_EQ(steady.first.x, box.first.x);  // it stays put from frame to frame
  EXPECT_EQ(steady.first.y, box.first.y);

  reserve = true;  // now the top left holds a caption: the bottom right is free
  Frame(body);
  box = legend();
  EXPECT_GT(box.second.x, plot_pos.x + 0.75f * plot_size.x);
  EXPECT_GT(box.second.y, plot_pos.y + 0.75f * plot_size.y);
  EXPECT_FALSE(covers(box, ImVec2(newest.x - 1.0f, newest.y + 1.0f)));
}

// Misuse is a programming error: a debug build stops at it (IM_ASSERT); a release build
// ignores the call and carries on.
TEST_F(PlotDrawTest, MisuseAssertsInADebugBuild) {
  ::testing::FLAGS_gtest_death_test_style = "threadsafe";
  Frame([&] {
    EXPECT_DEBUG_DEATH(plot::EndPlot(), "EndPlot");
    ASSERT_TRUE(plot::BeginPlot("outer##m", ImVec2(300.0f, 200.0f)));
    EXPECT_DEBUG_DEATH(EXPECT_FALSE(plot::BeginPlot("nested##m", ImVec2(100.0f, 100.0f))), "nested");
    plot::EndPlot();
  });
}

TEST_F(PlotDrawTest, DegenerateInputsDoNotCrash) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> xs(1000);
  std::vector<float> all_nan(1000, std::numeric_limits<float>::quiet_NaN());
  std::vector<double> huge(1000);
  for (int i = 0; i < 1000; ++i) {
    xs[i] = (double)i;
    huge[i] = (i % 2) ? 1e300 : -1e300;
  }
  const float zero_counts[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int frame = 0; frame < 3; ++frame) {
    Frame([&] {
      EXPECT_FALSE(plot::BeginPlot("zero##a", ImVec2(0.5f, 0.5f)));
      EXPECT_FALSE(plot::BeginPlot("negative##b", ImVec2(-5000.0f, 100.0f)));
      if (plot::BeginPlot("tiny##c", ImVec2(3.0f, 3.0f))) {
        plot::SetupAxes("x", "y");
        plot::PlotLine("a", xs.data(), all_nan.data(), 1000, kPlainColor);
        plot::EndPlot();
      }
      if (plot::BeginPlot("nan##d", ImVec2(300.0f, 200.0f))) {
        plot::SetupAxes(nullptr, nullptr, plot::AxisFlags_Log, plot::AxisFlags_Log);
        plot::SetupAxisLimits(plot::Axis_X, 5.0, 5.0);
        plot::SetupAxisLimits(plot::Axis_Y, -3.0, nan);
        plot::PlotLine("all nan", xs.data(), all_nan.data(), 1000, kPlainColor);
        plot::PlotLine("none", xs.data(), all_nan.data(), 0, kPlainColor);
        plot::PlotLine(nullptr, nullptr, (const float*)nullptr, 5, kPlainColor);
        plot::PlotHistogram("empty", zero_counts, 4, 0.0, 0.0, kBnColor);
        plot::PlotHistogram("zeros", zero_counts, 4, 0.0, 1.0, kBnColor);
        plot::PlotHeatmap("none", nullptr, 0, 0, 0, 1, 0, 1, 0, 0, plot::Colormap_Sequential);
        plot::PlotHLine("inf", inf, kBnColor);
        plot::PlotShadedX(nan, 1.0, kBnColor);
        plot::PlotText(nullptr, 0.0, 0.0, kBnColor);
        plot::EndPlot();
      }
      if (plot::BeginPlot("huge##f", ImVec2(300.0f, 200.0f))) {
        plot::PlotLine("huge", xs.data(), huge.data(), 1000, kPlainColor);
        plot::PlotBars("inf width", xs.data(), all_nan.data(), 3, inf, kPlainColor);
        plot::EndPlot();
      }
      if (plot::BeginPlot("##untitled", ImVec2(300.0f, 200.0f), plot::PlotFlags_NoTitle | plot::PlotFlags_NoLegend)) {
        plot::SetupAxes("##hidden", "", plot::AxisFlags_NoTickLabels, plot::AxisFlags_NoTickLabels);
        plot::PlotFunction("f", nullptr, kPlainColor);
        plot::EndPlot();
      }
    });
  }
  plot::SetScale(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(plot::GetScale(), 1.0f);
  plot::SetScale(2.0f);
  const Series history = MakeNoisyHistory(100);
  const int scaled = Frame([&] {
    if (plot::BeginPlot("scaled##g", ImVec2(300.0f, 200.0f))) {
      plot::PlotLine("a", history.xs.data(), history.ys.data(), 100, kPlainColor);
      plot::EndPlot();
    }
  });
  EXPECT_GT(scaled, 0);
}
