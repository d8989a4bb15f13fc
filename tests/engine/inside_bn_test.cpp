// Inside BN on real numbers: the three-term backward adds up to the engine's gradient, x̂ has
// mean 0 and variance ~1 per unit, the identity what-if gives x back; at test time BN is the
// fixed line y = a·x + c, and the three ways to normalize at test time agree when m is large.
#include "engine/inside_bn.h"
#include "engine/trainer.h"

#include "all_columns.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <variant>

namespace bnlab {
namespace {

std::shared_ptr<const Dataset> Moons(int train = 2000) {
  SyntheticOptions options;
  options.kind = SyntheticKind::kMoons;
  options.train_size = train;
  options.test_size = 1000;
  options.noise = 0.2;
  options.seed = 4;
  return std::make_shared<const Dataset>(MakeSynthetic(options));
}

TrainConfig Config(const Dataset& data, int batch, Placement placement = Placement::kBefore, int ghost = 0) {
  TrainConfig config;
  config.net.hidden = {12, 12, 12};
  config.net.init_scale = 0.8;
  config.net.placement = placement;
  config.net.ghost_group = ghost;
  config.optimizer.learning_rate = 0.3;
  config.batch_size = batch;
  config.seed = 9;
  FitNetToData(data, &config.net);
  return config;
}

// Records layer `layer`, unit `unit` of the BN net on the next step.
BnUnitRecord RecordNextStep(TwinTrainer& trainer, int layer, int unit) {
  BnUnitRecord record;
  trainer.SetStepObserver([&](NetId id, const Network<Scalar>& net) {
    if (id == NetId::kRight) RecordBnUnit(net, layer, unit, &record);
  });
  trainer.Step();
  trainer.SetStepObserver(nullptr);
  return record;
}

class InsideBn : public ::testing::TestWithParam<std::tuple<Placement, int>> {};

TEST_P(InsideBn, ThreeTermsAddUpToTheEnginesGradient) {
  const auto [placement, ghost] = GetParam();
  auto data = Moons();
  TwinTrainer trainer(data, Config(*data, 16, placement, ghost));
  for (int i = 0; i < 40; ++i) trainer.Step();  // γ, β away from 1, 0
  for (int layer : {0, 2}) {
    const BnUnitRecord r = RecordNextStep(trainer, layer, 5);
    ASSERT_EQ(r.batch_size(), 16);
    EXPECT_EQ(r.layer, layer);
    EXPECT_EQ(r.batch_mean.size(), ghost > 0 ? 16u / static_cast<unsigned>(ghost) : 1u);
    double scale = 0.0;
    for (float v : r.dx) scale = std::max(scale, static_cast<double>(std::abs(v)));
    ASSERT_GT(scale, 0.0);
    double dbeta = 0.0, dgamma = 0.0;
    for (int i = 0; i < r.batch_size(); ++i) {
      const std::size_t s = static_cast<std::size_t>(i);
      EXPECT_NEAR(r.dx_direct[s] + r.dx_via_mean[s] + r.dx_via_var[s], r.dx[s], 1e-5 * scale) << "sample " << i;
      // y = γ·x̂ + β as the forward pass computed it.
      EXPECT_NEAR(r.y[s], r.gamma * r.x_hat[s] + r.beta, 1e-5);
      dbeta += r.dy[s];
      dgamma += static_cast<double>(r.dy[s]) * r.x_hat[s];
    }
    EXPECT_NEAR(r.dbeta, dbeta, 1e-6);
    EXPECT_NEAR(r.dgamma, dgamma, 1e-6);
    EXPECT_NE(r.gamma, 1.0f);  // the values the batch saw, after 40 updates
  }
}

INSTANTIATE_TEST_SUITE_P(PlacementsAndGhost, InsideBn,
                         ::testing::Values(std::make_tuple(Placement::kBefore, 0),
                                           std::make_tuple(Placement::kAfter, 0),
                                           std::make_tuple(Placement::kBefore, 4)));

TEST(InsideBnRecord, NormalizedValuesHaveZeroMeanAndUnitVariancePerUnit) {
  auto data = Moons();
  TwinTrainer trainer(data, Config(*data, 32));
  for (int i = 0; i < 20; ++i) trainer.Step();
  const BnUnitRecord r = RecordNextStep(trainer, 1, 0);
  ASSERT_EQ(r.xhat_mean.size(), 12u);
  for (std::size_t k = 0; k < r.xhat_mean.size(); ++k) {
    EXPECT_NEAR(r.xhat_mean[k], 0.0f, 1e-6f) << "unit " << k;
    // Variance σ²/(σ² + ε): 1 up to ε.
    EXPECT_NEAR(r.xhat_var[k], 1.0f, 1e-3f) << "unit " << k;
  }
}

TEST(InsideBnRecord, IdentityWhatIfGivesTheInputBack) {
  auto data = Moons();
  TwinTrainer trainer(data, Config(*data, 8));
  for (int i = 0; i < 10; ++i) trainer.Step();
  const BnUnitRecord r = RecordNextStep(trainer, 0, 3);
  std::vector<float> y;
  const double error = IdentityWhatIfError(r, &y);
  EXPECT_LT(error, 1e-5);
  ASSERT_EQ(y.size(), r.x.size());
  for (std::size_t i = 0; i < y.size(); ++i) EXPECT_NEAR(y[i], r.x[i], 1e-5f);
}

TEST(TestTimeBn, EvalModeIsTheFixedLineYEqualsAxPlusC) {
  auto data = Moons();
  TwinTrainer trainer(data, Config(*data, 32));
  for (int i = 0; i < 100; ++i) trainer.Step();
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  const BatchNorm<Scalar>& layer = std::get<BatchNorm<Scalar>>(bn.hidden(1).norm);
  Workspace<Scalar> ws;
  bn.Infer(ColumnsOf(data->test_x, 0, 200), Normalization::kRunning, ws, nullptr, nullptr);
  const Matrix& x = ws.layers[1].z;       // BN's input
  const Matrix& y = ws.layers[1].normed;  // its output
  for (Eigen::Index u = 0; u < x.rows(); ++u) {
    const double a = layer.gamma(u) / std::sqrt(static_cast<double>(layer.running_var(u)) + layer.eps);
    const double c = layer.beta(u) - a * layer.running_mean(u);
    for (Eigen::Index i = 0; i < x.cols(); ++i) EXPECT_NEAR(y(u, i), a * x(u, i) + c, 1e-5 * (1 + std::abs(y(u, i))));
  }
}

TEST(TestTimeBn, ThreeModesAgreeAtALargeBatchOnceRunningStatisticsConverged) {
  auto data = Moons();
  TwinTrainer trainer(data, Config(*data, 1024));
  for (int i = 0; i < 400; ++i) trainer.Step();
  const double batch = trainer.EvaluateWith(NetId::kRight, Normalization::kBatch).accuracy;
  const double running = trainer.EvaluateWith(NetId::kRight, Normalization::kRunning).accuracy;
  const double population = trainer.EvaluateWith(NetId::kRight, Normalization::kPopulation).accuracy;
  EXPECT_GT(running, 0.8);
  EXPECT_NEAR(batch, population, 0.005);
  EXPECT_NEAR(running, population, 0.005);
  // The plain net has nothing to normalize: one answer.
  EXPECT_EQ(trainer.EvaluateWith(NetId::kLeft, Normalization::kBatch).accuracy,
            trainer.EvaluateWith(NetId::kLeft, Normalization::kPopulation).accuracy);
}

TEST(TestTimeBn, BatchStatisticsAtBatchSizeOneCannotClassify) {
  auto data = Moons();
  TwinTrainer trainer(data, Config(*data, 64));
  for (int i = 0; i < 300; ++i) trainer.Step();
  EXPECT_GT(trainer.EvaluateWith(NetId::kRight, Normalization::kBatch).accuracy, 0.8);
  trainer.SetBatchSize(1);  // test "batches" of one: every BN output is β, one answer for all
  const double one = trainer.EvaluateWith(NetId::kRight, Normalization::kBatch).accuracy;
  EXPECT_NEAR(one, 0.5, 0.06);  // two balanced classes
}

}  // namespace
}  // namespace bnlab
