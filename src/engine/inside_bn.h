// One BN unit on one real mini-batch, forward and backward, as the numbers the Inside BN view
// shows: the formula applied to actual values (claims 1 and 2), and the backward pass split
// into its three terms.
#pragma once

#include "engine/network.h"

#include <vector>

namespace bnlab {

struct BnUnitRecord {
  int layer = 0;  // hidden layer (0-based)
  int unit = 0;
  Placement placement = Placement::kBefore;
  float eps = 0.0f;
  float gamma = 0.0f, beta = 0.0f;  // as the forward pass used them (read before the update)
  // One entry per sample of the batch, in batch order.
  std::vector<int> group;         // the statistics group of each sample (all 0 without ghost BN)
  std::vector<float> x;           // BN's input (W·a before the activation; the activation's output after it)
  std::vector<float> x_hat;       // (x − μ_B)/√(σ²_B + ε)
  std::vector<float> y;           // γ·x̂ + β
  std::vector<float> activation;  // the activation's output: σ(y) with BN before it, σ(z) = x with BN after
  // Per group: μ_B, σ²_B (biased).
  std::vector<float> batch_mean, batch_var;
  // Backward, g = dL/dy:
  std::vector<float> dy;
  float dgamma = 0.0f;  // this unit's Σ_i g_i·x̂_i
  float dbeta = 0.0f;   // this unit's Σ_i g_i
  // dL/dx_i = γ/√(σ²_B+ε) · ( g_i − (1/n)Σ_j g_j − x̂_i·(1/n)Σ_j g_j·x̂_j ), n the group's size:
  std::vector<float> dx_direct;    // γ/√(σ²_B+ε)·g_i                     (through x̂ directly)
  std::vector<float> dx_via_mean;  // −γ/√(σ²_B+ε)·(1/n)Σ_j g_j           (through μ_B)
  std::vector<float> dx_via_var;   // −γ/√(σ²_B+ε)·x̂_i·(1/n)Σ_j g_j·x̂_j   (through σ²_B)
  std::vector<float> dx;           // the engine's own dL/dx, which the three terms add up to
  // Every unit of the layer over the batch: mean and biased variance of x̂ (0 and ~1 by
  // construction) and of y (set by γ and β).
  std::vector<float> xhat_mean, xhat_var, y_mean, y_var;

  int batch_size() const { return static_cast<int>(x.size()); }
};

// Reads a BN net's caches after ForwardTrain and Backward of one batch, before the SGD update
// (so γ and β are the ones the batch saw). `unit` is clamped to the layer. Reuses out's storage.
// Only BatchNorm layers (bn, bn-after, bn-bias, ghost-bn; BatchNormColumn in trainer.h) have
// these caches: throws std::invalid_argument for a net without (plain, LayerNorm, renorm).
void RecordBnUnit(const Network<Scalar>& net, int layer, int unit, BnUnitRecord* out);

// The identity what-if of claim 2, on the record's own numbers: with γ = √(σ²_B + ε) and
// β = μ_B, y = γ·x̂ + β gives back x. Returns max_i |y_i − x_i| (float rounding only).
double IdentityWhatIfError(const BnUnitRecord& record, std::vector<float>* y_identity = nullptr);

}  // namespace bnlab
