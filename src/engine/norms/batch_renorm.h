// Batch renormalization, BN with its batch statistics corrected toward the moving averages.
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

// Batch renormalization (Ioffe 2017, Algorithm 1): BN whose batch statistics are corrected
// toward the moving averages μ, σ, the published fix for small batches:
//   μ_B = (1/m) Σ_i x_i,  σ_B = √(ε + (1/m) Σ_i (x_i − μ_B)²)
//   r = clip(σ_B/σ, 1/r_max, r_max),  d = clip((μ_B − μ)/σ, −d_max, d_max)   (no gradient)
//   x̂_i = r·(x_i − μ_B)/σ_B + d,  y_i = γ·x̂_i + β
//   then μ += α(μ_B − μ), σ += α(σ_B − σ); at test time y = γ·(x − μ)/σ + β.
// With the clips open, x̂ = (x − μ)/σ: the training output no longer depends on the batch-mates,
// only the gradient does (through μ_B, σ_B with r, d held). With r_max = 1, d_max = 0 it is
// BatchNorm, and computed with BN's own operations, bit for bit.
// The paper ramps r_max up from 1 and d_max from 0 over the first steps of training; bnlab
// uses fixed values from the settings (renorm-rmax, renorm-dmax), a simplification.
template <typename T>
struct BatchRenorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;
  static constexpr VariantInfo kVariants[] = {
      {"renorm", "renorm", "Batch Renorm",
       "Batch Renormalization (Ioffe 2017): BN whose batch statistics are corrected toward the running ones "
       "(r, d clipped at renorm-rmax, renorm-dmax), made for small batches.",
       0xd7aa5f},  // tan (red means alarm)
  };
  static constexpr bool kUsesBatchStatistics = true;
  // γ, β, their gradients, running μ and σ, population μ and σ², μ_B, σ²_B, 1/σ_B, r, d and
  // the backward's two sums; per unit and sample x̃ and x̂.
  static constexpr NormFootprint kFootprint = {15, 2, 0, 0};

  V gamma, beta;                // (units)
  V dgamma, dbeta;              // (units)
  V running_mean, running_std;  // (units) the moving averages μ and σ of the paper (σ includes ε)
  T momentum = T(0.1);          // α
  T eps = T(1e-5);
  T r_max = T(3);
  T d_max = T(5);
  // Finite-difference checks only: ForwardTrain keeps r and d of the previous call, as the
  // backward pass treats them (the paper's stop_gradient).
  bool hold_corrections = false;

  // Cache for the backward pass.
  M x_tilde;                    // (units, batch) (x − μ_B)/σ_B
  M x_hat;                      // (units, batch) r·x̃ + d
  V batch_mean;                 // (units) μ_B
  V batch_var;                  // (units) (1/m) Σ_i (x_i − μ_B)², biased, without ε
  V inv_std;                    // (units) 1/σ_B = 1/√(σ²_B + ε)
  V r, d;                       // (units) the corrections, constants for the backward pass
  V sum_grad, sum_grad_xtilde;  // (units) backward scratch: Σ_i g_i and Σ_i g_i·x̃_i

  void Init(int units) {
    gamma.setOnes(units);
    beta.setZero(units);
    dgamma.setZero(units);
    dbeta.setZero(units);
    running_mean.setZero(units);
    running_std.setOnes(units);
  }
  void Configure(const NetConfig& config) {
    momentum = static_cast<T>(config.bn_momentum);
    eps = static_cast<T>(config.bn_eps);
    r_max = static_cast<T>(config.renorm_r_max);
    d_max = static_cast<T>(config.renorm_d_max);
  }
  int units() const { return static_cast<int>(gamma.size()); }
  // Renorm has no ghost groups: the statistics of the whole batch of m.
  Eigen::Index GroupSize(Eigen::Index m) const { return std::max<Eigen::Index>(m, 1); }

  void ForwardTrain(const Eigen::Ref<const M>& x, M& y) {
    assert(x.rows() == gamma.size() && "BatchRenorm::ForwardTrain: rows must equal units");
    const T m = static_cast<T>(x.cols());
    // μ_B, σ²_B and x̃ exactly as BatchNorm::ForwardTrain computes μ_B, σ²_B and x̂.
    batch_mean.noalias() = x.rowwise().sum() / m;
    x_tilde.resize(x.rows(), x.cols());
    x_tilde.noalias() = x.colwise() - batch_mean;
    batch_var.noalias() = x_tilde.rowwise().squaredNorm() / m;
    inv_std = (batch_var.array() + eps).rsqrt().matrix();
    x_tilde.array().colwise() *= inv_std.array();
    if (!hold_corrections) {
      // σ_B/σ = 1/(σ·(1/σ_B)).
      r = (running_std.array() * inv_std.array()).inverse().max(T(1) / r_max).min(r_max).matrix();
      d = ((batch_mean - running_mean).array() / running_std.array()).max(-d_max).min(d_max).matrix();
    }
    x_hat.resize(x.rows(), x.cols());
    x_hat.noalias() = x_tilde;
    x_hat.array().colwise() *= r.array();
    x_hat.colwise() += d;
    y.resize(x.rows(), x.cols());
    y.noalias() = x_hat;
    y.array().colwise() *= gamma.array();
    y.colwise() += beta;
  }

  void UpdateRunningStats(int /*batch_size*/) {
    running_mean += momentum * (batch_mean - running_mean);
    running_std += momentum * ((batch_var.array() + eps).sqrt().matrix() - running_std);
  }

  // Training's transform on a batch with the given μ_B and biased σ²_B, without touching the
  // caches: what the net computes on a batch in training, without side effects.
  void ForwardBatch(const Eigen::Ref<const M>& x, const Eigen::Ref<const V>& mean, const Eigen::Ref<const V>& var,
                    M& y) const {
    const V inv = (var.array() + eps).rsqrt().matrix();
    const V rr = (running_std.array() * inv.array()).inverse().max(T(1) / r_max).min(r_max).matrix();
    const V dd = ((mean - running_mean).array() / running_std.array()).max(-d_max).min(d_max).matrix();
    y.resize(x.rows(), x.cols());
    y.noalias() = x;
    y.colwise() -= mean;
    y.array().colwise() *= (inv.array() * rr.array() * gamma.array());
    y.colwise() += (gamma.cwiseProduct(dd) + beta);
  }

  // Eval mode with the moving averages: y = γ·(x − μ)/σ + β.
  void ForwardEval(const Eigen::Ref<const M>& x, M& y) const {
    y.resize(x.rows(), x.cols());
    y.noalias() = x;
    y.colwise() -= running_mean;
    y.array().colwise() *= (gamma.array() / running_std.array());
    y.colwise() += beta;
  }

  // Eval mode with other statistics (the population's μ and unbiased σ²), as BN's eval:
  // y = γ·(x − μ)/√(σ² + ε) + β.
  void ForwardEval(const Eigen::Ref<const M>& x, const Eigen::Ref<const V>& mean, const Eigen::Ref<const V>& var,
                   M& y) const {
    y.resize(x.rows(), x.cols());
    y.noalias() = x;
    y.colwise() -= mean;
    y.array().colwise() *= (gamma.array() * (var.array() + eps).rsqrt());
    y.colwise() += beta;
  }

  const V& RunningMean() const { return running_mean; }
  // The variance the moving σ stands for, σ² − ε (σ includes ε), in the caller's precision U.
  template <typename U = T>
  VectorT<U> RunningVar() const {
    return (running_std.template cast<U>().array().square() - static_cast<U>(eps)).matrix();
  }

  // r and d are constants here, so this is BN's backward through x̃, scaled by r:
  //   dβ = Σ_i g_i,  dγ = Σ_i g_i·x̂_i
  //   dx_i = r·γ/(m·σ_B) · ( m·g_i − Σ_j g_j − x̃_i·Σ_j g_j·x̃_j )
  // in BatchNorm::Backward's order of operations (so r = 1 gives BN's bits).
  void Backward(const Eigen::Ref<const M>& dy, M& dx) {
    const T m = static_cast<T>(dy.cols());
    sum_grad.noalias() = dy.rowwise().sum();
    sum_grad_xtilde.noalias() = dy.cwiseProduct(x_tilde).rowwise().sum();
    dx.resize(dy.rows(), dy.cols());
    dx.noalias() = m * dy;
    dx.colwise() -= sum_grad;
    dx.array() -= x_tilde.array().colwise() * sum_grad_xtilde.array();
    dx.noalias() = (r.cwiseProduct(gamma).cwiseProduct(inv_std) / m).asDiagonal() * dx;
    dbeta = sum_grad;
    dgamma.noalias() = dy.cwiseProduct(x_hat).rowwise().sum();
  }
};

}  // namespace bnlab
