// Mean and sample standard deviation of one figure over an experiment's seeds.
#pragma once

#include <cmath>
#include <cstddef>
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

// A row of an experiment's table over its seeds (its train_accuracy and test_accuracy, one per
// seed): the mean and std of each, and of their gap train − test.
template <typename Row>
void SummarizeSeeds(Row* row) {
  std::vector<double> gaps(row->train_accuracy.size());
  for (std::size_t s = 0; s < gaps.size(); ++s) gaps[s] = row->train_accuracy[s] - row->test_accuracy[s];
  MeanStd(row->train_accuracy, &row->train_mean, &row->train_std);
  MeanStd(row->test_accuracy, &row->test_mean, &row->test_std);
  MeanStd(gaps, &row->gap_mean, &row->gap_std);
}

}  // namespace bnlab
