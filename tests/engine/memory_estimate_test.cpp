// The memory estimate of a configuration: how it scales, that it covers what a real run
// allocates, the machine's budget, and the byte formatting used in messages.
#include "engine/memory_estimate.h"

#include "engine/config.h"
#include "engine/trainer.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace bnlab {
namespace {

constexpr std::uint64_t kMB = 1000 * 1000;
constexpr std::uint64_t kGB = 1000 * kMB;

TrainConfig Layers(std::vector<int> hidden, int batch) {
  TrainConfig config;
  config.net.hidden = std::move(hidden);
  config.batch_size = batch;
  return config;
}

TEST(MemoryEstimate, FashionShapeComesFromThePublishedSizes) {
  const DataShape shape = ExpectedDataShape(TrainConfig{});
  EXPECT_EQ(shape.features, 784);
  EXPECT_EQ(shape.classes, 10);
  EXPECT_EQ(shape.train_size, 60000);
  EXPECT_EQ(shape.test_size, 10000);
  TrainConfig blobs;
  blobs.data.name = "blobs";
  blobs.data.synthetic_classes = 5;
  blobs.data.synthetic_train = 123;
  const DataShape synthetic = ExpectedDataShape(blobs);
  EXPECT_EQ(synthetic.features, 2);
  EXPECT_EQ(synthetic.classes, 5);
  EXPECT_EQ(synthetic.train_size, 123);
  blobs.data.name = "moons";
  EXPECT_EQ(ExpectedDataShape(blobs).classes, 2);
}

TEST(MemoryEstimate, TheDefaultRunIsMostlyItsData) {
  const TrainConfig config;
  const MemoryEstimate estimate = EstimateMemory(config, ExpectedDataShape(config));
  // 70 000 images of 784 one-byte pixels and their labels: 55 MB, with the epoch orders and
  // the float copies of the mini-batch (two: the next one is gathered ahead) and of the probe
  // samples just over 57 MB; the 784-100-100-100-10 nets are small.
  EXPECT_GT(estimate.data, 55 * kMB);
  EXPECT_LT(estimate.data, 58 * kMB);
  EXPECT_LT(estimate.parameters + estimate.optimizer + estimate.training + estimate.evaluation, 20 * kMB);
}

TEST(MemoryEstimate, FashionPixelsTakeOneByteSyntheticValuesAFloat) {
  TrainConfig config;
  EXPECT_EQ(ExpectedDataShape(config).value_bytes, 1);
  config.data.name = "spiral";
  EXPECT_EQ(ExpectedDataShape(config).value_bytes, static_cast<int>(sizeof(Scalar)));
  // The same shape stored as floats takes four times the sets' bytes (labels aside).
  DataShape shape = ExpectedDataShape(TrainConfig{});
  const std::uint64_t bytes = EstimateMemory(TrainConfig{}, shape).data;
  shape.value_bytes = sizeof(Scalar);
  const std::uint64_t floats = EstimateMemory(TrainConfig{}, shape).data;
  EXPECT_EQ(floats - bytes, 3ull * 784 * 70000);
}

TEST(MemoryEstimate, WeightsGrowWithWidthSquaredAndWorkspacesWithTheBatch) {
  const DataShape shape{2, 2, 1000, 1000};
  const MemoryEstimate narrow = EstimateMemory(Layers({512, 512}, 32), shape);
  const MemoryEstimate wide = EstimateMemory(Layers({1024, 1024}, 32), shape);
  EXPECT_NEAR(static_cast<double>(wide.optimizer) / static_cast<double>(narrow.optimizer), 4.0, 0.05);
  const MemoryEstimate big_batch = EstimateMemory(Layers({512, 512}, 64), shape);
  EXPECT_NEAR(static_cast<double>(big_batch.training) / static_cast<double>(narrow.training), 2.0, 0.01);
  EXPECT_EQ(big_batch.parameters, narrow.parameters);
}

TEST(MemoryEstimate, SixteenLayersOf4096AreGigabytes) {
  // Issue 10: typed into the GUI this took 7.9 GB of RSS.
  TrainConfig config = Layers(std::vector<int>(16, 4096), 60);
  const MemoryEstimate estimate = EstimateMemory(config, ExpectedDataShape(config));
  EXPECT_GT(estimate.Total(), 7 * kGB);
  EXPECT_LT(estimate.Total(), 10 * kGB);
  // Weights, gradients and momentum: 3 copies of 255 M floats per net.
  EXPECT_NEAR(static_cast<double>(estimate.parameters + estimate.optimizer) / 1e9, 6.1, 0.1);
}

TEST(MemoryEstimate, PopulationStatisticsAddAPassOverTheTrainingSet) {
  TrainConfig config = Layers({1000}, 60);
  const DataShape shape = ExpectedDataShape(config);
  const std::uint64_t running = EstimateMemory(config, shape).evaluation;
  config.eval_stats = EvalStats::kPopulation;
  // Three (1000, 60 000) float matrices for the BN net, and a chunk of its input as floats.
  EXPECT_EQ(EstimateMemory(config, shape).evaluation - running,
            (3ull * 1000 * 60000 + 784ull * kPopulationInputChunk) * sizeof(Scalar));
}

std::uint64_t PeakRss() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

TEST(MemoryEstimate, CoversWhatARealRunAllocates) {
  SyntheticOptions options;
  options.train_size = 4000;
  options.test_size = 2000;
  const auto data = std::make_shared<const Dataset>(MakeSynthetic(options));
  TrainConfig config = Layers({512, 512, 512}, 512);
  config.data.name = "spiral";
  config.data.synthetic_train = options.train_size;
  config.data.synthetic_test = options.test_size;
  FitNetToData(*data, &config.net);
  const std::uint64_t estimate = EstimateMemory(config, ExpectedDataShape(config)).Total();

  const std::uint64_t before = PeakRss();
  {
    TwinTrainer trainer(data, config);
    trainer.Step();
    for (NetId id : kNets) {
      trainer.Evaluate(id);
      trainer.Probe(id);
    }
  }
  const std::uint64_t used = PeakRss() - before;
  // The peak only says something when this run set it: ctest runs every test in its own
  // process; after a hungrier test in the same process it may not have moved.
  if (used == 0) GTEST_SKIP() << "the process's peak memory was set earlier; run this test alone";
  EXPECT_GT(estimate, used) << "estimate " << FormatBytes(estimate) << ", used " << FormatBytes(used);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // Not wildly above either (sanitizers add their own shadow memory, so only without them).
  EXPECT_LT(estimate, 3 * used) << "estimate " << FormatBytes(estimate) << ", used " << FormatBytes(used);
#endif
}

TEST(MemoryEstimate, TheBudgetIsHalfOfWhatTheMachineHas) {
  const std::uint64_t machine = MachineMemoryBytes();
  ASSERT_GT(machine, 0u);
  EXPECT_EQ(MemoryBudgetBytes(), machine / 2);
}

TEST(MemoryEstimate, AnAddressSpaceLimitLowersTheBudget) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_AS, &saved), 0);
  if (saved.rlim_cur != RLIM_INFINITY) GTEST_SKIP() << "already limited";
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "sanitizers reserve terabytes of address space";
#endif
  rlimit limited = saved;
  limited.rlim_cur = 64ull << 30;
  ASSERT_EQ(setrlimit(RLIMIT_AS, &limited), 0);
  const std::uint64_t machine = MachineMemoryBytes();
  ASSERT_EQ(setrlimit(RLIMIT_AS, &saved), 0);
  EXPECT_LE(machine, 64ull << 30);
}

TEST(MemoryEstimate, ResidentMemoryIsReadFromTheStatusFile) {
  const ResidentMemory memory = ParseResidentMemory(
      "Name:\tbnlab\nVmPeak:\t  900000 kB\nVmHWM:\t  150000 kB\nVmRSS:\t  120000 kB\nThreads:\t3\n");
  EXPECT_EQ(memory.current, 120000ull * 1024);
  EXPECT_EQ(memory.peak, 150000ull * 1024);
  EXPECT_EQ(ResidentMemoryText(memory), "resident memory 123 MB (peak 154 MB)");
  const ResidentMemory unknown = ParseResidentMemory("Name:\tbnlab\nVmRSS:\tgarbage\n");
  EXPECT_EQ(unknown.current, 0u);
  EXPECT_EQ(unknown.peak, 0u);
  EXPECT_EQ(ResidentMemoryText(unknown), "");
}

TEST(MemoryEstimate, ThisProcessHasResidentMemory) {
  const ResidentMemory before = ProcessResidentMemory();
  ASSERT_GT(before.current, 0u) << "no /proc/self/status";
  // 64 MB written (so resident) raise the figure by about that much.
  std::vector<char> block(64 * kMB, 1);
  const ResidentMemory after = ProcessResidentMemory();
  EXPECT_GE(after.current, before.current + 60 * kMB) << static_cast<int>(block[kMB]);
  EXPECT_GE(after.peak, after.current);
}

TEST(MemoryEstimate, FormatBytes) {
  EXPECT_EQ(FormatBytes(0), "0 bytes");
  EXPECT_EQ(FormatBytes(999), "999 bytes");
  EXPECT_EQ(FormatBytes(1000), "1.0 kB");
  EXPECT_EQ(FormatBytes(512 * kMB), "512 MB");
  EXPECT_EQ(FormatBytes(7'900'000'000), "7.9 GB");
  EXPECT_EQ(FormatBytes(999'999'999), "1.0 GB");
  EXPECT_EQ(FormatBytes(290 * kGB), "290 GB");
}

}  // namespace
}  // namespace bnlab
