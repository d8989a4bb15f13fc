// What `bnlab train` prints: the progress lines on stderr and the summary on stdout, as
// text for people or as one JSON object (--json) for scripts.
#pragma once

#include "engine/memory_estimate.h"
#include "engine/trainer.h"

#include <array>
#include <string>
#include <vector>

namespace bnlab {

struct NetOutcome {
  TestResult test;                // eval mode, after the last step (accuracy 0..1)
  double train_loss = 0.0;        // mean mini-batch loss over the last kTrainLossWindow steps
  bool diverged = false;          // its loss became NaN or infinite; it stopped there
  long diverged_at_step = 0;      // the step whose loss was not finite
  std::vector<double> saturated;  // per hidden layer, saturated share at the last probe
  // The first evaluation whose test loss was NaN or infinite while the net still trained
  // (e.g. ReLU at a huge learning rate: BN's running variance overflows); 0 if none.
  long test_loss_not_finite_at_step = 0;
  TestModes modes;  // test accuracy by BN's statistics, after the last step
};

struct TrainOutcome {
  long steps = 0;
  double seconds = 0.0;            // training time: steps, evaluations and probes
  std::array<NetOutcome, 2> nets;  // indexed by NetId
  ResidentMemory memory;           // the process's, after the last step's figures
};

inline constexpr int kTrainLossWindow = 100;

// A loss for messages: "0.4213", "3.1e+07", and "nan", "inf", "-inf" (never printf's "-nan").
std::string NumberText(double value);

// "step 1500/5000  plain: loss 0.620 acc 78.1%  bn: loss 0.410 acc 85.0%  (2400 steps/s)"
// from the mean mini-batch loss/accuracy since the previous line; each column named by its
// variant's label (ColumnLabel).
std::string TrainProgressLine(const TrainConfig& config, long step, long steps, const std::array<double, 2>& mean_loss,
                              const std::array<double, 2>& mean_accuracy, const std::array<bool, 2>& diverged,
                              double steps_per_second);

// "step 1500/5000  test  plain: loss 0.62 acc 78.1%  bn: ..." after an evaluation.
std::string TestProgressLine(const TrainConfig& config, long step, long steps, const std::array<TestResult, 2>& test,
                             const std::array<bool, 2>& diverged);

// A few lines for people: settings in brief, then per column (named by its variant's label)
// test accuracy/loss, train loss, saturation; the test accuracy by BN's statistics of the
// column with batch statistics, if any; divergence; the resident memory, when known.
std::string SummaryText(const TrainConfig& config, const Dataset& dataset, const TrainOutcome& outcome);

// One JSON object (and a newline):
// {"steps":..,"seconds":..,"steps_per_second":..,"resident_bytes":..,"peak_resident_bytes":..,
//  "scene":..,"config":{every setting},
//  "dataset":{..},"plain":{"test_acc":..,"test_loss":..,"train_loss":..,"diverged":..,
//  "diverged_at_step":..,"test_loss_finite":..,"saturated":[..],"column":"left",
//  "variant":"none","title":"Plain"},"bn":{..,"column":"right","variant":"bn",..}}
// Each column's object is keyed by its variant's label (plain and bn by default; the two
// labels always differ, as left and right must).
// Non-finite numbers are written as null (JSON has no NaN), unknown memory figures as null.
// `scene_path` may be empty.
std::string SummaryJson(const TrainConfig& config, const Dataset& dataset, const TrainOutcome& outcome,
                        const std::string& scene_path);

}  // namespace bnlab
