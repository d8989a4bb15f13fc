// The batch-size sweep run from the GUI: its options fitted to the data, a run to its result in
// the background, and a cancel that leaves no result and no thread.
#include "session/batch_sweep_run.h"

#include "engine/trainer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

namespace bnlab {
namespace {

std::shared_ptr<const Dataset> Moons(int train) {
  SyntheticOptions options;
  options.kind = SyntheticKind::kMoons;
  options.train_size = train;
  options.test_size = 200;
  options.seed = 2;
  return std::make_shared<const Dataset>(MakeSynthetic(options));
}

TrainConfig SmallNet(const Dataset& data) {
  TrainConfig config;
  config.net.hidden = {8};
  config.batch_size = 16;
  FitNetToData(data, &config.net);
  return config;
}

TEST(BatchSweepRun, OptionsFitASmallTrainingSet) {
  const auto data = Moons(300);
  const BatchSweepOptions options = GuiBatchSweepOptions(*data, SmallNet(*data));
  EXPECT_EQ(options.train_subset, 300);
  EXPECT_EQ(options.batch_sizes, (std::vector<int>{2, 4, 8, 16, 32, 60, 128, 256}));
  EXPECT_EQ(options.reference_batch, 16);  // η₁ = η / the current batch
  const auto large = Moons(5000);
  EXPECT_EQ(GuiBatchSweepOptions(*large, SmallNet(*large)).batch_sizes, BatchSweepOptions().batch_sizes);
}

TEST(BatchSweepRun, RunsToAResultOrIsCancelled) {
  const auto data = Moons(300);
  BatchSweepRun run;
  BatchSweepView view;
  run.Start(data, SmallNet(*data), view);
  EXPECT_TRUE(view.running);
  EXPECT_EQ(view.total, 5 * 2 * 8);  // seeds × rules × sizes
  run.Stop(&view);
  EXPECT_FALSE(view.running);
  EXPECT_FALSE(view.result);
  EXPECT_FALSE(run.Collect(view));  // nothing under way

  run.Start(data, SmallNet(*data), view);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (view.running && std::chrono::steady_clock::now() < give_up) {
    run.Collect(view);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(view.running);
  ASSERT_TRUE(view.result);
  EXPECT_FALSE(view.result->cancelled);
  EXPECT_EQ(view.done, view.total);
  EXPECT_EQ(view.result->rows.size(), 2u * 2u * 8u);  // rules × nets × sizes
}

}  // namespace
}  // namespace bnlab
