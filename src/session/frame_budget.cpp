#include "session/frame_budget.h"

#include <algorithm>

namespace bnlab {

double TrainingBudget(double frame_cost, double speed, const FrameBudgetPolicy& policy) {
  if (speed > 0.0) return 0.0;
  const double cost = std::max(frame_cost, 0.0);
  const double fill = policy.frame_interval - cost;  // the frames at their interval
  // Training's share of each frame's time: share / (1 - share) seconds per second of frame.
  const double share = policy.training_share / (1.0 - policy.training_share) * cost;
  const double longest = 1.0 / policy.min_frame_rate - cost;  // the frames no further apart
  return std::max({0.0, fill, std::min(share, longest)});
}

void FrameCost::Add(double interval, double trained) {
  seconds_ += kNewestWeight * (std::clamp(interval - trained, 0.0, kLongest) - seconds_);
}

}  // namespace bnlab
