// The layers, each a small struct: parameters and their gradients as named members,
// a forward that caches exactly what its backward needs, and the backward.
// Shapes follow types.h: features × batch, one sample per column.
#pragma once

#include "engine/types.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace bnlab {

enum class ActivationKind { kSigmoid, kTanh, kRelu };

// ---------------------------------------------------------------------------------------------
// Linear: Z = W·A + b
template <typename T>
struct Linear {
  using M = MatrixT<T>;
  using V = VectorT<T>;

  M W;   // (out, in) weights
  V b;   // (out) bias; empty when the layer has none (before BN it is redundant)
  M dW;  // (out, in)
  V db;  // (out)

  void Init(int in, int out, bool with_bias) {
    W.setZero(out, in);
    dW.setZero(out, in);
    b.setZero(with_bias ? out : 0);
    db.setZero(with_bias ? out : 0);
  }
  bool has_bias() const { return b.size() > 0; }
  int in() const { return static_cast<int>(W.cols()); }
  int out() const { return static_cast<int>(W.rows()); }

  void Forward(const Eigen::Ref<const M>& a, M& z) const {
    z.resize(W.rows(), a.cols());
    ForwardInto(a, z);
  }

  // The same into columns of a larger matrix (z already (out, a.cols())).
  void ForwardInto(const Eigen::Ref<const M>& a, Eigen::Ref<M> z) const {
    assert(a.rows() == W.cols() && "Linear::Forward: input rows must equal W.cols()");
    assert(z.rows() == W.rows() && z.cols() == a.cols() && "Linear::ForwardInto: z must be (out, a.cols())");
    // The bias is the product's starting value: Eigen's `z = W·a` fills z with zeros before it
    // adds the product in, so this saves a pass over z rather than adding one.
    if (has_bias()) {
      z.colwise() = b;
      z.noalias() += W * a;
    } else {
      z.noalias() = W * a;
    }
  }

  // dW = dZ·Aᵀ, db = Σ_batch dZ. The 1/m of the mean loss is already in dZ.
  void BackwardParams(const Eigen::Ref<const M>& a, const Eigen::Ref<const M>& dz) {
    dW.noalias() = dz * a.transpose();
    BackwardBias(dz);
  }
  void BackwardBias(const Eigen::Ref<const M>& dz) {
    if (has_bias()) db.noalias() = dz.rowwise().sum();
  }

  // dA = Wᵀ·dZ (not needed for the first layer).
  void BackwardInput(const Eigen::Ref<const M>& dz, M& da) const {
    da.resize(W.cols(), dz.cols());
    da.noalias() = W.transpose() * dz;
  }
};

// ---------------------------------------------------------------------------------------------
// BatchNorm over the batch dimension, one (γ, β) per unit.
//   train: μ_B = mean_i x_i, σ²_B = mean_i (x_i − μ_B)², x̂ = (x − μ_B)/√(σ²_B + ε), y = γ·x̂ + β
//   eval:  the same with the running (or population) μ, σ² in place of μ_B, σ²_B
// Ghost BN (Hoffer, Hubara, Soudry 2017): with ghost_group = g, each group of g consecutive
// samples of the batch is normalized with its own μ_B, σ²_B (a last, shorter group with its
// own), while γ, β are shared: the statistics' noise of batch size g at any SGD batch size.
template <typename T>
struct BatchNorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;

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

// ---------------------------------------------------------------------------------------------
// Element-wise activations. Each derivative is written in terms of the output a = f(z),
// so the backward needs only the cached output.
template <typename T>
struct Activation {
  using M = MatrixT<T>;
  ActivationKind kind = ActivationKind::kSigmoid;

  // Whole matrices, not Refs: Eigen then knows the coefficients are contiguous and runs one
  // vectorized loop over all of them. Column by column (a Ref's outer stride), the last few
  // rows of every column took the scalar exp: a third of the sigmoid's time at 100 units.
  void Forward(const M& z, M& a) const {
    a.resize(z.rows(), z.cols());
    switch (kind) {
      case ActivationKind::kSigmoid: a = (T(1) + (-z.array()).exp()).inverse().matrix(); break;
      case ActivationKind::kTanh: a = z.array().tanh().matrix(); break;
      case ActivationKind::kRelu: a = z.cwiseMax(T(0)); break;
    }
  }

  // dz = da ⊙ f'(z):  sigmoid a(1−a),  tanh 1−a²,  ReLU [a > 0].
  void Backward(const M& a, const M& da, M& dz) const {
    dz.resize(a.rows(), a.cols());
    switch (kind) {
      case ActivationKind::kSigmoid: dz = (da.array() * a.array() * (T(1) - a.array())).matrix(); break;
      case ActivationKind::kTanh: dz = (da.array() * (T(1) - a.array().square())).matrix(); break;
      case ActivationKind::kRelu: dz = (a.array() > T(0)).select(da, T(0)).matrix(); break;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Softmax cross-entropy, averaged over the batch: L = −(1/m) Σ_i log softmax(z_i)[y_i].
template <typename T>
struct SoftmaxCrossEntropy {
  using M = MatrixT<T>;
  using V = VectorT<T>;
  M probs;      // (classes, batch) softmax of the logits
  V max_logit;  // (batch) subtracted before exp so that exp never overflows
  V log_sum;    // (batch) log Σ_k exp(z_k − max): log p_y = z_y − max − log_sum

  // Fills probs (and the per-sample normalizers) from the logits; no labels needed.
  void Probabilities(const Eigen::Ref<const M>& logits) {
    const Eigen::Index m = logits.cols();
    probs.resize(logits.rows(), m);
    max_logit.resize(m);
    log_sum.resize(m);
    for (Eigen::Index i = 0; i < m; ++i) {
      max_logit(i) = logits.col(i).maxCoeff();
      probs.col(i) = (logits.col(i).array() - max_logit(i)).exp().matrix();
      const T sum = probs.col(i).sum();
      probs.col(i) /= sum;
      log_sum(i) = std::log(sum);
    }
  }

  // Returns the mean loss; also counts correct arg-max predictions into *correct.
  T Forward(const Eigen::Ref<const M>& logits, const Label* labels, int* correct) {
    Probabilities(logits);
    const Eigen::Index m = logits.cols();
    T loss = T(0);
    int hits = 0;
    for (Eigen::Index i = 0; i < m; ++i) {
      const Label y = labels[i];
      loss += log_sum(i) - (logits(y, i) - max_logit(i));
      Eigen::Index arg_max = 0;
      logits.col(i).maxCoeff(&arg_max);
      hits += (arg_max == y) ? 1 : 0;
    }
    if (correct != nullptr) *correct = hits;
    return loss / static_cast<T>(m);
  }

  // dL/dz = (p − onehot(y)) / m
  void Backward(const Label* labels, M& dlogits) const {
    const Eigen::Index m = probs.cols();
    dlogits.resize(probs.rows(), m);
    dlogits.noalias() = probs / static_cast<T>(m);
    for (Eigen::Index i = 0; i < m; ++i) dlogits(labels[i], i) -= T(1) / static_cast<T>(m);
  }
};

}  // namespace bnlab
