// A time series with bounded memory: when it fills up, neighbouring points merge in pairs
// (mean of y, min of the mins, max of the maxes), so a run of hours keeps its shape and
// its spikes in a fixed number of points.
//
// Copying one costs a pointer copy and allocates nothing, whatever its length: the session
// copies every History into a snapshot up to 30 times a second while training shares the
// CPU, and the UI thread reads those copies while the session goes on adding. So:
//  - Complete points live in a Storage of `capacity` slots that the copies share. A slot is
//    written once, when its point is complete, and never again; a copy reads only the slots
//    that were written when it was made, while Add writes the ones after them.
//  - MergePairs rewrites every point, so it writes them into a new Storage (copy on merge,
//    once every capacity / 2 points) and leaves the old one to the copies still reading it.
//  - The newest point, while it is open (it holds fewer than stride() samples and its value
//    changes as they arrive), is held by value, so each copy keeps the value it was made with.
//  - Copies are values: if two copies of one History both Add, the first to claim the next
//    slot of their Storage writes it (an atomic counter decides), the other moves its points
//    to a Storage of its own.
//
// Readers get each coordinate as a Column: the stored points, then the open one, read in
// place (an index, or a range-for), never copied.
#pragma once

#include <atomic>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace bnlab {

class History {
 public:
  // One coordinate of every point, oldest first. Valid while its History lives unchanged
  // (as a reference into a container would be).
  template <typename T>
  class Column {
   public:
    class Iterator {
     public:
      using iterator_category = std::input_iterator_tag;
      using value_type = T;
      using difference_type = std::ptrdiff_t;
      using pointer = void;
      using reference = T;

      Iterator(const Column& column, std::size_t index) : column_(column), index_(index) {}
      T operator*() const { return column_[index_]; }
      Iterator& operator++() {
        ++index_;
        return *this;
      }
      bool operator==(const Iterator& other) const { return index_ == other.index_; }
      bool operator!=(const Iterator& other) const { return index_ != other.index_; }

     private:
      Column column_;
      std::size_t index_;
    };

    Column(const T* stored, std::size_t stored_count, bool has_open, T open)
        : stored_(stored), stored_count_(stored_count), has_open_(has_open), open_(open) {}

    std::size_t size() const { return stored_count_ + (has_open_ ? 1 : 0); }
    bool empty() const { return size() == 0; }
    T operator[](std::size_t i) const { return i < stored_count_ ? stored_[i] : open_; }
    T front() const { return (*this)[0]; }
    T back() const { return (*this)[size() - 1]; }
    Iterator begin() const { return Iterator(*this, 0); }
    Iterator end() const { return Iterator(*this, size()); }

   private:
    const T* stored_;
    std::size_t stored_count_;
    bool has_open_;
    T open_;
  };

  explicit History(std::size_t capacity = 2048);
  // Copies, and no moves: a moved-from History would keep its size and lose its points. A
  // copy is as cheap as a move would be.
  History(const History&) = default;
  History& operator=(const History&) = default;

  void Add(double x, double y);
  void Clear();

  std::size_t size() const { return stored_ + (open_.count > 0 ? 1 : 0); }
  bool empty() const { return size() == 0; }
  // Raw samples per stored point (1, 2, 4, ... up to kMaxStride): how far the series has been
  // merged.
  std::size_t stride() const { return stride_; }
  // The stride stops doubling here. Only non-finite values, each a point of its own, can merge
  // the points this often (64 merges would take 2^64 finite samples): a diverged series fed
  // for long. Doubling on, it wrapped to 0.
  static constexpr std::size_t kMaxStride = std::size_t{1} << (8 * sizeof(std::size_t) - 1);

  Column<double> x() const { return ColumnOf(&Storage::x, open_.x); }    // x of the newest sample in each point
  Column<float> y() const { return ColumnOf(&Storage::y, open_.mean); }  // mean of the merged samples
  Column<float> lo() const { return ColumnOf(&Storage::lo, static_cast<float>(open_.lo)); }  // their minimum
  Column<float> hi() const { return ColumnOf(&Storage::hi, static_cast<float>(open_.hi)); }  // their maximum
  double last_x() const { return empty() ? 0.0 : x().back(); }
  float last_y() const { return empty() ? 0.0f : y().back(); }

 private:
  // Slots [0, claimed) have been written (or are being written) by some History sharing it.
  struct Storage {
    Storage(std::size_t capacity, std::size_t claimed_slots)
        : x(capacity), y(capacity), lo(capacity), hi(capacity), claimed(claimed_slots) {}
    // Whether the caller may write `slot`: no other copy has written it.
    bool Claim(std::size_t slot) { return claimed.compare_exchange_strong(slot, slot + 1); }

    std::vector<double> x;  // sized once and never resized: readers hold pointers into them
    std::vector<float> y, lo, hi;
    std::atomic<std::size_t> claimed;
  };
  // Samples of the newest point while it holds fewer than stride_ of them (count 0: none).
  struct OpenPoint {
    std::size_t count = 0;
    double x = 0.0, sum = 0.0, lo = 0.0, hi = 0.0;
    float mean = 0.0f;  // sum / count, as it will be stored: readers take it without dividing
  };

  // Makes room for one more point: merges when the storage is full (no point may be open).
  void MakeRoom();
  // Appends a complete point (there is room: MakeRoom ran before it, or before it opened).
  void Store(double x, double mean, double lo, double hi);
  void StoreOpenPoint();
  void MergePairs();
  template <typename T>
  Column<T> ColumnOf(std::vector<T> Storage::*stored, T open) const {
    return Column<T>(storage_ ? (storage_.get()->*stored).data() : nullptr, stored_, open_.count > 0, open);
  }

  std::size_t capacity_;
  std::size_t stride_ = 1;
  std::shared_ptr<Storage> storage_;  // null until the first point is stored
  std::size_t stored_ = 0;            // slots of storage_ holding this History's points
  OpenPoint open_;
};

}  // namespace bnlab
