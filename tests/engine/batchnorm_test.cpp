// The identities of Batch Normalization that the seeds state, checked on the engine's BN.
#include "engine/network.h"
#include "engine/norms/batch_norm.h"
#include "engine/random.h"

#include <gtest/gtest.h>

namespace bnlab {
namespace {

using Md = MatrixT<double>;
using Vd = VectorT<double>;

Md RandomMatrix(Eigen::Index rows, Eigen::Index cols, Rng& rng, double scale, double shift) {
  Md m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = shift + scale * rng.Normal();
  return m;
}

TEST(BatchNorm, NormalizedInputHasZeroMeanUnitVariancePerUnit) {
  Rng rng(1);
  BatchNorm<double> bn;
  bn.Init(8);
  bn.eps = 1e-12;  // so that the variance comes out at 1 to high precision
  const Md x = RandomMatrix(8, 64, rng, 7.0, -3.0);
  Md y;
  bn.ForwardTrain(x, y);
  for (Eigen::Index u = 0; u < 8; ++u) {
    const double mean = bn.x_hat.row(u).mean();
    const double var = (bn.x_hat.row(u).array() - mean).square().mean();
    EXPECT_NEAR(mean, 0.0, 1e-12) << "unit " << u;
    EXPECT_NEAR(var, 1.0, 1e-9) << "unit " << u;
  }
}

TEST(BatchNorm, GammaSqrtVarPlusEpsAndBetaMeanGiveTheIdentity) {
  Rng rng(2);
  BatchNorm<double> bn;
  bn.Init(5);
  bn.eps = 1e-3;
  const Md x = RandomMatrix(5, 32, rng, 2.5, 4.0);
  Md y;
  bn.ForwardTrain(x, y);  // fills batch_mean, batch_var
  bn.gamma = (bn.batch_var.array() + bn.eps).sqrt().matrix();
  bn.beta = bn.batch_mean;
  bn.ForwardTrain(x, y);
  EXPECT_LT((y - x).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(BatchNorm, EvalModeUsesTheGivenStatisticsNotTheBatch) {
  Rng rng(3);
  BatchNorm<double> bn;
  bn.Init(3);
  bn.running_mean = Vd::Constant(3, 2.0);
  bn.running_var = Vd::Constant(3, 4.0);
  bn.eps = 0.0;
  const Md x = RandomMatrix(3, 10, rng, 1.0, 0.0);
  Md y;
  bn.ForwardEval(x, bn.running_mean, bn.running_var, y);
  // A fixed affine map: (x − 2)/2, whatever the batch looks like.
  EXPECT_LT((y - (x.array() - 2.0).matrix() / 2.0).cwiseAbs().maxCoeff(), 1e-12);
  // One sample alone gives the same answer as inside the batch.
  Md y0;
  bn.ForwardEval(x.col(4), bn.running_mean, bn.running_var, y0);
  EXPECT_LT((y0 - y.col(4)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(BatchNorm, RunningStatisticsAreEmaWithUnbiasedVariance) {
  BatchNorm<double> bn;
  bn.Init(1);
  bn.momentum = 0.1;
  Md x(1, 4);
  x << 1.0, 2.0, 3.0, 6.0;  // mean 3, biased var 3.5, unbiased 14/3
  Md y;
  bn.ForwardTrain(x, y);
  bn.UpdateRunningStats(4);
  EXPECT_NEAR(bn.running_mean(0), 0.9 * 0.0 + 0.1 * 3.0, 1e-12);
  EXPECT_NEAR(bn.running_var(0), 0.9 * 1.0 + 0.1 * (14.0 / 3.0), 1e-12);
}

TEST(BatchNorm, RunningStatisticsConvergeToPopulationOnStationaryData) {
  // Batches drawn from N(5, 3²) per unit: the running averages approach 5 and 9.
  Rng rng(4);
  BatchNorm<double> bn;
  bn.Init(4);
  bn.momentum = 0.05;
  Md y;
  for (int step = 0; step < 2000; ++step) {
    const Md x = RandomMatrix(4, 50, rng, 3.0, 5.0);
    bn.ForwardTrain(x, y);
    bn.UpdateRunningStats(50);
  }
  for (Eigen::Index u = 0; u < 4; ++u) {
    EXPECT_NEAR(bn.running_mean(u), 5.0, 0.15) << "unit " << u;
    EXPECT_NEAR(bn.running_var(u), 9.0, 0.9) << "unit " << u;
  }
}

TEST(BatchNorm, BatchOfOneGivesZerosNotNaN) {
  BatchNorm<double> bn;
  bn.Init(3);
  bn.beta << 0.5, -1.0, 2.0;
  Md x(3, 1);
  x << 10.0, -4.0, 0.25;
  Md y, dx;
  bn.ForwardTrain(x, y);
  EXPECT_TRUE(bn.x_hat.isZero(0.0));
  EXPECT_TRUE(y.isApprox(bn.beta));  // every unit outputs β: the input is erased
  bn.UpdateRunningStats(1);
  EXPECT_TRUE(bn.running_var.allFinite());
  bn.Backward(Md::Constant(3, 1, 1.0), dx);
  EXPECT_TRUE(dx.allFinite());
  EXPECT_TRUE(dx.isZero(0.0));  // and no gradient reaches the layer below
}

TEST(BatchNorm, BiasBeforeBnHasExactlyZeroGradient) {
  // Adding a constant per unit shifts μ_B by the same constant: x − μ_B is unchanged.
  NetConfig config;
  config.input_size = 6;
  config.num_classes = 3;
  config.hidden = {5, 4};
  config.bias_before_bn = true;
  Network<float> net(WithNorm(config, KindOf<BatchNorm>()));
  Rng rng(5);
  net.InitWeights(rng);
  Matrix x(6, 16);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.Normal());
  Labels labels(16);
  for (int i = 0; i < 16; ++i) labels[i] = i % 3;
  net.ForwardTrain(x, labels.data(), nullptr);
  net.Backward(x, labels.data());
  for (int l = 0; l < net.num_hidden(); ++l) {
    ASSERT_TRUE(net.hidden(l).linear.has_bias());
    // Zero up to float rounding of Σ_i dx_i, which the BN backward makes 0 analytically.
    EXPECT_LT(net.hidden(l).linear.db.cwiseAbs().maxCoeff(), 1e-6f) << "layer " << l;
    EXPECT_GT(net.hidden(l).linear.dW.norm(), 1e-4f) << "layer " << l;  // while W does learn
  }
}

TEST(BatchNorm, PopulationStatisticsMatchTheTrainingSet) {
  NetConfig config;
  config.input_size = 3;
  config.num_classes = 2;
  config.hidden = {4};
  Network<double> net(WithNorm(config, KindOf<BatchNorm>()));
  Rng rng(6);
  net.InitWeights(rng);
  const Md x = RandomMatrix(3, 500, rng, 1.0, 1.0);
  net.ComputePopulationStats(x);
  const Md z = net.hidden(0).linear.W * x;
  const Vd mean = z.rowwise().mean();
  const Vd var = (z.colwise() - mean).rowwise().squaredNorm() / 499.0;
  EXPECT_LT((net.hidden(0).population_mean - mean).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((net.hidden(0).population_var - var).cwiseAbs().maxCoeff(), 1e-10);
  // In population mode the whole set is then normalized to mean 0, variance ~1.
  Workspace<double> ws;
  net.Infer(x, Normalization::kPopulation, ws, nullptr, nullptr);
  const Md& pre = net.ActivationInput(ws, 0);
  EXPECT_LT(pre.rowwise().mean().cwiseAbs().maxCoeff(), 1e-9);
}

}  // namespace
}  // namespace bnlab
