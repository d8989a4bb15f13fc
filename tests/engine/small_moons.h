// The two-moons set the experiments' tests train on: 400 training and 200 test samples, small
// enough for dozens of runs per test; and the small nets they train.
#pragma once

#include "engine/config.h"
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

// Two hidden layers of 16 for SmallMoons (2 features, 2 classes), at a rate they learn fast with.
inline TrainConfig SmallMoonsConfig() {
  TrainConfig config;
  config.net.hidden = {16, 16};
  config.net.input_size = 2;
  config.net.num_classes = 2;
  config.net.init_scale = 0.5;
  config.optimizer.learning_rate = 0.5;
  return config;
}

}  // namespace bnlab
