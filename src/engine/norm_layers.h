// The normalizations the twins can be compared with beside BatchNorm (layers.h), each a small
// struct like the other layers: parameters and gradients as members, a forward that caches
// what its backward needs, and the backward. Shapes: features × batch, one sample per column.
#pragma once

#include "engine/types.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace bnlab {

// ---------------------------------------------------------------------------------------------
// Layer normalization (Ba, Kiros, Hinton 2016): the statistics of one sample over the H units
// of the layer, so nothing depends on the batch (the same in training and at test time):
//   μ_i = (1/H) Σ_k x_ki,  σ²_i = (1/H) Σ_k (x_ki − μ_i)²,  x̂_ki = (x_ki − μ_i)/√(σ²_i + ε),
//   y_ki = γ_k·x̂_ki + β_k   (γ, β per unit, as in the paper)
template <typename T>
struct LayerNorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;
  using RowV = Eigen::Matrix<T, 1, Eigen::Dynamic>;

  V gamma, beta;    // (units)
  V dgamma, dbeta;  // (units)
  T eps = T(1e-5);

  // Cache for the backward pass.
  M x_hat;          // (units, batch)
  RowV mean;        // (batch) μ_i
  RowV var;         // (batch) σ²_i
  RowV inv_std;     // (batch) 1/√(σ²_i + ε)
  M grad_xhat;      // (units, batch) backward scratch: γ ⊙ dL/dy

  void Init(int units) {
    gamma.setOnes(units);
    beta.setZero(units);
    dgamma.setZero(units);
    dbeta.setZero(units);
  }
  int units() const { return static_cast<int>(gamma.size()); }

  void Forward(const Eigen::Ref<const M>& x, M& y) {
    assert(x.rows() == gamma.size() && "LayerNorm::Forward: rows must equal units");
    const T h = static_cast<T>(x.rows());
    mean.noalias() = x.colwise().sum() / h;
    x_hat.resize(x.rows(), x.cols());
    x_hat.noalias() = x.rowwise() - mean;
    var.noalias() = x_hat.colwise().squaredNorm() / h;
    inv_std = (var.array() + eps).rsqrt().matrix();
    x_hat.array().rowwise() *= inv_std.array();
    y.resize(x.rows(), x.cols());
    y.noalias() = x_hat;
    y.array().colwise() *= gamma.array();
    y.colwise() += beta;
  }

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
    dx.resize(dy.rows(), dy.cols());
    dx.noalias() = h * grad_xhat;
    dx.rowwise() -= grad_xhat.colwise().sum();
    dx.array() -= x_hat.array().rowwise() * grad_xhat.cwiseProduct(x_hat).colwise().sum().array();
    dx.array().rowwise() *= (inv_std.array() / h);
  }
};

// ---------------------------------------------------------------------------------------------
// Batch renormalization (Ioffe 2017, Algorithm 1): BN whose batch statistics are corrected
// toward the moving averages μ, σ, the published fix for small batches:
//   μ_B = (1/m) Σ_i x_i,  σ_B = √(ε + (1/m) Σ_i (x_i − μ_B)²)
//   r = clip(σ_B/σ, 1/r_max, r_max),  d = clip((μ_B − μ)/σ, −d_max, d_max)   (no gradient)
//   x̂_i = r·(x_i − μ_B)/σ_B + d,  y_i = γ·x̂_i + β
//   then μ += α(μ_B − μ), σ += α(σ_B − σ); at test time y = γ·(x − μ)/σ + β.
// With r_max = 1, d_max = 0 it is BatchNorm.
template <typename T>
struct BatchRenorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;

  V gamma, beta;               // (units)
  V dgamma, dbeta;             // (units)
  V running_mean, running_std; // (units) the moving averages μ and σ of the paper
  T momentum = T(0.1);         // α
  T eps = T(1e-5);
  T r_max = T(3);
  T d_max = T(5);

  // Cache for the backward pass.
  M x_tilde;      // (units, batch) (x − μ_B)/σ_B
  M x_hat;        // (units, batch) r·x̃ + d
  V batch_mean;   // (units) μ_B
  V batch_std;    // (units) σ_B, ε included
  V r, d;         // (units) the corrections, constants for the backward pass

  void Init(int units) {
    gamma.setOnes(units);
    beta.setZero(units);
    dgamma.setZero(units);
    dbeta.setZero(units);
    running_mean.setZero(units);
    running_std.setOnes(units);
  }
  int units() const { return static_cast<int>(gamma.size()); }

  void ForwardTrain(const Eigen::Ref<const M>& x, M& y) {
    assert(x.rows() == gamma.size() && "BatchRenorm::ForwardTrain: rows must equal units");
    const T m = static_cast<T>(x.cols());
    batch_mean.noalias() = x.rowwise().sum() / m;
    x_tilde.resize(x.rows(), x.cols());
    x_tilde.noalias() = x.colwise() - batch_mean;
    batch_std = (x_tilde.rowwise().squaredNorm().array() / m + eps).sqrt().matrix();
    x_tilde.array().colwise() /= batch_std.array();
    r = (batch_std.array() / running_std.array()).max(T(1) / r_max).min(r_max).matrix();
    d = ((batch_mean - running_mean).array() / running_std.array()).max(-d_max).min(d_max).matrix();
    x_hat.resize(x.rows(), x.cols());
    x_hat.noalias() = x_tilde;
    x_hat.array().colwise() *= r.array();
    x_hat.colwise() += d;
    y.resize(x.rows(), x.cols());
    y.noalias() = x_hat;
    y.array().colwise() *= gamma.array();
    y.colwise() += beta;
  }

  void UpdateRunningStats() {
    running_mean += momentum * (batch_mean - running_mean);
    running_std += momentum * (batch_std - running_std);
  }

  void ForwardEval(const Eigen::Ref<const M>& x, M& y) const {
    y.resize(x.rows(), x.cols());
    y.noalias() = x;
    y.colwise() -= running_mean;
    y.array().colwise() *= (gamma.array() / running_std.array());
    y.colwise() += beta;
  }

  // r and d are constants here, so this is BN's backward through x̃ scaled by r:
  //   dβ = Σ_i g_i,  dγ = Σ_i g_i·x̂_i,  with ğ_i = r·γ·g_i:
  //   dx_i = (1/(m·σ_B)) · ( m·ğ_i − Σ_j ğ_j − x̃_i·Σ_j ğ_j·x̃_j )
  void Backward(const Eigen::Ref<const M>& dy, M& dx) {
    const T m = static_cast<T>(dy.cols());
    dbeta.noalias() = dy.rowwise().sum();
    dgamma.noalias() = dy.cwiseProduct(x_hat).rowwise().sum();
    dx.resize(dy.rows(), dy.cols());
    dx.noalias() = dy;
    dx.array().colwise() *= (r.array() * gamma.array());  // ğ
    const V sum_g = dx.rowwise().sum();
    const V sum_gx = dx.cwiseProduct(x_tilde).rowwise().sum();
    dx *= m;
    dx.colwise() -= sum_g;
    dx.array() -= x_tilde.array().colwise() * sum_gx.array();
    dx.array().colwise() /= (m * batch_std.array());
  }
};

}  // namespace bnlab
