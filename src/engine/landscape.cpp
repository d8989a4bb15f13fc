#include "engine/landscape.h"

#include "engine/noise.h"  // FlattenGradient

#include <algorithm>
#include <cmath>
#include <limits>

namespace bnlab {

const std::vector<double>& DefaultLandscapeMultipliers() {
  static const std::vector<double> multipliers = {0.25, 0.5, 1.0, 2.0, 4.0};
  return multipliers;
}

LandscapePoint MeasureLandscape(const Network<Scalar>& net, const Eigen::Ref<const Matrix>& x, const Label* labels,
                                double learning_rate, const std::vector<double>& multipliers) {
  LandscapePoint point;
  Network<Scalar> here = net;
  int correct = 0;
  point.loss = static_cast<double>(here.ForwardTrain(x, labels, &correct));
  here.Backward(x, labels);
  Eigen::VectorXd gradient, moved_gradient;
  FlattenGradient(here, gradient);
  point.grad_norm = gradient.norm();

  // Plain SGD steps from θ: with momentum and weight decay 0, SgdStep moves θ by exactly −ηg.
  OptimizerConfig step;
  step.momentum = 0.0;
  step.weight_decay = 0.0;
  double loss_lo = std::numeric_limits<double>::infinity(), loss_hi = -loss_lo;
  double change_lo = loss_lo, change_hi = -loss_lo, smoothness = 0.0;
  for (double k : multipliers) {
    Network<Scalar> moved = here;
    step.learning_rate = k * learning_rate;
    moved.SgdStep(step);
    const double loss = static_cast<double>(moved.ForwardTrain(x, labels, &correct));
    if (!std::isfinite(loss)) {
      point.finite = false;
      continue;
    }
    ++point.finite_steps;
    moved.Backward(x, labels);
    FlattenGradient(moved, moved_gradient);
    const double change = (moved_gradient - gradient).norm();
    const double distance = step.learning_rate * point.grad_norm;
    loss_lo = std::min(loss_lo, loss), loss_hi = std::max(loss_hi, loss);
    change_lo = std::min(change_lo, change), change_hi = std::max(change_hi, change);
    if (distance > 0.0) smoothness = std::max(smoothness, change / distance);
  }
  if (loss_lo > loss_hi) return point;  // no finite step at all
  point.loss_lo = loss_lo;
  point.loss_hi = loss_hi;
  point.grad_change_lo = change_lo;
  point.grad_change_hi = change_hi;
  point.smoothness = smoothness;
  return point;
}

}  // namespace bnlab
