// The GUI's views by name. Here, beside the settings, because a scene file names the view it
// opens (`view = "noise"`) and `bnlab --view` takes the same names; the GUI draws them.
#pragma once

#include <string>

namespace bnlab {

enum class View {
  kDashboard,
  kLoss,
  kActivations,
  kDistribution,
  kGradients,
  kNoise,
  kBatchSweep,
  kTrainEval,
  kInsideBn,
  kLandscape,
  kBoundary,
  kCount
};

// "dashboard", "loss", "activations", "distribution", "gradients", "noise", "batch-sweep", "train-eval",
// "inside-bn", "landscape", "boundary".
const char* ViewName(View view);
const char* ViewTitle(View view);       // as shown on the tab ("Batch-size noise")
const char* ViewShortTitle(View view);  // on a tab where the titles do not fit one row ("Noise")
bool ParseView(const std::string& name, View* view);
// Every view name, comma-separated in tab order, for help texts and error messages.
std::string ViewNameList();

}  // namespace bnlab
