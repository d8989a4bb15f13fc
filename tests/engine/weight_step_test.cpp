// The training step's fused weight update (Network::BackwardWithWeightStep): the same
// parameters as Backward + SgdStep, the same dW when asked for afterwards, and no dW for a step
// whose caches a later forward pass overwrote. The trainer's probes see the step's dW.
#include "engine/network.h"
#include "engine/trainer.h"

#include "finite_difference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <variant>
#include <vector>

namespace bnlab {
namespace {

using testing_fd::Md;
using testing_fd::RandomMatrix;

using NetD = Network<double>;

NetConfig SmallNet(NormKind norm, Placement placement) {
  NetConfig config;
  config.input_size = 6;
  config.num_classes = 3;
  config.hidden = {5, 4};
  config.norm = norm;
  config.placement = placement;
  return config;
}

// Every Linear's dW, hidden layers first.
std::vector<Md> WeightGradients(const NetD& net) {
  std::vector<Md> grads;
  for (int l = 0; l < net.num_hidden(); ++l) grads.push_back(net.hidden(l).linear.dW);
  grads.push_back(net.output().dW);
  return grads;
}

double MaxDifference(const NetD& a, const NetD& b) {
  double most = 0.0;
  auto take = [&most](const auto& x, const auto& y) {
    ASSERT_EQ(x.size(), y.size());
    if (x.size() > 0) most = std::max(most, (x - y).cwiseAbs().maxCoeff());
  };
  for (int l = 0; l < a.num_hidden(); ++l) {
    const HiddenLayer<double>& p = a.hidden(l);
    const HiddenLayer<double>& q = b.hidden(l);
    take(p.linear.W, q.linear.W);
    take(p.linear.b, q.linear.b);
    take(p.velocity_W, q.velocity_W);
    std::visit(
        [&](const auto& norm) {
          const auto* other = std::get_if<NormType<decltype(norm)>>(&q.norm);
          ASSERT_NE(other, nullptr) << "the same normalization";
          take(norm.gamma, other->gamma);
          take(norm.beta, other->beta);
          if constexpr (NormType<decltype(norm)>::kUsesBatchStatistics) {
            take(norm.RunningMean(), other->RunningMean());
          }
        },
        p.norm);
  }
  take(a.output().W, b.output().W);
  take(a.output().b, b.output().b);
  return most;
}

TEST(WeightStep, TheFusedStepMovesEveryParameterAsBackwardThenSgdDoes) {
  struct Optimizer {
    double momentum, decay;
  };
  for (std::size_t kind = 0; kind < kNormKinds; ++kind) {  // every type of NormLayer's table
    const auto norm = static_cast<NormKind>(kind);
    for (Placement placement : {Placement::kBefore, Placement::kAfter}) {
      for (Optimizer o : {Optimizer{0.0, 0.0}, Optimizer{0.9, 0.0}, Optimizer{0.0, 0.01}, Optimizer{0.9, 0.01}}) {
        const std::string at = "norm " + std::to_string(static_cast<int>(norm)) + " placement " +
                               std::to_string(static_cast<int>(placement)) + " momentum " + std::to_string(o.momentum) +
                               " decay " + std::to_string(o.decay);
        OptimizerConfig optimizer;
        optimizer.learning_rate = 0.3;
        optimizer.momentum = o.momentum;
        optimizer.weight_decay = o.decay;
        NetD stored(SmallNet(norm, placement));
        Rng rng(11);
        stored.InitWeights(rng);
        NetD fused = stored;
        const Labels labels = {0, 1, 2, 1, 0, 2, 2, 1};
        for (int step = 0; step < 4; ++step) {
          const Md x = RandomMatrix(6, 8, rng);
          stored.ForwardTrain(x, labels.data(), nullptr);
          stored.Backward(x, labels.data());
          fused.ForwardTrain(x, labels.data(), nullptr);
          fused.BackwardWithWeightStep(x, labels.data(), optimizer);
          // The dW the fused step never stored, recomputed from its workspace.
          fused.RecomputeWeightGradients(x);
          const std::vector<Md> want = WeightGradients(stored);
          const std::vector<Md> got = WeightGradients(fused);
          for (std::size_t k = 0; k < want.size(); ++k) {
            EXPECT_LT((want[k] - got[k]).cwiseAbs().maxCoeff(), 1e-12) << at << " step " << step << " dW " << k;
          }
          for (NetD* net : {&stored, &fused}) {
            net->UpdateRunningStats(8);
            net->SgdStep(optimizer);
          }
          EXPECT_LT(MaxDifference(stored, fused), 1e-12) << at << " step " << step;
          EXPECT_NEAR(stored.UpdateRatio(0), fused.UpdateRatio(0), 1e-12) << at;
        }
        EXPECT_GT(MaxDifference(stored, NetD(SmallNet(norm, placement))), 1e-3) << at << ": the nets did move";
      }
    }
  }
}

TEST(WeightStep, AForwardPassAfterTheFusedStepLeavesThatStepWithoutWeightGradients) {
  NetD net(SmallNet(KindOf<BatchNorm>(), Placement::kBefore));
  Rng rng(5);
  net.InitWeights(rng);
  const Labels labels = {0, 1, 2, 1};
  const Md x = RandomMatrix(6, 4, rng);
  OptimizerConfig optimizer;
  net.ForwardTrain(x, labels.data(), nullptr);
  net.BackwardWithWeightStep(x, labels.data(), optimizer);
  net.SgdStep(optimizer);
  // A step that diverged stops after its forward pass, which overwrote the caches.
  net.ForwardTrain(x, labels.data(), nullptr);
  net.RecomputeWeightGradients(x);
  for (const Md& dW : WeightGradients(net)) EXPECT_TRUE(dW.array().isNaN().all());

  // After Backward the stored dW stand; recomputing changes nothing.
  net.Backward(x, labels.data());
  const std::vector<Md> stored = WeightGradients(net);
  net.RecomputeWeightGradients(RandomMatrix(6, 4, rng));
  const std::vector<Md> after = WeightGradients(net);
  for (std::size_t k = 0; k < stored.size(); ++k) EXPECT_EQ(stored[k], after[k]) << "dW " << k;
}

std::shared_ptr<const Dataset> SmallSpiral() {
  SyntheticOptions options;
  options.kind = SyntheticKind::kSpiral;
  options.train_size = 600;
  options.test_size = 100;
  options.classes = 3;
  options.seed = 4;
  return std::make_shared<const Dataset>(MakeSynthetic(options));
}

TEST(WeightStep, ProbesShowTheLastStepsGradientsAlsoAfterTheBatchSizeChanged) {
  const auto data = SmallSpiral();
  TrainConfig config;
  config.net.hidden = {16, 16};
  config.batch_size = 24;
  FitNetToData(*data, &config.net);
  TwinTrainer probed(data, config);
  TwinTrainer resized(data, config);
  for (int step = 0; step < 5; ++step) {
    probed.Step();
    resized.Step();
  }
  // The step's batch is replaced by one of another shape before the probe asks for its dW.
  resized.SetBatchSize(7);
  for (NetId id : kNets) {
    const NetProbe want = probed.Probe(id);
    const NetProbe got = resized.Probe(id);
    ASSERT_EQ(want.layers.size(), got.layers.size());
    for (std::size_t l = 0; l < want.layers.size(); ++l) {
      EXPECT_GT(want.layers[l].grad_norm, 0.0) << "layer " << l;
      EXPECT_EQ(want.layers[l].grad_norm, got.layers[l].grad_norm) << "layer " << l;
      EXPECT_EQ(want.layers[l].update_ratio, got.layers[l].update_ratio) << "layer " << l;
    }
  }
}

}  // namespace
}  // namespace bnlab
