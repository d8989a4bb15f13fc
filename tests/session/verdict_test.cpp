// The live verdicts: each sentence says what the snapshot's numbers say, and waits for them.
#include "session/verdict.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

namespace bnlab {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Test passes every 100 steps up to step 1 000 that end at `plain` and `bn` and jitter by
// ±`jitter` before (each net's RecentSpread is then √2·jitter over its last six passes).
Snapshot WithTests(double plain, double bn, double jitter = 0.005) {
  Snapshot snapshot;
  snapshot.step = 1000;
  for (NetId id : kNets) {
    NetView& view = snapshot.nets[static_cast<std::size_t>(id)];
    view.has_test = true;
    view.test.accuracy = id == NetId::kLeft ? plain : bn;
    for (int pass = 1; pass < 10; ++pass) {
      view.test_accuracy.Add(100.0 * pass, view.test.accuracy + (pass % 2 == 0 ? jitter : -jitter));
    }
    view.test_accuracy.Add(1000.0, view.test.accuracy);
  }
  return snapshot;
}

TEST(Verdict, AccuracySaysWhoLeadsByHowManyPoints) {
  VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.60, 0.81));
  EXPECT_TRUE(verdict.ready);
  EXPECT_TRUE(Contains(verdict.text, "BN ahead by 21 points")) << verdict.text;
  EXPECT_TRUE(Contains(verdict.text, "BN 81%, Plain 60%")) << verdict.text;
  EXPECT_TRUE(Contains(verdict.text, "step 1\u202f000")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.80, 0.77));
  // The leader's figure comes first, whichever column it is in.
  EXPECT_TRUE(Contains(verdict.text, "Plain ahead by 3 points: Plain 80%, BN 77%")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.801, 0.797));
  EXPECT_TRUE(Contains(verdict.text, "About the same")) << verdict.text;
}

// The gap is that of the figures as printed: 86.4% and 83.6% print as 86% and 84%, so the
// lead is 2 points, not the unrounded 2.8 rounded to 3.
TEST(Verdict, AccuracyGapIsThatOfThePrintedFigures) {
  const VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.836, 0.864));
  EXPECT_TRUE(Contains(verdict.text, "BN ahead by 2 points: BN 86%, Plain 84%")) << verdict.text;
}

// A lead is called one only when it is larger than the spread of the last test passes.
TEST(Verdict, AccuracyWithinTheNoiseIsAboutTheSame) {
  // Both nets near chance, each jumping by ±2 points between passes: 13% against 11% is noise.
  VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.11, 0.13, 0.02));
  EXPECT_TRUE(Contains(verdict.text, "About the same")) << verdict.text;
  EXPECT_TRUE(Contains(verdict.text, "BN 13%, Plain 11%")) << verdict.text;
  EXPECT_FALSE(Contains(verdict.text, "ahead")) << verdict.text;
  // The same 2 points with passes that move by ±0.5 point: a lead.
  verdict = ComputeVerdict(Verdict::kAccuracy, WithTests(0.11, 0.13, 0.005));
  EXPECT_TRUE(Contains(verdict.text, "BN ahead by 2 points")) << verdict.text;
  // One test pass each: too few to tell a lead from noise, however large it looks.
  Snapshot first;
  first.step = 25;
  for (NetId id : kNets) {
    NetView& view = first.nets[static_cast<std::size_t>(id)];
    view.has_test = true;
    view.test.accuracy = id == NetId::kLeft ? 0.10 : 0.40;
    view.test_accuracy.Add(25.0, view.test.accuracy);
  }
  verdict = ComputeVerdict(Verdict::kAccuracy, first);
  EXPECT_TRUE(Contains(verdict.text, "Too early to call a lead (too few test passes to tell one from noise): "))
      << verdict.text;
  EXPECT_FALSE(Contains(verdict.text, "About the same")) << verdict.text;
}

TEST(Verdict, DifferRule) {
  EXPECT_FALSE(Differ(13.0, 11.0, 2.0));  // exactly the spread: not more than the noise
  EXPECT_TRUE(Differ(13.0, 11.0, 1.99));
  EXPECT_TRUE(Differ(11.0, 13.0, 1.99));  // either way round
  EXPECT_FALSE(Differ(5.0, 5.0, 0.0));
  EXPECT_FALSE(Differ(90.0, 10.0, HUGE_VAL));  // unknown spread: no claim
  EXPECT_FALSE(Differ(std::nan(""), 1.0, 0.1));
  History steady;
  EXPECT_EQ(RecentSpread(steady), HUGE_VAL);
  steady.Add(1, 0.5);
  steady.Add(2, 0.5);
  EXPECT_EQ(RecentSpread(steady), HUGE_VAL);  // two measurements: too few
  steady.Add(3, 0.5);
  EXPECT_EQ(RecentSpread(steady), 0.0);
  History trend;  // a straight climb has no noise in its changes beyond the climb itself
  for (int i = 0; i < 10; ++i) trend.Add(i, 0.1 * i);
  EXPECT_NEAR(RecentSpread(trend), 0.1 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(SpreadOfDifference(3.0, 4.0), 5.0, 1e-12);
}

TEST(Verdict, RatiosKeepTheDigitsThatMakeThemTrue) {
  EXPECT_EQ(RatioText(1.02), "1.02× larger");
  EXPECT_EQ(RatioText(1.0 / 1.02), "1.02× smaller");
  EXPECT_EQ(RatioText(1.2), "1.2× larger");
  EXPECT_EQ(RatioText(14.3), "14× larger");
  EXPECT_EQ(RatioText(9.96), "10× larger");
  EXPECT_EQ(RatioText(0.0), "not comparable");
}

TEST(Verdict, AccuracyWaitsForTheFirstTestAndNamesADivergedNet) {
  Snapshot snapshot;
  EXPECT_FALSE(ComputeVerdict(Verdict::kAccuracy, snapshot).ready);
  snapshot = WithTests(0.1, 0.85);
  snapshot.nets[0].diverged = true;
  snapshot.nets[0].diverged_at = 1234;
  const VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "Plain diverged at step 1\u202f234; BN at 85% test accuracy")) << verdict.text;
}

// Probes whose last six measurements of each layer jitter around the given figures: the saturated
// share by ±`share_jitter` (absolute), ‖dW‖ by a factor 1 ± `grad_jitter`. Each net's RecentSpread is
// then √2 times the jitter, and that of a difference of two figures 2 times it.
Snapshot WithProbes(const std::vector<double>& plain_share, const std::vector<double>& bn_share,
                    const std::vector<double>& plain_grad, const std::vector<double>& bn_grad,
                    double share_jitter = 0.005, double grad_jitter = 0.05) {
  Snapshot snapshot;
  snapshot.step = 50;
  for (NetId id : kNets) {
    NetView& view = snapshot.nets[static_cast<std::size_t>(id)];
    view.has_probe = true;
    const bool plain = id == NetId::kLeft;
    view.layers.resize(plain_share.size());
    for (std::size_t l = 0; l < plain_share.size(); ++l) {
      LayerProbe layer;
      layer.saturated_share = plain ? plain_share[l] : bn_share[l];
      layer.grad_norm = plain ? plain_grad[l] : bn_grad[l];
      view.probe.layers.push_back(layer);
      for (int probe = 0; probe < 6; ++probe) {
        const double sign = probe % 2 == 0 ? 1.0 : -1.0;
        view.layers[l].saturated.Add(10.0 * probe, layer.saturated_share + sign * share_jitter);
        view.layers[l].grad_norm.Add(10.0 * probe, layer.grad_norm * (1.0 + sign * grad_jitter));
      }
    }
  }
  return snapshot;
}

TEST(Verdict, SaturationNamesThePlainNetsMostSaturatedLayer) {
  const Snapshot snapshot = WithProbes({0.2, 0.97, 0.5}, {0.01, 0.02, 0.0}, {1, 1, 1}, {1, 1, 1});
  const VerdictText verdict = ComputeVerdict(Verdict::kSaturation, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "Layer 2: 97% of Plain's sigmoid inputs saturated, 2% of BN's")) << verdict.text;
  EXPECT_FALSE(Contains(verdict.text, "about the same")) << verdict.text;
}

// 13% against 11% is a difference when the shares move by ±0.5 point (spread of the difference 1
// point), about the same when they move by ±1.2 points (spread 2.4 points: more than the gap).
TEST(Verdict, SaturationWithinTheNoiseIsAboutTheSame) {
  VerdictText verdict = ComputeVerdict(Verdict::kSaturation, WithProbes({0.13}, {0.11}, {1}, {1}, 0.005));
  EXPECT_TRUE(Contains(verdict.text, "Layer 1: 13% of Plain's sigmoid inputs saturated, 11% of BN's")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kSaturation, WithProbes({0.13}, {0.11}, {1}, {1}, 0.012));
  EXPECT_TRUE(Contains(verdict.text,
                       "Layer 1: about the same (within the last probes' spread, 2.4 points): 13% of "
                       "Plain's sigmoid inputs saturated, 11% of BN's"))
      << verdict.text;
  // No history yet: no claim either way.
  Snapshot first = WithProbes({0.9}, {0.0}, {1}, {1});
  for (NetView& view : first.nets) view.layers.clear();
  verdict = ComputeVerdict(Verdict::kSaturation, first);
  EXPECT_TRUE(Contains(verdict.text,
                       "Layer 1: too early to compare (too few probes to tell a difference from noise): "
                       "90% of Plain's sigmoid inputs saturated, 0% of BN's"))
      << verdict.text;
}

TEST(Verdict, GradientsCompareTheFirstLayerWithTheLast) {
  const Snapshot snapshot = WithProbes({0, 0, 0}, {0, 0, 0}, {0.02, 0.1, 0.28}, {0.5, 0.4, 0.4});
  const VerdictText verdict = ComputeVerdict(Verdict::kGradients, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "layer 1 against layer 3: 14× smaller in Plain, 1.2× larger in BN"))
      << verdict.text;
}

// BN's layer 1 at 0.42 against its layer 3 at 0.40, each moving by ±5% between probes (spread of
// the difference about 0.04): about the same, with the ratio still given. At 0.5 against 0.4 it is
// a difference.
TEST(Verdict, GradientsWithinTheNoiseAreAboutTheSame) {
  VerdictText verdict =
      ComputeVerdict(Verdict::kGradients, WithProbes({0, 0, 0}, {0, 0, 0}, {0.02, 0.1, 0.28}, {0.42, 0.4, 0.4}));
  EXPECT_TRUE(Contains(verdict.text,
                       "14× smaller in Plain, about the same in BN (1.05× larger, within the last "
                       "probes' noise)"))
      << verdict.text;
  // Steadier probes (±1%): the same 5% is now more than the noise.
  verdict = ComputeVerdict(Verdict::kGradients,
                           WithProbes({0, 0, 0}, {0, 0, 0}, {0.02, 0.1, 0.28}, {0.42, 0.4, 0.4}, 0.005, 0.01));
  EXPECT_TRUE(Contains(verdict.text, "1.05× larger in BN")) << verdict.text;
  // No probe history yet: the ratios as measured, and no claim that they are the same.
  Snapshot first = WithProbes({0, 0, 0}, {0, 0, 0}, {0.02, 0.1, 0.28}, {0.42, 0.4, 0.4});
  for (NetView& view : first.nets) view.layers.clear();
  verdict = ComputeVerdict(Verdict::kGradients, first);
  EXPECT_TRUE(Contains(verdict.text, "1.05× larger in BN (too few probes yet to call it a difference)"))
      << verdict.text;
  EXPECT_FALSE(Contains(verdict.text, "about the same")) << verdict.text;
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

// Population, running and batch accuracies whose last six measurements jitter by ±`jitter`.
Snapshot WithTestTime(double population, double running, double batch, double jitter) {
  Snapshot snapshot;
  snapshot.config.batch_size = 8;
  TestTimeView& t = snapshot.test_time;
  t.modes_step = 100;
  t.acc_population = population, t.acc_running = running, t.acc_batch = batch;
  for (int pass = 0; pass < 6; ++pass) {
    const double sign = pass % 2 == 0 ? 1.0 : -1.0;
    t.test_acc_population.Add(20.0 * pass, population + sign * jitter);
    t.test_acc_running.Add(20.0 * pass, running + sign * jitter);
    t.test_acc_batch.Add(20.0 * pass, batch + sign * jitter);
  }
  return snapshot;
}

TEST(Verdict, TestTimeComparesWithThePopulationStatistics) {
  Snapshot snapshot;
  snapshot.config.batch_size = 8;
  EXPECT_FALSE(ComputeVerdict(Verdict::kTestTime, snapshot).ready);
  // A running figure newer than the population one is not compared with it: the three are
  // measured together.
  snapshot.test_time.test_acc_running.Add(900, 0.5);
  EXPECT_FALSE(ComputeVerdict(Verdict::kTestTime, snapshot).ready);
  // Passes that move by ±0.5 point (spread of a difference 1 point): 0.2 point is the same,
  // 4.3 points are not.
  VerdictText verdict = ComputeVerdict(Verdict::kTestTime, WithTestTime(0.803, 0.801, 0.76, 0.005));
  EXPECT_TRUE(Contains(verdict.text,
                       "at step 100: population statistics 80.3%, running 80.1% (about the same), its "
                       "own test batches of 8: 76.0% (4.3 points lower)"))
      << verdict.text;
  // Steady passes (±0.05 point): the same 0.2 point is now a difference.
  verdict = ComputeVerdict(Verdict::kTestTime, WithTestTime(0.803, 0.801, 0.76, 0.0005));
  EXPECT_TRUE(Contains(verdict.text, "running 80.1% (0.2 points lower)")) << verdict.text;
  // Noisy passes (±3 points): 4.3 points between batch and population is noise.
  verdict = ComputeVerdict(Verdict::kTestTime, WithTestTime(0.803, 0.801, 0.76, 0.03));
  EXPECT_TRUE(Contains(verdict.text, "batches of 8: 76.0% (about the same)")) << verdict.text;
  // Two population passes so far: no comparison, however large the gap.
  snapshot = WithTestTime(0.36, 0.10, 0.34, 0.005);
  snapshot.test_time.test_acc_population = History();
  snapshot.test_time.test_acc_population.Add(0.0, 0.2);
  snapshot.test_time.test_acc_population.Add(16.0, 0.36);
  verdict = ComputeVerdict(Verdict::kTestTime, snapshot);
  EXPECT_TRUE(Contains(verdict.text,
                       "population statistics 36.0%, running 10.0%, its own test batches of 8: 34.0% "
                       "(too few passes yet to call any of them different)"))
      << verdict.text;
}

TEST(Verdict, NoiseSaysItMeasuresWhileItsViewIsOpen) {
  Snapshot snapshot;
  VerdictText verdict = ComputeVerdict(Verdict::kNoise, snapshot);
  EXPECT_FALSE(verdict.ready);
  EXPECT_TRUE(Contains(verdict.text, "Measured while the Batch-size noise view is open")) << verdict.text;
  snapshot.noise.measuring = true;  // the view is open: its sweep is under way
  verdict = ComputeVerdict(Verdict::kNoise, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "Measuring the spread of the batch statistics at each batch size (0 so far)"))
      << verdict.text;
  EXPECT_FALSE(Contains(verdict.text, "Open the")) << verdict.text;
}

// Batch sizes 1, 2, 4, ..., 64 of N = 1 000 whose batch-mean spread is m^slope, times and
// divided by (1 + jitter) in turn (the fitted slope stays `slope`; its error grows with jitter).
Snapshot WithNoise(double slope, double jitter) {
  Snapshot snapshot;
  snapshot.noise.train_size = 1000;
  bool up = true;
  for (int m = 1; m <= 64; m *= 2, up = !up) {
    NoisePoint point;
    point.batch_size = m;
    point.layers.resize(1);
    point.layers[0].std_batch_mean.median = std::pow(m, slope) * (up ? 1.0 + jitter : 1.0 / (1.0 + jitter));
    snapshot.noise.points.push_back(point);
  }
  return snapshot;
}

// The slope's sentence goes by its fit's standard error (the one rule): the theory's −0.50
// within it is "as", beyond it "shallower"; a fit too uncertain compares with nothing.
TEST(Verdict, NoiseSlopeAgainstTheTheoryWithinItsFitsError) {
  VerdictText verdict = ComputeVerdict(Verdict::kNoise, WithNoise(-0.5, 0.0));
  EXPECT_TRUE(verdict.ready);
  EXPECT_TRUE(Contains(verdict.text, "falls as m^-0.50 ± 0.00: as the theory")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kNoise, WithNoise(-0.45, 0.0));
  EXPECT_TRUE(Contains(verdict.text, "m^-0.45 ± 0.00: shallower than the theory")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kNoise, WithNoise(-0.45, 0.02));  // 0.05 off, error 0.006
  EXPECT_TRUE(Contains(verdict.text, "m^-0.45 ± 0.01: shallower than the theory")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kNoise, WithNoise(-0.48, 0.08));  // 0.02 off, error 0.025
  EXPECT_TRUE(Contains(verdict.text, "m^-0.48 ± 0.02: as the theory")) << verdict.text;
  verdict = ComputeVerdict(Verdict::kNoise, WithNoise(-0.5, 0.5));  // error 0.13
  EXPECT_FALSE(verdict.ready);
  EXPECT_TRUE(Contains(verdict.text, "too uncertain yet to compare")) << verdict.text;
}

TEST(Verdict, ColumnsAreNamedByTheirVariants) {
  Snapshot snapshot = WithTests(0.79, 0.12);
  snapshot.config.left = VariantNamed("layernorm");
  snapshot.config.right = VariantNamed("bn");
  const VerdictText verdict = ComputeVerdict(Verdict::kAccuracy, snapshot);
  EXPECT_TRUE(Contains(verdict.text, "LayerNorm ahead by 67 points: LayerNorm 79%, BN 12%")) << verdict.text;
}

TEST(Verdict, LossDifferenceIsTheLargestGapOverEveryStep) {
  Snapshot snapshot;
  EXPECT_FALSE(ComputeVerdict(Verdict::kLossDifference, snapshot).ready);
  snapshot.step = 100;
  snapshot.largest_loss_gap = 3e-7;
  snapshot.largest_loss_gap_step = 40;
  std::string text = ComputeVerdict(Verdict::kLossDifference, snapshot).text;
  EXPECT_TRUE(Contains(text, "over 100 steps: 3.0e-07 (at step 40): the curves coincide")) << text;
  snapshot.step = 101;
  snapshot.largest_loss_gap = 4.0;
  snapshot.largest_loss_gap_step = 101;
  text = ComputeVerdict(Verdict::kLossDifference, snapshot).text;
  EXPECT_TRUE(Contains(text, "4.0e+00 (at step 101)")) << text;
  EXPECT_FALSE(Contains(text, "coincide")) << text;
}

TEST(Verdict, BatchSweepWaitsForTheSweepThenNamesBnsBestSizes) {
  Snapshot snapshot;
  EXPECT_FALSE(ComputeVerdict(Verdict::kBatchSweep, snapshot).ready);
  snapshot.batch_sweep.running = true;
  snapshot.batch_sweep.done = 3;
  snapshot.batch_sweep.total = 100;
  VerdictText verdict = ComputeVerdict(Verdict::kBatchSweep, snapshot);
  EXPECT_FALSE(verdict.ready);
  EXPECT_TRUE(Contains(verdict.text, "3 of 100 runs")) << verdict.text;
  // BN: m = 8 ahead of 60 by 4 points, more than the spread √(0.01² + 0.01²); m = 4 within it.
  auto result = std::make_shared<BatchSweepResult>();
  result->options.batch_sizes = {4, 8, 60};
  result->options.rules = {LrRule::kSame};
  result->options.seeds = 3;
  const double bn[] = {0.78, 0.79, 0.75};
  for (NetId id : kNets) {
    for (int i = 0; i < 3; ++i) {
      BatchSweepRow row;
      row.column = id;
      row.variant = id == NetId::kLeft ? VariantNamed("none") : VariantNamed("bn");
      row.batch_size = result->options.batch_sizes[static_cast<std::size_t>(i)];
      row.test_mean = id == NetId::kLeft ? 0.5 : bn[i];
      row.test_std = 0.01;
      row.test_accuracy.assign(3, row.test_mean);
      result->rows.push_back(row);
    }
  }
  snapshot.batch_sweep.running = false;
  snapshot.batch_sweep.result = result;
  verdict = ComputeVerdict(Verdict::kBatchSweep, snapshot);
  EXPECT_TRUE(verdict.ready);
  EXPECT_EQ(verdict.text, "BN best at m = 4-8 (same lr), within the seeds' spread") << verdict.text;
}

TEST(Verdict, NoneSaysNothing) { EXPECT_TRUE(ComputeVerdict(Verdict::kNone, Snapshot()).text.empty()); }

TEST(Verdict, GroupedSteps) {
  EXPECT_EQ(GroupedSteps(0), "0");
  EXPECT_EQ(GroupedSteps(999), "999");
  EXPECT_EQ(GroupedSteps(1000), "1\u202f000");
  EXPECT_EQ(GroupedSteps(1234567), "1\u202f234\u202f567");
}

}  // namespace
}  // namespace bnlab
