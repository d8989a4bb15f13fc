// Once the batch size is fixed, a training step allocates nothing. Every heap allocation
// is counted, including Eigen's: malloc is interposed in this test executable (glibc
// exports __libc_malloc), or, under a sanitizer, which owns malloc and must see every
// block it frees, through the sanitizer allocator's own hook.
#include "engine/trainer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <memory>

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

std::shared_ptr<const Dataset> Data() {
  // Fashion-MNIST's shape (784 inputs, 10 classes) without the files: the matrix sizes,
  // and so Eigen's product blocking, are those of the real experiment.
  auto data = std::make_shared<Dataset>();
  data->name = "shape-of-fashion";
  data->num_classes = 10;
  Rng rng(1);
  data->train_x = Matrix(784, 600);
  for (Eigen::Index i = 0; i < data->train_x.size(); ++i) data->train_x.data()[i] = static_cast<float>(rng.Uniform());
  data->train_y.resize(600);
  for (int i = 0; i < 600; ++i) data->train_y[static_cast<std::size_t>(i)] = i % 10;
  data->test_x = data->train_x.leftCols(100);
  data->test_y.assign(data->train_y.begin(), data->train_y.begin() + 100);
  return data;
}

void ExpectStepsDoNotAllocate(TrainConfig config) {
  auto data = Data();
  FitNetToData(*data, &config.net);
  TwinTrainer trainer(data, config);
  trainer.Step();  // sizes every buffer
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
  config.left = Variant::kLayerNorm;
  config.right = Variant::kRenorm;
  ExpectStepsDoNotAllocate(config);
  config.net.placement = Placement::kAfter;
  config.optimizer.momentum = 0.9;
  ExpectStepsDoNotAllocate(config);
}

TEST(NoAllocation, TrainingStepGhostBnAndBnBias) {
  TrainConfig config;
  config.left = Variant::kGhostBn;
  config.right = Variant::kBnBias;
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
  trainer.Evaluate(NetId::kBn);  // eval and probes use their own buffers
  trainer.Probe(NetId::kBn);
  const long before = g_allocations.load();
  for (int step = 0; step < 10; ++step) trainer.Step();
  EXPECT_EQ(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace bnlab
