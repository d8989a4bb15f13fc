// Layer normalization, one (γ, β) per unit, statistics over the units of each sample.
// Shapes follow types.h: features × batch, one sample per column. The functions every
// normalization has are listed in norm.h.
#pragma once

#include "engine/config.h"
#include "engine/norms/norm_footprint.h"
#include "engine/types.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace bnlab {

// Layer normalization (Ba, Kiros, Hinton 2016): the statistics of one sample over the H units
// of the layer, so nothing depends on the batch (the same in training and at test time):
//   μ_i = (1/H) Σ_k x_ki,  σ²_i = (1/H) Σ_k (x_ki − μ_i)²,  x̂_ki = (x_ki − μ_i)/√(σ²_i + ε),
//   y_ki = γ_k·x̂_ki + β_k   (γ, β per unit, as in the paper)
// A per-unit bias in front of it is not redundant (the statistics run over the units, so a
// shift b_k changes x̂), unlike in front of BN; the network keeps it.
template <typename T>
struct LayerNorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;
  using RowV = Eigen::Matrix<T, 1, Eigen::Dynamic>;
  static constexpr VariantInfo kVariants[] = {
      {"layernorm", "layernorm", "LayerNorm",
       "Layer Normalization (Ba, Kiros, Hinton 2016): each sample normalized over the units of its layer, so "
       "nothing depends on the batch, in training or at test time.",
       0xf05faf},  // pink
  };
  static constexpr bool kUsesBatchStatistics = false;
  // γ, β and their gradients; per sample μ_i, σ²_i, 1/√(σ²_i + ε) and the backward's two sums;
  // per unit and sample x̂ and the backward's γ ⊙ g; ForwardEval's own x̂.
  static constexpr NormFootprint kFootprint = {4, 2, 5, 1};

  V gamma, beta;    // (units)
  V dgamma, dbeta;  // (units)
  T eps = T(1e-5);

  // Cache for the backward pass.
  M x_hat;                       // (units, batch)
  RowV mean;                     // (batch) μ_i
  RowV var;                      // (batch) σ²_i
  RowV inv_std;                  // (batch) 1/√(σ²_i + ε)
  M grad_xhat;                   // (units, batch) backward scratch: γ ⊙ dL/dy
  RowV sum_grad, sum_grad_xhat;  // (batch) backward scratch: Σ_k ĝ_ki and Σ_k ĝ_ki·x̂_ki

  void Init(int units) {
    gamma.setOnes(units);
    beta.setZero(units);
    dgamma.setZero(units);
    dbeta.setZero(units);
  }
  void Configure(const NetConfig& config) { eps = static_cast<T>(config.bn_eps); }
  int units() const { return static_cast<int>(gamma.size()); }

  void ForwardTrain(const Eigen::Ref<const M>& x, M& y) {
    assert(x.rows() == gamma.size() && "LayerNorm::ForwardTrain: rows must equal units");
    Normalize(x, eps, mean, var, inv_std, x_hat);
    Affine(x_hat, y);
  }

  // The same transform without touching the caches (inference; any batch, any mode): the
  // same operations in the same order, so a sample's output is the training one, bit for bit.
  void ForwardEval(const Eigen::Ref<const M>& x, M& y) const {
    assert(x.rows() == gamma.size() && "LayerNorm::ForwardEval: rows must equal units");
    RowV sample_mean, sample_var, sample_inv_std;
    M normalized;
    Normalize(x, eps, sample_mean, sample_var, sample_inv_std, normalized);
    Affine(normalized, y);
  }

  void UpdateRunningStats(int /*batch_size*/) {}  // none: nothing depends on the batch

  // With ĝ = γ ⊙ g (g = dL/dy), per sample over its H units:
  //   dβ = Σ_i g_i,  dγ = Σ_i g_i ⊙ x̂_i
  //   dx_i = (1/(H·√(σ²_i+ε))) · ( H·ĝ_i − Σ_k ĝ_ki − x̂_i·Σ_k ĝ_ki·x̂_ki )
  void Backward(const Eigen::Ref<const M>& dy, M& dx) {
    const T h = static_cast<T>(dy.rows());
    dbeta.noalias() = dy.rowwise().sum();
    dgamma.noalias() = dy.cwiseProduct(x_hat).rowwise().sum();
    grad_xhat.resize(dy.rows(), dy.cols());
    grad_xhat.noalias() = dy;
    grad_xhat.array().colwise() *= gamma.array();
    // Reductions into their own buffers: a broadcast of an unevaluated reduction would
    // allocate a temporary every step.
    sum_grad.noalias() = grad_xhat.colwise().sum();
    sum_grad_xhat.noalias() = grad_xhat.cwiseProduct(x_hat).colwise().sum();
    dx.resize(dy.rows(), dy.cols());
    dx.noalias() = h * grad_xhat;
    dx.rowwise() -= sum_grad;
    dx.array() -= x_hat.array().rowwise() * sum_grad_xhat.array();
    dx.array().rowwise() *= inv_std.array();  // a broadcast expression (inv_std/h) would allocate
    dx /= h;
  }

 private:
  static void Normalize(const Eigen::Ref<const M>& x, T eps, RowV& mean, RowV& var, RowV& inv_std, M& x_hat) {
    const T h = static_cast<T>(x.rows());
    mean.noalias() = x.colwise().sum() / h;
    x_hat.resize(x.rows(), x.cols());
    x_hat.noalias() = x.rowwise() - mean;
    var.noalias() = x_hat.colwise().squaredNorm() / h;
    inv_std = (var.array() + eps).rsqrt().matrix();
    x_hat.array().rowwise() *= inv_std.array();
  }
  void Affine(const M& normalized, M& y) const {
    y.resize(normalized.rows(), normalized.cols());
    y.noalias() = normalized;
    y.array().colwise() *= gamma.array();
    y.colwise() += beta;
  }
};

}  // namespace bnlab
