// The batch-size sweep's bookkeeping: the same samples at every m, the learning-rate rules as
// documented, the twin trainer's seeds and batches, and what it refuses.
#include "engine/batch_sweep.h"

#include "engine/trainer.h"
#include "engine/training_subset.h"

#include "small_moons.h"

#include <gtest/gtest.h>

#include <memory>

namespace bnlab {
namespace {

BatchSweepOptions Small() {
  BatchSweepOptions options;
  options.batch_sizes = {2, 8, 32};
  options.train_subset = 128;
  options.epochs = 8;
  options.seeds = 2;
  options.reference_batch = 8;
  options.lr_cap = 1.0;
  return options;
}

TEST(BatchSweep, EveryBatchSizeSeesTheSameSamples) {
  const BatchSweepOptions defaults;
  const long long budget = static_cast<long long>(defaults.epochs) * defaults.train_subset;
  for (int m : defaults.batch_sizes) EXPECT_EQ(SweepSteps(m, defaults) * m, budget) << "m = " << m;
  // A size that does not divide the budget: the nearest whole number of steps.
  BatchSweepOptions odd = defaults;
  odd.epochs = 1;
  odd.train_subset = 100;
  EXPECT_EQ(SweepSteps(7, odd), 14);  // 98 samples: 100 / 7 = 14.3
  EXPECT_EQ(SweepSteps(8, odd), 13);  // 104: 12.5 rounds up
  EXPECT_EQ(SweepSteps(100, odd), 1);
  for (int m = 1; m <= 100; ++m) EXPECT_LE(std::llabs(SweepSteps(m, odd) * m - 100), m / 2) << "m = " << m;
}

TEST(BatchSweep, LearningRateRules) {
  BatchSweepOptions options;
  options.reference_batch = 60;
  options.lr_cap = 2.0;
  for (int m : {2, 60, 1024}) {
    EXPECT_EQ(SweepLearningRate(LrRule::kSame, m, 0.1, options), 0.1);
    EXPECT_FALSE(SweepLearningRateCapped(LrRule::kSame, m, 0.1, options));
  }
  EXPECT_DOUBLE_EQ(SweepLearningRate(LrRule::kScaled, 2, 0.1, options), 2 * 0.1 / 60);
  EXPECT_DOUBLE_EQ(SweepLearningRate(LrRule::kScaled, 60, 0.1, options), 0.1);  // the rules meet at the reference
  EXPECT_DOUBLE_EQ(SweepLearningRate(LrRule::kScaled, 512, 0.1, options), 512 * 0.1 / 60);
  EXPECT_FALSE(SweepLearningRateCapped(LrRule::kScaled, 512, 0.1, options));  // 0.85
  EXPECT_EQ(SweepLearningRate(LrRule::kScaled, 2048, 0.1, options), 2.0);     // 3.4, capped
  EXPECT_TRUE(SweepLearningRateCapped(LrRule::kScaled, 2048, 0.1, options));
  LrRule rule;
  EXPECT_TRUE(ParseLrRule("scaled", &rule));
  EXPECT_EQ(rule, LrRule::kScaled);
  EXPECT_FALSE(ParseLrRule("linear", &rule));
}

TEST(BatchSweep, RowsPerRuleNetAndSizeWithTheirBookkeeping) {
  const Dataset data = SmallMoons();
  int calls = 0, last_done = 0;
  const BatchSweepResult result = RunBatchSweep(data, SmallMoonsConfig(), Small(), [&](int done, int total) {
    ++calls;
    EXPECT_EQ(done, last_done + 1);
    EXPECT_EQ(total, 12);  // 2 seeds × 2 rules × 3 sizes, both nets in each run
    last_done = done;
  });
  EXPECT_EQ(calls, 12);
  ASSERT_EQ(result.rows.size(), 12u);  // 2 rules × 2 nets × 3 sizes
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const BatchSweepRow& row = result.rows[i];
    EXPECT_EQ(row.rule, i < 6 ? LrRule::kSame : LrRule::kScaled);
    EXPECT_EQ(row.net, (i / 3) % 2 == 0 ? "plain" : "bn");
    EXPECT_EQ(row.batch_size, Small().batch_sizes[i % 3]);
    EXPECT_EQ(row.samples, 1024);  // 8 epochs of 128 at every m
    EXPECT_EQ(row.steps, 1024 / row.batch_size);
    EXPECT_DOUBLE_EQ(row.learning_rate, row.rule == LrRule::kSame ? 0.5 : std::min(row.batch_size * 0.5 / 8, 1.0));
    EXPECT_EQ(row.capped, row.rule == LrRule::kScaled && row.batch_size == 32);
    ASSERT_EQ(row.test_accuracy.size(), 2u);
    EXPECT_NEAR(row.test_mean, 0.5 * (row.test_accuracy[0] + row.test_accuracy[1]), 1e-12);
    EXPECT_NEAR(row.gap_mean, row.train_mean - row.test_mean, 1e-12);
    // Every run learned something, but BN at m = 2, where every x_norm is ±1.
    if (row.net == "plain" || row.batch_size > 2) {
      EXPECT_GT(row.test_mean, 0.6) << i;
    }
  }
  EXPECT_FALSE(result.cancelled);
}

// Each run is the twin trainer's: the seed's subset, weights and batch order, both nets on the
// same batches. Rebuilt by hand here, the figures must be the very same.
TEST(BatchSweep, EachRunIsTheTwinTrainersRun) {
  const Dataset data = SmallMoons();
  BatchSweepOptions options = Small();
  options.batch_sizes = {8};
  options.rules = {LrRule::kScaled};
  options.reference_batch = 4;  // η = 8 · 0.5 / 4 = 1.0
  options.lr_cap = 5.0;
  const BatchSweepResult result = RunBatchSweep(data, SmallMoonsConfig(), options);
  ASSERT_EQ(result.rows.size(), 2u);
  for (int s = 0; s < 2; ++s) {
    TrainConfig config = SmallMoonsConfig();
    config.seed = SmallMoonsConfig().seed + static_cast<std::uint64_t>(s);
    config.batch_size = 8;
    config.optimizer.learning_rate = 1.0;
    config.eval_stats = EvalStats::kPopulation;
    auto subset = std::make_shared<const Dataset>(TrainingSubset(data, 128, config.seed));
    TwinTrainer trainer(subset, config);
    for (long step = 0; step < 128; ++step) trainer.Step();
    EXPECT_EQ(trainer.epoch(), 7);  // eight epochs of 128 in batches of 8
    for (NetId id : kNets) {
      EXPECT_EQ(result.rows[static_cast<std::size_t>(id)].test_accuracy[static_cast<std::size_t>(s)],
                trainer.Evaluate(id).accuracy)
          << "seed " << s << " net " << NetName(id);
    }
  }
}

TEST(BatchSweep, TheRulesAgreeWhereTheirRatesAgree) {
  const Dataset data = SmallMoons();
  BatchSweepOptions options = Small();
  options.seeds = 1;
  const BatchSweepResult result = RunBatchSweep(data, SmallMoonsConfig(), options);
  // m = 8 is the reference batch: the same η under both rules, so the same runs.
  const BatchSweepRow* same = SweepCurve(result, LrRule::kSame, NetId::kRight)[1];
  const BatchSweepRow* scaled = SweepCurve(result, LrRule::kScaled, NetId::kRight)[1];
  ASSERT_EQ(same->batch_size, 8);
  EXPECT_EQ(same->test_accuracy, scaled->test_accuracy);
  EXPECT_EQ(same->train_accuracy, scaled->train_accuracy);
  // m = 2: η 0.5 against 0.125: other runs.
  EXPECT_NE(SweepCurve(result, LrRule::kSame, NetId::kRight)[0]->train_accuracy,
            SweepCurve(result, LrRule::kScaled, NetId::kRight)[0]->train_accuracy);
}

TEST(BatchSweep, SameFiguresOnOneThreadOrTwo) {
  const Dataset data = SmallMoons();
  BatchSweepOptions options = Small();
  options.threads = 1;
  const BatchSweepResult one = RunBatchSweep(data, SmallMoonsConfig(), options);
  options.threads = 2;
  const BatchSweepResult two = RunBatchSweep(data, SmallMoonsConfig(), options);
  ASSERT_EQ(one.rows.size(), two.rows.size());
  for (std::size_t i = 0; i < one.rows.size(); ++i) {
    EXPECT_EQ(one.rows[i].train_accuracy, two.rows[i].train_accuracy);
    EXPECT_EQ(one.rows[i].test_accuracy, two.rows[i].test_accuracy);
  }
}

TEST(BatchSweep, RejectsWhatItCannotRun) {
  const Dataset data = SmallMoons();
  auto rejects = [&](BatchSweepOptions options, const std::string& needle) {
    try {
      RunBatchSweep(data, SmallMoonsConfig(), options);
      ADD_FAILURE() << "accepted; expected: " << needle;
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  BatchSweepOptions options = Small();
  options.batch_sizes = {};
  rejects(options, "at least one batch size");
  options.batch_sizes = {8, 2};
  rejects(options, "ascending");
  options.batch_sizes = {2, 2};
  rejects(options, "ascending");
  options.batch_sizes = {2, 256};
  rejects(options, "batch size 256 must be in [1, 128]");
  options = Small();
  options.train_subset = 1000;
  rejects(options, "training subset (1000)");
  options = Small();
  options.rules = {};
  rejects(options, "learning-rate rule");
  options = Small();
  options.seeds = 0;
  rejects(options, "seeds");
  options = Small();
  options.epochs = 0;
  rejects(options, "epochs");
}

TEST(BatchSweep, CancelStopsEarlyAndSaysSo) {
  const Dataset data = SmallMoons();
  std::atomic<bool> cancel{true};
  const BatchSweepResult result = RunBatchSweep(data, SmallMoonsConfig(), Small(), nullptr, &cancel);
  EXPECT_TRUE(result.cancelled);
}

}  // namespace
}  // namespace bnlab
