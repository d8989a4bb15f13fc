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

// A fitted slope of a falling curve against the one a theory predicts (< 0), by the same rule,
// with the fit's standard error as the spread: steeper or shallower only beyond it. A fit whose error exceeds
// kWideSlopeError says nothing about the theory either way (wide); one without an error
// (too few points) is unknown.
enum class SlopeCall { kUnknown, kWide, kAsTheory, kSteeper, kShallower };
inline constexpr double kWideSlopeError = 0.1;
SlopeCall CompareSlope(double slope, double error, double theory);

}  // namespace bnlab
