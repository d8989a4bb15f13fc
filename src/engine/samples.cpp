#include "engine/samples.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace bnlab {

Samples::Samples(Matrix values)
    : features_(static_cast<int>(values.rows())), size_(static_cast<int>(values.cols())), values_(std::move(values)) {}

Samples::Samples(int features, std::vector<std::uint8_t> bytes, const ByteTable& table)
    : features_(features), stored_as_bytes_(true), bytes_(std::move(bytes)), table_(table) {
  assert(features > 0 && bytes_.size() % static_cast<std::size_t>(features) == 0 &&
         "Samples: the bytes must be whole samples of `features` values");
  size_ = static_cast<int>(bytes_.size() / static_cast<std::size_t>(features));
  // Pixels scaled to [0, 1] (not standardized): float(b) / 255 in float arithmetic gives
  // exactly float(b / 255.0), the loader's value, for every byte; checked, not assumed.
  table_is_scaling_ = true;
  for (int b = 0; b < 256; ++b) {
    if (table_[static_cast<std::size_t>(b)] != static_cast<Scalar>(b) / Scalar(255)) table_is_scaling_ = false;
  }
}

void Samples::CopySample(int sample, Scalar* out) const {
  assert(sample >= 0 && sample < size_ && "Samples: sample index out of range");
  if (!stored_as_bytes_) {
    std::copy_n(values_.col(sample).data(), features_, out);
    return;
  }
  const std::uint8_t* in = bytes_.data() + static_cast<std::size_t>(sample) * static_cast<std::size_t>(features_);
  Scalar* __restrict dst = out;
  const int features = features_;
  if (table_is_scaling_) {
    // The same floats as the table's, computed in vector registers: a table lookup per pixel
    // cannot be vectorized and took ~9% of a training step at batch 60.
    for (int k = 0; k < features; ++k) dst[k] = static_cast<Scalar>(in[k]) / Scalar(255);
    return;
  }
  const Scalar* table = table_.data();
  for (int k = 0; k < features; ++k) dst[k] = table[in[k]];
}

Scalar Samples::operator()(int feature, int sample) const {
  assert(feature >= 0 && feature < features_ && "Samples: feature index out of range");
  assert(sample >= 0 && sample < size_ && "Samples: sample index out of range");
  if (!stored_as_bytes_) return values_(feature, sample);
  return table_[bytes_[static_cast<std::size_t>(sample) * static_cast<std::size_t>(features_) +
                       static_cast<std::size_t>(feature)]];
}

void Samples::Gather(const int* indices, int n, Matrix* out) const {
  out->resize(features_, n);
  for (int i = 0; i < n; ++i) {
    // The samples of a batch lie anywhere in the set: ask for the next one's bytes while this
    // one is converted, so the conversion does not wait on memory.
    if (stored_as_bytes_ && i + 1 < n) Prefetch(indices[i + 1]);
    CopySample(indices[i], out->col(i).data());
  }
}

void Samples::Prefetch(int sample) const {
  const std::size_t features = static_cast<std::size_t>(features_);
  const std::uint8_t* start = bytes_.data() + static_cast<std::size_t>(sample) * features;
  for (std::size_t offset = 0; offset < features; offset += 64) __builtin_prefetch(start + offset);
}

void Samples::Columns(int start, int n, Matrix* out) const {
  assert(start >= 0 && n >= 0 && start + n <= size_ && "Samples::Columns: range outside the set");
  out->resize(features_, n);
  for (int i = 0; i < n; ++i) CopySample(start + i, out->col(i).data());
}

Samples Samples::Select(const int* indices, int n) const {
  if (!stored_as_bytes_) {
    Matrix values;
    Gather(indices, n, &values);
    return Samples(std::move(values));
  }
  const std::size_t features = static_cast<std::size_t>(features_);
  std::vector<std::uint8_t> bytes(features * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    assert(indices[i] >= 0 && indices[i] < size_ && "Samples::Select: sample index out of range");
    std::copy_n(bytes_.data() + static_cast<std::size_t>(indices[i]) * features, features,
                bytes.data() + static_cast<std::size_t>(i) * features);
  }
  return Samples(features_, std::move(bytes), table_);
}

}  // namespace bnlab
