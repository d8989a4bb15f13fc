// Ticks, labels, binning and fitting: the pure maths of the plot module.
#include "plot/plot_math.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace {

// A step is "nice" when it is 1, 2 or 5 times a power of ten.
bool IsNiceStep(double step) {
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  return std::fabs(mantissa - 1.0) < 1e-9 || std::fabs(mantissa - 2.0) < 1e-9 || std::fabs(mantissa - 5.0) < 1e-9;
}

void ExpectNiceTicksCover(double lo, double hi, int target) {
  SCOPED_TRACE(std::to_string(lo) + " .. " + std::to_string(hi));
  std::vector<double> ticks;
  const double step = plot::NiceTicks(lo, hi, target, ticks);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_LE(ticks.size(), (size_t)(2 * target + 1));
  EXPECT_TRUE(IsNiceStep(step)) << step;
  // Differences of neighbouring ticks far from zero carry rounding of the
  // ticks' magnitude, not of the step.
  const double tolerance = step * 1e-6 + std::max(std::fabs(lo), std::fabs(hi)) * 1e-15;
  for (size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_GE(ticks[i], std::min(lo, hi) - tolerance);
    EXPECT_LE(ticks[i], std::max(lo, hi) + tolerance);
    if (i > 0) {
      EXPECT_NEAR(ticks[i] - ticks[i - 1], step, tolerance);
    }
  }
  // Covering: no gap of a whole step is left at either end.
  EXPECT_LT(ticks.front() - std::min(lo, hi), step);
  EXPECT_LT(std::max(lo, hi) - ticks.back(), step);
}

std::string Tick(double value, double step) {
  char buf[64];
  const int n = plot::FormatTick(value, step, buf, (int)sizeof(buf));
  EXPECT_EQ(n, (int)std::string(buf).size());
  return buf;
}

std::string LogTick(double value) {
  char buf[64];
  plot::FormatLogTick(value, buf, (int)sizeof(buf));
  return buf;
}

std::string Value(double value) {
  char buf[64];
  plot::FormatValue(value, buf, (int)sizeof(buf));
  return buf;
}

}  // namespace

TEST(NiceTicks, ZeroToOneInFifths) {
  const std::vector<double> ticks = plot::NiceTicks(0.0, 1.0, 5);
  const double expected[] = {0.0, 0.2, 0.4, 0.6, 0.8, 1.0};
  ASSERT_EQ(ticks.size(), 6u);
  for (size_t i = 0; i < ticks.size(); ++i) EXPECT_DOUBLE_EQ(ticks[i], expected[i]);
}

TEST(NiceTicks, NegativeToPositive) {
  const std::vector<double> ticks = plot::NiceTicks(-3.7, 12.1, 5);
  ExpectNiceTicksCover(-3.7, 12.1, 5);
  ASSERT_FALSE(ticks.empty());
  bool has_zero = false;
  for (double t : ticks) has_zero = has_zero || t == 0.0;  // exactly zero, not 1e-17
  EXPECT_TRUE(has_zero);
}

TEST(NiceTicks, AssortedRanges) {
  ExpectNiceTicksCover(0.0, 1.0, 5);
  ExpectNiceTicksCover(-1e6, -2e5, 4);
  ExpectNiceTicksCover(1.0, 1.0 + 1e-9, 5);
  ExpectNiceTicksCover(0.0, 1e-12, 5);
  ExpectNiceTicksCover(-1e300, 1e300, 6);
  ExpectNiceTicksCover(0.0, 1234567.0, 8);
  ExpectNiceTicksCover(0.31, 0.32, 3);
}

TEST(NiceTicks, TinyRangeAroundOne) {
  const std::vector<double> ticks = plot::NiceTicks(1.0, 1.0 + 1e-9, 5);
  ASSERT_GE(ticks.size(), 3u);
  const double step = ticks[1] - ticks[0];
  EXPECT_NEAR(step, 2e-10, 1e-15);
  for (size_t i = 1; i < ticks.size(); ++i) EXPECT_GT(ticks[i], ticks[i - 1]);
}

TEST(NiceTicks, ReversedBoundsGiveAscendingTicks) {
  EXPECT_EQ(plot::NiceTicks(1.0, 0.0, 5), plot::NiceTicks(0.0, 1.0, 5));
}

TEST(NiceTicks, DegenerateInputs) {
  const std::vector<double> equal = plot::NiceTicks(3.0, 3.0, 5);
  ASSERT_EQ(equal.size(), 1u);
  EXPECT_EQ(equal[0], 3.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(plot::NiceTicks(nan, 1.0, 5).empty());
  EXPECT_TRUE(plot::NiceTicks(0.0, inf, 5).empty());
  EXPECT_FALSE(plot::NiceTicks(0.0, 1.0, 0).empty());  // target clamped, not divided by
  EXPECT_LE(plot::NiceTicks(0.0, 1.0, 1000000).size(), 1001u);
  EXPECT_EQ(plot::NiceStep(0.0, 5), 0.0);
  EXPECT_EQ(plot::NiceStep(-1.0, 5), 0.0);
}

TEST(NiceTicks, OutputBufferIsReused) {
  std::vector<double> ticks;
  plot::NiceTicks(0.0, 100.0, 10, ticks);
  const double* storage = ticks.data();
  const size_t capacity = ticks.capacity();
  const double step = plot::NiceTicks(0.0, 1.0, 5, ticks);
  EXPECT_DOUBLE_EQ(step, 0.2);
  EXPECT_EQ(ticks.data(), storage);
  EXPECT_EQ(ticks.capacity(), capacity);
}

TEST(LogTicks, DecadesFromTenThousandthToTen) {
  const std::vector<double> ticks = plot::LogTicks(1e-4, 10.0);
  const double decades[] = {1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0};
  for (double d : decades) {
    bool found = false;
    for (double t : ticks) found = found || std::fabs(t / d - 1.0) < 1e-12;
    EXPECT_TRUE(found) << d;
  }
  for (double t : ticks) {
    EXPECT_GE(t, 1e-4 * (1 - 1e-9));
    EXPECT_LE(t, 10.0 * (1 + 1e-9));
  }
}

TEST(LogTicks, FewDecadesGetTwoAndFiveSubTicks) {
  const std::vector<double> ticks = plot::LogTicks(1.0, 100.0);
  const double expected[] = {1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0};
  ASSERT_EQ(ticks.size(), 7u);
  for (size_t i = 0; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i], expected[i], expected[i] * 1e-12);
}

TEST(LogTicks, ManyDecadesAreThinned) {
  std::vector<double> ticks;
  plot::LogTicks(1e-30, 1e30, 10, ticks);
  EXPECT_GE(ticks.size(), 2u);
  EXPECT_LE(ticks.size(), 11u);
  for (size_t i = 1; i < ticks.size(); ++i) EXPECT_GT(ticks[i], ticks[i - 1]);
}

TEST(LogTicks, ShortAxisOverTwoDecadesGetsOneAndThree) {
  // Room for 4 ticks, 1.7 decades: not 0.1 and 1 alone, but 0.03, 0.1, 0.3, 1.
  std::vector<double> ticks;
  plot::LogTicks(0.03, 1.5, 4, ticks);
  const double expected[] = {0.03, 0.1, 0.3, 1.0};
  ASSERT_EQ(ticks.size(), 4u);
  for (size_t i = 0; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i], expected[i], expected[i] * 1e-12);
  // Room for 3 only: the powers of ten stay.
  plot::LogTicks(0.03, 1.5, 3, ticks);
  ASSERT_EQ(ticks.size(), 2u);
  EXPECT_NEAR(ticks[0], 0.1, 1e-12);
  EXPECT_NEAR(ticks[1], 1.0, 1e-12);
}

TEST(LogTicks, OnePowerOfTenInsideGetsOneAndThree) {
  // A loss axis from 0.13 to 4.5 (a decade and a half) with room for 4 ticks holds only the
  // power of ten 1: 0.3, 1 and 3 give it a scale, not linear ticks crowded at the top.
  std::vector<double> ticks;
  plot::LogTicks(0.134, 4.45, 4, ticks);
  const double expected[] = {0.3, 1.0, 3.0};
  ASSERT_EQ(ticks.size(), 3u);
  for (size_t i = 0; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i], expected[i], expected[i] * 1e-12);
}

TEST(LogTicks, NarrowRangeFallsBackToLinearTicks) {
  const std::vector<double> ticks = plot::LogTicks(0.3, 0.8);
  EXPECT_GE(ticks.size(), 3u);
  for (double t : ticks) {
    EXPECT_GT(t, 0.0);
    EXPECT_GE(t, 0.3 - 1e-12);
    EXPECT_LE(t, 0.8 + 1e-12);
  }
}

TEST(LogTicks, InvalidBounds) {
  EXPECT_TRUE(plot::LogTicks(0.0, 10.0).empty());
  EXPECT_TRUE(plot::LogTicks(-1.0, -0.1).empty());
  EXPECT_EQ(plot::LogTicks(100.0, 1.0), plot::LogTicks(1.0, 100.0));
}

TEST(FormatTick, NoFloatingPointNoise) {
  EXPECT_EQ(Tick(0.1 + 0.2, 0.1), "0.3");
  EXPECT_EQ(Tick(0.6000000000000001, 0.2), "0.6");
  EXPECT_EQ(Tick(1.0, 0.2), "1.0");
  EXPECT_EQ(Tick(0.05, 0.05), "0.05");
  EXPECT_EQ(Tick(0.75, 0.25), "0.75");
  EXPECT_EQ(Tick(1500.0, 500.0), "1500");
  EXPECT_EQ(Tick(-3.0, 1.0), "-3");
}

TEST(FormatTick, ZeroIsPlainZero) {
  EXPECT_EQ(Tick(0.0, 0.2), "0");
  EXPECT_EQ(Tick(-0.0, 0.2), "0");
  EXPECT_EQ(Tick(1e-17, 0.1), "0");
}

TEST(FormatTick, ScientificForHugeStepsAndTinyValues) {
  EXPECT_EQ(Tick(1e6, 2e5), "1e6");
  EXPECT_EQ(Tick(1.2e6, 2e5), "1.2e6");
  EXPECT_EQ(Tick(2e-5, 1e-5), "2e-5");
  EXPECT_EQ(Tick(1.5e-7, 5e-8), "1.5e-7");
  // A tiny step on a large offset needs the digits, not an exponent.
  EXPECT_EQ(Tick(1.0000000002, 2e-10), "1.0000000002");
}

TEST(FormatTick, LogLabels) {
  EXPECT_EQ(LogTick(1e-3), "1e-3");
  EXPECT_EQ(LogTick(0.01), "0.01");
  EXPECT_EQ(LogTick(0.1), "0.1");
  EXPECT_EQ(LogTick(1.0), "1");
  EXPECT_EQ(LogTick(10.0), "10");
  EXPECT_EQ(LogTick(2e-4), "2e-4");
  EXPECT_EQ(LogTick(5.0), "5");
  EXPECT_EQ(LogTick(1e5), "1e5");
}

TEST(FormatTick, ValuesAndBufferLimits) {
  EXPECT_EQ(Value(1234.0), "1234");
  EXPECT_EQ(Value(0.42313), "0.4231");
  EXPECT_EQ(Value(-123.456), "-123.5");
  EXPECT_EQ(Value(1.5e-6), "1.5e-6");
  EXPECT_EQ(Value(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(Value(-std::numeric_limits<double>::infinity()), "-inf");

  char small[4];
  const int n = plot::FormatTick(123456.0, 1.0, small, (int)sizeof(small));
  EXPECT_EQ(n, 3);
  EXPECT_STREQ(small, "123");
  EXPECT_EQ(plot::FormatTick(1.0, 1.0, small, 0), 0);
}

TEST(BinValues, CountsSumAndEdges) {
  const float values[] = {0.0f, 0.1f, 0.5f, 0.99f, 1.0f, -0.5f, 1.5f, std::nanf("")};
  float counts[4];
  const int counted = plot::BinValues(values, 8, 0.0, 1.0, 4, counts);
  EXPECT_EQ(counted, 5);       // -0.5, 1.5 and NaN dropped
  EXPECT_EQ(counts[0], 2.0f);  // 0 and 0.1
  EXPECT_EQ(counts[1], 0.0f);
  EXPECT_EQ(counts[2], 1.0f);  // 0.5 opens the third bin
  EXPECT_EQ(counts[3], 2.0f);  // 0.99 and hi itself
  EXPECT_EQ(counts[0] + counts[1] + counts[2] + counts[3], (float)counted);
}

TEST(BinValues, ClampedKeepsOutliersButDropsNaN) {
  const float values[] = {-5.0f, 0.2f, 7.0f, std::nanf(""), std::numeric_limits<float>::infinity()};
  float counts[2];
  EXPECT_EQ(plot::BinValuesClamped(values, 5, 0.0, 1.0, 2, counts), 4);
  EXPECT_EQ(counts[0], 2.0f);
  EXPECT_EQ(counts[1], 2.0f);
}

TEST(BinValues, ManyValuesSumToCount) {
  std::vector<float> values(10000);
  for (size_t i = 0; i < values.size(); ++i) values[i] = (float)std::sin((double)i) * 3.0f;
  std::vector<float> counts(37);
  const int counted = plot::BinValues(values.data(), (int)values.size(), 3.0, -3.0, 37, counts.data());
  double sum = 0.0;
  for (float c : counts) sum += c;
  EXPECT_EQ(counted, 10000);
  EXPECT_EQ(sum, 10000.0);
}

TEST(BinValues, DegenerateInputsLeaveZeros) {
  float counts[3] = {9.0f, 9.0f, 9.0f};
  const float values[] = {1.0f};
  EXPECT_EQ(plot::BinValues(values, 1, 1.0, 1.0, 3, counts), 0);
  EXPECT_EQ(counts[0] + counts[1] + counts[2], 0.0f);
  EXPECT_EQ(plot::BinValues(nullptr, 5, 0.0, 1.0, 3, counts), 0);
  EXPECT_EQ(plot::BinValues(values, 1, 0.0, 1.0, 0, counts), 0);
}

TEST(Fit, BoundsIgnoreNonFinite) {
  const float values[] = {std::nanf(""), 2.0f, -1.0f, std::numeric_limits<float>::infinity(), 0.5f};
  const plot::FitBounds b = plot::DataBounds(values, 5);
  EXPECT_EQ(b.lo, -1.0);
  EXPECT_EQ(b.hi, 2.0);
  EXPECT_EQ(b.min_positive, 0.5);
  EXPECT_TRUE(plot::DataBounds(values, 1).IsEmpty());
}

TEST(Fit, LinearPadsButNeverCrossesZero) {
  plot::FitBounds b;
  b.Extend(0.1);
  b.Extend(2.1);
  const plot::Range r = plot::FitLinear(b, 0.05);
  EXPECT_EQ(r.lo, 0.0);
  EXPECT_NEAR(r.hi, 2.2, 1e-12);

  plot::FitBounds both;
  both.Extend(-1.0);
  both.Extend(1.0);
  const plot::Range padded = plot::FitLinear(both, 0.05);
  EXPECT_NEAR(padded.lo, -1.1, 1e-12);
  EXPECT_NEAR(padded.hi, 1.1, 1e-12);
}

TEST(Fit, DegenerateFitsAreDrawable) {
  const plot::Range empty = plot::FitLinear(plot::FitBounds(), 0.05);
  EXPECT_LT(empty.lo, empty.hi);
  plot::FitBounds single;
  single.Extend(5.0);
  const plot::Range r = plot::FitLinear(single, 0.05);
  EXPECT_LT(r.lo, 5.0);
  EXPECT_GT(r.hi, 5.0);
  plot::FitBounds zero;
  zero.Extend(0.0);
  const plot::Range z = plot::FitLinear(zero, 0.05);
  EXPECT_LT(z.lo, 0.0);
  EXPECT_GT(z.hi, 0.0);
}

TEST(Fit, LogUsesPositiveValuesOnly) {
  plot::FitBounds b;
  b.Extend(-3.0);
  b.Extend(0.0);
  b.Extend(1e-3);
  b.Extend(10.0);
  const plot::Range r = plot::FitLog(b, 0.0);
  EXPECT_DOUBLE_EQ(r.lo, 1e-3);
  EXPECT_DOUBLE_EQ(r.hi, 10.0);
  plot::FitBounds negative;
  negative.Extend(-1.0);
  const plot::Range fallback = plot::FitLog(negative, 0.05);
  EXPECT_GT(fallback.lo, 0.0);
  EXPECT_LT(fallback.lo, fallback.hi);
}

TEST(Fit, SanitizeRanges) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  plot::Range r = plot::SanitizeLinear(plot::Range{2.0, 1.0});
  EXPECT_EQ(r.lo, 1.0);
  EXPECT_EQ(r.hi, 2.0);
  r = plot::SanitizeLinear(plot::Range{nan, 1.0});
  EXPECT_LT(r.lo, r.hi);
  r = plot::SanitizeLog(plot::Range{-1.0, 100.0});
  EXPECT_GT(r.lo, 0.0);
  EXPECT_EQ(r.hi, 100.0);
  r = plot::SanitizeLog(plot::Range{5.0, 5.0});
  EXPECT_LT(r.lo, 5.0);
  EXPECT_GT(r.hi, 5.0);
}

TEST(Transform, LinearAndLogRoundTrip) {
  const plot::AxisTransform x = plot::MakeLinearTransform(plot::Range{-2.0, 2.0}, 100.0, 500.0);
  EXPECT_DOUBLE_EQ(x.ToPixel(-2.0), 100.0);
  EXPECT_DOUBLE_EQ(x.ToPixel(0.0), 300.0);
  EXPECT_DOUBLE_EQ(x.FromPixel(500.0), 2.0);

  // y grows upwards: range.lo at the bottom pixel.
  const plot::AxisTransform y = plot::MakeLogTransform(plot::Range{1e-3, 10.0}, 400.0, 0.0);
  EXPECT_NEAR(y.ToPixel(1e-3), 400.0, 1e-9);
  EXPECT_NEAR(y.ToPixel(1e-1), 200.0, 1e-9);
  EXPECT_NEAR(y.FromPixel(100.0), 1.0, 1e-12);
  EXPECT_FALSE(y.Accepts(0.0));
  EXPECT_FALSE(y.Accepts(-1.0));
  EXPECT_FALSE(x.Accepts(std::numeric_limits<double>::infinity()));
  EXPECT_TRUE(x.Accepts(-1.0));
}

TEST(Transform, NarrowRangeFarFromZeroKeepsPrecision) {
  const plot::AxisTransform t = plot::MakeLinearTransform(plot::Range{1e9, 1e9 + 1e-3}, 0.0, 1000.0);
  EXPECT_NEAR(t.ToPixel(1e9 + 0.5e-3), 500.0, 1.0);
}
