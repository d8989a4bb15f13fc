// Decimation keeps spikes, keeps short series intact, and never allocates once warm.
#include "plot/decimate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace {

// Identity on y (pixel == value) so tests can read values back.
plot::AxisTransform IdentityY() { return plot::MakeLinearTransform(plot::Range{0.0, 1.0}, 0.0, 1.0); }

int CountBreaks(const std::vector<plot::PixelPoint>& points) {
  int breaks = 0;
  for (const plot::PixelPoint& p : points) breaks += plot::IsBreak(p) ? 1 : 0;
  return breaks;
}

}  // namespace

TEST(Decimate, MillionPointsIntoFiveHundredColumnsKeepsSpikes) {
  const int n = 1000000;
  std::vector<double> xs(n);
  std::vector<float> ys(n);
  for (int i = 0; i < n; ++i) {
    xs[i] = (double)i;
    ys[i] = (float)std::sin((double)i * 0.001);
  }
  ys[123457] = 50.0f;   // a single-sample spike
  ys[876543] = -40.0f;  // and a single-sample dip

  const int columns = 500;
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, (double)(n - 1)}, 0.0, (double)columns);
  std::vector<plot::PixelPoint> out;
  plot::FitBounds visible_y;
  plot::DecimateLine(xs.data(), ys.data(), n, x, IdentityY(), out, &visible_y);

  EXPECT_LE(out.size(), (size_t)(2 * (columns + 1)));
  EXPECT_GT(out.size(), (size_t)columns);
  EXPECT_EQ(CountBreaks(out), 0);
  float y_max = -1e30f, y_min = 1e30f;
  for (const plot::PixelPoint& p : out) {
    y_max = std::max(y_max, p.y);
    y_min = std::min(y_min, p.y);
  }
  EXPECT_FLOAT_EQ(y_max, 50.0f);
  EXPECT_FLOAT_EQ(y_min, -40.0f);
  EXPECT_DOUBLE_EQ(visible_y.hi, 50.0);
  EXPECT_DOUBLE_EQ(visible_y.lo, -40.0);
  // Vertices stay in x order: the polyline never doubles back.
  for (size_t i = 1; i < out.size(); ++i) EXPECT_GE(out[i].x, out[i - 1].x);
}

TEST(Decimate, FewerPointsThanColumnsAreKeptUnchanged) {
  const double xs[] = {0.0, 1.0, 2.0, 3.0, 4.0};
  const float ys[] = {0.5f, 0.1f, 0.9f, 0.3f, 0.7f};
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, 4.0}, 0.0, 400.0);
  std::vector<plot::PixelPoint> out;
  plot::DecimateLine(xs, ys, 5, x, IdentityY(), out);
  ASSERT_EQ(out.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_FLOAT_EQ(out[i].x, (float)(xs[i] * 100.0));
    EXPECT_FLOAT_EQ(out[i].y, ys[i]);
  }
}

TEST(Decimate, MinAndMaxComeInOrderOfOccurrence) {
  // Two columns of 3 points: max before min in the first, min before max in the second.
  const double xs[] = {0.0, 0.1, 0.2, 1.0, 1.1, 1.2};
  const float ys[] = {0.5f, 0.9f, 0.1f, 0.5f, 0.2f, 0.8f};
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, 1.9}, 0.0, 2.0);
  std::vector<plot::PixelPoint> out;
  plot::DecimateLine(xs, ys, 6, x, IdentityY(), out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_FLOAT_EQ(out[0].y, 0.9f);
  EXPECT_FLOAT_EQ(out[1].y, 0.1f);
  EXPECT_FLOAT_EQ(out[2].y, 0.2f);
  EXPECT_FLOAT_EQ(out[3].y, 0.8f);
}

TEST(Decimate, NaNAndInfBreakTheLine) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const double xs[] = {0.0, 1.0, 2.0, 3.0, 4.0, 5.0};
  const float ys[] = {0.1f, nan, nan, 0.2f, std::numeric_limits<float>::infinity(), 0.3f};
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, 5.0}, 0.0, 500.0);
  std::vector<plot::PixelPoint> out;
  plot::DecimateLine(xs, ys, 6, x, IdentityY(), out);
  ASSERT_EQ(out.size(), 5u);  // 0.1 | 0.2 | 0.3, consecutive gaps merged
  EXPECT_FALSE(plot::IsBreak(out[0]));
  EXPECT_TRUE(plot::IsBreak(out[1]));
  EXPECT_FLOAT_EQ(out[2].y, 0.2f);
  EXPECT_TRUE(plot::IsBreak(out[3]));
  EXPECT_FLOAT_EQ(out[4].y, 0.3f);
}

TEST(Decimate, AllNaNGivesNoVertices) {
  std::vector<double> xs(10000);
  std::vector<float> ys(10000, std::numeric_limits<float>::quiet_NaN());
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = (double)i;
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, 9999.0}, 0.0, 100.0);
  std::vector<plot::PixelPoint> out;
  plot::FitBounds fit;
  plot::DecimateLine(xs.data(), ys.data(), 10000, x, IdentityY(), out, &fit);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(fit.IsEmpty());
}

TEST(Decimate, LogAxisSkipsNonPositive) {
  const double xs[] = {0.0, 1.0, 2.0, 3.0};
  const float ys[] = {1.0f, 0.0f, -1.0f, 10.0f};
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, 3.0}, 0.0, 300.0);
  const plot::AxisTransform y = plot::MakeLogTransform(plot::Range{1.0, 10.0}, 100.0, 0.0);
  std::vector<plot::PixelPoint> out;
  plot::DecimateLine(xs, ys, 4, x, y, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_FLOAT_EQ(out[0].y, 100.0f);
  EXPECT_TRUE(plot::IsBreak(out[1]));
  EXPECT_FLOAT_EQ(out[2].y, 0.0f);
}

TEST(Decimate, SubColumnGapsDoNotMultiplyVertices) {
  // A log axis over data that dips below zero every other sample: the gaps
  // are far narrower than a pixel and must not cost a vertex each.
  const int n = 100000;
  std::vector<double> xs(n);
  std::vector<float> ys(n);
  for (int i = 0; i < n; ++i) {
    xs[i] = (double)i;
    ys[i] = (i % 2) ? -1.0f : 1.0f + (float)(i % 7);
  }
  const int columns = 100;
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, (double)(n - 1)}, 0.0, (double)columns);
  const plot::AxisTransform y = plot::MakeLogTransform(plot::Range{1.0, 10.0}, 100.0, 0.0);
  std::vector<plot::PixelPoint> out;
  plot::DecimateLine(xs.data(), ys.data(), n, x, y, out);
  EXPECT_LE(out.size(), (size_t)(3 * columns + 3));
  EXPECT_GE(out.size(), (size_t)columns);
}

TEST(Decimate, GapWiderThanAColumnSurvivesDecimation) {
  const int n = 100000;
  std::vector<double> xs(n);
  std::vector<float> ys(n, 0.5f);
  for (int i = 0; i < n; ++i) xs[i] = (double)i;
  for (int i = 40000; i < 60000; ++i)  // a fifth of the plot
    ys[i] = std::numeric_limits<float>::quiet_NaN();
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, (double)(n - 1)}, 0.0, 100.0);
  std::vector<plot::PixelPoint> out;
  plot::DecimateLine(xs.data(), ys.data(), n, x, IdentityY(), out);
  ASSERT_EQ(CountBreaks(out), 1);
  for (size_t i = 0; i < out.size(); ++i)
    if (plot::IsBreak(out[i])) {
      ASSERT_GT(i, 0u);
      ASSERT_LT(i + 1, out.size());
      EXPECT_LE(out[i - 1].x, 40.0f);
      EXPECT_GE(out[i + 1].x, 60.0f);
    }
}

TEST(Decimate, OnlyTheVisibleRangeAndOneNeighbourEachSide) {
  std::vector<double> xs(1000);
  std::vector<double> ys(1000);
  for (int i = 0; i < 1000; ++i) {
    xs[i] = (double)i;
    ys[i] = (double)i;
  }
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{100.0, 110.0}, 0.0, 1000.0);
  const plot::AxisTransform y = plot::MakeLinearTransform(plot::Range{0.0, 1000.0}, 0.0, 1000.0);
  std::vector<plot::PixelPoint> out;
  plot::FitBounds fit;
  plot::DecimateLine(xs.data(), ys.data(), 1000, x, y, out, &fit);
  ASSERT_EQ(out.size(), 13u);  // 99 .. 111
  EXPECT_FLOAT_EQ(out.front().y, 99.0f);
  EXPECT_FLOAT_EQ(out.back().y, 111.0f);
  EXPECT_EQ(fit.lo, 100.0);  // the neighbours do not stretch the fit
  EXPECT_EQ(fit.hi, 110.0);
}

TEST(Decimate, ReusedBufferDoesNotReallocate) {
  const int n = 200000;
  std::vector<double> xs(n);
  std::vector<float> ys(n);
  for (int i = 0; i < n; ++i) {
    xs[i] = (double)i;
    ys[i] = (float)((i * 7919) % 1000);
  }
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, (double)n}, 0.0, 800.0);
  std::vector<plot::PixelPoint> out;
  plot::DecimateLine(xs.data(), ys.data(), n, x, IdentityY(), out);
  const plot::PixelPoint* storage = out.data();
  for (int frame = 0; frame < 5; ++frame) {
    plot::DecimateLine(xs.data(), ys.data(), n, x, IdentityY(), out);
    EXPECT_EQ(out.data(), storage);
  }
}

TEST(Decimate, DegenerateInputs) {
  std::vector<plot::PixelPoint> out(3);
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, 1.0}, 0.0, 0.0);  // zero-width plot
  const double xs[] = {0.0, 0.5, 1.0};
  const float ys[] = {1.0f, 2.0f, 3.0f};
  plot::DecimateLine(xs, ys, 0, x, IdentityY(), out);
  EXPECT_TRUE(out.empty());
  plot::DecimateLine(nullptr, ys, 3, x, IdentityY(), out);
  EXPECT_TRUE(out.empty());
  plot::DecimateLine(xs, ys, 3, x, IdentityY(), out);
  EXPECT_LE(out.size(), 3u);
}

TEST(Decimate, BandEnvelopePerColumn) {
  const int n = 100000;
  std::vector<double> xs(n);
  std::vector<float> lo(n), hi(n);
  for (int i = 0; i < n; ++i) {
    xs[i] = (double)i;
    lo[i] = -1.0f;
    hi[i] = 1.0f;
  }
  hi[5000] = 9.0f;
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.0, (double)(n - 1)}, 0.0, 200.0);
  std::vector<plot::PixelSpan> spans;
  plot::FitBounds fit;
  plot::DecimateBand(xs.data(), lo.data(), hi.data(), n, x, IdentityY(), spans, &fit);
  EXPECT_LE(spans.size(), 202u);
  float top = -1e30f;
  for (const plot::PixelSpan& s : spans) {
    top = std::max(top, std::max(s.y0, s.y1));
    EXPECT_FLOAT_EQ(std::min(s.y0, s.y1), -1.0f);
  }
  EXPECT_FLOAT_EQ(top, 9.0f);
  EXPECT_EQ(fit.hi, 9.0);
}

// A getter over the same arrays must give exactly what the arrays give: few points (every one
// kept) and many (min/max per column), with gaps, partly outside the visible range.
struct Arrays {
  std::vector<double> xs;
  std::vector<float> ys, lo, hi;
};

plot::PlotPoint LinePoint(int index, const void* data) {
  const Arrays& a = *static_cast<const Arrays*>(data);
  return plot::PlotPoint{a.xs[index], (double)a.ys[index]};
}

plot::PlotPoint LowPoint(int index, const void* data) {
  const Arrays& a = *static_cast<const Arrays*>(data);
  return plot::PlotPoint{a.xs[index], (double)a.lo[index]};
}

plot::PlotPoint HighPoint(int index, const void* data) {
  const Arrays& a = *static_cast<const Arrays*>(data);
  return plot::PlotPoint{a.xs[index], (double)a.hi[index]};
}

TEST(Decimate, GetterGivesWhatArraysGive) {
  for (int n : {50, 100000}) {
    Arrays a;
    for (int i = 0; i < n; ++i) {
      a.xs.push_back((double)i);
      a.ys.push_back((float)std::sin(i * 0.37));
      a.lo.push_back(a.ys.back() - 0.5f);
      a.hi.push_back(a.ys.back() + (i % 1000 == 7 ? 9.0f : 0.5f));
    }
    a.ys[n / 3] = std::numeric_limits<float>::quiet_NaN();
    a.lo[n / 2] = std::numeric_limits<float>::quiet_NaN();
    const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{0.1 * n, 0.9 * n}, 0.0, 300.0);

    std::vector<plot::PixelPoint> from_arrays, from_getter;
    plot::FitBounds fit_arrays, fit_getter;
    plot::DecimateLine(a.xs.data(), a.ys.data(), n, x, IdentityY(), from_arrays, &fit_arrays);
    plot::DecimateLine(LinePoint, &a, n, x, IdentityY(), from_getter, &fit_getter);
    ASSERT_EQ(from_getter.size(), from_arrays.size()) << n;
    for (size_t i = 0; i < from_arrays.size(); ++i) {
      EXPECT_EQ(plot::IsBreak(from_getter[i]), plot::IsBreak(from_arrays[i])) << n << " " << i;
      if (!plot::IsBreak(from_arrays[i])) {
        EXPECT_EQ(from_getter[i].x, from_arrays[i].x) << n << " " << i;
        EXPECT_EQ(from_getter[i].y, from_arrays[i].y) << n << " " << i;
      }
    }
    EXPECT_EQ(fit_getter.lo, fit_arrays.lo);
    EXPECT_EQ(fit_getter.hi, fit_arrays.hi);

    std::vector<plot::PixelSpan> spans_arrays, spans_getter;
    plot::DecimateBand(a.xs.data(), a.lo.data(), a.hi.data(), n, x, IdentityY(), spans_arrays);
    plot::DecimateBand(LowPoint, &a, HighPoint, &a, n, x, IdentityY(), spans_getter);
    ASSERT_EQ(spans_getter.size(), spans_arrays.size()) << n;
    for (size_t i = 0; i < spans_arrays.size(); ++i) {
      EXPECT_EQ(plot::IsBreak(spans_getter[i]), plot::IsBreak(spans_arrays[i])) << n << " " << i;
      if (!plot::IsBreak(spans_arrays[i])) {
        EXPECT_EQ(spans_getter[i].x, spans_arrays[i].x) << n << " " << i;
        EXPECT_EQ(spans_getter[i].y0, spans_arrays[i].y0) << n << " " << i;
        EXPECT_EQ(spans_getter[i].y1, spans_arrays[i].y1) << n << " " << i;
      }
    }

    for (double mouse : {-5.0, 0.3 * n, 0.5 * n + 0.4, 2.0 * n})
      EXPECT_EQ(plot::NearestIndex(LinePoint, &a, n, mouse, x), plot::NearestIndex(a.xs.data(), n, mouse, x));
  }
}

TEST(NearestIndex, BinarySearch) {
  const double xs[] = {0.0, 10.0, 20.0, 30.0};
  EXPECT_EQ(plot::NearestIndex(xs, 4, -5.0), 0);
  EXPECT_EQ(plot::NearestIndex(xs, 4, 4.0), 0);
  EXPECT_EQ(plot::NearestIndex(xs, 4, 6.0), 1);
  EXPECT_EQ(plot::NearestIndex(xs, 4, 26.0), 3);
  EXPECT_EQ(plot::NearestIndex(xs, 4, 1e9), 3);
  EXPECT_EQ(plot::NearestIndex(xs, 0, 1.0), -1);

  // On a log axis, 10 is as far from 1 as from 100.
  const double decades[] = {1.0, 100.0};
  const plot::AxisTransform log_x = plot::MakeLogTransform(plot::Range{1.0, 100.0}, 0.0, 200.0);
  EXPECT_EQ(plot::NearestIndex(decades, 2, 9.0, log_x), 0);
  EXPECT_EQ(plot::NearestIndex(decades, 2, 11.0, log_x), 1);
}

TEST(VisibleIndexRange, Bounds) {
  const double xs[] = {0.0, 1.0, 2.0, 3.0, 4.0};
  int first = -1, last = -1;
  plot::VisibleIndexRange(xs, 5, 1.0, 3.0, &first, &last);
  EXPECT_EQ(first, 1);
  EXPECT_EQ(last, 4);
  plot::VisibleIndexRange(xs, 5, 10.0, 20.0, &first, &last);
  EXPECT_EQ(first, last);
  plot::VisibleIndexRange(xs, 5, 3.0, 1.0, &first, &last);  // reversed
  EXPECT_EQ(first, 1);
  EXPECT_EQ(last, 4);
}
