#include "engine/history.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace bnlab {
namespace {

TEST(History, KeepsEveryPointUntilFull) {
  History history(8);
  for (int i = 0; i < 8; ++i) history.Add(i, 10.0 * i);
  ASSERT_EQ(history.size(), 8u);
  EXPECT_EQ(history.stride(), 1u);
  EXPECT_EQ(history.x()[3], 3.0);
  EXPECT_EQ(history.y()[3], 30.0f);
}

TEST(History, MemoryStaysBoundedOverAMillionSteps) {
  History history(256);
  for (int i = 0; i < 1000000; ++i) history.Add(i, std::sin(i * 0.001));
  EXPECT_LE(history.size(), 256u);
  EXPECT_GE(history.size(), 128u);
  EXPECT_EQ(history.last_x(), 999999.0);
  EXPECT_GE(history.stride(), 1000000u / 256u);
}

TEST(History, MergingKeepsMeanAndSpikes) {
  History history(4);
  // 0, 1, 2, 100 (spike), 4, ... : after merging, the spike survives in hi().
  const double values[] = {0, 1, 2, 100, 4, 5, 6, 7};
  for (int i = 0; i < 8; ++i) history.Add(i, values[i]);
  float max_hi = 0.0f;
  for (float v : history.hi()) max_hi = std::max(max_hi, v);
  EXPECT_EQ(max_hi, 100.0f);
  // Mean over everything is preserved when every point covers the same number of samples.
  double sum = 0.0;
  for (float v : history.y()) sum += v;
  EXPECT_NEAR(sum / static_cast<double>(history.size()), (0 + 1 + 2 + 100 + 4 + 5 + 6 + 7) / 8.0, 1e-9);
  EXPECT_EQ(history.x().back(), 7.0);
}

TEST(History, NonFiniteValuesAreKeptNotAveragedAway) {
  History history(16);
  history.Add(0, 1.0);
  history.Add(1, std::numeric_limits<double>::quiet_NaN());
  EXPECT_TRUE(std::isnan(history.last_y()));
}

}  // namespace
}  // namespace bnlab
