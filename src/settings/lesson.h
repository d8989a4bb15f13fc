// What makes a scene a lesson: its place in the lecture, the view it opens, its speed, the
// caption shown above the views, the live verdict that goes with it, and pause points.
// Scene files set these with the keys below; the settings table (settings.h) knows nothing of
// them, because they describe how to show a run, not the run.
//
//   order   = 1                   # lecture order: keys 1-9 and Page Up/Down follow it
//   view    = "dashboard"         # the view it opens (bnlab --view names)
//   speed   = 40                  # training steps per second; 0 = as fast as possible
//   caption = "BN keeps ..."      # the claim and what to look at, always on screen
//   verdict = "accuracy"          # a sentence computed from the numbers on screen (below)
//   pauses  = [ { step = 300, caption = "Both nets ...", checks = { right = [76, 77] } } ]
//
// A pause's `checks` are the figures its caption states, each as a range of whole percent (or
// points), so that a test can hold the caption to the numbers on screen at that step
// (tests/scenes/check_captions.py: a headless run of the scene to the pause's step must land in
// every range, and the caption must state every range it checks). The figures, per column
// (left, right, or both: each of the two):
//   COLUMN                    test accuracy with the scene's eval-stats (the headline number)
//   COLUMN-batch, -running, -population   test accuracy with those statistics (Train vs eval)
//   COLUMN-saturated-l1, -l2, -l3         share of sigmoid inputs beyond +-4 in that layer
//   lead                      right's test accuracy minus left's, in points (as printed)
#pragma once

#include <string>
#include <vector>

namespace bnlab {

// The live verdicts a scene can show. Each is computed from the current snapshot by the GUI
// (session/verdict.h), so its numbers are always those on screen.
enum class Verdict {
  kNone,
  kAccuracy,        // both nets' test accuracy and who leads by how many points
  kSaturation,      // share of sigmoid inputs in the flat tails, the most saturated layer, both nets
  kGradients,       // first- vs last-layer gradient norm of each net
  kNoise,           // fitted slope of the batch mean's spread against m (Batch-size noise view)
  kTestTime,        // the BN net's test accuracy with batch, running and population statistics
  kInsideBn,        // mean and variance of x_norm on the recorded batch (Inside BN view)
  kBias,            // the gradient of the bias in front of BN (exactly zero)
  kLossDifference,  // the largest gap between the two columns' training losses (BN vs BN + bias)
  kBatchSweep,      // the batch sizes that train BN best, from the Batch size view's sweep
  kCount
};

const char* VerdictName(Verdict verdict);  // "accuracy", ...; "" for kNone
bool ParseVerdict(const std::string& name, Verdict* verdict);
std::string VerdictNameList();  // "accuracy, saturation, ..."

// One figure a pause caption states: its name (above) and the range [low, high] it lies in.
struct CaptionCheck {
  std::string figure;
  long low = 0;
  long high = 0;
};

bool IsCaptionFigure(const std::string& name);
std::string CaptionFigureList();  // "left, left-batch, ..."

struct PausePoint {
  long step = 0;                       // training pauses once this many steps are done
  std::string caption;                 // shown while paused there
  std::vector<CaptionCheck> checks{};  // the figures the caption states, by name
};

struct Lesson {
  int order = 0;     // 1, 2, ...: lecture order; 0 = after the ordered ones
  std::string view;  // a view name, or "" to keep the current view
  bool has_speed = false;
  double speed = 0.0;  // steps per second, 0 = as fast as possible
  std::string caption;
  Verdict verdict = Verdict::kNone;
  std::vector<PausePoint> pauses;  // ascending steps
  bool present = false;            // opens in the presentation layout (the window's P)
};

inline constexpr int kMaxLessonOrder = 99;
inline constexpr std::size_t kMaxPauses = 16;
inline constexpr long kMaxCheckValue = 100;  // percent or points; a lead may be negative
inline constexpr double kMaxSceneSpeed = 2000.0;

}  // namespace bnlab
