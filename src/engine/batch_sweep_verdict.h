// What a batch-size sweep's numbers say (engine/batch_sweep.h), computed from its rows through
// the one "differ" rule (engine/differ.h), never fixed text: for each net and learning-rate
// rule, which batch sizes are best within the seeds' spread, and what that says about the
// seed's claim that BN works best for batches "in the range 50–100" (seeds/000).
#pragma once

#include "engine/batch_sweep.h"

#include <string>
#include <vector>

namespace bnlab {

// The range of the seed's claim.
inline constexpr int kModerateBatchLo = 50;
inline constexpr int kModerateBatchHi = 100;

// One curve (a rule and a net): its best m by mean test accuracy, and every m whose mean does
// not differ from the best's by more than the spread of the difference √(std_best² + std_m²)
// (the std over seeds). With one seed the spread is unknown and every m ties.
struct SweepCurveVerdict {
  LrRule rule = LrRule::kSame;
  NetId column = NetId::kLeft;
  std::string net;
  int best_batch = 0;
  double best_test = 0.0;
  std::vector<int> tied;  // the best m and every m within the spread of it, ascending
  std::string text;       // "BN, same lr: best m = 16 (80.1%); within the seeds' spread: 8-32"
};

enum class ModerateFinding {
  kUntested,       // no m of the sweep in 50–100, or one seed, or no net with batch statistics
  kSupported,      // the best sizes are all in 50–100: every other m is behind by more than the spread
  kNotSingledOut,  // an m in 50–100 is among the best, but so are sizes outside it
  kContradicted,   // every m in 50–100 is behind the best by more than the spread
};

struct BatchSweepVerdict {
  std::vector<SweepCurveVerdict> curves;                     // the result's order: rule, then column
  std::vector<std::pair<LrRule, ModerateFinding>> moderate;  // per rule, for the net with batch statistics
  std::string moderate_text;                                 // the sentence on the seed's "50–100"
  std::string text;                                          // every curve's line, then that sentence
  // One short line for a scene's live verdict: "BN best at m = 4-60 (same lr), 8-128 (lr scaled
  // with m), within the seeds' spread".
  std::string summary;
};

BatchSweepVerdict JudgeBatchSweep(const BatchSweepResult& result);

// "2-8, 32 and 128": ascending sizes, consecutive sizes of `sizes` (the sweep's list) joined.
std::string BatchRangeText(const std::vector<int>& chosen, const std::vector<int>& sizes);

}  // namespace bnlab
