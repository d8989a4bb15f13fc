#include "engine/training_subset.h"

#include "engine/random.h"

#include <vector>

namespace bnlab {

Dataset TrainingSubset(const Dataset& data, int size, std::uint64_t seed) {
  std::vector<int> order(static_cast<std::size_t>(data.train_size()));
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  Rng(seed ^ 0xA5A5A5A5ull).Shuffle(order);
  Dataset subset;
  subset.name = data.name;
  subset.num_classes = data.num_classes;
  subset.train_x = data.train_x.Select(order.data(), size);
  subset.train_y.resize(static_cast<std::size_t>(size));
  for (int i = 0; i < size; ++i) {
    subset.train_y[static_cast<std::size_t>(i)] =
        data.train_y[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])];
  }
  subset.test_x = data.test_x;
  subset.test_y = data.test_y;
  return subset;
}

}  // namespace bnlab
