// The live verdicts: each sentence says what the snapshot's numbers say, and waits for them.
#include "session/verdict.h"

#include <gtest/gtest.h>

#include <string>

namespace bnlab {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Snapshot WithTests(double plain, double bn) {
  Snapshot snapshot;
  snapshot.step = 1000;
  for (NetId id : kNets) {
    NetView& view = snapshot.nets[static_cast<std::size_t>(id)];
    view.has_test = true;
    view.test.accuracy = id == NetId::kLeft ? plain : bn;
    view.test_accuracy.Add(1000.0, view.test.accuracy);
  }
  return snapshot;
}

TEST(Verdict, AccuracySaysWhoLeadsByHowManyPoints) {
  VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.60, 0.81));
  EXPECT_TRUE(verdict.ready);
  EXPECT_TRUE(Contains(verdict.text, "BN ahead by 21 points")) << verdict.text;
  EXPECT_TRUE(Contains(verdict.text, "BN 81%, Plain 60%")) << verdict.text;
  EXPECT_TRUE(Contains(verdict.text, "step 1 000")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.80, 0.77));
  EXPECT_TRUE(Contains(verdict.text, "Plain ahead by 3 points")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.801, 0.797));
  EXPECT_TRUE(Contains(verdict.text, "Level")) << verdict.text;
}

TEST(Verdict, AccuracyWaitsForTheFirstTestAndNamesADivergedNet) {
  Snapshot snapshot;
  EXPECT_FALSE(ComputeVerdict(Verdict::kAccuracy, snapshot).ready);
  snapshot = WithTests(0.1, 0.85);
  snapshot.nets[0].diverged = true;
  snapshot.nets[0].diverged_at = 1234;
  const VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "Plain diverged at step 1 234; BN at 85% test accuracy")) << verdict.text;
}

Snapshot WithProbes(const std::vector<double>& plain_share, const std::vector<double>& bn_share,
                    const std::vector<double>& plain_grad, const std::vector<double>& bn_grad) {
  Snapshot snapshot;
  snapshot.step = 50;
  for (NetId id : kNets) {
    NetView& view = snapshot.nets[static_cast<std::size_t>(id)];
    view.has_probe = true;
    const bool plain = id == NetId::kLeft;
    for (std::size_t l = 0; l < plain_share.size(); ++l) {
      LayerProbe layer;
      layer.saturated_share = plain ? plain_share[l] : bn_share[l];
      layer.grad_norm = plain ? plain_grad[l] : bn_grad[l];
      view.probe.layers.push_back(layer);
    }
  }
  return snapshot;
}

TEST(Verdict, SaturationNamesThePlainNetsMostSaturatedLayer) {
  const Snapshot snapshot = WithProbes({0.2, 0.97, 0.5}, {0.01, 0.02, 0.0}, {1, 1, 1}, {1, 1, 1});
  const VerdictText verdict = ComputeVerdict(Verdict::kSaturation, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "Layer 2: 97% of Plain's sigmoid inputs saturated, 2% of BN's")) << verdict.text;
}

TEST(Verdict, GradientsCompareTheFirstLayerWithTheLast) {
  const Snapshot snapshot = WithProbes({0, 0, 0}, {0, 0, 0}, {0.02, 0.1, 0.28}, {0.5, 0.4, 0.4});
  const VerdictText verdict = ComputeVerdict(Verdict::kGradients, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "layer 1 against layer 3: 14× smaller in Plain, 1.2× larger in BN"))
      << verdict.text;
}

TEST(Verdict, BiasBeforeBnIsExactlyZeroOrItsSize) {
  Snapshot snapshot = WithProbes({0, 0}, {0, 0}, {1, 1}, {1, 1});
  EXPECT_TRUE(Contains(ComputeVerdict(Verdict::kBias, snapshot).text, "Neither net has a bias before BN"));
  snapshot.config.net.bias_before_bn = true;
  for (LayerProbe& layer : snapshot.nets[1].probe.layers) layer.bias_grad_norm = 0.0;
  EXPECT_TRUE(Contains(ComputeVerdict(Verdict::kBias, snapshot).text, "exactly 0"));
  snapshot.nets[1].probe.layers[1].bias_grad_norm = 3e-9;  // the weights' gradients are 1
  std::string text = ComputeVerdict(Verdict::kBias, snapshot).text;
  EXPECT_TRUE(Contains(text, "zero up to float rounding (largest 3.0e-09")) << text;
  snapshot.nets[1].probe.layers[1].bias_grad_norm = 0.2;
  text = ComputeVerdict(Verdict::kBias, snapshot).text;
  EXPECT_TRUE(Contains(text, "not zero")) << text;
}

TEST(Verdict, InsideBnComputesTheMomentsOfXNorm) {
  Snapshot snapshot;
  EXPECT_FALSE(ComputeVerdict(Verdict::kInsideBn, snapshot).ready);
  snapshot.inside.has_record = true;
  snapshot.inside.step = 7;
  snapshot.inside.record.x_hat = {-1.0f, 1.0f, -1.0f, 1.0f};
  const VerdictText verdict = ComputeVerdict(Verdict::kInsideBn, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "batch of 4: mean 0.000, variance 1.000")) << verdict.text;
}

TEST(Verdict, TestTimeListsTheThreeStatistics) {
  Snapshot snapshot;
  snapshot.config.batch_size = 8;
  EXPECT_FALSE(ComputeVerdict(Verdict::kTestTime, snapshot).ready);
  // A running figure newer than the population one is not compared with it: the three are
  // measured together.
  snapshot.test_time.test_acc_running.Add(900, 0.5);
  EXPECT_FALSE(ComputeVerdict(Verdict::kTestTime, snapshot).ready);
  snapshot.test_time.modes_step = 100;
  snapshot.test_time.acc_running = 0.801;
  snapshot.test_time.acc_population = 0.803;
  snapshot.test_time.acc_batch = 0.76;
  const VerdictText verdict = ComputeVerdict(Verdict::kTestTime, snapshot);
  EXPECT_TRUE(Contains(verdict.text,
                       "at step 100: running statistics 80.1%, population 80.3%, its own test batches of 8: 76.0%"))
      << verdict.text;
}

TEST(Verdict, ColumnsAreNamedByTheirVariants) {
  Snapshot snapshot = WithTests(0.79, 0.12);
  snapshot.config.left = Variant::kLayerNorm;
  snapshot.config.right = Variant::kBn;
  const VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "LayerNorm ahead by 67 points: BN 12%, LayerNorm 79%")) << verdict.text;
}

TEST(Verdict, LossDifferenceIsTheLargestGapAtTheSameSteps) {
  Snapshot snapshot;
  EXPECT_FALSE(ComputeVerdict(Verdict::kLossDifference, snapshot).ready);
  for (int step = 1; step <= 100; ++step) {
    snapshot.nets[0].train_loss.Add(step, 2.0 - 0.01 * step);
    snapshot.nets[1].train_loss.Add(step, 2.0 - 0.01 * step + (step == 40 ? 3e-7 : 0.0));
  }
  std::string text = ComputeVerdict(Verdict::kLossDifference, snapshot).text;
  EXPECT_TRUE(Contains(text, "over 100 steps")) << text;
  EXPECT_TRUE(Contains(text, "(at step 40): the curves coincide")) << text;
  snapshot.nets[1].train_loss.Add(101, 5.0);
  snapshot.nets[0].train_loss.Add(101, 1.0);
  text = ComputeVerdict(Verdict::kLossDifference, snapshot).text;
  EXPECT_TRUE(Contains(text, "4.0e+00 (at step 101)")) << text;
  EXPECT_FALSE(Contains(text, "coincide")) << text;
}

TEST(Verdict, NoneSaysNothing) { EXPECT_TRUE(ComputeVerdict(Verdict::kNone, Snapshot()).text.empty()); }

TEST(Verdict, GroupedSteps) {
  EXPECT_EQ(GroupedSteps(0), "0");
  EXPECT_EQ(GroupedSteps(999), "999");
  EXPECT_EQ(GroupedSteps(1000), "1 000");
  EXPECT_EQ(GroupedSteps(1234567), "1 234 567");
}

}  // namespace
}  // namespace bnlab
