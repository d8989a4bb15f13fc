#include "engine/history.h"

#include <algorithm>
#include <cmath>

namespace bnlab {

History::History(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 4) & ~std::size_t{1}) {
  x_.reserve(capacity_);
  y_.reserve(capacity_);
  lo_.reserve(capacity_);
  hi_.reserve(capacity_);
}

void History::Clear() {
  x_.clear();
  y_.clear();
  lo_.clear();
  hi_.clear();
  stride_ = 1;
  pending_count_ = 0;
}

void History::Add(double x, double y) {
  // A non-finite value (a diverged loss) gets a point of its own so the plot can show it.
  if (!std::isfinite(y)) {
    Append(x, y, y, y);
    pending_count_ = 0;
    return;
  }
  // The newest point stays open, and visible, until it holds `stride_` samples.
  if (pending_count_ > 0) {
    pending_sum_ += y;
    pending_lo_ = std::min(pending_lo_, y);
    pending_hi_ = std::max(pending_hi_, y);
    ++pending_count_;
    x_.back() = x;
    y_.back() = static_cast<float>(pending_sum_ / static_cast<double>(pending_count_));
    lo_.back() = static_cast<float>(pending_lo_);
    hi_.back() = static_cast<float>(pending_hi_);
  } else {
    Append(x, y, y, y);
    pending_sum_ = y;
    pending_lo_ = y;
    pending_hi_ = y;
    pending_count_ = 1;
  }
  if (pending_count_ >= stride_) pending_count_ = 0;
}

void History::Append(double x, double mean, double lo, double hi) {
  if (x_.size() == capacity_) MergePairs();
  x_.push_back(x);
  y_.push_back(static_cast<float>(mean));
  lo_.push_back(static_cast<float>(lo));
  hi_.push_back(static_cast<float>(hi));
}

void History::MergePairs() {
  const std::size_t half = x_.size() / 2;
  for (std::size_t i = 0; i < half; ++i) {
    const std::size_t a = 2 * i, b = 2 * i + 1;
    x_[i] = x_[b];
    y_[i] = 0.5f * (y_[a] + y_[b]);
    lo_[i] = std::min(lo_[a], lo_[b]);
    hi_[i] = std::max(hi_[a], hi_[b]);
  }
  x_.resize(half);
  y_.resize(half);
  lo_.resize(half);
  hi_.resize(half);
  stride_ *= 2;
}

}  // namespace bnlab
