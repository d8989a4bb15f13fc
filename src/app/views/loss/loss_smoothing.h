// The Loss & accuracy view's smoothing of the per-batch series, and the cache that keeps it
// from one frame to the next. No ImGui here, so the tests run it without a window.
#pragma once

#include "engine/history.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bnlab {

// One History smoothed, beside its steps (the plot items read these as arrays).
struct SmoothedSeries {
  std::vector<double> step;
  std::vector<float> mean;    // centred moving average; NaN where the point is not finite
  std::vector<float> lo, hi;  // the smallest and largest point in the same window
};

// Per-batch loss is too noisy to read from the back of a hall: a centred moving average
// as the line, and the min/max of the stored points in the same window as a faint envelope,
// so the spread and the spikes stay visible. (The points' own lo/hi, extremes over every
// merged batch, would shade half the plot.) Non-finite points stay gaps. The window is
// 1/80 of the points on either side, at most 40. O(points × window): reuses `out`'s buffers.
void SmoothHistory(const History& history, SmoothedSeries& out);
// The same for the points from `first` on; `out` keeps the ones before (smoothed earlier from
// the same points, with the same window).
void SmoothHistoryFrom(const History& history, std::size_t first, SmoothedSeries& out);
// Points on either side of each point in the window, for a series of `points` points.
int SmoothingHalfWindow(std::size_t points);

// SmoothHistory of one series, redone only when the series changed, not on every frame.
class SmoothedHistoryCache {
 public:
  // Smooths `history`, of the run `generation` (Snapshot::generation), unless it is the series
  // smoothed last time. Returns whether it smoothed.
  bool Update(std::uint64_t generation, const History& history);
  const SmoothedSeries& series() const { return series_; }

 private:
  // Within one run a History only grows: a point is added at a later step, or the points merge
  // in pairs when it is full (the stride doubles); the newest point changes its step and mean as
  // samples arrive. So the run, the count, the stride and the newest point tell one state of a
  // series from another. The window follows from the count, and the time axis only picks the
  // part shown, so neither needs a place here.
  struct Key {
    std::uint64_t generation = 0;
    std::size_t size = 0;
    std::size_t stride = 0;
    double last_x = 0.0;
    std::uint32_t last_y_bits = 0;  // bits, not value: a diverged net's last loss is NaN, NaN != NaN
    bool operator==(const Key& other) const;
  };
  static Key KeyOf(std::uint64_t generation, const History& history);

  bool has_key_ = false;
  Key key_;
  SmoothedSeries series_;
};

// What the Loss & accuracy view keeps between frames (the dashboard draws its plots too).
struct LossViewCache {
  std::array<SmoothedHistoryCache, 2> train_loss;      // by NetId
  std::array<SmoothedHistoryCache, 2> batch_accuracy;  // by NetId
};

}  // namespace bnlab
