// A dataset split stored as bytes reads as the very floats of the float matrix it stands for:
// single values, gathered mini-batches, chunks of a pass, subsets; and the passes that read it
// in chunks (population statistics, test evaluation) equal the whole-matrix ones.
#include "engine/samples.h"

#include "engine/network.h"
#include "engine/random.h"
#include "engine/trainer.h"

#include "all_columns.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace bnlab {
namespace {

constexpr int kFeatures = 20;

// A table that is not [0,1] scaling (a standardize-like affine map, rounded once per byte).
Samples::ByteTable AffineTable() {
  Samples::ByteTable table{};
  for (int value = 0; value < 256; ++value) {
    table[static_cast<std::size_t>(value)] = static_cast<Scalar>((value / 255.0 - 0.3) / 0.35);
  }
  return table;
}

std::vector<std::uint8_t> RandomBytes(int features, int samples, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(features) * static_cast<std::size_t>(samples));
  for (std::uint8_t& byte : bytes) byte = static_cast<std::uint8_t>(rng.Below(256));
  return bytes;
}

// The float matrix the bytes stand for, built independently of Samples: (features, samples).
Matrix Reference(const std::vector<std::uint8_t>& bytes, int features, const Samples::ByteTable& table) {
  const int samples = static_cast<int>(bytes.size()) / features;
  Matrix x(features, samples);
  for (int i = 0; i < samples; ++i) {
    for (int k = 0; k < features; ++k) x(k, i) = table[bytes[static_cast<std::size_t>(i * features + k)]];
  }
  return x;
}

struct ByteSet {
  explicit ByteSet(int samples, std::uint64_t seed = 1)
      : bytes(RandomBytes(kFeatures, samples, seed)),
        reference(Reference(bytes, kFeatures, AffineTable())),
        x(kFeatures, bytes, AffineTable()) {}
  std::vector<std::uint8_t> bytes;
  Matrix reference;  // (features, samples)
  Samples x;
};

TEST(Samples, BytesReadAsTheirTableValues) {
  const ByteSet set(50);
  EXPECT_TRUE(set.x.stored_as_bytes());
  EXPECT_EQ(set.x.value_bytes(), 1);
  EXPECT_EQ(set.x.features(), kFeatures);
  EXPECT_EQ(set.x.size(), 50);
  for (int i = 0; i < 50; ++i) {
    for (int k = 0; k < kFeatures; ++k) ASSERT_EQ(set.x(k, i), set.reference(k, i)) << k << ", " << i;
  }
}

TEST(Samples, GatherEqualsTheFloatReferenceColumns) {
  const ByteSet set(50);
  const std::vector<int> indices = {49, 0, 7, 7, 23, 1};  // any order, repeats allowed
  Matrix batch;
  set.x.Gather(indices.data(), static_cast<int>(indices.size()), &batch);
  ASSERT_EQ(batch.rows(), kFeatures);
  ASSERT_EQ(batch.cols(), 6);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(batch.col(i), set.reference.col(indices[static_cast<std::size_t>(i)])) << i;
}

TEST(Samples, ColumnsEqualTheFloatReferenceBlock) {
  const ByteSet set(50);
  Matrix chunk;
  set.x.Columns(10, 25, &chunk);
  EXPECT_EQ(chunk, set.reference.middleCols(10, 25));
  set.x.Columns(0, 50, &chunk);
  EXPECT_EQ(chunk, set.reference);
  set.x.Columns(50, 0, &chunk);
  EXPECT_EQ(chunk.cols(), 0);
}

TEST(Samples, ABufferOfTheSameShapeIsReused) {
  const ByteSet set(50);
  const std::vector<int> first = {1, 2, 3, 4};
  const std::vector<int> second = {9, 8, 7, 6};
  Matrix batch;
  set.x.Gather(first.data(), 4, &batch);
  const Scalar* storage = batch.data();
  set.x.Gather(second.data(), 4, &batch);
  set.x.Columns(30, 4, &batch);
  EXPECT_EQ(batch.data(), storage);  // resized to the shape it has: no reallocation
  EXPECT_EQ(batch, set.reference.middleCols(30, 4));
}

TEST(Samples, SelectKeepsTheStorageAndTheValues) {
  const ByteSet set(50);
  const std::vector<int> indices = {5, 3, 44};
  const Samples subset = set.x.Select(indices.data(), 3);
  EXPECT_TRUE(subset.stored_as_bytes());
  EXPECT_EQ(subset.table(), set.x.table());
  ASSERT_EQ(subset.size(), 3);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(ColumnsOf(subset, i, 1), set.reference.col(indices[static_cast<std::size_t>(i)]));

  const Samples floats(set.reference);
  const Samples float_subset = floats.Select(indices.data(), 3);
  EXPECT_FALSE(float_subset.stored_as_bytes());
  EXPECT_EQ(AllColumns(float_subset), AllColumns(subset));
}

TEST(Samples, FloatStorageReadsAsStored) {
  Rng rng(4);
  Matrix values(3, 9);
  for (Eigen::Index i = 0; i < values.size(); ++i) values.data()[i] = static_cast<float>(rng.Normal());
  const Samples x(values);
  EXPECT_FALSE(x.stored_as_bytes());
  EXPECT_EQ(x.value_bytes(), static_cast<int>(sizeof(Scalar)));
  EXPECT_EQ(x.features(), 3);
  EXPECT_EQ(x.size(), 9);
  EXPECT_EQ(x(2, 8), values(2, 8));
  EXPECT_EQ(AllColumns(x), values);
  const std::vector<int> indices = {8, 0};
  Matrix batch;
  x.Gather(indices.data(), 2, &batch);
  EXPECT_EQ(batch.col(0), values.col(8));
  EXPECT_EQ(batch.col(1), values.col(0));
}

NetConfig SmallNet(bool bias_before_bn) {
  NetConfig config;
  config.input_size = kFeatures;
  config.num_classes = 3;
  config.hidden = {16, 8};
  config.bias_before_bn = bias_before_bn;
  return config;
}

// More samples than one chunk, and a last chunk shorter than the others.
constexpr int kPopulationSamples = 2 * kPopulationInputChunk + 345;

TEST(Samples, PopulationStatisticsInChunksAreThoseOfTheWholeMatrix) {
  const ByteSet set(kPopulationSamples, 2);
  for (const bool bias : {false, true}) {
    for (const Placement placement : {Placement::kBefore, Placement::kAfter}) {
      NetConfig config = SmallNet(bias);
      config.placement = placement;
      Network<Scalar> whole(WithNorm(config, KindOf<BatchNorm>()));
      Rng rng(3);
      whole.InitWeights(rng);
      Network<Scalar> chunked = whole;
      whole.ComputePopulationStats(set.reference);
      chunked.ComputePopulationStats(set.x);
      ASSERT_TRUE(chunked.has_population_stats());
      for (int l = 0; l < whole.num_hidden(); ++l) {
        // Bit for bit: bnlab train's figures do not change with the storage.
        EXPECT_EQ(chunked.hidden(l).population_mean, whole.hidden(l).population_mean) << "layer " << l;
        EXPECT_EQ(chunked.hidden(l).population_var, whole.hidden(l).population_var) << "layer " << l;
      }
    }
  }
}

TEST(Samples, PopulationStatisticsInChunksWorkForDoubleNetworks) {
  const ByteSet set(kPopulationSamples, 5);
  Network<double> whole(WithNorm(SmallNet(false), KindOf<BatchNorm>()));
  Rng rng(3);
  whole.InitWeights(rng);
  Network<double> chunked = whole;
  whole.ComputePopulationStats(set.reference.cast<double>());
  chunked.ComputePopulationStats(set.x);
  for (int l = 0; l < whole.num_hidden(); ++l) {
    EXPECT_LT((chunked.hidden(l).population_mean - whole.hidden(l).population_mean).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_LT((chunked.hidden(l).population_var - whole.hidden(l).population_var).cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(Samples, ChunkedEvaluationEqualsTheWholeMatrixPass) {
  const ByteSet set(2500, 6);  // more than one chunk of a test pass (1000 samples)
  Labels labels(2500);
  for (int i = 0; i < 2500; ++i)
    labels[static_cast<std::size_t>(i)] = set.bytes[static_cast<std::size_t>(i * kFeatures)] % 3;
  Network<Scalar> net(WithNorm(SmallNet(false), KindOf<BatchNorm>()));
  Rng rng(8);
  net.InitWeights(rng);
  net.ComputePopulationStats(set.x);
  for (const Normalization normalization :
       {Normalization::kRunning, Normalization::kPopulation, Normalization::kBatch}) {
    Workspace<Scalar> ws;
    const TestResult chunked = EvaluateNet(net, set.x, labels, normalization, 50, ws);
    int correct = 0;
    Workspace<Scalar> whole_ws;
    const Scalar loss = normalization == Normalization::kBatch
                            ? net.InferInBatches(set.reference, 50, whole_ws, labels.data(), &correct)
                            : net.Infer(set.reference, normalization, whole_ws, labels.data(), &correct);
    EXPECT_FALSE(chunked.interrupted);
    EXPECT_EQ(chunked.accuracy, correct / 2500.0);
    // The chunks' mean losses weighted by their sizes: the same mean, summed in another order
    // (the whole pass sums 2 500 float losses: a few ulps of rounding apart, depending on
    // the vector width the build uses).
    EXPECT_NEAR(chunked.loss, static_cast<double>(loss), 1e-5 * std::abs(static_cast<double>(loss)));
    EXPECT_EQ(ws.input.rows(), kFeatures);  // the chunks were read into the workspace
  }
}

}  // namespace
}  // namespace bnlab
