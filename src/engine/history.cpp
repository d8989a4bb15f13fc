#include "engine/history.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace bnlab {

History::History(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 4) & ~std::size_t{1}) {}

void History::Clear() {
  storage_.reset();
  stored_ = 0;
  stride_ = 1;
  open_ = OpenPoint{};
}

void History::Add(double x, double y) {
  // A non-finite value (a diverged loss) gets a point of its own so the plot can show it.
  if (!std::isfinite(y)) {
    if (open_.count > 0) StoreOpenPoint();
    MakeRoom();
    Store(x, y, y, y);
    return;
  }
  if (open_.count > 0) {
    open_.x = x;
    open_.sum += y;
    open_.lo = std::min(open_.lo, y);
    open_.hi = std::max(open_.hi, y);
    ++open_.count;
    open_.mean = static_cast<float>(open_.sum / static_cast<double>(open_.count));
  } else {
    MakeRoom();
    open_ = OpenPoint{1, x, y, y, y, static_cast<float>(y)};
  }
  // The newest point stays open, and visible, until it holds `stride_` samples.
  if (open_.count >= stride_) StoreOpenPoint();
}

void History::MakeRoom() {
  assert(open_.count == 0 && "MakeRoom: the open point would be merged while it still changes");
  if (stored_ == capacity_) MergePairs();
}

void History::StoreOpenPoint() {
  Store(open_.x, open_.sum / static_cast<double>(open_.count), open_.lo, open_.hi);
  open_ = OpenPoint{};
}

void History::Store(double x, double mean, double lo, double hi) {
  assert(stored_ < capacity_ && "Store: no room (MakeRoom must run first)");
  // The next slot is ours unless a copy of this History wrote it first: then the points move
  // to a storage of our own (rare: snapshots never append).
  if (storage_ == nullptr || !storage_->Claim(stored_)) {
    auto own = std::make_shared<Storage>(capacity_, stored_ + 1);
    if (storage_ != nullptr) {
      std::copy_n(storage_->x.begin(), stored_, own->x.begin());
      std::copy_n(storage_->y.begin(), stored_, own->y.begin());
      std::copy_n(storage_->lo.begin(), stored_, own->lo.begin());
      std::copy_n(storage_->hi.begin(), stored_, own->hi.begin());
    }
    storage_ = std::move(own);
  }
  Storage& storage = *storage_;
  storage.x[stored_] = x;
  storage.y[stored_] = static_cast<float>(mean);
  storage.lo[stored_] = static_cast<float>(lo);
  storage.hi[stored_] = static_cast<float>(hi);
  ++stored_;
}

void History::MergePairs() {
  // Copies may be reading every slot of the full storage: the merged points go to a new one.
  const std::size_t half = stored_ / 2;
  auto merged = std::make_shared<Storage>(capacity_, half);
  const Storage& from = *storage_;
  for (std::size_t i = 0; i < half; ++i) {
    const std::size_t a = 2 * i, b = 2 * i + 1;
    merged->x[i] = from.x[b];
    merged->y[i] = 0.5f * (from.y[a] + from.y[b]);
    merged->lo[i] = std::min(from.lo[a], from.lo[b]);
    merged->hi[i] = std::max(from.hi[a], from.hi[b]);
  }
  storage_ = std::move(merged);
  stored_ = half;
  if (stride_ < kMaxStride) stride_ *= 2;
}

}  // namespace bnlab
