#include "session/verdict.h"

#include "report/text_format.h"
#include "engine/batch_sweep_verdict.h"
#include "engine/config.h"

#include <algorithm>
#include <cmath>

namespace bnlab {
namespace {

// The columns by their variants' titles: "Plain", "BN", "LayerNorm", ...
const char* LeftTitle(const Snapshot& s) { return VariantTitle(s.config.left); }
const char* RightTitle(const Snapshot& s) { return VariantTitle(s.config.right); }

VerdictText Accuracy(const Snapshot& s) {
  const NetView& left = s.net(NetId::kLeft);
  const NetView& right = s.net(NetId::kRight);
  if (left.diverged || right.diverged) {
    if (left.diverged && right.diverged) {
      return {"Both nets diverged (loss not a number): lower the learning rate and press R", true};
    }
    const NetView& gone = left.diverged ? left : right;
    const NetView& alive = left.diverged ? right : left;
    std::string text = Format("%s diverged at step %s", left.diverged ? LeftTitle(s) : RightTitle(s),
                              GroupedSteps(gone.diverged_at).c_str());
    if (alive.has_test) {
      text += Format("; %s at %.0f%% test accuracy", left.diverged ? RightTitle(s) : LeftTitle(s),
                     100.0 * alive.test.accuracy);
    }
    return {text, true};
  }
  if (!left.has_test || !right.has_test) return {"Waiting for the first test pass ...", false};
  // The sentence's arithmetic is that of the figures as printed (whole percent).
  const long right_percent = std::lround(100.0 * right.test.accuracy);
  const long left_percent = std::lround(100.0 * left.test.accuracy);
  const long step = right.test_accuracy.empty() ? s.step : static_cast<long>(right.test_accuracy.last_x());
  // The leader's figure first ("Plain ahead by 45 points: Plain 59%, BN 14%"); level, the right column's.
  const bool left_first = left_percent > right_percent;
  const std::string figures =
      Format("%s %ld%%, %s %ld%% test accuracy at step %s", left_first ? LeftTitle(s) : RightTitle(s),
             left_first ? left_percent : right_percent, left_first ? RightTitle(s) : LeftTitle(s),
             left_first ? right_percent : left_percent, GroupedSteps(step).c_str());
  const double spread = 100.0 * SpreadOfDifference(RecentSpread(left.test_accuracy), RecentSpread(right.test_accuracy));
  if (!Differ(static_cast<double>(right_percent), static_cast<double>(left_percent), spread)) {
    const bool known = std::isfinite(spread);
    return {(known ? Format("About the same (within the last test passes' spread, %.1f points): ", spread)
                   : std::string("Too early to call a lead (too few test passes to tell one from noise): ")) +
                figures,
            true};
  }
  const long gap = right_percent - left_percent;
  return {Format("%s ahead by %ld points: ", gap > 0 ? RightTitle(s) : LeftTitle(s), std::labs(gap)) + figures, true};
}

// "about the same (within the last N's spread, X points): " before the figures, when two figures
// do not differ by more than `spread`; "too early to compare (...): " when the spread is not
// known yet (the figures may differ by any amount: no claim either way).
std::string AboutTheSame(double spread, const char* measurements) {
  if (std::isfinite(spread))
    return Format("about the same (within the last %s' spread, %.1f points): ", measurements, spread);
  return Format("too early to compare (too few %s to tell a difference from noise): ", measurements);
}

VerdictText Saturation(const Snapshot& s) {
  const NetView& left = s.net(NetId::kLeft);
  const NetView& right = s.net(NetId::kRight);
  if (!left.has_probe || !right.has_probe || left.probe.layers.empty())
    return {"Waiting for the first probe ...", false};
  std::size_t worst = 0;
  for (std::size_t l = 1; l < left.probe.layers.size(); ++l) {
    if (left.probe.layers[l].saturated_share > left.probe.layers[worst].saturated_share) worst = l;
  }
  const double right_share = worst < right.probe.layers.size() ? right.probe.layers[worst].saturated_share : 0.0;
  // Whole percent, as printed; the spread from each net's last probes of this layer.
  const long left_percent = std::lround(100.0 * left.probe.layers[worst].saturated_share);
  const long right_percent = std::lround(100.0 * right_share);
  const double spread = worst < left.layers.size() && worst < right.layers.size()
                            ? 100.0 * SpreadOfDifference(RecentSpread(left.layers[worst].saturated),
                                                         RecentSpread(right.layers[worst].saturated))
                            : HUGE_VAL;
  const std::string figures = Format("%ld%% of %s's %s inputs saturated, %ld%% of %s's", left_percent, LeftTitle(s),
                                     ActivationName(s.config.net.activation), right_percent, RightTitle(s));
  if (!Differ(static_cast<double>(left_percent), static_cast<double>(right_percent), spread)) {
    return {Format("Layer %zu: ", worst + 1) + AboutTheSame(spread, "probes") + figures, true};
  }
  return {Format("Layer %zu: ", worst + 1) + figures, true};
}

// How layer 1's ‖dW‖ compares with the last layer's in one net: "5.2× smaller in Plain", or
// about the same where the two differ by no more than their own noise over the last probes.
std::string GradientComparison(const NetView& net, const char* title) {
  const LayerProbe& first = net.probe.layers.front();
  const LayerProbe& last = net.probe.layers.back();
  const std::string ratio = RatioText(first.grad_norm / last.grad_norm);
  const double spread = net.layers.size() >= net.probe.layers.size()
                            ? SpreadOfDifference(RecentSpread(net.layers.front().grad_norm),
                                                 RecentSpread(net.layers[net.probe.layers.size() - 1].grad_norm))
                            : HUGE_VAL;
  if (Differ(first.grad_norm, last.grad_norm, spread)) return Format("%s in %s", ratio.c_str(), title);
  if (!std::isfinite(spread))
    return Format("%s in %s (too few probes yet to call it a difference)", ratio.c_str(), title);
  return Format("about the same in %s (%s, within the last probes' noise)", title, ratio.c_str());
}

VerdictText Gradients(const Snapshot& s) {
  const NetView& left = s.net(NetId::kLeft);
  const NetView& right = s.net(NetId::kRight);
  if (!left.has_probe || !right.has_probe || s.step == 0 || left.probe.layers.size() < 2 ||
      right.probe.layers.size() < 2) {
    return {"Waiting for the first training step ...", false};
  }
  const std::size_t last = left.probe.layers.size();
  return {Format("‖dW‖ of layer 1 against layer %zu: %s, %s", last, GradientComparison(left, LeftTitle(s)).c_str(),
                 GradientComparison(right, RightTitle(s)).c_str()),
          true};
}

// Two columns whose only difference changes nothing (BN with and without the bias before it):
// the largest gap between their training losses at any one step so far (the session keeps it
// over every step; the plotted histories merge points into averages).
VerdictText LossDifference(const Snapshot& s) {
  if (s.step == 0) return {"Waiting for the first training step ...", false};
  const double largest = s.largest_loss_gap;
  return {Format("Largest difference of the two training losses over %s steps: %.1e (at step %s)%s",
                 GroupedSteps(s.step).c_str(), largest, GroupedSteps(s.largest_loss_gap_step).c_str(),
                 largest < 1e-3 ? ": the curves coincide" : ""),
          true};
}

VerdictText Noise(const Snapshot& s) {
  const NoiseView& noise = s.noise;
  if (noise.points.size() < 3) {
    // True whether or not the view is open: the sweep runs only while it is.
    return {noise.measuring
                ? Format("Measuring the spread of the batch statistics at each batch size (%zu so far) ...",
                         noise.points.size())
                : std::string("Measured while the Batch-size noise view is open: its sweep fits the slope ..."),
            false};
  }
  const NoiseSlopes slopes = FitNoiseSlopes(noise.points, noise.train_size);
  if (slopes.std_batch_mean.empty() || !std::isfinite(slopes.std_batch_mean.front())) {
    return {"Measuring the batch mean's spread ...", false};
  }
  // The slope against the theory, told apart only beyond its fit's standard error.
  const double slope = slopes.std_batch_mean.front(), error = slopes.std_batch_mean_error.front();
  const SlopeCall call = CompareSlope(slope, error, -0.5);
  const char* theory = "the theory for independent samples (−0.50)";
  if (call == SlopeCall::kUnknown) {
    return {Format("Spread of the batch mean in BN layer 1: m^%.2f, too few batch sizes yet to compare with %s", slope,
                   theory),
            false};
  }
  if (call == SlopeCall::kWide) {
    return {Format("Spread of the batch mean in BN layer 1: m^%.2f ± %.2f, too uncertain yet to compare with %s", slope,
                   error, theory),
            false};
  }
  const char* how = call == SlopeCall::kAsTheory  ? "as"
                    : call == SlopeCall::kSteeper ? "steeper than"
                                                  : "shallower than";
  return {Format("Spread of the batch mean in BN layer 1 falls as m^%.2f ± %.2f: %s %s", slope, error, how, theory),
          true};
}

// "79.3% (about the same)" or "76.5% (3.6 points lower)": `value` against `reference`, both in
// percent as printed (one decimal), told apart only beyond `spread`.
std::string AgainstPopulation(double value, double reference, double spread) {
  const double printed = std::round(10.0 * value) / 10.0, printed_reference = std::round(10.0 * reference) / 10.0;
  if (!Differ(printed, printed_reference, spread)) return Format("%.1f%% (about the same)", printed);
  return Format("%.1f%% (%.1f points %s)", printed, std::fabs(printed - printed_reference),
                printed < printed_reference ? "lower" : "higher");
}

VerdictText BatchSweep(const Snapshot& s) {
  const BatchSweepView& sweep = s.batch_sweep;
  if (sweep.running) return {Format("Batch-size sweep: %d of %d runs done ...", sweep.done, sweep.total), false};
  if (!sweep.result || sweep.result->cancelled)
    return {"Press Run in the Batch size view: its sweep gives the verdict", false};
  return {JudgeBatchSweep(*sweep.result).summary, true};
}

VerdictText TestTime(const Snapshot& s) {
  const TestTimeView& t = s.test_time;
  if (t.modes_step < 0) return {"Measured while the Train vs eval view is open: the three accuracies ...", false};
  const double population_spread = RecentSpread(t.test_acc_population);
  const double running_spread = 100.0 * SpreadOfDifference(RecentSpread(t.test_acc_running), population_spread);
  const double batch_spread = 100.0 * SpreadOfDifference(RecentSpread(t.test_acc_batch), population_spread);
  const std::string start = Format("%s's test accuracy at step %s: population statistics %.1f%%, ",
                                   VariantTitle(UsesBatchStatistics(s.config.right) ? s.config.right : s.config.left),
                                   GroupedSteps(t.modes_step).c_str(), 100.0 * t.acc_population);
  if (!std::isfinite(running_spread) || !std::isfinite(batch_spread)) {
    return {start + Format("running %.1f%%, its own test batches of %d: %.1f%% (too few passes yet to call any of "
                           "them different)",
                           100.0 * t.acc_running, s.config.batch_size, 100.0 * t.acc_batch),
            true};
  }
  return {start + Format("running %s, its own test batches of %d: %s",
                         AgainstPopulation(100.0 * t.acc_running, 100.0 * t.acc_population, running_spread).c_str(),
                         s.config.batch_size,
                         AgainstPopulation(100.0 * t.acc_batch, 100.0 * t.acc_population, batch_spread).c_str()),
          true};
}

VerdictText InsideBn(const Snapshot& s) {
  const InsideBnView& inside = s.inside;
  if (!inside.has_record || inside.record.x_hat.empty())
    return {"Recorded while the Inside BN view is open: one unit on the next training batch ...", false};
  double mean = 0.0;
  for (float v : inside.record.x_hat) mean += v;
  mean /= static_cast<double>(inside.record.x_hat.size());
  double var = 0.0;
  for (float v : inside.record.x_hat) var += (v - mean) * (v - mean);
  var /= static_cast<double>(inside.record.x_hat.size());
  return {
      Format("x_norm of this unit on the batch of %zu: mean %.3f, variance %.3f (step %s)", inside.record.x_hat.size(),
             std::fabs(mean) < 5e-4 ? 0.0 : mean, var, GroupedSteps(inside.step).c_str()),
      true};
}

// The column whose bias sits in front of a batch normalization: BN + bias, or BN (or renorm) with
// "bias before BN" ticked; the right one when both.
bool HasBiasBeforeBatchNorm(const TrainConfig& config, Variant variant) {
  return UsesBatchStatistics(variant) && ColumnNetConfig(config, variant).bias_before_bn;
}

VerdictText Bias(const Snapshot& s) {
  const bool right = HasBiasBeforeBatchNorm(s.config, s.config.right);
  if (!right && !HasBiasBeforeBatchNorm(s.config, s.config.left)) {
    return {"Neither net has a bias before BN (tick \"bias before BN\", or choose bn-bias for a column)", true};
  }
  const NetView& bn = s.net(right ? NetId::kRight : NetId::kLeft);
  if (!bn.has_probe || s.step == 0) return {"Waiting for the first training step ...", false};
  double largest = 0.0, smallest_weights = HUGE_VAL;
  for (const LayerProbe& layer : bn.probe.layers) {
    largest = std::max(largest, layer.bias_grad_norm);
    smallest_weights = std::min(smallest_weights, layer.grad_norm);
  }
  // In exact arithmetic the gradient is 0; in float it is what the rounding of the batch mean
  // leaves, some 1e-8, against 0.01 and more for the weights.
  if (largest == 0.0)
    return {Format("Gradient of the bias before BN: exactly 0 in all %zu layers", bn.probe.layers.size()), true};
  const bool rounding = largest < 1e-5 * smallest_weights;
  return {Format("Gradient of the bias before BN: %s (largest %.1e; the weights' smallest %.2g)",
                 rounding ? "zero up to float rounding" : "not zero", largest, smallest_weights),
          true};
}

}  // namespace

double RecentSpread(const History& history, std::size_t count) {
  const std::size_t n = history.size();
  if (n < 3 || count < 3) return HUGE_VAL;
  const std::size_t first = n > count ? n - count : 0;
  double sum_sq = 0.0;
  for (std::size_t i = first + 1; i < n; ++i) {
    const double change = static_cast<double>(history.y()[i]) - static_cast<double>(history.y()[i - 1]);
    sum_sq += change * change;
  }
  return std::sqrt(sum_sq / (2.0 * static_cast<double>(n - first - 1)));
}

std::string RatioText(double ratio) {
  if (!(ratio > 0.0) || !std::isfinite(ratio)) return "not comparable";
  const bool smaller = ratio < 1.0;
  const double times = smaller ? 1.0 / ratio : ratio;
  const int decimals = times < 1.095 ? 2 : times < 9.95 ? 1 : 0;
  return Format("%.*f× %s", decimals, times, smaller ? "smaller" : "larger");
}

std::string GroupedSteps(long step) {
  std::string digits = std::to_string(step < 0 ? -step : step);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202f";  // narrow no-break space: never wrapped
    out += digits[i];
  }
  return step < 0 ? "-" + out : out;
}

VerdictText ComputeVerdict(Verdict verdict, const Snapshot& snapshot) {
  switch (verdict) {
    case Verdict::kNone: return {};
    case Verdict::kAccuracy: return Accuracy(snapshot);
    case Verdict::kSaturation: return Saturation(snapshot);
    case Verdict::kGradients: return Gradients(snapshot);
    case Verdict::kNoise: return Noise(snapshot);
    case Verdict::kTestTime: return TestTime(snapshot);
    case Verdict::kInsideBn: return InsideBn(snapshot);
    case Verdict::kBias: return Bias(snapshot);
    case Verdict::kLossDifference: return LossDifference(snapshot);
    case Verdict::kBatchSweep: return BatchSweep(snapshot);
    case Verdict::kCount: break;
  }
  return {};
}

}  // namespace bnlab
