#include "engine/history.h"

#include "../plot/allocation_counter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace bnlab {
namespace {

// The straightforward History, the one bnlab had before histories were shared: every point in
// plain vectors, the open one rewritten in place. What History must equal, point for point.
struct ReferenceHistory {
  explicit ReferenceHistory(std::size_t capacity_points) : capacity(capacity_points) {}

  void Add(double x, double y) {
    if (!std::isfinite(y)) {
      Append(x, y, y, y);
      pending_count = 0;
      return;
    }
    if (pending_count > 0) {
      pending_sum += y;
      pending_lo = std::min(pending_lo, y);
      pending_hi = std::max(pending_hi, y);
      ++pending_count;
      xs.back() = x;
      ys.back() = static_cast<float>(pending_sum / static_cast<double>(pending_count));
      los.back() = static_cast<float>(pending_lo);
      his.back() = static_cast<float>(pending_hi);
    } else {
      Append(x, y, y, y);
      pending_sum = pending_lo = pending_hi = y;
      pending_count = 1;
    }
    if (pending_count >= stride) pending_count = 0;
  }

  void Append(double x, double mean, double lo, double hi) {
    if (xs.size() == capacity) {
      const std::size_t half = xs.size() / 2;
      for (std::size_t i = 0; i < half; ++i) {
        const std::size_t a = 2 * i, b = 2 * i + 1;
        xs[i] = xs[b];
        ys[i] = 0.5f * (ys[a] + ys[b]);
        los[i] = std::min(los[a], los[b]);
        his[i] = std::max(his[a], his[b]);
      }
      xs.resize(half);
      ys.resize(half);
      los.resize(half);
      his.resize(half);
      if (stride < History::kMaxStride) stride *= 2;
    }
    xs.push_back(x);
    ys.push_back(static_cast<float>(mean));
    los.push_back(static_cast<float>(lo));
    his.push_back(static_cast<float>(hi));
  }

  std::size_t capacity;
  std::size_t stride = 1;
  std::vector<double> xs;
  std::vector<float> ys, los, his;
  std::size_t pending_count = 0;
  double pending_sum = 0.0, pending_lo = 0.0, pending_hi = 0.0;
};

// Equal bit for bit, NaN included (a diverged loss is stored as NaN).
template <typename T>
bool Same(T a, T b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

::testing::AssertionResult Matches(const History& history, const ReferenceHistory& reference) {
  if (history.size() != reference.xs.size()) {
    return ::testing::AssertionFailure() << "size " << history.size() << ", reference " << reference.xs.size();
  }
  if (history.stride() != reference.stride) {
    return ::testing::AssertionFailure() << "stride " << history.stride() << ", reference " << reference.stride;
  }
  const History::Column<double> x = history.x();
  const History::Column<float> y = history.y(), lo = history.lo(), hi = history.hi();
  for (std::size_t i = 0; i < reference.xs.size(); ++i) {
    if (!Same(x[i], reference.xs[i]) || !Same(y[i], reference.ys[i]) || !Same(lo[i], reference.los[i]) ||
        !Same(hi[i], reference.his[i])) {
      return ::testing::AssertionFailure() << "point " << i << ": (" << x[i] << ", " << y[i] << ", " << lo[i] << ", "
                                           << hi[i] << "), reference (" << reference.xs[i] << ", " << reference.ys[i]
                                           << ", " << reference.los[i] << ", " << reference.his[i] << ")";
    }
  }
  const double last_x = reference.xs.empty() ? 0.0 : reference.xs.back();
  const float last_y = reference.ys.empty() ? 0.0f : reference.ys.back();
  if (!Same(history.last_x(), last_x) || !Same(history.last_y(), last_y)) {
    return ::testing::AssertionFailure() << "last point (" << history.last_x() << ", " << history.last_y()
                                         << "), reference (" << last_x << ", " << last_y << ")";
  }
  return ::testing::AssertionSuccess();
}

// Steps that mostly advance by one (sometimes stand still: a net probed twice while paused),
// noisy values with a rare non-finite one (a diverged loss).
class RandomSeries {
 public:
  explicit RandomSeries(unsigned seed) : rng_(seed) {}

  void Next(double* x, double* y) {
    if (std::uniform_int_distribution<int>(0, 9)(rng_) > 0) step_ += 1.0;
    *x = step_;
    const int kind = std::uniform_int_distribution<int>(0, 999)(rng_);
    if (kind == 0) *y = std::numeric_limits<double>::quiet_NaN();
    else if (kind == 1) *y = std::numeric_limits<double>::infinity();
    else *y = std::normal_distribution<double>(1.0, 0.5)(rng_);
  }

 private:
  std::mt19937 rng_;
  double step_ = 0.0;
};

TEST(History, KeepsEveryPointUntilFull) {
  History history(8);
  for (int i = 0; i < 8; ++i) history.Add(i, 10.0 * i);
  ASSERT_EQ(history.size(), 8u);
  EXPECT_EQ(history.stride(), 1u);
  EXPECT_EQ(history.x()[3], 3.0);
  EXPECT_EQ(history.y()[3], 30.0f);
}

TEST(History, MemoryStaysBoundedOverAMillionSteps) {
  History history(256);
  for (int i = 0; i < 1000000; ++i) history.Add(i, std::sin(i * 0.001));
  EXPECT_LE(history.size(), 256u);
  EXPECT_GE(history.size(), 128u);
  EXPECT_EQ(history.last_x(), 999999.0);
  EXPECT_GE(history.stride(), 1000000u / 256u);
}

TEST(History, MergingKeepsMeanAndSpikes) {
  History history(4);
  // 0, 1, 2, 100 (spike), 4, ... : after merging, the spike survives in hi().
  const double values[] = {0, 1, 2, 100, 4, 5, 6, 7};
  for (int i = 0; i < 8; ++i) history.Add(i, values[i]);
  float max_hi = 0.0f;
  for (float v : history.hi()) max_hi = std::max(max_hi, v);
  EXPECT_EQ(max_hi, 100.0f);
  // Mean over everything is preserved when every point covers the same number of samples.
  double sum = 0.0;
  for (float v : history.y()) sum += v;
  EXPECT_NEAR(sum / static_cast<double>(history.size()), (0 + 1 + 2 + 100 + 4 + 5 + 6 + 7) / 8.0, 1e-9);
  EXPECT_EQ(history.x().back(), 7.0);
}

TEST(History, NonFiniteValuesAreKeptNotAveragedAway) {
  History history(16);
  history.Add(0, 1.0);
  history.Add(1, std::numeric_limits<double>::quiet_NaN());
  EXPECT_TRUE(std::isnan(history.last_y()));
}

TEST(History, EqualsTheReferenceOverRandomAddsAndMerges) {
  for (std::size_t capacity : {4, 6, 10, 64}) {
    History history(capacity);
    ReferenceHistory reference(capacity);
    RandomSeries series(static_cast<unsigned>(capacity));
    for (int i = 0; i < 20000; ++i) {
      double x = 0.0, y = 0.0;
      series.Next(&x, &y);
      history.Add(x, y);
      reference.Add(x, y);
      ASSERT_TRUE(Matches(history, reference)) << "capacity " << capacity << ", after sample " << i;
    }
    EXPECT_GE(history.stride(), 64u) << "the test must cover many merges";
  }
}

// A diverged series fed for long: every non-finite value is a point of its own, so the points
// merge every capacity / 2 values whatever the stride. After 64 merges the stride doubled to 0
// (and a finite sample then closed its point at once).
TEST(History, StrideStaysAPowerOfTwoThroughEndlessNonFiniteValues) {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    const std::size_t capacity = 2 + 2 * seed;
    History history(capacity);
    ReferenceHistory reference(capacity);
    std::mt19937 rng(seed);
    std::size_t last_stride = 1;
    for (int i = 0; i < 20000; ++i) {
      const int kind = std::uniform_int_distribution<int>(0, 3)(rng);
      const double y = kind == 0   ? std::normal_distribution<double>(1.0, 0.5)(rng)
                       : kind == 1 ? std::numeric_limits<double>::infinity()
                                   : std::numeric_limits<double>::quiet_NaN();
      history.Add(i, y);
      reference.Add(i, y);
      const std::size_t stride = history.stride();
      ASSERT_NE(stride, 0u) << "seed " << seed << ", after value " << i;
      ASSERT_EQ(stride & (stride - 1), 0u) << "not a power of two: " << stride;
      ASSERT_GE(stride, last_stride) << "seed " << seed << ", after value " << i;
      ASSERT_LE(history.size(), capacity);
      ASSERT_TRUE(Matches(history, reference)) << "seed " << seed << ", after value " << i;
      last_stride = stride;
    }
    EXPECT_EQ(history.stride(), History::kMaxStride) << "the test must go past 64 merges";
  }
}

TEST(History, ACopyKeepsItsPointsWhileTheOriginalAddsAndMerges) {
  History history(8);
  ReferenceHistory reference(8);
  RandomSeries series(7);
  std::vector<History> copies;
  std::vector<ReferenceHistory> copied;
  for (int i = 0; i < 3000; ++i) {
    double x = 0.0, y = 0.0;
    series.Next(&x, &y);
    history.Add(x, y);
    reference.Add(x, y);
    // Often enough to catch copies with an open point, just before and just after a merge.
    if (i % 7 == 0) {
      copies.push_back(history);
      copied.push_back(reference);
    }
  }
  ASSERT_GT(history.stride(), 64u);
  ASSERT_TRUE(std::any_of(copied.begin(), copied.end(), [](const ReferenceHistory& r) { return r.pending_count > 0; }))
      << "some copy must hold an open point";
  for (std::size_t c = 0; c < copies.size(); ++c) {
    EXPECT_TRUE(Matches(copies[c], copied[c])) << "copy " << c;
  }
}

TEST(History, CopiesAreValuesThatGrowApart) {
  History original(8);
  ReferenceHistory reference(8);
  for (int i = 0; i < 37; ++i) {
    original.Add(i, 0.1 * i);
    reference.Add(i, 0.1 * i);
  }
  History copy = original;
  ReferenceHistory copy_reference = reference;
  // Both append after the copy, into what was one storage: neither sees the other's points.
  for (int i = 37; i < 100; ++i) {
    copy.Add(i, -1.0 * i);
    copy_reference.Add(i, -1.0 * i);
    original.Add(i, 2.0 * i);
    reference.Add(i, 2.0 * i);
    ASSERT_TRUE(Matches(copy, copy_reference)) << i;
    ASSERT_TRUE(Matches(original, reference)) << i;
  }
  copy.Clear();
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(copy.stride(), 1u);
  EXPECT_TRUE(Matches(original, reference));
}

TEST(History, CopyingAFullHistoryAllocatesNothing) {
  History history;  // the default capacity, as in every snapshot
  for (int i = 0; i < 100001; ++i) history.Add(i, std::sin(0.01 * i));
  ASSERT_GT(history.stride(), 1u);
  ASSERT_GT(history.size(), 1000u);
  const long before = AllocationCount();
  const History copy = history;
  History assigned(16);
  assigned = copy;
  EXPECT_EQ(AllocationCount(), before);
  EXPECT_EQ(assigned.size(), history.size());
  EXPECT_EQ(assigned.last_y(), history.last_y());
}

// Everything a reader of the copy sees, summed.
double Sum(const History& history) {
  double sum = 0.0;
  const History::Column<double> x = history.x();
  const History::Column<float> y = history.y(), lo = history.lo(), hi = history.hi();
  for (std::size_t i = 0; i < history.size(); ++i) sum += x[i] + y[i] + lo[i] + hi[i];
  return sum;
}

// The session's pattern: one thread adds and publishes copies under a mutex, another reads the
// newest copy again and again meanwhile, as the UI does for a frame. The copy must not change;
// in the ThreadSanitizer build, a write to anything it reads is reported even when the values
// happen to come out the same.
TEST(History, CopiesReadOnAnotherThreadWhileTheOriginalAdds) {
  std::mutex mutex;
  std::shared_ptr<const History> published;
  std::atomic<bool> done{false};
  std::atomic<int> copies_read{0};
  std::thread reader([&] {
    while (!done.load()) {
      std::shared_ptr<const History> copy;
      {
        std::lock_guard<std::mutex> lock(mutex);
        copy = published;
      }
      if (copy == nullptr) continue;
      const double first = Sum(*copy);
      for (int pass = 0; pass < 50; ++pass) ASSERT_EQ(Sum(*copy), first);
      ++copies_read;
    }
  });
  History history(64);  // small: it merges every 32 points
  // Until the reader has read enough copies, however the two threads are scheduled.
  for (int i = 0; copies_read.load() < 100 && i < 50000000; ++i) {
    history.Add(i, 0.001 * i);
    if (i % 10 == 0) {
      auto copy = std::make_shared<const History>(history);
      std::lock_guard<std::mutex> lock(mutex);
      published = std::move(copy);
    }
  }
  done = true;
  reader.join();
  EXPECT_GE(copies_read.load(), 100);
}

}  // namespace
}  // namespace bnlab
