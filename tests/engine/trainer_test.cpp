// Twin fairness, determinism, live settings, divergence, probes, and learning on 2-D data.
#include "engine/trainer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <variant>

namespace bnlab {
namespace {

std::shared_ptr<const Dataset> Spiral(std::uint64_t seed = 7) {
  SyntheticOptions options;
  options.kind = SyntheticKind::kSpiral;
  options.train_size = 1500;
  options.test_size = 600;
  options.classes = 3;
  options.noise = 0.05;
  options.seed = seed;
  return std::make_shared<const Dataset>(MakeSynthetic(options));
}

TrainConfig SmallConfig(const Dataset& data) {
  TrainConfig config;
  config.net.hidden = {32, 32, 32};
  config.net.init_scale = 0.5;
  config.optimizer.learning_rate = 0.5;
  config.batch_size = 32;
  config.seed = 3;
  FitNetToData(data, &config.net);
  return config;
}

TEST(TwinTrainer, BothNetsStartFromIdenticalLinearWeights) {
  auto data = Spiral();
  TwinTrainer trainer(data, SmallConfig(*data));
  const Network<Scalar>& plain = trainer.net(NetId::kLeft);
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  for (int l = 0; l < plain.num_hidden(); ++l) {
    EXPECT_EQ(plain.hidden(l).linear.W, bn.hidden(l).linear.W) << "layer " << l;
    EXPECT_GT(plain.hidden(l).linear.W.norm(), 0.0f);
  }
  EXPECT_EQ(plain.output().W, bn.output().W);
  EXPECT_FALSE(bn.hidden(0).linear.has_bias());  // bias before BN is off by default
  EXPECT_TRUE(plain.hidden(0).linear.has_bias());
}

// A construction another thread cancels leaves nothing behind; one that is not cancelled is
// the same as one without a flag.
TEST(TwinTrainer, ACancelledConstructionThrowsAndAnUncancelledOneIsUnchanged) {
  auto data = Spiral();
  std::atomic<bool> cancel{true};
  EXPECT_THROW(TwinTrainer(data, SmallConfig(*data), &cancel), BuildCancelled);
  cancel = false;
  TwinTrainer flagged(data, SmallConfig(*data), &cancel);
  TwinTrainer plain(data, SmallConfig(*data));
  for (NetId id : kNets) {
    for (int l = 0; l < plain.net(id).num_hidden(); ++l) {
      EXPECT_EQ(flagged.net(id).hidden(l).linear.W, plain.net(id).hidden(l).linear.W) << "layer " << l;
    }
  }
}

TEST(TwinTrainer, BatchesAreShuffledEpochsOfTheTrainingSet) {
  auto data = Spiral();
  TrainConfig config = SmallConfig(*data);
  config.batch_size = 100;
  TwinTrainer trainer(data, config);
  std::vector<int> seen(static_cast<std::size_t>(data->train_size()), 0);
  for (int step = 0; step < data->train_size() / 100; ++step) {  // exactly one epoch
    trainer.Step();
    for (int index : trainer.batch_indices()) ++seen[static_cast<std::size_t>(index)];
  }
  for (int count : seen) EXPECT_EQ(count, 1);
  EXPECT_EQ(trainer.epoch(), 0);
}

TEST(TwinTrainer, SameConfigAndSeedAreBitIdentical) {
  auto data = Spiral();
  const TrainConfig config = SmallConfig(*data);
  TwinTrainer a(data, config), b(data, config);
  for (int step = 0; step < 120; ++step) {
    a.Step();
    b.Step();
    ASSERT_EQ(a.batch_indices(), b.batch_indices());
    for (NetId id : kNets) ASSERT_EQ(a.last_step(id).loss, b.last_step(id).loss) << "step " << step;
  }
  for (NetId id : kNets) {
    EXPECT_EQ(a.net(id).hidden(1).linear.W, b.net(id).hidden(1).linear.W);
    EXPECT_EQ(a.Evaluate(id).loss, b.Evaluate(id).loss);
  }
  TrainConfig other = config;
  other.seed = config.seed + 1;
  TwinTrainer c(data, other);
  c.Step();
  EXPECT_NE(c.net(NetId::kLeft).hidden(0).linear.W, a.net(NetId::kLeft).hidden(0).linear.W);
}

TEST(TwinTrainer, LearningRateAndBatchSizeChangeLiveWithoutReset) {
  auto data = Spiral();
  TwinTrainer trainer(data, SmallConfig(*data));
  for (int step = 0; step < 50; ++step) trainer.Step();
  const Matrix before = trainer.net(NetId::kRight).hidden(0).linear.W;
  trainer.SetBatchSize(7);
  trainer.SetLearningRate(0.05);
  trainer.Step();
  EXPECT_EQ(trainer.step(), 51);
  EXPECT_EQ(trainer.batch_indices().size(), 7u);
  EXPECT_EQ(trainer.config().optimizer.learning_rate, 0.05);
  // The step moved the weights a little from where they were, not back to a fresh start.
  const Matrix& after = trainer.net(NetId::kRight).hidden(0).linear.W;
  EXPECT_GT((after - before).norm(), 0.0f);
  EXPECT_LT((after - before).norm(), 0.1f * before.norm());
}

TEST(TwinTrainer, ADivergedNetStopsAndTheOtherGoesOn) {
  auto data = Spiral();
  TwinTrainer trainer(data, SmallConfig(*data));
  trainer.Step();
  // A weight gone non-finite makes the loss NaN, as a blown-up step would.
  trainer.net(NetId::kLeft).hidden(1).linear.W(0, 0) = std::numeric_limits<Scalar>::quiet_NaN();
  trainer.Step();
  EXPECT_TRUE(trainer.diverged(NetId::kLeft));
  EXPECT_FALSE(std::isfinite(trainer.last_step(NetId::kLeft).loss));
  const Matrix frozen = trainer.net(NetId::kLeft).hidden(0).linear.W;
  for (int step = 0; step < 20; ++step) trainer.Step();
  EXPECT_EQ(trainer.net(NetId::kLeft).hidden(0).linear.W, frozen);  // it stopped stepping
  EXPECT_FALSE(trainer.diverged(NetId::kRight));
  EXPECT_TRUE(std::isfinite(trainer.last_step(NetId::kRight).loss));
  EXPECT_EQ(trainer.step(), 22);
}

TEST(TwinTrainer, AHugeLearningRateDivergesThePlainReluNet) {
  auto data = Spiral();
  TrainConfig config = SmallConfig(*data);
  config.net.activation = ActivationKind::kRelu;
  config.net.init_scale = 3.0;
  config.optimizer.learning_rate = 50.0;
  TwinTrainer trainer(data, config);
  for (int step = 0; step < 200 && !trainer.diverged(NetId::kLeft); ++step) trainer.Step();
  EXPECT_TRUE(trainer.diverged(NetId::kLeft));
}

TEST(TwinTrainer, BothNetsLearnTheSpiral) {
  auto data = Spiral();
  TrainConfig config = SmallConfig(*data);
  config.optimizer.learning_rate = 0.1;
  config.optimizer.momentum = 0.9;
  config.net.init = InitKind::kXavier;
  config.net.init_scale = 1.0;
  config.net.activation = ActivationKind::kTanh;
  TwinTrainer trainer(data, config);
  for (int step = 0; step < 4000; ++step) trainer.Step();
  for (NetId id : kNets) {
    const TestResult result = trainer.Evaluate(id);
    EXPECT_GE(result.accuracy, 0.95) << NetName(id);
  }
}

TEST(TwinTrainer, ProbesReportHistogramsPercentilesAndGradients) {
  auto data = Spiral();
  TwinTrainer trainer(data, SmallConfig(*data));
  for (int step = 0; step < 5; ++step) trainer.Step();
  for (NetId id : kNets) {
    const NetProbe probe = trainer.Probe(id);
    EXPECT_EQ(probe.step, 5);
    ASSERT_EQ(probe.layers.size(), 3u);
    for (const LayerProbe& layer : probe.layers) {
      double total = 0.0;
      for (float f : layer.z_hist.fractions) total += f;
      EXPECT_NEAR(total, 1.0, 1e-4);
      EXPECT_LE(layer.unit_p15, layer.unit_p50);
      EXPECT_LE(layer.unit_p50, layer.unit_p85);
      EXPECT_GE(layer.saturated_share, 0.0);
      EXPECT_LE(layer.saturated_share, 1.0);
      EXPECT_GT(layer.grad_norm, 0.0);
      EXPECT_GT(layer.update_ratio, 0.0);
    }
  }
  // The BN net's sigmoid inputs are standardized over the probe batch: mean 0, std ~1 (γ=1, β=0 at start).
  TwinTrainer fresh(data, SmallConfig(*data));
  const NetProbe bn_probe = fresh.Probe(NetId::kRight);
  for (const LayerProbe& layer : bn_probe.layers) {
    EXPECT_NEAR(layer.z_mean, 0.0, 1e-4);
    EXPECT_NEAR(layer.z_std, 1.0, 1e-2);
  }
}

TEST(TwinTrainer, LargeInitSaturatesThePlainSigmoidsButNotBn) {
  auto data = Spiral();
  TrainConfig config = SmallConfig(*data);
  config.net.init_scale = 4.0;
  TwinTrainer trainer(data, config);
  trainer.Step();
  const NetProbe plain = trainer.Probe(NetId::kLeft);
  const NetProbe bn = trainer.Probe(NetId::kRight);
  for (std::size_t l = 1; l < plain.layers.size(); ++l) {
    EXPECT_GT(plain.layers[l].saturated_share, 0.5) << "layer " << l;
    EXPECT_LT(bn.layers[l].saturated_share, 0.01) << "layer " << l;
  }
}

TEST(TwinTrainer, PopulationAndRunningEvaluationAgreeAfterTraining) {
  auto data = Spiral();
  TrainConfig config = SmallConfig(*data);
  TwinTrainer trainer(data, config);
  for (int step = 0; step < 1500; ++step) trainer.Step();
  const TestResult running = trainer.Evaluate(NetId::kRight);
  trainer.SetEvalStats(EvalStats::kPopulation);
  const TestResult population = trainer.Evaluate(NetId::kRight);
  EXPECT_TRUE(trainer.net(NetId::kRight).has_population_stats());
  EXPECT_NEAR(running.accuracy, population.accuracy, 0.05);
  EXPECT_NE(running.loss, population.loss);  // different statistics, so not bit-equal
}

TEST(TwinTrainer, ABatchLargerThanTheTrainingSetIsAnErrorNotASilentClamp) {
  auto data = Spiral();
  TrainConfig config = SmallConfig(*data);
  config.batch_size = data->train_size() + 1;
  try {
    TwinTrainer trainer(data, config);
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("larger than the training set"), std::string::npos) << e.what();
  }
  // A live change (the GUI's slider) takes the whole set, and the config shows it.
  config.batch_size = 32;
  TwinTrainer trainer(data, config);
  trainer.SetBatchSize(100000);
  trainer.Step();
  EXPECT_EQ(trainer.config().batch_size, data->train_size());
}

TEST(ValidateConfig, RejectsOutOfRangeValuesByName) {
  TrainConfig config;
  config.batch_size = -5;
  try {
    ValidateConfig(config);
    FAIL() << "expected invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("batch"), std::string::npos) << e.what();
  }
  config = TrainConfig();
  config.optimizer.learning_rate = 0.0;
  EXPECT_THROW(ValidateConfig(config), std::invalid_argument);
  config = TrainConfig();
  config.net.hidden = {100, 0};
  EXPECT_THROW(ValidateConfig(config), std::invalid_argument);
}

TEST(TwinTrainer, ParallelStepsAreBitIdenticalToOneThread) {
  auto data = Spiral();
  TrainConfig config = SmallConfig(*data);
  TwinTrainer one(data, config);
  TwinTrainer two(data, config);
  two.SetParallel(true);
  EXPECT_TRUE(two.parallel());
  for (int step = 0; step < 300; ++step) {
    if (step == 150) {  // live changes apply the same way
      one.SetBatchSize(7);
      two.SetBatchSize(7);
    }
    one.Step();
    two.Step();
    // The second thread gathers each next batch ahead: the batches and epochs stay the same.
    ASSERT_EQ(one.batch_indices(), two.batch_indices()) << "step " << step;
    ASSERT_EQ(one.epoch(), two.epoch()) << "step " << step;
    for (NetId id : kNets) ASSERT_EQ(one.last_step(id).loss, two.last_step(id).loss) << "step " << step;
  }
  for (NetId id : kNets) {
    for (int l = 0; l < one.net(id).num_hidden(); ++l) {
      EXPECT_EQ(one.net(id).hidden(l).linear.W, two.net(id).hidden(l).linear.W);
      const auto* bn_one = std::get_if<BatchNorm<Scalar>>(&one.net(id).hidden(l).norm);
      const auto* bn_two = std::get_if<BatchNorm<Scalar>>(&two.net(id).hidden(l).norm);
      ASSERT_EQ(bn_one == nullptr, bn_two == nullptr);
      if (bn_one != nullptr) {
        EXPECT_EQ(bn_one->running_var, bn_two->running_var);
      }
    }
    EXPECT_EQ(one.net(id).output().W, two.net(id).output().W);
  }
  two.SetParallel(false);
  EXPECT_FALSE(two.parallel());
  two.Step();  // and back on one thread
}

TEST(TwinTrainer, ParallelStepsStillCallTheObserverForBothNets) {
  auto data = Spiral();
  TwinTrainer trainer(data, SmallConfig(*data));
  trainer.SetParallel(true);
  std::atomic<int> plain{0}, bn{0};
  trainer.SetStepObserver([&](NetId id, const Network<Scalar>&) { (id == NetId::kRight ? bn : plain)++; });
  for (int step = 0; step < 10; ++step) trainer.Step();
  EXPECT_EQ(plain.load(), 10);
  EXPECT_EQ(bn.load(), 10);
}

}  // namespace
}  // namespace bnlab
