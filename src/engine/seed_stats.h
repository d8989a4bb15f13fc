// Mean and sample standard deviation of one figure over an experiment's seeds.
#pragma once

#include <cmath>
#include <vector>

namespace bnlab {

// The std divides by n − 1; it is 0 with one value (no spread known: callers say so).
inline void MeanStd(const std::vector<double>& values, double* mean, double* std_dev) {
  double sum = 0.0;
  for (double v : values) sum += v;
  *mean = values.empty() ? 0.0 : sum / static_cast<double>(values.size());
  double sq = 0.0;
  for (double v : values) sq += (v - *mean) * (v - *mean);
  *std_dev = values.size() > 1 ? std::sqrt(sq / static_cast<double>(values.size() - 1)) : 0.0;
}

}  // namespace bnlab
