// A seeded subset of a data set's training samples, with the whole test set: what the
// experiments that need nets to overfit (ghost BN, the batch-size sweep) train on.
#pragma once

#include "engine/dataset.h"

#include <cstdint>

namespace bnlab {

// The first `size` samples of a permutation drawn from `seed`; size ≤ data.train_size().
Dataset TrainingSubset(const Dataset& data, int size, std::uint64_t seed);

}  // namespace bnlab
