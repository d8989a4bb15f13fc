#include "app/views/loss/loss_smoothing.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace bnlab {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

std::uint32_t BitsOf(float value) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

}  // namespace

int SmoothingHalfWindow(std::size_t points) { return static_cast<int>(std::min<std::size_t>(points / 80, 40)); }

void SmoothHistory(const History& history, SmoothedSeries& out) { SmoothHistoryFrom(history, 0, out); }

void SmoothHistoryFrom(const History& history, std::size_t first, SmoothedSeries& out) {
  const History::Column<double> x = history.x();
  const History::Column<float> y = history.y();
  const int n = static_cast<int>(y.size());
  const int half = SmoothingHalfWindow(y.size());
  out.step.resize(y.size());
  out.mean.resize(y.size());
  out.lo.resize(y.size());
  out.hi.resize(y.size());
  for (int i = static_cast<int>(std::min(first, y.size())); i < n; ++i) {
    const std::size_t at = static_cast<std::size_t>(i);
    out.step[at] = x[at];
    out.mean[at] = out.lo[at] = out.hi[at] = kNaN;
    if (!std::isfinite(y[at])) continue;
    double sum = 0.0;
    int count = 0;
    float window_lo = y[at], window_hi = y[at];
    for (int j = std::max(0, i - half); j <= std::min(n - 1, i + half); ++j) {
      const std::size_t k = static_cast<std::size_t>(j);
      if (!std::isfinite(y[k])) continue;
      sum += y[k];
      ++count;
      window_lo = std::min(window_lo, y[k]);
      window_hi = std::max(window_hi, y[k]);
    }
    out.mean[at] = static_cast<float>(sum / std::max(count, 1));
    out.lo[at] = window_lo;
    out.hi[at] = window_hi;
  }
}

bool SmoothedHistoryCache::Key::operator==(const Key& other) const {
  return generation == other.generation && size == other.size && stride == other.stride && last_x == other.last_x &&
         last_y_bits == other.last_y_bits;
}

SmoothedHistoryCache::Key SmoothedHistoryCache::KeyOf(std::uint64_t generation, const History& history) {
  Key key;
  key.generation = generation;
  key.size = history.size();
  key.stride = history.stride();
  key.last_x = history.last_x();
  key.last_y_bits = BitsOf(history.last_y());
  return key;
}

bool SmoothedHistoryCache::Update(std::uint64_t generation, const History& history) {
  const Key key = KeyOf(generation, history);
  if (has_key_ && key == key_) return false;
  // Within one run and one stride the series only grew and its newest point changed: redo the
  // points whose window reaches those, while the window is as wide as before. At full speed
  // the newest point changes for every snapshot; smoothing all ~2 000 points of each of the
  // four series anew cost the dashboard ~0.17 ms of its 1.13 ms frame build (p50, 90 s).
  std::size_t first = 0;
  if (has_key_ && key.generation == key_.generation && key.stride == key_.stride && key_.size > 0 &&
      key.size >= key_.size && SmoothingHalfWindow(key.size) == SmoothingHalfWindow(key_.size)) {
    first =
        key_.size - 1 - std::min<std::size_t>(static_cast<std::size_t>(SmoothingHalfWindow(key.size)), key_.size - 1);
  }
  SmoothHistoryFrom(history, first, series_);
  key_ = key;
  has_key_ = true;
  return true;
}

}  // namespace bnlab
