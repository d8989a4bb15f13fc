// Once the batch size is fixed, a training step allocates nothing. Every heap allocation
// is counted, including Eigen's: malloc is interposed in this test executable (glibc
// exports __libc_malloc), or, under a sanitizer, which owns malloc and must see every
// block it frees, through the sanitizer allocator's own hook.
#include "engine/trainer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BNLAB_SANITIZER_ALLOCATOR 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BNLAB_SANITIZER_ALLOCATOR 1
#endif

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

#ifdef BNLAB_SANITIZER_ALLOCATOR
// From <sanitizer/allocator_interface.h>, which clang ships and GCC does not; both runtimes
// export the function.
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));

namespace {
void CountAllocation(const volatile void* /*block*/, std::size_t /*size*/) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
}
void IgnoreFree(const volatile void* /*block*/) {}
// Installed before main, as the malloc replacement below is in effect from the start. Both
// hooks are required: the runtime refuses (returns 0) a null one.
const int g_hook_installed = __sanitizer_install_malloc_and_free_hooks(CountAllocation, IgnoreFree);
}  // namespace
#else
extern "C" void* __libc_malloc(std::size_t size);

extern "C" void* malloc(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
#endif

namespace bnlab {
namespace {

// Labels and a test split for `data`, whose train_x holds 600 samples.
void AddLabelsAndTestSplit(Dataset* data) {
  data->num_classes = 10;
  data->train_y.resize(600);
  for (int i = 0; i < 600; ++i) data->train_y[static_cast<std::size_t>(i)] = i % 10;
  std::vector<int> first(100);
  for (int i = 0; i < 100; ++i) first[static_cast<std::size_t>(i)] = i;
  data->test_x = data->train_x.Select(first.data(), 100);
  data->test_y.assign(data->train_y.begin(), data->train_y.begin() + 100);
}

std::shared_ptr<const Dataset> Data() {
  // Fashion-MNIST's shape (784 inputs, 10 classes) and storage (a byte per pixel) without the
  // files: the matrix sizes, and so Eigen's product blocking, are those of the real experiment.
  auto data = std::make_shared<Dataset>();
  data->name = "shape-of-fashion";
  Rng rng(1);
  std::vector<std::uint8_t> pixels(784 * 600);
  for (std::uint8_t& pixel : pixels) pixel = static_cast<std::uint8_t>(rng.Below(256));
  Samples::ByteTable table{};
  for (int value = 0; value < 256; ++value) table[static_cast<std::size_t>(value)] = static_cast<Scalar>(value / 255.0);
  data->train_x = Samples(784, std::move(pixels), table);
  AddLabelsAndTestSplit(data.get());
  return data;
}

// The same shape stored as floats, as the synthetic sets are.
std::shared_ptr<const Dataset> FloatData() {
  auto data = std::make_shared<Dataset>();
  data->name = "shape-of-fashion-floats";
  Rng rng(1);
  Matrix values(784, 600);
  for (Eigen::Index i = 0; i < values.size(); ++i) values.data()[i] = static_cast<float>(rng.Uniform());
  data->train_x = Samples(std::move(values));
  AddLabelsAndTestSplit(data.get());
  return data;
}

void ExpectStepsDoNotAllocate(TrainConfig config, std::shared_ptr<const Dataset> data = Data(), bool parallel = false) {
  FitNetToData(*data, &config.net);
  TwinTrainer trainer(data, config);
  trainer.SetParallel(parallel);
  trainer.Step();  // sizes every buffer (on two threads, the next batch's too)
  trainer.Step();
  const long before = g_allocations.load();
  for (int step = 0; step < 50; ++step) trainer.Step();  // crosses an epoch boundary
  EXPECT_EQ(g_allocations.load() - before, 0);
}

TEST(NoAllocation, CountingMallocSeesAllocations) {
#ifdef BNLAB_SANITIZER_ALLOCATOR
  ASSERT_NE(g_hook_installed, 0) << "the sanitizer did not take the allocation hook";
#endif
  const long before = g_allocations.load();
  std::unique_ptr<Matrix> m = std::make_unique<Matrix>(100, 100);
  EXPECT_GT(g_allocations.load() - before, 0);
}

TEST(NoAllocation, TrainingStepBnBefore) { ExpectStepsDoNotAllocate(TrainConfig()); }

TEST(NoAllocation, TrainingStepOnTwoThreads) { ExpectStepsDoNotAllocate(TrainConfig(), Data(), /*parallel=*/true); }

TEST(NoAllocation, TrainingStepOnSamplesStoredAsFloats) { ExpectStepsDoNotAllocate(TrainConfig(), FloatData()); }

TEST(NoAllocation, TrainingStepBnAfterWithMomentum) {
  TrainConfig config;
  config.net.placement = Placement::kAfter;
  config.net.hidden = {100, 50, 20};
  config.optimizer.momentum = 0.9;
  config.optimizer.weight_decay = 1e-4;
  ExpectStepsDoNotAllocate(config);
}

TEST(NoAllocation, TrainingStepLayerNormAndRenorm) {
  TrainConfig config;
  config.left = VariantNamed("layernorm");
  config.right = VariantNamed("renorm");
  ExpectStepsDoNotAllocate(config);
  config.net.placement = Placement::kAfter;
  config.optimizer.momentum = 0.9;
  ExpectStepsDoNotAllocate(config);
}

TEST(NoAllocation, TrainingStepGhostBnAndBnBias) {
  TrainConfig config;
  config.left = VariantNamed("ghost-bn");
  config.right = VariantNamed("bn-bias");
  ExpectStepsDoNotAllocate(config);
}

TEST(NoAllocation, AfterChangingTheBatchSizeStepsAreAllocationFreeAgain) {
  auto data = Data();
  TrainConfig config;
  FitNetToData(*data, &config.net);
  TwinTrainer trainer(data, config);
  trainer.Step();
  trainer.SetBatchSize(128);
  trainer.Step();
  trainer.Evaluate(NetId::kRight);  // eval and probes use their own buffers
  trainer.Probe(NetId::kRight);
  const long before = g_allocations.load();
  for (int step = 0; step < 10; ++step) trainer.Step();
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace bnlab
