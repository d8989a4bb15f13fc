// The ghost-BN regularization experiment: its bookkeeping, determinism, and a verdict that
// follows the numbers.
#include "engine/ghost_experiment.h"

#include "small_moons.h"

#include <gtest/gtest.h>

namespace bnlab {
namespace {

GhostExperimentOptions Small() {
  GhostExperimentOptions options;
  options.ghost_groups = {2, 8, 32};
  options.batch_size = 32;
  options.train_subset = 200;
  options.steps = 60;
  options.seeds = 2;
  return options;
}

TEST(GhostExperiment, OneRowPerSettingWithPerSeedFigures) {
  const Dataset data = SmallMoons();
  int calls = 0, last_done = 0, total = 0;
  const GhostExperimentResult result = RunGhostExperiment(data, SmallMoonsConfig(), Small(), [&](int done, int all) {
    ++calls;
    EXPECT_EQ(done, last_done + 1);  // never concurrent, in order
    last_done = done;
    total = all;
  });
  EXPECT_EQ(calls, 8);  // 2 seeds × (plain + 3 groups)
  EXPECT_EQ(total, 8);
  ASSERT_EQ(result.rows.size(), 4u);
  EXPECT_EQ(result.rows[0].net, "plain");
  EXPECT_EQ(result.rows[0].ghost_group, 0);
  EXPECT_EQ(result.rows[1].ghost_group, 2);
  EXPECT_EQ(result.rows[3].ghost_group, 32);
  for (const GhostExperimentRow& row : result.rows) {
    ASSERT_EQ(row.train_accuracy.size(), 2u);
    EXPECT_NEAR(row.train_mean, 0.5 * (row.train_accuracy[0] + row.train_accuracy[1]), 1e-12);
    EXPECT_NEAR(row.gap_mean, row.train_mean - row.test_mean, 1e-12);
    EXPECT_GT(row.test_mean, 0.6) << row.net << " " << row.ghost_group;  // the runs learned something
  }
  EXPECT_FALSE(result.cancelled);
}

TEST(GhostExperiment, SameFiguresOnOneThreadOrTwo) {
  const Dataset data = SmallMoons();
  GhostExperimentOptions options = Small();
  options.threads = 1;
  const GhostExperimentResult one = RunGhostExperiment(data, SmallMoonsConfig(), options);
  options.threads = 2;
  const GhostExperimentResult two = RunGhostExperiment(data, SmallMoonsConfig(), options);
  for (std::size_t i = 0; i < one.rows.size(); ++i) {
    EXPECT_EQ(one.rows[i].train_accuracy, two.rows[i].train_accuracy);
    EXPECT_EQ(one.rows[i].test_accuracy, two.rows[i].test_accuracy);
  }
}

TEST(GhostExperiment, GroupAsLargeAsTheBatchIsOrdinaryBn) {
  const Dataset data = SmallMoons();
  GhostExperimentOptions options = Small();
  options.seeds = 1;
  options.ghost_groups = {32};
  const GhostExperimentResult ghost = RunGhostExperiment(data, SmallMoonsConfig(), options);
  options.ghost_groups = {40};  // above the batch: rejected
  EXPECT_THROW(RunGhostExperiment(data, SmallMoonsConfig(), options), std::invalid_argument);
  EXPECT_EQ(ghost.rows.size(), 2u);
}

TEST(GhostExperiment, RejectsOptionsItCannotRun) {
  const Dataset data = SmallMoons();
  GhostExperimentOptions options = Small();
  options.train_subset = 1000;  // more than the 400 training samples
  EXPECT_THROW(RunGhostExperiment(data, SmallMoonsConfig(), options), std::invalid_argument);
  options = Small();
  options.batch_size = 300;  // larger than the subset of 200
  options.ghost_groups = {4};
  EXPECT_THROW(RunGhostExperiment(data, SmallMoonsConfig(), options), std::invalid_argument);
  options = Small();
  options.seeds = 0;
  EXPECT_THROW(RunGhostExperiment(data, SmallMoonsConfig(), options), std::invalid_argument);
}

TEST(GhostExperiment, CancelStopsEarlyAndSaysSo) {
  const Dataset data = SmallMoons();
  std::atomic<bool> cancel{true};
  const GhostExperimentResult result = RunGhostExperiment(data, SmallMoonsConfig(), Small(), nullptr, &cancel);
  EXPECT_TRUE(result.cancelled);
  EXPECT_EQ(GhostExperimentVerdict(result), "Cancelled: no verdict.");
}

GhostExperimentRow Row(int g, double gap_mean, double gap_std, int seeds = 3) {
  GhostExperimentRow row;
  row.net = "bn";
  row.ghost_group = g;
  row.gap_mean = gap_mean;
  row.gap_std = gap_std;
  row.train_accuracy.assign(static_cast<std::size_t>(seeds), 1.0);
  return row;
}

TEST(GhostExperimentVerdict, FollowsTheNumbersAndTheSpread) {
  GhostExperimentResult result;
  result.rows = {Row(4, 0.10, 0.01), Row(240, 0.20, 0.01)};
  EXPECT_NE(GhostExperimentVerdict(result).find("shrink the train-test gap by 10.0 points"), std::string::npos)
      << GhostExperimentVerdict(result);
  result.rows = {Row(4, 0.19, 0.03), Row(240, 0.20, 0.03)};
  EXPECT_NE(GhostExperimentVerdict(result).find("too small to measure"), std::string::npos);
  result.rows = {Row(4, 0.30, 0.01), Row(240, 0.20, 0.01)};
  EXPECT_NE(GhostExperimentVerdict(result).find("widen"), std::string::npos);
  result.rows = {Row(4, 0.30, 0.0, 1), Row(240, 0.20, 0.0, 1)};
  EXPECT_NE(GhostExperimentVerdict(result).find("one seed"), std::string::npos);
}

}  // namespace
}  // namespace bnlab
