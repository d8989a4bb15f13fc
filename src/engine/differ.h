// The one rule for "these two figures differ", for every verdict and every sentence a view or a
// command writes: a difference is called one only when it is larger than the measured spread of
// the difference (the figures' own noise); else the two are "about the same". An unknown spread
// (too few measurements, HUGE_VAL) never makes a difference. In the engine, so that its
// experiments' verdicts and the session's live ones use the same rule.
#pragma once

namespace bnlab {

bool Differ(double a, double b, double spread);

// The spread of a difference a − b of two figures with independent noise: √(σ_a² + σ_b²).
double SpreadOfDifference(double spread_a, double spread_b);

}  // namespace bnlab
