// Does the noise of BN's batch statistics regularize? An experiment that isolates it: ghost
// batch normalization (Hoffer, Hubara, Soudry 2017). Every run uses the same SGD batch (e.g.
// 240), the same steps and the same batches; only the number of samples g that BN's statistics
// are computed over changes (g = the batch: ordinary BN). A small training subset lets the nets
// overfit, so a regularizer would show as a smaller gap between train and test accuracy.
#pragma once

#include "engine/config.h"
#include "engine/dataset.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace bnlab {

struct GhostExperimentOptions {
  std::vector<int> ghost_groups = {4, 16, 60, 240};  // each ≤ batch_size
  int batch_size = 240;                              // the SGD batch of every run
  int train_subset = 2000;                           // training samples (a seeded subset; the test set is whole)
  long steps = 3000;                                 // SGD steps of every run
  int seeds = 3;                                     // repetitions with other weights, subset and batch order
  int threads = 2;                                   // runs in parallel (the figures do not depend on it)
};

// One net setting over the seeds. Accuracies in [0, 1], in eval mode with the exact
// population statistics of the training subset.
struct GhostExperimentRow {
  std::string net;                                    // "plain" or "bn"
  int ghost_group = 0;                                // BN's statistics group; 0 for the plain net
  std::vector<double> train_accuracy, test_accuracy;  // per seed
  double train_mean = 0.0, train_std = 0.0;
  double test_mean = 0.0, test_std = 0.0;
  double gap_mean = 0.0, gap_std = 0.0;  // train − test; std over seeds (0 with one seed)
};

struct GhostExperimentResult {
  std::vector<GhostExperimentRow> rows;  // plain first, then BN by ascending g
  bool cancelled = false;
};

// Throws std::invalid_argument for options it cannot use (a group above the batch, a subset
// smaller than the batch or larger than the set, zero seeds or steps). `progress(done, total)`
// is called after each run (from any thread, never concurrently); `cancel` stops it between
// steps, and the result then says cancelled.
GhostExperimentResult RunGhostExperiment(const Dataset& data, const TrainConfig& base,
                                         const GhostExperimentOptions& options,
                                         const std::function<void(int done, int total)>& progress = nullptr,
                                         const std::atomic<bool>* cancel = nullptr);

// What the numbers say, in one sentence: whether the gap shrinks with smaller g by more than the
// spread between seeds. Computed from the rows, never fixed text.
std::string GhostExperimentVerdict(const GhostExperimentResult& result);

}  // namespace bnlab
