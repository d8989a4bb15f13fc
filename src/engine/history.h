// A time series with bounded memory: when it fills up, neighbouring points merge in pairs
// (mean of y, min of the mins, max of the maxes), so a run of hours keeps its shape and
// its spikes in a fixed number of points.
#pragma once

#include <cstddef>
#include <vector>

namespace bnlab {

class History {
 public:
  explicit History(std::size_t capacity = 2048);

  void Add(double x, double y);
  void Clear();

  std::size_t size() const { return x_.size(); }
  bool empty() const { return x_.empty(); }
  // Raw samples per stored point (1, 2, 4, ...): how far the series has been merged.
  std::size_t stride() const { return stride_; }

  const std::vector<double>& x() const { return x_; }    // x of the newest sample in each point
  const std::vector<float>& y() const { return y_; }     // mean of the merged samples
  const std::vector<float>& lo() const { return lo_; }   // their minimum
  const std::vector<float>& hi() const { return hi_; }   // their maximum
  double last_x() const { return x_.empty() ? 0.0 : x_.back(); }
  float last_y() const { return y_.empty() ? 0.0f : y_.back(); }

 private:
  void Append(double x, double mean, double lo, double hi);
  void MergePairs();

  std::size_t capacity_;
  std::size_t stride_ = 1;
  std::vector<double> x_;
  std::vector<float> y_, lo_, hi_;
  // Samples in the newest, still open point (0 when it is complete).
  std::size_t pending_count_ = 0;
  double pending_sum_ = 0.0, pending_lo_ = 0.0, pending_hi_ = 0.0;
};

}  // namespace bnlab
