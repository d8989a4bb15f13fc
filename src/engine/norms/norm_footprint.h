// What a normalization layer holds, for the memory estimate (memory_estimate.cpp), counted in
// scalars; the SGD momentum of γ and β is counted there, for every kind alike.
#pragma once

namespace bnlab {

struct NormFootprint {
  int unit_vectors;         // per unit: γ, β, their gradients, statistics, caches of one value per unit
  int train_buffers;        // per unit and sample of a training batch (x̂, ...)
  int train_sample_values;  // per sample of a training batch (per-sample statistics)
  int eval_buffers;         // per unit and evaluated sample (an inference pass's own x̂)
};

}  // namespace bnlab
