// The batch-size noise lab against its theory: std(μ_B) = σ·√((1 − m/N)/m), the biased batch
// variance's mean (m−1)/m·σ² and spread, and gradient noise ∝ 1/m.
#include "engine/noise.h"

#include "engine/differ.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>

namespace bnlab {
namespace {

// N samples of d independent standard Gaussians, labels from the sign of two coordinates.
Dataset GaussianInputs(int n, int d, std::uint64_t seed) {
  Dataset data;
  data.name = "gaussian";
  data.num_classes = 4;
  Rng rng(seed);
  Matrix x(d, n);  // (d, n)
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.Normal());
  data.train_y.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    data.train_y[static_cast<std::size_t>(i)] = (x(0, i) > 0 ? 1 : 0) + (x(1, i) > 0 ? 2 : 0);
  }
  data.test_x = Samples(x.leftCols(100));
  data.test_y.assign(data.train_y.begin(), data.train_y.begin() + 100);
  data.train_x = Samples(std::move(x));
  return data;
}

struct Twins {
  std::unique_ptr<Network<Scalar>> plain, bn;
};

Twins MakeTwins(const Dataset& data, std::vector<int> hidden, double init_scale, std::uint64_t seed) {
  NetConfig config;
  config.hidden = std::move(hidden);
  config.init_scale = init_scale;
  config.input_size = data.features();
  config.num_classes = data.num_classes;
  Twins twins{std::make_unique<Network<Scalar>>(WithNorm(config, KindOf<NoNorm>())),
              std::make_unique<Network<Scalar>>(WithNorm(config, KindOf<BatchNorm>()))};
  Rng rng(seed);
  twins.plain->InitWeights(rng);
  twins.bn->CopyLinearWeightsFrom(*twins.plain);
  return twins;
}

TEST(NoiseLab, GaussianInputsMatchTheTheoryWithinTwoPercentAtEveryBatchSize) {
  const Dataset data = GaussianInputs(65536, 64, 3);
  Twins twins = MakeTwins(data, {100}, 0.2, 4);
  NoiseOptions options;
  options.draws = 600;
  options.gradients = false;
  const std::vector<int> sizes = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
  const std::vector<NoisePoint> points = MeasureNoise(*twins.plain, *twins.bn, data, sizes, options);
  ASSERT_EQ(points.size(), sizes.size());
  for (const NoisePoint& point : points) {
    const LayerNoise& layer = point.layers[0];
    const double m = point.batch_size;
    SCOPED_TRACE("m = " + std::to_string(point.batch_size));
    EXPECT_NEAR(layer.std_batch_mean_theory, std::sqrt((1.0 - m / 65536.0) / m), 1e-12);
    EXPECT_NEAR(layer.std_batch_mean.median / layer.std_batch_mean_theory, 1.0, 0.02);
    EXPECT_LE(layer.std_batch_mean.q25, layer.std_batch_mean.median);
    EXPECT_GE(layer.std_batch_mean.q75, layer.std_batch_mean.median);
    EXPECT_NEAR(layer.mean_batch_var_theory, (m - 1.0) / m, 1e-12);
    if (point.batch_size == 1) {
      EXPECT_EQ(layer.std_batch_var.median, 0.0);  // one sample has no variance
      EXPECT_EQ(layer.std_batch_var_theory, 0.0);
      EXPECT_EQ(layer.mean_batch_var.median, 0.0);
      EXPECT_EQ(layer.sample_noise.median, 0.0);  // x̂ of a batch of one is always 0
      continue;
    }
    // A Gaussian has kurtosis 3: std(σ²_B)/σ² = √(2(m−1))/m (times the finite-population factor).
    EXPECT_NEAR(layer.std_batch_var_theory, std::sqrt(2.0 * (m - 1.0)) / m * std::sqrt((65536.0 - m) / 65535.0),
                0.03 * layer.std_batch_var_theory);
    EXPECT_NEAR(layer.std_batch_var.median / layer.std_batch_var_theory, 1.0, 0.02);
    EXPECT_NEAR(layer.mean_batch_var.median / layer.mean_batch_var_theory, 1.0, 0.02);
  }
  const NoiseSlopes slopes = FitNoiseSlopes(points, data.train_size());
  EXPECT_NEAR(slopes.std_batch_mean[0], -0.5, 0.01);
}

TEST(NoiseLab, BatchOfTwoPutsEverySampleAtPlusOrMinusOne) {
  const Dataset data = GaussianInputs(4096, 16, 5);
  Twins twins = MakeTwins(data, {32}, 0.3, 6);
  NoiseOptions options;
  options.draws = 200;
  options.gradients = false;
  NoiseLab lab(*twins.plain, *twins.bn, data, options);
  // x̂ of the fixed sample is +1 or −1, by which of the two is larger: its spread over batches is
  // 2√(q(1−q)) ≤ 1 for a sample at quantile q of the unit. It shrinks as ~1/√m for large m.
  const LayerNoise at_2 = lab.Measure(2).layers[0];
  EXPECT_LE(at_2.sample_noise.q75, 1.0 + 1e-9);
  EXPECT_GT(at_2.sample_noise.median, 0.3);
  const double at_64 = lab.Measure(64).layers[0].sample_noise.median;
  const double at_256 = lab.Measure(256).layers[0].sample_noise.median;
  EXPECT_LT(at_64, 0.3);
  EXPECT_NEAR(at_64 / at_256, 2.0, 0.4);
}

TEST(NoiseLab, GradientNoiseFallsAsOneOverTheBatchSize) {
  const Dataset data = GaussianInputs(65536, 16, 7);
  Twins twins = MakeTwins(data, {32, 32}, 0.3, 8);
  NoiseOptions options;
  options.draws = 64;
  const std::vector<NoisePoint> points = MeasureNoise(*twins.plain, *twins.bn, data, {4, 16, 64, 256, 1024}, options);
  const NoiseSlopes slopes = FitNoiseSlopes(points, data.train_size());
  EXPECT_NEAR(slopes.grad_rel_var[static_cast<std::size_t>(NetId::kLeft)], -1.0, 0.15);
  for (NetId id : kNets) {
    const std::size_t i = static_cast<std::size_t>(id);
    // The mini-batch gradient points closer to the full-data one as m grows.
    EXPECT_LT(points.front().gradient[i].cosine, points.back().gradient[i].cosine) << NetName(id);
    EXPECT_GT(points.back().gradient[i].cosine, 0.9) << NetName(id);
    EXPECT_GT(points.front().gradient[i].rel_var, points.back().gradient[i].rel_var) << NetName(id);
  }
}

TEST(NoiseLab, DeterministicPerBatchSizeWhateverTheGrid) {
  const Dataset data = GaussianInputs(2048, 8, 9);
  Twins twins = MakeTwins(data, {16, 16}, 0.5, 10);
  NoiseOptions options;
  options.draws = 8;
  const std::vector<NoisePoint> a = MeasureNoise(*twins.plain, *twins.bn, data, {4, 60}, options);
  const std::vector<NoisePoint> b = MeasureNoise(*twins.plain, *twins.bn, data, {60}, options);
  EXPECT_EQ(a[1].layers[1].std_batch_mean.median, b[0].layers[0 + 1].std_batch_mean.median);
  EXPECT_EQ(a[1].layers[0].sample_noise.q75, b[0].layers[0].sample_noise.q75);
  EXPECT_EQ(a[1].gradient[1].rel_var, b[0].gradient[1].rel_var);
  // The networks given are never changed.
  Twins fresh = MakeTwins(data, {16, 16}, 0.5, 10);
  EXPECT_EQ(twins.bn->hidden(0).linear.W, fresh.bn->hidden(0).linear.W);
  EXPECT_FALSE(twins.bn->has_population_stats());
}

TEST(NoiseLab, OneThreadOrTwoGiveTheSameBits) {
  const Dataset data = GaussianInputs(4096, 8, 12);
  Twins twins = MakeTwins(data, {16, 16}, 0.5, 13);
  NoiseOptions options;
  options.draws = 9;  // odd: the lanes take unequal halves
  options.threads = 1;
  const NoisePoint one = MeasureNoise(*twins.plain, *twins.bn, data, {33}, options)[0];
  options.threads = 2;
  const NoisePoint two = MeasureNoise(*twins.plain, *twins.bn, data, {33}, options)[0];
  for (std::size_t l = 0; l < one.layers.size(); ++l) {
    EXPECT_EQ(one.layers[l].std_batch_mean.median, two.layers[l].std_batch_mean.median);
    EXPECT_EQ(one.layers[l].std_batch_var.q25, two.layers[l].std_batch_var.q25);
    EXPECT_EQ(one.layers[l].sample_noise.q75, two.layers[l].sample_noise.q75);
  }
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(one.gradient[i].cosine, two.gradient[i].cosine);
    EXPECT_EQ(one.gradient[i].rel_var, two.gradient[i].rel_var);
  }
}

TEST(NoiseLab, RejectsWhatItCannotMeasure) {
  const Dataset data = GaussianInputs(100, 4, 1);
  Twins twins = MakeTwins(data, {8}, 0.5, 2);
  NoiseOptions options;
  options.draws = 1;
  EXPECT_THROW(NoiseLab(*twins.plain, *twins.bn, data, options), std::invalid_argument);
  options.draws = 4;
  options.sample = 100;
  EXPECT_THROW(NoiseLab(*twins.plain, *twins.bn, data, options), std::invalid_argument);
  options.sample = 0;
  EXPECT_THROW(NoiseLab(*twins.plain, *twins.plain, data, options), std::invalid_argument);
  NoiseLab lab(*twins.plain, *twins.bn, data, options);
  EXPECT_THROW(lab.Measure(0), std::invalid_argument);
  EXPECT_THROW(lab.Measure(101), std::invalid_argument);
  // The whole training set: the same batch at every draw, nothing to measure (it gave NaN).
  EXPECT_THROW(lab.Measure(100), std::invalid_argument);
  EXPECT_NO_THROW(lab.Measure(99));
}

TEST(NoiseBatchSizes, PowersOfTwoUpTo1024PlusTheCurrentSize) {
  EXPECT_EQ(NoiseBatchSizes(60, 60000), (std::vector<int>{1, 2, 4, 8, 16, 32, 60, 64, 128, 256, 512, 1024}));
  EXPECT_EQ(NoiseBatchSizes(64, 60000).size(), 11u);
  EXPECT_EQ(NoiseBatchSizes(5000, 60000).back(), 5000);
  EXPECT_EQ(NoiseBatchSizes(32, 100), (std::vector<int>{1, 2, 4, 8, 16, 32, 64}));
  // Never the whole training set (no spread), neither on the grid nor as the current size.
  EXPECT_EQ(NoiseBatchSizes(32, 64), (std::vector<int>{1, 2, 4, 8, 16, 32}));
  EXPECT_EQ(NoiseBatchSizes(100, 100), (std::vector<int>{1, 2, 4, 8, 16, 32, 64}));
}

TEST(LogLogSlope, ExactPowerLawsAndDegenerateInput) {
  EXPECT_NEAR(LogLogSlope({1, 2, 4, 8}, {1, 0.5, 0.25, 0.125}), -1.0, 1e-12);
  EXPECT_NEAR(LogLogSlope({1, 4, 16}, {3, 1.5, 0.75}), -0.5, 1e-12);
  EXPECT_TRUE(std::isnan(LogLogSlope({1}, {1})));
  EXPECT_NEAR(LogLogSlope({1, 2, 4}, {0, 1, 2}), 1.0, 1e-12);  // zeros are skipped
}

// The slope's standard error √(Σ r² / (n − 2) / Σ (x − x̄)²), in natural logs: 0 on an exact
// power law, unknown (NaN) from two points; worked by hand for log x = 0, 1, 2 and log y = 0,
// 1.5, 2: slope 1, residuals −1/6, 1/3, −1/6, so √((1/6) / 1 / 2) = 1/(2√3).
TEST(LogLogFit, StandardErrorOfTheSlope) {
  const SlopeFit exact = LogLogFit({1, 2, 4, 8}, {1, 0.5, 0.25, 0.125});
  EXPECT_NEAR(exact.slope, -1.0, 1e-12);
  EXPECT_NEAR(exact.error, 0.0, 1e-7);
  const double e = std::exp(1.0);
  const SlopeFit bent = LogLogFit({1, e, e * e}, {1, std::exp(1.5), e * e});
  EXPECT_NEAR(bent.slope, 1.0, 1e-12);
  EXPECT_NEAR(bent.error, 1.0 / (2.0 * std::sqrt(3.0)), 1e-12);
  const SlopeFit two = LogLogFit({1, 2}, {1, 0.5});
  EXPECT_NEAR(two.slope, -1.0, 1e-12);
  EXPECT_TRUE(std::isnan(two.error));
  EXPECT_EQ(LogLogSlope({1, e, e * e}, {1, std::exp(1.5), e * e}), bent.slope);
}

// The "differ" rule for a slope against its theory, at its boundaries: the gap must exceed the
// fit's standard error; an error above kWideSlopeError calls the fit wide; none, unknown.
TEST(CompareSlope, TheoryWithinTheFitsErrorIsNoDifference) {
  // Binary fractions, so that "exactly the error" is exact.
  EXPECT_EQ(CompareSlope(-0.5625, 0.0625, -0.5), SlopeCall::kAsTheory);  // exactly the error: not more
  EXPECT_EQ(CompareSlope(-0.4375, 0.0625, -0.5), SlopeCall::kAsTheory);
  EXPECT_EQ(CompareSlope(-0.57, 0.0625, -0.5), SlopeCall::kSteeper);
  EXPECT_EQ(CompareSlope(-0.43, 0.0625, -0.5), SlopeCall::kShallower);
  EXPECT_EQ(CompareSlope(-0.2, kWideSlopeError, -0.5), SlopeCall::kShallower);
  EXPECT_EQ(CompareSlope(-0.2, 1.01 * kWideSlopeError, -0.5), SlopeCall::kWide);
  EXPECT_EQ(CompareSlope(-0.5, std::numeric_limits<double>::quiet_NaN(), -0.5), SlopeCall::kUnknown);
  EXPECT_EQ(CompareSlope(std::numeric_limits<double>::quiet_NaN(), 0.01, -0.5), SlopeCall::kUnknown);
}

// The paper's network and data: layer 1 of the default scene's BN net.
TEST(NoiseLabFashion, BatchMeanSpreadFallsAsOneOverRootM) {
  if (!std::filesystem::exists(std::string(kDefaultFashionDir) + "/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "Fashion-MNIST not installed (Debian package dataset-fashion-mnist)";
  }
  const Dataset data = LoadFashionMnist(kDefaultFashionDir);
  Twins twins = MakeTwins(data, {100, 100, 100}, 0.1, 1);
  NoiseOptions options;  // K = 64, as the command's default
  options.gradients = false;
  const std::vector<NoisePoint> points =
      MeasureNoise(*twins.plain, *twins.bn, data, NoiseBatchSizes(60, data.train_size()), options);
  const NoiseSlopes slopes = FitNoiseSlopes(points, data.train_size());
  EXPECT_NEAR(slopes.std_batch_mean[0], -0.5, 0.05);
}

}  // namespace
}  // namespace bnlab
