// BatchNorm, one (γ, β) per unit, statistics over the batch dimension.
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

// BatchNorm over the batch dimension, one (γ, β) per unit.
//   train: μ_B = mean_i x_i, σ²_B = mean_i (x_i − μ_B)², x̂ = (x − μ_B)/√(σ²_B + ε), y = γ·x̂ + β
//   eval:  the same with the running (or population) μ, σ² in place of μ_B, σ²_B
// Ghost BN (Hoffer, Hubara, Soudry 2017): with ghost_group = g, each group of g consecutive
// samples of the batch is normalized with its own μ_B, σ²_B (a last, shorter group with its
// own), while γ, β are shared: the statistics' noise of batch size g at any SGD batch size.
// What BN's variant rows change in the shared settings (VariantInfo::shape).
inline void PlaceBnAfter(const TrainConfig& /*config*/, NetConfig& net) { net.placement = Placement::kAfter; }
inline void KeepBiasBeforeBn(const TrainConfig& /*config*/, NetConfig& net) {
  net.placement = Placement::kBefore;  // after the activation the bias is not in front of BN
  net.bias_before_bn = true;
}
inline void UseGhostGroup(const TrainConfig& config, NetConfig& net) { net.ghost_group = config.ghost_group; }

template <typename T>
struct BatchNorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;
  static constexpr VariantInfo kVariants[] = {
      {"bn", "bn", "BN",
       "Batch Normalization (Ioffe and Szegedy 2015): each unit normalized with the mean and variance of its "
       "mini-batch, before the activation unless bn-placement says after.",
       0x4ca0ff},  // blue
      {"bn-after", "bn-after", "BN after \u03c3",
       "Batch Normalization placed after the activation instead of before it.", 0x28c8aa, PlaceBnAfter},  // teal
      {"bn-bias", "bn-bias", "BN + bias",
       "Batch Normalization with the Linear bias kept in front of it: the bias's gradient is exactly zero, "
       "because \u03b2 does its job.",
       0xaa7dff, KeepBiasBeforeBn},  // violet
      {"ghost-bn", "ghost-bn", "Ghost BN",
       "Ghost Batch Normalization (Hoffer, Hubara, Soudry 2017): statistics over groups of ghost-group samples "
       "of each batch, the noise of a small batch at any batch size.",
       0x78c846, UseGhostGroup},  // green
  };
  static constexpr bool kUsesBatchStatistics = true;
  // γ, β, their gradients, running and population μ and σ², μ_B, σ²_B, 1/√(σ²_B + ε); x̂.
  static constexpr NormFootprint kFootprint = {11, 1, 0, 0};

  V gamma, beta;                // (units) learned scale and shift
  V dgamma, dbeta;              // (units)
  V running_mean, running_var;  // (units) EMA of μ_B and of the unbiased m/(m−1)·σ²_B
  T momentum = T(0.1);          // weight of the newest batch in the running averages
  T eps = T(1e-5);
  int ghost_group = 0;  // > 0: statistics over groups of this many samples; 0: the whole batch

  // Cache for the backward pass: one column per group of samples (one group without ghost BN).
  M x_hat;                        // (units, batch) normalized input
  M batch_mean;                   // (units, groups) μ_B
  M batch_var;                    // (units, groups) σ²_B, biased
  M inv_std;                      // (units, groups) 1/√(σ²_B + ε)
  M group_dy_sum, group_dyx_sum;  // (units, groups) backward: Σ_i g_i and Σ_i g_i·x̂_i per group
  V dx_scale;                     // (units) backward: γ/(n·√(σ²_B+ε)) of the current group

  void Init(int units) {
    gamma.setOnes(units);
    beta.setZero(units);
    dgamma.setZero(units);
    dbeta.setZero(units);
    running_mean.setZero(units);
    running_var.setOnes(units);
  }
  void Configure(const NetConfig& config) {
    momentum = static_cast<T>(config.bn_momentum);
    eps = static_cast<T>(config.bn_eps);
    ghost_group = config.ghost_group;
  }
  int units() const { return static_cast<int>(gamma.size()); }
  // Samples per group of statistics at batch size m.
  Eigen::Index GroupSize(Eigen::Index m) const {
    return ghost_group > 0 ? std::min<Eigen::Index>(ghost_group, std::max<Eigen::Index>(m, 1))
                           : std::max<Eigen::Index>(m, 1);
  }

  // Normalizes with the batch's own statistics and caches them; running statistics untouched.
  void ForwardTrain(const Eigen::Ref<const M>& x, M& y) {
    assert(x.rows() == gamma.size() && "BatchNorm::ForwardTrain: rows must equal units");
    const Eigen::Index m = x.cols();
    const Eigen::Index g = GroupSize(m);
    const Eigen::Index groups = (m + g - 1) / g;
    batch_mean.resize(x.rows(), groups);
    batch_var.resize(x.rows(), groups);
    inv_std.resize(x.rows(), groups);
    x_hat.resize(x.rows(), m);
    for (Eigen::Index group = 0; group < groups; ++group) {
      const Eigen::Index start = group * g;
      const Eigen::Index n = std::min(g, m - start);
      batch_mean.col(group).noalias() = x.middleCols(start, n).rowwise().sum() / static_cast<T>(n);
      x_hat.middleCols(start, n).noalias() = x.middleCols(start, n).colwise() - batch_mean.col(group);
      batch_var.col(group).noalias() = x_hat.middleCols(start, n).rowwise().squaredNorm() / static_cast<T>(n);
      inv_std.col(group) = (batch_var.col(group).array() + eps).rsqrt().matrix();
      // With one sample, x − μ_B is exactly 0, so x̂ is 0 (never NaN): every unit outputs β.
      x_hat.middleCols(start, n).array().colwise() *= inv_std.col(group).array();
    }
    y.resize(x.rows(), m);
    y.array() = (x_hat.array().colwise() * gamma.array()).colwise() + beta.array();
  }

  // Folds the last ForwardTrain's statistics into the running averages (with ghost BN, the
  // mean over the groups of μ_B and of the unbiased g/(g−1)·σ²_B).
  void UpdateRunningStats(int batch_size) {
    const Eigen::Index g = GroupSize(batch_size);
    const Eigen::Index groups = batch_mean.cols();
    running_mean = (T(1) - momentum) * running_mean + (momentum / static_cast<T>(groups)) * batch_mean.rowwise().sum();
    // The unbiased variance needs two samples; a group of one carries no variance information.
    // (A last, shorter group is weighted like the others, its bias corrected with g.)
    if (g > 1) {
      const T unbias = static_cast<T>(g) / static_cast<T>(g - 1);
      running_var =
          (T(1) - momentum) * running_var + (momentum * unbias / static_cast<T>(groups)) * batch_var.rowwise().sum();
    }
  }

  // Eval mode: a fixed affine map y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² given.
  void ForwardEval(const Eigen::Ref<const M>& x, const Eigen::Ref<const V>& mean, const Eigen::Ref<const V>& var,
                   M& y) const {
    const V scale = (gamma.array() * (var.array() + eps).rsqrt()).matrix();
    // Centred first, as in training: x = μ gives exactly β (a batch of one), never β plus
    // the rounding of a large x·scale.
    y.resize(x.rows(), x.cols());
    y.noalias() = x;
    y.colwise() -= mean;
    y.array().colwise() *= scale.array();
    y.colwise() += beta;
  }

  // Eval mode with the running statistics.
  void ForwardEval(const Eigen::Ref<const M>& x, M& y) const { ForwardEval(x, running_mean, running_var, y); }
  // Training's transform on one group with its μ_B and biased σ²_B, without touching the caches.
  void ForwardBatch(const Eigen::Ref<const M>& x, const Eigen::Ref<const V>& mean, const Eigen::Ref<const V>& var,
                    M& y) const {
    ForwardEval(x, mean, var, y);
  }
  const V& RunningMean() const { return running_mean; }
  // The running (unbiased) σ², in the caller's precision U.
  template <typename U = T>
  VectorT<U> RunningVar() const {
    return running_var.template cast<U>();
  }

  // Backward of ForwardTrain. With g = dL/dy, per group of n samples (the whole batch without
  // ghost BN):
  //   dβ = Σ_i g_i                          (first reduction)
  //   dγ = Σ_i g_i·x̂_i                      (second reduction)
  //   dx_i = γ/(n·√(σ²_B+ε)) · ( n·g_i       (direct path through x̂)
  //                            − Σ_i g_i      (through μ_B)
  //                            − x̂_i·Σ_i g_i·x̂_i )  (through σ²_B)
  // dβ and dγ add the groups' reductions up.
  void Backward(const Eigen::Ref<const M>& dy, M& dx) {
    const Eigen::Index m = dy.cols();
    const Eigen::Index g = GroupSize(m);
    const Eigen::Index groups = (m + g - 1) / g;
    group_dy_sum.resize(dy.rows(), groups);
    group_dyx_sum.resize(dy.rows(), groups);
    dx.resize(dy.rows(), m);
    for (Eigen::Index group = 0; group < groups; ++group) {
      const Eigen::Index start = group * g;
      const Eigen::Index n = std::min(g, m - start);
      const T count = static_cast<T>(n);
      group_dy_sum.col(group).noalias() = dy.middleCols(start, n).rowwise().sum();
      group_dyx_sum.col(group).noalias() =
          dy.middleCols(start, n).cwiseProduct(x_hat.middleCols(start, n)).rowwise().sum();
      dx_scale.noalias() = gamma.cwiseProduct(inv_std.col(group)) / count;
      dx.middleCols(start, n).array() =
          ((count * dy.middleCols(start, n).array()).colwise() - group_dy_sum.col(group).array() -
           x_hat.middleCols(start, n).array().colwise() * group_dyx_sum.col(group).array())
              .colwise() *
          dx_scale.array();
    }
    dbeta.noalias() = group_dy_sum.rowwise().sum();
    dgamma.noalias() = group_dyx_sum.rowwise().sum();
  }
};

}  // namespace bnlab
