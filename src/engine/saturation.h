// The saturation rule: where each activation is flat. bnlab's one table of the activations
// (name, symbol, threshold), which the flags, the probes' saturated share and the views' shading
// all read.
#pragma once

#include "engine/layers.h"

namespace bnlab {

// Each activation, and what bnlab calls its saturation: the input z where the derivative is
// nearly or exactly 0. Sigmoid |z| > 4 (σ′ < 0.018), tanh |z| > 2 (tanh′ < 0.071), ReLU z ≤ 0.
// The one place these facts live: the probes count by them, the views shade and say them.
struct ActivationInfo {
  ActivationKind kind;
  const char* name;    // "sigmoid": the flag's and scene file's value
  const char* symbol;  // "σ"
  double threshold;    // saturated beyond ±threshold (two-sided), or at or below it (one-sided)
  bool two_sided;
  const char* zone;  // "|z| > 4"
  const char* rule;  // "|z| > 4, where σ′(z) < 0.018"
};
inline constexpr ActivationInfo kActivationInfo[] = {
    {ActivationKind::kSigmoid, "sigmoid", "\u03c3", 4.0, true, "|z| > 4", "|z| > 4, where \u03c3\u2032(z) < 0.018"},
    {ActivationKind::kTanh, "tanh", "tanh", 2.0, true, "|z| > 2", "|z| > 2, where tanh\u2032(z) < 0.071"},
    {ActivationKind::kRelu, "relu", "ReLU", 0.0, false, "z \u2264 0", "z \u2264 0, where ReLU\u2032(z) = 0"},
};
const ActivationInfo& InfoOf(ActivationKind kind);
bool IsSaturated(ActivationKind kind, double z);

}  // namespace bnlab
