// The Loss & accuracy view's smoothing (src/app/views/loss/loss_smoothing.cpp): the moving average and
// envelope it draws, and its cache, which smooths a series again exactly when the series changed
// (new run, new points, merged points, the open point) and then gives what smoothing anew gives.
#include "app/views/loss/loss_smoothing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace bnlab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Equal element by element, NaN (a gap) matching NaN.
template <typename T>
void ExpectSameValues(const std::vector<T>& actual, const std::vector<T>& expected, const char* what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i])) {
      EXPECT_TRUE(std::isnan(actual[i])) << what << " at " << i;
    } else {
      EXPECT_EQ(actual[i], expected[i]) << what << " at " << i;
    }
  }
}

// The cache's series is what SmoothHistory gives for `history` from scratch.
void ExpectSmoothedFresh(const SmoothedHistoryCache& cache, const History& history) {
  SmoothedSeries fresh;
  SmoothHistory(history, fresh);
  ExpectSameValues(cache.series().step, fresh.step, "step");
  ExpectSameValues(cache.series().mean, fresh.mean, "mean");
  ExpectSameValues(cache.series().lo, fresh.lo, "lo");
  ExpectSameValues(cache.series().hi, fresh.hi, "hi");
}

// A loss-like series: y = offset + step / 100, one point per step from step 1.
History LossSeries(int steps, double offset = 0.0, std::size_t capacity = 2048) {
  History history(capacity);
  for (int step = 1; step <= steps; ++step) history.Add(step, offset + step / 100.0);
  return history;
}

TEST(LossSmoothing, MovingAverageAndEnvelopeOverTheWindowWithGapsKept) {
  // 160 points: a window of 160 / 80 = 2 points on either side.
  History history;
  for (int i = 0; i < 160; ++i) history.Add(i, i == 80 ? kNaN : static_cast<double>(i));
  SmoothedSeries smoothed;
  SmoothHistory(history, smoothed);
  ASSERT_EQ(smoothed.step.size(), 160u);
  EXPECT_EQ(smoothed.step[42], 42.0);
  // Inside: the mean of a straight line over i-2..i+2 is its value at i; the envelope its ends.
  EXPECT_FLOAT_EQ(smoothed.mean[40], 40.0f);
  EXPECT_FLOAT_EQ(smoothed.lo[40], 38.0f);
  EXPECT_FLOAT_EQ(smoothed.hi[40], 42.0f);
  // At the start the window is cut: the mean of 0, 1, 2.
  EXPECT_FLOAT_EQ(smoothed.mean[0], 1.0f);
  EXPECT_FLOAT_EQ(smoothed.lo[0], 0.0f);
  // The NaN point stays a gap, and its neighbours average without it.
  EXPECT_TRUE(std::isnan(smoothed.mean[80]));
  EXPECT_TRUE(std::isnan(smoothed.lo[80]));
  EXPECT_TRUE(std::isnan(smoothed.hi[80]));
  EXPECT_FLOAT_EQ(smoothed.mean[79], (77.0f + 78.0f + 79.0f + 81.0f) / 4.0f);
  EXPECT_FLOAT_EQ(smoothed.hi[79], 81.0f);
}

TEST(LossSmoothing, FewPointsAreNotAveraged) {
  // Under 80 points the window is the point itself.
  const History history = LossSeries(50);
  SmoothedSeries smoothed;
  SmoothHistory(history, smoothed);
  ASSERT_EQ(smoothed.mean.size(), 50u);
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(smoothed.mean[i], history.y()[i]);
    EXPECT_EQ(smoothed.lo[i], history.y()[i]);
    EXPECT_EQ(smoothed.hi[i], history.y()[i]);
  }
}

TEST(LossSmoothingCache, SmoothsOnceForTheSameSeriesAndAgainWhenItGrows) {
  History history = LossSeries(500);
  SmoothedHistoryCache cache;
  EXPECT_TRUE(cache.Update(1, history));
  ExpectSmoothedFresh(cache, history);
  // Every frame until the next snapshot: nothing to do.
  EXPECT_FALSE(cache.Update(1, history));
  EXPECT_FALSE(cache.Update(1, history));
  // The next snapshot's copy of an unchanged series (training paused).
  const History copy = history;
  EXPECT_FALSE(cache.Update(1, copy));
  ExpectSmoothedFresh(cache, copy);
  // New points: smoothed again, with the wider window 800 points give.
  for (int step = 501; step <= 800; ++step) history.Add(step, 7.0);
  EXPECT_TRUE(cache.Update(1, history));
  ExpectSmoothedFresh(cache, history);
  EXPECT_FALSE(cache.Update(1, history));
}

TEST(LossSmoothingCache, ANewRunIsSmoothedAgainThoughItLooksTheSame) {
  // After a reset the new run can reach the same step, with as many points and the same newest
  // value, as the old one had: only the run (the snapshot's generation) tells them apart.
  const History old_run = LossSeries(300);
  History new_run;
  for (int step = 1; step <= 300; ++step) new_run.Add(step, step == 100 ? 50.0 : step / 100.0);
  ASSERT_EQ(new_run.size(), old_run.size());
  ASSERT_EQ(new_run.last_y(), old_run.last_y());
  SmoothedHistoryCache cache;
  EXPECT_TRUE(cache.Update(1, old_run));
  EXPECT_TRUE(cache.Update(2, new_run));
  ExpectSmoothedFresh(cache, new_run);
  EXPECT_FALSE(cache.Update(2, new_run));
}

TEST(LossSmoothingCache, FollowsMergesAndTheOpenPoint) {
  // Capacity 8: the ninth sample merges the points in pairs (stride 2) and opens a point.
  History history(8);
  for (int step = 1; step <= 8; ++step) history.Add(step, step);
  SmoothedHistoryCache cache;
  EXPECT_TRUE(cache.Update(1, history));
  history.Add(9, 9.0);
  ASSERT_EQ(history.stride(), 2u);
  EXPECT_TRUE(cache.Update(1, history));
  ExpectSmoothedFresh(cache, history);
  // The tenth sample closes the open point: as many points as before, the newest one changed.
  const std::size_t points = history.size();
  history.Add(10, 100.0);
  ASSERT_EQ(history.size(), points);
  EXPECT_TRUE(cache.Update(1, history));
  ExpectSmoothedFresh(cache, history);
  EXPECT_FALSE(cache.Update(1, history));
}

TEST(LossSmoothingCache, RedoingOnlyTheNewestPointsGivesWhatSmoothingAnewGives) {
  // Points added one sample at a time through window widenings (every 80 points), merges
  // (capacity 512: stride 2, 4, 8) with open points, and gaps: after every sample the cached
  // series, which redoes only the newest points where it can, equals a fresh smoothing.
  History history(512);
  SmoothedHistoryCache cache;
  for (int step = 1; step <= 3000; ++step) {
    const double value = step % 97 == 0 ? kNaN : std::sin(step * 0.37) + step / 1000.0;
    history.Add(step, value);
    ASSERT_TRUE(cache.Update(1, history)) << "step " << step;
    ExpectSmoothedFresh(cache, history);
    if (HasFailure()) FAIL() << "step " << step;
  }
  EXPECT_EQ(history.stride(), 8u);
}

TEST(LossSmoothingCache, ADivergedSeriesIsSmoothedOnce) {
  // A diverged net's last loss is NaN and no point follows it.
  History history = LossSeries(200);
  history.Add(201, kNaN);
  SmoothedHistoryCache cache;
  EXPECT_TRUE(cache.Update(1, history));
  EXPECT_FALSE(cache.Update(1, history));
  ExpectSmoothedFresh(cache, history);
  EXPECT_TRUE(std::isnan(cache.series().mean.back()));
}

TEST(LossSmoothingCache, AnEmptySeriesThenItsFirstPoint) {
  History history;
  SmoothedHistoryCache cache;
  EXPECT_TRUE(cache.Update(1, history));
  EXPECT_TRUE(cache.series().step.empty());
  EXPECT_FALSE(cache.Update(1, history));
  history.Add(1, 2.3);
  EXPECT_TRUE(cache.Update(1, history));
  ExpectSmoothedFresh(cache, history);
}

}  // namespace
}  // namespace bnlab
