#include "engine/differ.h"

#include <cmath>

namespace bnlab {

bool Differ(double a, double b, double spread) {
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(spread)) return false;
  return std::fabs(a - b) > spread;
}

double SpreadOfDifference(double spread_a, double spread_b) { return std::hypot(spread_a, spread_b); }

SlopeCall CompareSlope(double slope, double error, double theory) {
  if (!std::isfinite(slope) || !std::isfinite(error) || !std::isfinite(theory)) return SlopeCall::kUnknown;
  if (error > kWideSlopeError) return SlopeCall::kWide;
  if (!Differ(slope, theory, error)) return SlopeCall::kAsTheory;
  // The curves compared fall (theory < 0): steeper is the more negative slope.
  return slope < theory ? SlopeCall::kSteeper : SlopeCall::kShallower;
}

}  // namespace bnlab
