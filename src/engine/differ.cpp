#include "engine/differ.h"

#include <cmath>

namespace bnlab {

bool Differ(double a, double b, double spread) {
  if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(spread)) return false;
  return std::fabs(a - b) > spread;
}

double SpreadOfDifference(double spread_a, double spread_b) { return std::hypot(spread_a, spread_b); }

}  // namespace bnlab
