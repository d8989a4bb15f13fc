// Whole splits as float matrices, for checks on small sets.
#pragma once

#include "engine/samples.h"

namespace bnlab {

// The samples start..start + n − 1 of `x` as floats, (features, n).
inline Matrix ColumnsOf(const Samples& x, int start, int n) {
  Matrix out;
  x.Columns(start, n, &out);
  return out;
}

// Every sample of `x` as floats, (features, samples).
inline Matrix AllColumns(const Samples& x) { return ColumnsOf(x, 0, x.size()); }

}  // namespace bnlab
