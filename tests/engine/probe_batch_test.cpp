// Probes show what the net sees in training at the current batch size m: the probe samples go
// through BN in groups of m, each normalized with its own statistics.
#include "engine/probes.h"
#include "engine/trainer.h"

#include "all_columns.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <variant>

namespace bnlab {
namespace {

std::shared_ptr<const Dataset> Blobs() {
  SyntheticOptions options;
  options.kind = SyntheticKind::kBlobs;
  options.train_size = 1000;
  options.test_size = 200;
  options.classes = 3;
  options.seed = 5;
  return std::make_shared<const Dataset>(MakeSynthetic(options));
}

TrainConfig Config(const Dataset& data, int batch_size) {
  TrainConfig config;
  config.net.hidden = {16, 16};
  config.net.init_scale = 1.0;
  config.batch_size = batch_size;
  config.seed = 11;
  FitNetToData(data, &config.net);
  return config;
}

TEST(ProbeSampleCount, WholeGroupsOfTheBatchSize) {
  EXPECT_EQ(ProbeSampleCount(1, 256, 60000), 256);
  EXPECT_EQ(ProbeSampleCount(60, 256, 60000), 300);  // 5 groups of 60
  EXPECT_EQ(ProbeSampleCount(256, 256, 60000), 256);
  EXPECT_EQ(ProbeSampleCount(1024, 256, 60000), 1024);  // one group of at least m
  EXPECT_EQ(ProbeSampleCount(60, 256, 100), 60);        // as many whole groups as fit
}

TEST(ProbeAtBatchSize, BatchOfOneEveryBnOutputIsExactlyBeta) {
  auto data = Blobs();
  TwinTrainer trainer(data, Config(*data, 1));
  for (int step = 0; step < 30; ++step) trainer.Step();  // β moves away from 0
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  Matrix x = ColumnsOf(data->train_x, 0, 64);
  Workspace<Scalar> ws;
  bn.InferInBatches(x, 1, ws, nullptr, nullptr);
  // BN's backward gives dx = 0 at m = 1, so only the last BN layer's β learns (from the output
  // layer); below it nothing moves. Either way every BN output is exactly its β.
  EXPECT_GT(std::get<BatchNorm<Scalar>>(bn.hidden(bn.num_hidden() - 1).norm).beta.cwiseAbs().maxCoeff(), 0.0f);
  for (int l = 0; l < bn.num_hidden(); ++l) {
    const Matrix& z = bn.ActivationInput(ws, l);  // BN output, the sigmoid's input
    const Vector& beta = std::get<BatchNorm<Scalar>>(bn.hidden(l).norm).beta;
    for (Eigen::Index i = 0; i < z.cols(); ++i) EXPECT_EQ(z.col(i), beta) << "layer " << l << " sample " << i;
  }
  // The probe's histogram is one spike: every value of the layer in the bins of its β.
  const BatchNorm<Scalar>& first = std::get<BatchNorm<Scalar>>(bn.hidden(0).norm);
  const NetProbe probe = trainer.Probe(NetId::kRight);
  EXPECT_NEAR(probe.layers[0].z_std, std::sqrt((first.beta.array() - first.beta.mean()).square().mean()), 1e-5);
  const Histogram& hist = probe.layers[0].z_hist;
  int occupied = 0;
  for (float f : hist.fractions) occupied += f > 0.0f ? 1 : 0;
  EXPECT_LE(occupied, first.units());
}

TEST(ProbeAtBatchSize, BatchOfTwoEveryNormalizedValueIsPlusOrMinusOne) {
  auto data = Blobs();
  TwinTrainer trainer(data, Config(*data, 2));  // fresh: γ = 1, β = 0, so BN output = x̂
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  Matrix x = ColumnsOf(data->train_x, 0, 64);
  Workspace<Scalar> ws;
  bn.InferInBatches(x, 2, ws, nullptr, nullptr);
  const Matrix& z = bn.ActivationInput(ws, 0);
  Matrix x_lin;  // the BN input, W·x
  bn.hidden(0).linear.Forward(x, x_lin);
  const double eps = std::get<BatchNorm<Scalar>>(bn.hidden(0).norm).eps;
  int near_one = 0;
  for (Eigen::Index pair = 0; pair < x.cols(); pair += 2) {
    for (Eigen::Index u = 0; u < z.rows(); ++u) {
      // Two values d apart: x̂ = ±(d/2)/√(d²/4 + ε), so ±1 up to ε, opposite in the pair.
      const double d = static_cast<double>(x_lin(u, pair)) - x_lin(u, pair + 1);
      const double expected = (d / 2.0) / std::sqrt(d * d / 4.0 + eps);
      EXPECT_NEAR(z(u, pair), expected, 1e-4) << u << "," << pair;
      EXPECT_NEAR(z(u, pair), -z(u, pair + 1), 1e-4);  // float: x − μ_B cancels when d is small
      near_one += std::abs(z(u, pair)) > 0.99f ? 1 : 0;
    }
  }
  EXPECT_GT(near_one, 0.9 * static_cast<double>(z.size() / 2));
  const NetProbe probe = trainer.Probe(NetId::kRight);
  EXPECT_NEAR(probe.layers[0].z_mean, 0.0, 1e-6);
  EXPECT_NEAR(probe.layers[0].z_std, 1.0, 0.02);
}

TEST(ProbeAtBatchSize, GroupsAreNormalizedSeparately) {
  auto data = Blobs();
  TwinTrainer trainer(data, Config(*data, 8));
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  Matrix x = ColumnsOf(data->train_x, 0, 32);
  Workspace<Scalar> grouped, single;
  bn.InferInBatches(x, 8, grouped, nullptr, nullptr);
  for (int g = 0; g < 4; ++g) {
    bn.Infer(x.middleCols(8 * g, 8), Normalization::kBatch, single, nullptr, nullptr);
    EXPECT_TRUE(bn.ActivationInput(grouped, 0).middleCols(8 * g, 8).isApprox(bn.ActivationInput(single, 0), 1e-6f));
    const Matrix& z = bn.ActivationInput(grouped, 0).middleCols(8 * g, 8);
    EXPECT_LT(z.rowwise().mean().cwiseAbs().maxCoeff(), 1e-5f) << "group " << g;  // zero mean per group
  }
}

TEST(ProbeAtBatchSize, FollowsALiveBatchSizeChange) {
  auto data = Blobs();
  TwinTrainer trainer(data, Config(*data, 64));
  const double std_at_64 = trainer.Probe(NetId::kRight).layers[0].z_std;
  EXPECT_NEAR(std_at_64, 1.0, 0.01);
  trainer.SetBatchSize(1);
  EXPECT_EQ(trainer.Probe(NetId::kRight).layers[0].z_std, 0.0);  // fresh β = 0: every value is 0
  EXPECT_EQ(trainer.probe_indices().size(), 256u);
  trainer.SetBatchSize(600);
  EXPECT_EQ(trainer.probe_indices().size(), 600u);
}

}  // namespace
}  // namespace bnlab
