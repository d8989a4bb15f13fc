// The variants (variant.h) and the networks they stand for: the variant table, LayerNorm's
// independence of the batch, renorm that reduces to BN, twin training with any two variants,
// and the "BN net" assumptions of the labs (noise, Inside BN, test-time modes). The
// finite-difference checks of whole networks: variant_gradient_test.cpp.
#include "engine/inside_bn.h"
#include "engine/memory_estimate.h"
#include "engine/noise.h"
#include "engine/trainer.h"
#include "engine/variant.h"

#include "all_columns.h"
#include "finite_difference.h"
#include "small_norm_net.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <variant>

namespace bnlab {
namespace {

using testing_fd::Md;

// ---------------------------------------------------------------------------------------------
// The variant table.

TEST(Variant, EveryKeyParsesBackAndLabelsDiffer) {
  std::set<std::string> keys, labels;
  for (const VariantInfo& info : Variants()) {
    Variant parsed = VariantNamed("bn");
    ASSERT_TRUE(ParseVariant(info.key, &parsed)) << info.key;
    EXPECT_EQ(parsed, info.variant);
    EXPECT_STREQ(VariantKey(info.variant), info.key);
    EXPECT_NE(std::string(info.title), "");
    EXPECT_NE(std::string(info.description), "");
    keys.insert(info.key);
    labels.insert(info.label);
  }
  EXPECT_EQ(keys.size(), Variants().size());
  EXPECT_EQ(labels.size(), Variants().size());
  Variant unchanged = VariantNamed("renorm");
  EXPECT_FALSE(ParseVariant("batchnorm", &unchanged));
  EXPECT_EQ(unchanged, VariantNamed("renorm"));
  EXPECT_STREQ(VariantLabel(VariantNamed("none")), "plain");
  EXPECT_STREQ(VariantLabel(VariantNamed("bn")), "bn");
  // The help text's order: NormLayer's (a new normalization's rows come last).
  EXPECT_EQ(VariantKeyList().rfind("none, bn, bn-after, bn-bias, ghost-bn, layernorm, renorm", 0), 0u);
  EXPECT_THROW(VariantNamed("batchnorm"), std::invalid_argument);
  // TrainConfig's default columns, written as rows 0 and 1 in config.h.
  EXPECT_STREQ(VariantKey(TrainConfig().left), "none");
  EXPECT_STREQ(VariantKey(TrainConfig().right), "bn");
}

TEST(Variant, Predicates) {
  for (Variant v : {VariantNamed("bn"), VariantNamed("bn-after"), VariantNamed("bn-bias"), VariantNamed("ghost-bn"),
                    VariantNamed("renorm")}) {
    EXPECT_TRUE(UsesBatchStatistics(v)) << VariantKey(v);
    EXPECT_TRUE(HasNormalization(v)) << VariantKey(v);
  }
  EXPECT_FALSE(UsesBatchStatistics(VariantNamed("none")));
  EXPECT_FALSE(UsesBatchStatistics(VariantNamed("layernorm")));
  EXPECT_FALSE(HasNormalization(VariantNamed("none")));
  EXPECT_TRUE(HasNormalization(VariantNamed("layernorm")));
  for (const char* key : {"bn", "bn-after", "bn-bias", "ghost-bn"}) EXPECT_TRUE(IsBatchNorm(VariantNamed(key))) << key;
  for (const char* key : {"none", "layernorm", "renorm"}) EXPECT_FALSE(IsBatchNorm(VariantNamed(key))) << key;
}

TEST(Variant, ColumnNetConfigShapesTheSharedConfig) {
  TrainConfig config;
  config.net.placement = Placement::kAfter;  // what --bn-placement after says
  config.ghost_group = 5;
  config.net.renorm_r_max = 2.0;
  EXPECT_EQ(ColumnNetConfig(config, VariantNamed("none")).norm, KindOf<NoNorm>());
  const NetConfig bn = ColumnNetConfig(config, VariantNamed("bn"));
  EXPECT_EQ(bn.norm, KindOf<BatchNorm>());
  EXPECT_EQ(bn.placement, Placement::kAfter);  // bn follows --bn-placement
  EXPECT_EQ(bn.ghost_group, 0);
  EXPECT_FALSE(bn.bias_before_bn);
  config.net.placement = Placement::kBefore;
  EXPECT_EQ(ColumnNetConfig(config, VariantNamed("bn-after")).placement, Placement::kAfter);
  config.net.placement = Placement::kAfter;
  const NetConfig bias = ColumnNetConfig(config, VariantNamed("bn-bias"));
  EXPECT_EQ(bias.placement, Placement::kBefore);
  EXPECT_TRUE(bias.bias_before_bn);
  EXPECT_EQ(ColumnNetConfig(config, VariantNamed("ghost-bn")).ghost_group, 5);
  EXPECT_EQ(ColumnNetConfig(config, VariantNamed("layernorm")).norm, KindOf<LayerNorm>());
  const NetConfig renorm = ColumnNetConfig(config, VariantNamed("renorm"));
  EXPECT_EQ(renorm.norm, KindOf<BatchRenorm>());
  EXPECT_EQ(renorm.renorm_r_max, 2.0);
}

TEST(Variant, ValidateConfigRejectsTwinColumnsAndAGhostGroupAboveTheBatch) {
  TrainConfig config;
  config.left = config.right = VariantNamed("layernorm");
  try {
    ValidateConfig(config);
    FAIL() << "left == right accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("--left and --right are both 'layernorm'"), std::string::npos)
        << error.what();
  }
  config.left = VariantNamed("none");
  config.right = VariantNamed("ghost-bn");
  config.batch_size = 8;
  config.ghost_group = 16;
  EXPECT_THROW(ValidateConfig(config), std::invalid_argument);
  config.ghost_group = 8;
  EXPECT_NO_THROW(ValidateConfig(config));
  config.right = VariantNamed("bn");
  config.ghost_group = 16;  // only a ghost-bn column needs it below the batch
  EXPECT_NO_THROW(ValidateConfig(config));
  config.net.renorm_r_max = 0.5;
  EXPECT_THROW(ValidateConfig(config), std::invalid_argument);
  config.net.renorm_r_max = 1.0;
  config.net.renorm_d_max = -1.0;
  EXPECT_THROW(ValidateConfig(config), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// LayerNorm: nothing depends on the batch.

TEST(LayerNormNetwork, ASampleIsClassifiedTheSameAloneInAnyBatchAndInEveryMode) {
  Network<double> net = SmallNet(KindOf<LayerNorm>(), Placement::kBefore);
  net.ForwardTrain(kInput, kLabels.data(), nullptr);
  const Md train_logits = net.train_workspace().logits;
  net.ComputePopulationStats(kInput);
  Workspace<double> ws;
  for (Normalization mode : {Normalization::kBatch, Normalization::kRunning, Normalization::kPopulation}) {
    net.Infer(kInput, mode, ws, nullptr, nullptr);
    EXPECT_LT((ws.logits - train_logits).cwiseAbs().maxCoeff(), 1e-12) << static_cast<int>(mode);
  }
  for (int m : {1, 3, 10}) {
    net.InferInBatches(kInput, m, ws, nullptr, nullptr);
    EXPECT_LT((ws.logits - train_logits).cwiseAbs().maxCoeff(), 1e-12) << "batches of " << m;
  }
  // Training on a batch of one gives the same output for that sample as inside the batch.
  const Md one = kInput.col(4);
  net.ForwardTrain(one, kLabels.data() + 4, nullptr);
  EXPECT_LT((net.train_workspace().logits - train_logits.col(4)).cwiseAbs().maxCoeff(), 1e-12);
  // Changing another sample changes nothing for sample 0.
  Md other = kInput;
  other.col(7) *= 5.0;
  net.ForwardTrain(other, kLabels.data(), nullptr);
  EXPECT_LT((net.train_workspace().logits.col(0) - train_logits.col(0)).cwiseAbs().maxCoeff(), 1e-12);
}

std::shared_ptr<const Dataset> Blobs() {
  SyntheticOptions options;
  options.kind = SyntheticKind::kBlobs;
  options.train_size = 600;
  options.test_size = 300;
  options.classes = 3;
  options.seed = 4;
  return std::make_shared<const Dataset>(MakeSynthetic(options));
}

TrainConfig BlobsConfig(const Dataset& data, Variant left, Variant right) {
  TrainConfig config;
  config.left = left;
  config.right = right;
  config.net.hidden = {32, 32, 32};
  config.optimizer.learning_rate = 0.1;
  config.seed = 2;
  FitNetToData(data, &config.net);
  return config;
}

TEST(LayerNormNetwork, LearnsAtBatchSizeOneWhereBnCannot) {
  auto data = Blobs();
  TrainConfig config = BlobsConfig(*data, VariantNamed("bn"), VariantNamed("layernorm"));
  config.batch_size = 1;
  TwinTrainer trainer(data, config);
  std::array<double, 2> first{}, last{};
  for (int i = 0; i < 50; ++i) {
    trainer.Step();
    for (NetId id : kNets) first[static_cast<std::size_t>(id)] += trainer.last_step(id).loss / 50;
  }
  for (int i = 0; i < 350; ++i) trainer.Step();
  for (int i = 0; i < 100; ++i) {
    trainer.Step();
    for (NetId id : kNets) last[static_cast<std::size_t>(id)] += trainer.last_step(id).loss / 100;
  }
  const std::size_t bn = static_cast<std::size_t>(NetId::kLeft), ln = static_cast<std::size_t>(NetId::kRight);
  EXPECT_LT(last[ln], 0.5 * first[ln]) << "LayerNorm at batch 1: " << first[ln] << " -> " << last[ln];
  EXPECT_LT(last[ln], 0.5 * std::log(3.0));
  // BN at batch 1 outputs β in every unit: its loss cannot fall below chance.
  EXPECT_GT(last[bn], std::log(3.0) * 0.9) << "BN at batch 1: " << first[bn] << " -> " << last[bn];
  EXPECT_GT(trainer.Evaluate(NetId::kRight).accuracy, 0.9);
}

// ---------------------------------------------------------------------------------------------
// Batch renorm.

TEST(RenormNetwork, WithoutCorrectionsItTrainsExactlyAsBn) {
  auto data = Blobs();
  TrainConfig config = BlobsConfig(*data, VariantNamed("bn"), VariantNamed("renorm"));
  config.net.renorm_r_max = 1.0;
  config.net.renorm_d_max = 0.0;
  config.batch_size = 16;
  TwinTrainer trainer(data, config);
  for (int step = 0; step < 30; ++step) {
    trainer.Step();
    ASSERT_EQ(trainer.last_step(NetId::kLeft).loss, trainer.last_step(NetId::kRight).loss) << "step " << step;
  }
  EXPECT_EQ(trainer.net(NetId::kLeft).hidden(0).linear.W, trainer.net(NetId::kRight).hidden(0).linear.W);
}

TEST(RenormNetwork, EvalModeUsesTheMovingAveragesAndLearns) {
  auto data = Blobs();
  TrainConfig config = BlobsConfig(*data, VariantNamed("none"), VariantNamed("renorm"));
  config.batch_size = 4;
  TwinTrainer trainer(data, config);
  for (int step = 0; step < 400; ++step) trainer.Step();
  const TestModes modes = trainer.EvaluateModes(NetId::kRight);
  EXPECT_GT(modes.running.accuracy, 0.9);
  EXPECT_GT(modes.population.accuracy, 0.9);
  // The test-time transform is y = γ·(x − μ)/σ + β with the moving μ, σ.
  const Network<Scalar>& net = trainer.net(NetId::kRight);
  const BatchRenorm<Scalar>& renorm = std::get<BatchRenorm<Scalar>>(net.hidden(0).norm);
  Workspace<Scalar> ws;
  net.Infer(ColumnsOf(data->test_x, 0, 5), Normalization::kRunning, ws, nullptr, nullptr);
  const Matrix& z = ws.layers[0].z;
  const Matrix& y = ws.layers[0].normed;
  for (Eigen::Index i = 0; i < 5; ++i) {
    const float expected =
        renorm.gamma(2) * (z(2, i) - renorm.running_mean(2)) / renorm.running_std(2) + renorm.beta(2);
    EXPECT_NEAR(y(2, i), expected, 1e-5f);
  }
}

// ---------------------------------------------------------------------------------------------
// Twin training with any two variants, and the labs' "BN net".

TEST(TwinVariants, EveryPairStartsFromIdenticalLinearWeightsAndTrains) {
  auto data = Blobs();
  for (const VariantInfo& left : Variants()) {
    for (const VariantInfo& right : Variants()) {
      if (left.variant == right.variant) continue;
      TrainConfig config = BlobsConfig(*data, left.variant, right.variant);
      config.batch_size = 20;
      config.ghost_group = 5;
      TwinTrainer trainer(data, config);
      const std::string pair = std::string(left.key) + " vs " + right.key;
      EXPECT_EQ(trainer.net(NetId::kLeft).norm(), left.norm) << pair;
      EXPECT_EQ(trainer.net(NetId::kRight).norm(), right.norm) << pair;
      EXPECT_EQ(trainer.net(NetId::kLeft).hidden(1).linear.W, trainer.net(NetId::kRight).hidden(1).linear.W) << pair;
      for (int step = 0; step < 5; ++step) trainer.Step();
      EXPECT_EQ(trainer.net(NetId::kLeft).hidden(0).linear.W.cols(), 2) << pair;
      for (NetId id : kNets) {
        EXPECT_TRUE(std::isfinite(trainer.last_step(id).loss)) << pair;
        const TestModes modes = trainer.EvaluateModes(id);
        if (!trainer.net(id).uses_batch_statistics()) {
          EXPECT_EQ(modes.batch.accuracy, modes.running.accuracy) << pair;
          EXPECT_EQ(modes.population.accuracy, modes.running.accuracy) << pair;
        }
        const NetProbe probe = trainer.Probe(id);
        EXPECT_EQ(probe.layers.size(), 3u) << pair;
      }
    }
  }
}

TEST(TwinVariants, DefaultColumnsArePlainAndBn) {
  const TrainConfig config;
  EXPECT_EQ(config.left, VariantNamed("none"));
  EXPECT_EQ(config.right, VariantNamed("bn"));
  EXPECT_STREQ(ColumnLabel(config, NetId::kLeft), NetName(NetId::kLeft));
  EXPECT_STREQ(ColumnLabel(config, NetId::kRight), NetName(NetId::kRight));
  EXPECT_EQ(BatchStatisticsColumn(config), NetId::kRight);
  EXPECT_EQ(BatchNormColumn(config), NetId::kRight);
}

TEST(TwinVariants, WhichColumnTheLabsLookAt) {
  TrainConfig config;
  config.left = VariantNamed("ghost-bn");
  config.right = VariantNamed("layernorm");
  EXPECT_EQ(BatchStatisticsColumn(config), NetId::kLeft);
  EXPECT_EQ(BatchNormColumn(config), NetId::kLeft);
  config.right = VariantNamed("renorm");
  EXPECT_EQ(BatchStatisticsColumn(config), NetId::kRight);  // the right one when both
  EXPECT_EQ(BatchNormColumn(config), NetId::kLeft);         // renorm has no BatchNorm caches
  config.left = VariantNamed("none");
  config.right = VariantNamed("layernorm");
  EXPECT_FALSE(BatchStatisticsColumn(config).has_value());
  EXPECT_FALSE(BatchNormColumn(config).has_value());
}

TEST(TwinVariants, NoiseLabMeasuresTheColumnWithBatchStatistics) {
  auto data = Blobs();
  NoiseOptions options;
  options.draws = 4;
  options.reference_size = 64;
  options.threads = 1;
  {
    TrainConfig config = BlobsConfig(*data, VariantNamed("renorm"), VariantNamed("layernorm"));
    TwinTrainer trainer(data, config);
    for (int step = 0; step < 20; ++step) trainer.Step();
    NoiseLab lab(trainer.net(NetId::kLeft), trainer.net(NetId::kRight), *data, options);
    EXPECT_EQ(lab.statistics_net(), NetId::kLeft);
    const NoisePoint point = lab.Measure(8);
    ASSERT_EQ(point.layers.size(), 3u);
    EXPECT_GT(point.layers[0].std_batch_mean.median, 0.0);
    EXPECT_GT(point.gradient[1].rel_var, 0.0);
  }
  {
    TrainConfig config = BlobsConfig(*data, VariantNamed("none"), VariantNamed("layernorm"));
    TwinTrainer trainer(data, config);
    EXPECT_THROW(NoiseLab(trainer.net(NetId::kLeft), trainer.net(NetId::kRight), *data, options),
                 std::invalid_argument);
  }
}

TEST(TwinVariants, InsideBnNeedsBatchNormLayers) {
  auto data = Blobs();
  TwinTrainer trainer(data, BlobsConfig(*data, VariantNamed("bn-after"), VariantNamed("renorm")));
  trainer.Step();
  BnUnitRecord record;
  EXPECT_THROW(RecordBnUnit(trainer.net(NetId::kRight), 0, 0, &record), std::invalid_argument);
  EXPECT_NO_THROW(RecordBnUnit(trainer.net(NetId::kLeft), 0, 0, &record));
  EXPECT_EQ(record.placement, Placement::kAfter);
}

TEST(TwinVariants, LiveMomentumAndEpsReachEveryNormalization) {
  auto data = Blobs();
  TwinTrainer trainer(data, BlobsConfig(*data, VariantNamed("layernorm"), VariantNamed("renorm")));
  trainer.SetBnMomentum(0.5);
  trainer.SetBnEps(1e-3);
  EXPECT_EQ(std::get<BatchRenorm<Scalar>>(trainer.net(NetId::kRight).hidden(0).norm).momentum, 0.5f);
  EXPECT_EQ(std::get<BatchRenorm<Scalar>>(trainer.net(NetId::kRight).hidden(0).norm).eps, 1e-3f);
  EXPECT_EQ(std::get<LayerNorm<Scalar>>(trainer.net(NetId::kLeft).hidden(0).norm).eps, 1e-3f);
}

TEST(TwinVariants, MemoryEstimateCountsEachColumnsCaches) {
  TrainConfig config;
  const DataShape shape = ExpectedDataShape(config);
  const MemoryEstimate plain_bn = EstimateMemory(config, shape);
  config.left = VariantNamed("layernorm");
  config.right = VariantNamed("renorm");
  const MemoryEstimate ln_renorm = EstimateMemory(config, shape);
  EXPECT_GT(ln_renorm.training, plain_bn.training);
  EXPECT_GT(ln_renorm.parameters, plain_bn.parameters);
}

}  // namespace
}  // namespace bnlab
