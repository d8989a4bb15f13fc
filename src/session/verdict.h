// The live verdict of a scene: one sentence computed from the snapshot on screen, so a
// lesson's claim is always checked against the numbers the class is looking at.
#pragma once

#include "settings/lesson.h"
#include "session/snapshot.h"

#include <string>

namespace bnlab {

struct VerdictText {
  std::string text;    // e.g. "BN ahead by 21 points: 81% vs 60% test accuracy (step 1 000)"
  bool ready = false;  // false: the figures it needs are not there yet (text says what it waits for)
};

VerdictText ComputeVerdict(Verdict verdict, const Snapshot& snapshot);

// 1234567 -> "1 234 567" (thin groups, as the views print step counts).
std::string GroupedSteps(long step);

}  // namespace bnlab
