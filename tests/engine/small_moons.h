// The two-moons set the experiments' tests train on: 400 training and 200 test samples, small
// enough for dozens of runs per test.
#pragma once

#include "engine/dataset.h"

namespace bnlab {

inline Dataset SmallMoons() {
  SyntheticOptions options;
  options.kind = SyntheticKind::kMoons;
  options.train_size = 400;
  options.test_size = 200;
  options.noise = 0.3;
  options.seed = 2;
  return MakeSynthetic(options);
}

}  // namespace bnlab
