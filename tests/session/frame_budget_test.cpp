// The page's training budget between two frames (session/frame_budget.h): arithmetic only.
#include "session/frame_budget.h"

#include <gtest/gtest.h>

#include <cmath>

namespace bnlab {
namespace {

constexpr double kTolerance = 1e-12;

TEST(TrainingBudget, AFastFrameLeavesTheRestOfItsIntervalToTraining) {
  // A frame that costs 5 ms: 28.3 ms of training, a frame every 1/30 s.
  EXPECT_NEAR(TrainingBudget(0.005, 0.0), 1.0 / 30.0 - 0.005, kTolerance);
  EXPECT_NEAR(TrainingBudget(0.0, 0.0), 1.0 / 30.0, kTolerance);
}

TEST(TrainingBudget, ASlowFrameGivesTrainingItsShareOfTheTime) {
  // 20 ms to draw: 1/30 s would leave 13 ms; the share gives 40 ms, two thirds of 60 ms.
  const double budget = TrainingBudget(0.020, 0.0);
  EXPECT_NEAR(budget, 0.040, kTolerance);
  EXPECT_NEAR(budget / (budget + 0.020), 2.0 / 3.0, kTolerance);
}

TEST(TrainingBudget, NeverFewerFramesASecondThanTheLowestRate) {
  // 140 ms to draw (SwiftShader): two thirds would be 280 ms, 2.4 frames a second; the budget
  // stops at 110 ms, four frames a second.
  EXPECT_NEAR(TrainingBudget(0.140, 0.0), 0.110, kTolerance);
  EXPECT_NEAR(1.0 / (0.140 + TrainingBudget(0.140, 0.0)), 4.0, 1e-9);
}

TEST(TrainingBudget, AFrameSlowerThanTheLowestRateLeavesOnePass) {
  EXPECT_EQ(TrainingBudget(0.300, 0.0), 0.0);
  EXPECT_EQ(TrainingBudget(0.250, 0.0), 0.0);
}

TEST(TrainingBudget, SlowMotionTrainsOnePass) {
  // The pass steps what the speed asks; a budget would only add passes that step nothing.
  EXPECT_EQ(TrainingBudget(0.005, 20.0), 0.0);
  EXPECT_EQ(TrainingBudget(0.140, 2000.0), 0.0);
}

TEST(TrainingBudget, GrowsWithTheFrameCostUntilTheLowestRate) {
  double previous = -1.0;
  for (double cost = 0.0; cost <= 0.3; cost += 0.001) {
    const double budget = TrainingBudget(cost, 0.0);
    EXPECT_GE(budget, 0.0) << cost;
    // Never below what fills the frame interval, never past the lowest frame rate (unless the
    // frame alone is past it).
    EXPECT_GE(budget + 1e-12, 1.0 / 30.0 - cost) << cost;
    if (cost < 0.25) {
      EXPECT_LE(cost + budget, 0.25 + 1e-12) << cost;
    }
    // Continuous: no jump where one rule hands over to the next.
    if (previous >= 0.0) {
      EXPECT_LE(std::abs(budget - previous), 0.0021) << cost;
    }
    previous = budget;
  }
}

TEST(TrainingBudget, FollowsItsPolicy) {
  FrameBudgetPolicy policy;
  policy.frame_interval = 1.0 / 60.0;
  policy.training_share = 0.5;
  policy.min_frame_rate = 10.0;
  EXPECT_NEAR(TrainingBudget(0.002, 0.0, policy), 1.0 / 60.0 - 0.002, kTolerance);
  EXPECT_NEAR(TrainingBudget(0.030, 0.0, policy), 0.030, kTolerance);
  EXPECT_NEAR(TrainingBudget(0.080, 0.0, policy), 0.020, kTolerance);
}

TEST(FrameCost, IsTheIntervalLessTheTrainingAveragedOverTheLastFrames) {
  FrameCost cost;
  EXPECT_EQ(cost.seconds(), 0.0);
  for (int i = 0; i < 100; ++i) cost.Add(0.250, 0.110);  // 140 ms of each frame is the frame's
  EXPECT_NEAR(cost.seconds(), 0.140, 1e-9);
  // One slow frame moves it by a fifth of its excess, not all of it.
  cost.Add(0.640, 0.110);
  EXPECT_NEAR(cost.seconds(), 0.140 + 0.2 * (0.530 - 0.140), 1e-9);
}

TEST(FrameCost, CountsNoIntervalLongerThanASecond) {
  FrameCost cost;
  cost.Add(60.0, 0.0);  // a tab hidden for a minute
  EXPECT_NEAR(cost.seconds(), 0.2 * 1.0, 1e-12);
  FrameCost negative;
  negative.Add(0.010, 0.020);  // the clock's rounding: never below zero
  EXPECT_EQ(negative.seconds(), 0.0);
}

}  // namespace
}  // namespace bnlab
