// Fashion-MNIST loaded a piece at a time: the desktop's builder thread runs the pieces in a
// loop (LoadFashionMnist), the page one frame's worth at a time, so the browser never holds
// while the data are read.
#pragma once

#include "engine/dataset.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bnlab {

// The four files a Fashion-MNIST directory holds: training images and labels, test images and
// labels.
std::vector<std::string> FashionFileNames();

class FashionLoader {
 public:
  // Decompressed bytes per piece: 16 MB on the desktop (well under a second); the page takes
  // smaller ones, a few milliseconds each.
  static constexpr std::size_t kDefaultChunkBytes = std::size_t{16} << 20;

  // Nothing is read yet; a missing directory is a DataError at once. See LoadFashionMnist for
  // what `standardize` and `memory_budget` do.
  FashionLoader(const std::string& dir, bool standardize, std::uint64_t memory_budget = MemoryBudgetBytes(),
                std::size_t chunk_bytes = kDefaultChunkBytes);
  ~FashionLoader();
  FashionLoader(const FashionLoader&) = delete;
  FashionLoader& operator=(const FashionLoader&) = delete;

  // One piece of the load: a split's two files opened and their headers checked, one chunk of
  // its pixels decompressed into the buffer they stay in, or its labels read and its samples
  // made. Returns true once the data are complete (then Take them). Throws DataError.
  bool Advance();
  bool done() const;
  // The split being read, its images read so far and its count (0 before its headers).
  LoadProgress progress() const;
  // Where a load stopped now would stop, for LoadCancelled's message:
  // "FILE: loading cancelled after N of M bytes of pixel data".
  std::string CancelledMessage() const;
  // The data, once done().
  Dataset Take();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace bnlab
