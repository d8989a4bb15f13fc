// The inputs of one split of a dataset, (features, samples) one sample per column, and the
// readers that turn them into the float columns the networks take.
#pragma once

#include "engine/types.h"

#include <array>
#include <cstdint>
#include <vector>

namespace bnlab {

// Stored as floats (the synthetic 2-D sets) or as one byte per value with a table from byte
// to float (Fashion-MNIST's pixels: a quarter of the memory, 55 MB instead of 220). A table
// rather than scale·byte + offset: it holds exactly the floats a float image would (the
// loader's double arithmetic, rounded once), and a lookup costs no more than the affine map.
// Readers write into a caller's buffer, resized only when its shape changes, so a training
// step that gathers its mini-batch allocates nothing.
class Samples {
 public:
  using ByteTable = std::array<Scalar, 256>;  // the float value of each byte

  Samples() = default;
  // Stored as floats: `values` is (features, samples).
  explicit Samples(Matrix values);
  // Stored as bytes: the samples one after the other, `features` bytes each (an IDX image
  // file's layout, i.e. a column-major (features, samples) byte matrix); value k of sample i
  // is table[bytes[i·features + k]].
  Samples(int features, std::vector<std::uint8_t> bytes, const ByteTable& table);

  int features() const { return features_; }
  int size() const { return size_; }  // samples
  bool stored_as_bytes() const { return stored_as_bytes_; }
  // Bytes one stored value takes: 1, or sizeof(Scalar).
  int value_bytes() const { return stored_as_bytes_ ? 1 : static_cast<int>(sizeof(Scalar)); }
  // The float of each byte (stored as bytes only).
  const ByteTable& table() const { return table_; }

  // Value `feature` of sample `sample`, as the networks see it.
  Scalar operator()(int feature, int sample) const;
  // out = (features, n): the samples indices[0..n), in that order (a mini-batch).
  void Gather(const int* indices, int n, Matrix* out) const;
  // out = (features, n): the samples start..start + n − 1 (a chunk of an evaluation pass).
  void Columns(int start, int n, Matrix* out) const;
  // A set of the samples indices[0..n), stored as this one is.
  Samples Select(const int* indices, int n) const;

 private:
  // The `features` values of one sample into `out`.
  void Prefetch(int sample) const;  // the sample's bytes into the cache (a hint)
  void CopySample(int sample, Scalar* out) const;

  int features_ = 0;
  int size_ = 0;
  bool stored_as_bytes_ = false;
  bool table_is_scaling_ = false;    // table_[b] == b / 255 in float: converted without the table
  Matrix values_;                    // (features, samples) when stored as floats, else empty
  std::vector<std::uint8_t> bytes_;  // (features · samples) when stored as bytes, else empty
  ByteTable table_{};
};

}  // namespace bnlab
