#include "session/verdict.h"

#include "cli/text_format.h"
#include "engine/config.h"

#include <algorithm>
#include <cmath>

namespace bnlab {
namespace {

constexpr double kLevelPoints = 1.0;  // closer than this many accuracy points reads "level"

// "14× smaller" / "1.3× larger" for a ratio a/b.
std::string Times(double ratio) {
  if (!(ratio > 0.0) || !std::isfinite(ratio)) return "not comparable";
  if (ratio < 1.0) return Format("%.*f× smaller", 1.0 / ratio < 10.0 ? 1 : 0, 1.0 / ratio);
  return Format("%.*f× larger", ratio < 10.0 ? 1 : 0, ratio);
}

VerdictText Accuracy(const Snapshot& s) {
  const NetView& plain = s.net(NetId::kPlain);
  const NetView& bn = s.net(NetId::kBn);
  if (plain.diverged || bn.diverged) {
    const bool both = plain.diverged && bn.diverged;
    if (both) return {"Both nets diverged (loss not a number): lower the learning rate and press R", true};
    const NetView& gone = plain.diverged ? plain : bn;
    const NetView& alive = plain.diverged ? bn : plain;
    std::string text = Format("%s net diverged at step %s", plain.diverged ? "Plain" : "BN", GroupedSteps(gone.diverged_at).c_str());
    if (alive.has_test) text += Format("; %s net %.0f%% test accuracy", plain.diverged ? "BN" : "plain", 100.0 * alive.test.accuracy);
    return {text, true};
  }
  if (!plain.has_test || !bn.has_test) return {"Waiting for the first test pass ...", false};
  const double gap = 100.0 * (bn.test.accuracy - plain.test.accuracy);
  const std::string figures = Format("BN %.0f%%, plain %.0f%% test accuracy at step %s", 100.0 * bn.test.accuracy,
                                     100.0 * plain.test.accuracy, GroupedSteps(bn.test_accuracy.last_x() > 0 ? static_cast<long>(bn.test_accuracy.last_x()) : s.step).c_str());
  if (std::fabs(gap) < kLevelPoints) return {"Level: " + figures, true};
  return {Format("%s ahead by %.0f points: ", gap > 0 ? "BN" : "Plain net", std::fabs(gap)) + figures, true};
}

VerdictText Saturation(const Snapshot& s) {
  const NetView& plain = s.net(NetId::kPlain);
  const NetView& bn = s.net(NetId::kBn);
  if (!plain.has_probe || !bn.has_probe || plain.probe.layers.empty()) return {"Waiting for the first probe ...", false};
  std::size_t worst = 0;
  for (std::size_t l = 1; l < plain.probe.layers.size(); ++l) {
    if (plain.probe.layers[l].saturated_share > plain.probe.layers[worst].saturated_share) worst = l;
  }
  const double bn_share = worst < bn.probe.layers.size() ? bn.probe.layers[worst].saturated_share : 0.0;
  return {Format("Layer %zu: %.0f%% of the plain net's %s inputs saturated, %.0f%% of BN's", worst + 1,
                 100.0 * plain.probe.layers[worst].saturated_share, ActivationName(s.config.net.activation), 100.0 * bn_share),
          true};
}

VerdictText Gradients(const Snapshot& s) {
  const NetView& plain = s.net(NetId::kPlain);
  const NetView& bn = s.net(NetId::kBn);
  if (!plain.has_probe || !bn.has_probe || s.step == 0 || plain.probe.layers.size() < 2) {
    return {"Waiting for the first training step ...", false};
  }
  auto ratio = [](const NetProbe& probe) { return probe.layers.front().grad_norm / probe.layers.back().grad_norm; };
  const std::size_t last = plain.probe.layers.size();
  return {Format("‖dW‖ of layer 1 against layer %zu: %s in the plain net, %s in BN", last, Times(ratio(plain.probe)).c_str(),
                 Times(ratio(bn.probe)).c_str()),
          true};
}

VerdictText Noise(const Snapshot& s) {
  const NoiseView& noise = s.noise;
  if (noise.points.size() < 3) return {"Open the Batch-size noise view: its sweep measures the slope ...", false};
  const NoiseSlopes slopes = FitNoiseSlopes(noise.points, noise.train_size);
  if (slopes.std_batch_mean.empty() || !std::isfinite(slopes.std_batch_mean.front())) {
    return {"Measuring the batch mean's spread ...", false};
  }
  return {Format("Spread of the batch mean in BN layer 1 falls as m^%.2f (theory for independent samples: −0.50)",
                 slopes.std_batch_mean.front()),
          true};
}

VerdictText TestTime(const Snapshot& s) {
  const TestTimeView& t = s.test_time;
  if (t.modes_step < 0) return {"Open the Train vs eval view: it measures the three ...", false};
  return {Format("BN net's test accuracy at step %s: running statistics %.1f%%, population %.1f%%, its own test "
                 "batches of %d: %.1f%%",
                 GroupedSteps(t.modes_step).c_str(), 100.0 * t.acc_running, 100.0 * t.acc_population,
                 s.config.batch_size, 100.0 * t.acc_batch),
          true};
}

VerdictText InsideBn(const Snapshot& s) {
  const InsideBnView& inside = s.inside;
  if (!inside.has_record || inside.record.x_hat.empty()) return {"Open the Inside BN view: it records one unit ...", false};
  double mean = 0.0;
  for (float v : inside.record.x_hat) mean += v;
  mean /= static_cast<double>(inside.record.x_hat.size());
  double var = 0.0;
  for (float v : inside.record.x_hat) var += (v - mean) * (v - mean);
  var /= static_cast<double>(inside.record.x_hat.size());
  return {Format("x_norm of this unit on the batch of %zu: mean %.3f, variance %.3f (step %s)", inside.record.x_hat.size(),
                 std::fabs(mean) < 5e-4 ? 0.0 : mean, var, GroupedSteps(inside.step).c_str()),
          true};
}

VerdictText Bias(const Snapshot& s) {
  const NetView& bn = s.net(NetId::kBn);
  if (!s.config.net.bias_before_bn) return {"This net has no bias before BN (tick \"bias before BN\")", true};
  if (!bn.has_probe || s.step == 0) return {"Waiting for the first training step ...", false};
  double largest = 0.0, smallest_weights = HUGE_VAL;
  for (const LayerProbe& layer : bn.probe.layers) {
    largest = std::max(largest, layer.bias_grad_norm);
    smallest_weights = std::min(smallest_weights, layer.grad_norm);
  }
  // In exact arithmetic the gradient is 0; in float it is what the rounding of the batch mean
  // leaves, some 1e-8, against 0.01 and more for the weights.
  if (largest == 0.0) return {Format("Gradient of the bias before BN: exactly 0 in all %zu layers", bn.probe.layers.size()), true};
  const bool rounding = largest < 1e-5 * smallest_weights;
  return {Format("Gradient of the bias before BN: %s (largest %.1e; the weights' smallest %.2g)",
                 rounding ? "zero up to float rounding" : "not zero", largest, smallest_weights),
          true};
}

}  // namespace

std::string GroupedSteps(long step) {
  std::string digits = std::to_string(step < 0 ? -step : step);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ' ';
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
    case Verdict::kCount: break;
  }
  return {};
}

}  // namespace bnlab
