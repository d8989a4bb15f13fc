// The live verdict of a scene: one sentence computed from the snapshot on screen, so a
// lesson's claim is always checked against the numbers the class is looking at.
#pragma once

#include "engine/differ.h"
#include "settings/lesson.h"
#include "session/snapshot.h"

#include <string>

namespace bnlab {

struct VerdictText {
  std::string text;    // e.g. "BN ahead by 21 points: 81% vs 60% test accuracy (step 1 000)"
  bool ready = false;  // false: the figures it needs are not there yet (text says what it waits for)
};

VerdictText ComputeVerdict(Verdict verdict, const Snapshot& snapshot);

// Differ and SpreadOfDifference, the rule every verdict uses, are in engine/differ.h.

// The noise of a figure from its newest `count` measurements in `history`: the root mean square
// of the changes from one measurement to the next, over √2 (a slow trend cancels out of the
// changes; independent noise of spread σ gives changes of spread σ√2). HUGE_VAL with fewer
// than three measurements: too few to tell.
double RecentSpread(const History& history, std::size_t count = 6);

// A ratio a/b printed with the digits that keep it true: "1.02× larger", "1.3× smaller",
// "14× larger"; never "1.0×" for two figures that differ.
std::string RatioText(double ratio);

// 1234567 -> "1 234 567", the groups joined by a narrow no-break space (U+202F), so that
// ImGui never wraps a number across two lines.
std::string GroupedSteps(long step);

}  // namespace bnlab
