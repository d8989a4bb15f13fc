// The measurements the views show, computed by the engine so the GUI and the headless
// commands share them.
#pragma once

#include "engine/network.h"

#include <algorithm>
#include <vector>

namespace bnlab {

struct Histogram {
  double lo = 0.0;               // left edge of the first bin
  double hi = 1.0;               // right edge of the last bin
  std::vector<float> fractions;  // share of values per bin; values outside [lo, hi] go to the edge bins
};

struct LayerProbe {
  Histogram z_hist;       // the activation's input z, all units × probe batch
  Histogram a_hist;       // the activation's output
  double unit_p15 = 0.0;  // percentiles of the chosen unit's z (paper Fig. 1 b,c)
  double unit_p50 = 0.0;
  double unit_p85 = 0.0;
  double saturated_share = 0.0;  // share of z in the flat part of the activation (IsSaturated)
  double z_mean = 0.0;
  double z_std = 0.0;
  double grad_norm = 0.0;        // ‖dW‖_F of the last step
  double update_ratio = 0.0;     // ‖ΔW‖_F / ‖W‖_F of the last step
  double weight_norm = 0.0;      // ‖W‖_F
  double bias_grad_norm = -1.0;  // ‖db‖ of the bias before the activation/BN; −1 when there is none
  // Normalization layers only (0 in the plain net): γ, β of BN, LayerNorm or renorm.
  double gamma_mean = 0.0;
  double beta_mean = 0.0;
  // Layers with running statistics only (BN, renorm; 0 otherwise).
  double running_mean_avg = 0.0;  // mean over units of the running mean
  double running_var_avg = 0.0;   // mean over units of the running variance (renorm: σ² − ε)
};

struct NetProbe {
  long step = 0;
  std::vector<LayerProbe> layers;  // one per hidden layer
};

// Histogram ranges for an activation kind: z around the non-linearity, and its outputs.
void ActivationInputRange(ActivationKind kind, double* lo, double* hi);
void ActivationOutputRange(ActivationKind kind, double* lo, double* hi);

// Bins values into `bins` equal bins over [lo, hi] as fractions of `count`; values outside
// land in the edge bins so that saturation far out stays visible.
Histogram MakeHistogram(const float* values, Eigen::Index count, double lo, double hi, int bins);

// Linear-interpolated percentile (q in [0, 100]) of an ascending-sorted array.
template <typename T>
double SortedPercentile(const std::vector<T>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double position = q / 100.0 * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(position);
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double t = position - static_cast<double>(below);
  return (1.0 - t) * static_cast<double>(sorted[below]) + t * static_cast<double>(sorted[above]);
}

// Forward pass on the probe samples as the net sees them in training at batch size m: BN
// normalizes each group of m probe samples with that group's own μ_B, σ²_B (so at m = 1 every
// BN output is β). The gradient and update figures are those of the last training step.
NetProbe ProbeNetwork(const Network<Scalar>& net, const Eigen::Ref<const Matrix>& probe_x, int batch_size,
                      int probe_unit, Workspace<Scalar>& ws);

// How many probe samples to use at batch size m: whole groups of m, at least `target`
// samples (one group when m ≥ target), at most `available` (then as many whole groups fit).
int ProbeSampleCount(int batch_size, int target, int available);

}  // namespace bnlab
