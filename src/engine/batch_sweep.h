// Does BN work best at moderate batch sizes? The seed's "50–100" (seeds/000) as an experiment:
// the twins trained at each batch size m on the same number of training samples (the same
// epochs of a seeded training subset), under two learning-rate rules side by side:
//   same:   η at every m;
//   scaled: η = m·η₁ with η₁ = η / reference_batch (the two rules meet there), never above
//           lr_cap (the linear scaling rule of Goyal et al. 2017 and Masters & Luschi 2018).
// Every run is a TwinTrainer: for a seed, both nets start from the same weights and see the
// same batches. Accuracy in eval mode with the population statistics of the subset.
#pragma once

#include "engine/config.h"
#include "engine/dataset.h"
#include "engine/net_id.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace bnlab {

enum class LrRule { kSame, kScaled };
const char* LrRuleName(LrRule rule);  // "same", "scaled": the flag's values
bool ParseLrRule(const std::string& name, LrRule* rule);
std::string LrRuleNameList();  // "same, scaled"

struct BatchSweepOptions {
  std::vector<int> batch_sizes = {2, 4, 8, 16, 32, 60, 128, 256, 512, 1024};  // ascending, each ≤ train_subset
  std::vector<LrRule> rules = {LrRule::kSame, LrRule::kScaled};
  int train_subset = 2048;   // training samples (a seeded subset; the test set is whole)
  int epochs = 15;           // every m sees epochs × train_subset samples
  int seeds = 5;             // repetitions with other weights, subset and batch order
  int reference_batch = 60;  // η₁ = η / reference_batch
  double lr_cap = 3.0;       // the scaled rule's largest η (measured: see the README)
  int threads = 2;           // runs in parallel (the figures do not depend on it)
};

// The learning rate of a run at batch m under `rule`, from the base η (TrainConfig's).
double SweepLearningRate(LrRule rule, int m, double base_lr, const BatchSweepOptions& options);
// Whether the cap cut it: the scaled rule's m·η₁ is above lr_cap.
bool SweepLearningRateCapped(LrRule rule, int m, double base_lr, const BatchSweepOptions& options);
// SGD steps at batch m: the budget epochs × train_subset samples over m, rounded to the nearest
// step (at least one). Every m that divides the budget sees exactly the budget; another m is
// off by at most m/2 samples (the rows say how many each saw).
long SweepSteps(int m, const BatchSweepOptions& options);

// One (rule, net, m) over the seeds. Accuracies in [0, 1].
struct BatchSweepRow {
  LrRule rule = LrRule::kSame;
  NetId column = NetId::kLeft;
  Variant variant{};  // "none"
  std::string net;    // the column's variant label: "plain", "bn", ...
  int batch_size = 0;
  double learning_rate = 0.0;
  bool capped = false;  // the scaled rule's m·η₁ was above lr_cap
  long steps = 0;
  long long samples = 0;                              // steps × m
  std::vector<double> train_accuracy, test_accuracy;  // per seed
  int diverged = 0;                                   // seeds whose loss stopped being finite
  double train_mean = 0.0, train_std = 0.0;
  double test_mean = 0.0, test_std = 0.0;
  double gap_mean = 0.0, gap_std = 0.0;  // train − test; std over seeds (0 with one seed)
};

struct BatchSweepResult {
  BatchSweepOptions options;  // as run (sizes sorted)
  double base_lr = 0.0;
  std::vector<BatchSweepRow> rows;  // by rule, then column (left, right), then ascending m
  bool cancelled = false;
};

// Throws std::invalid_argument naming the option for what it cannot run: an empty or unsorted
// size list (or one with a size twice), a size below 1 or above the subset, a subset above the
// training set, no rule, zero seeds or epochs, a cap ≤ 0. `progress(done, total)` is called
// after each run (from any thread, never concurrently); `cancel` stops it between steps, and the
// result then says cancelled.
BatchSweepResult RunBatchSweep(const Dataset& data, const TrainConfig& base, const BatchSweepOptions& options,
                               const std::function<void(int done, int total)>& progress = nullptr,
                               const std::atomic<bool>* cancel = nullptr);
// The checks RunBatchSweep makes first, alone (the command line checks before loading data).
void CheckBatchSweepOptions(const BatchSweepOptions& options, int train_size);

// The rows of one rule and column, by ascending m.
std::vector<const BatchSweepRow*> SweepCurve(const BatchSweepResult& result, LrRule rule, NetId column);

}  // namespace bnlab
