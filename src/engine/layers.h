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
    assert(a.rows() == W.cols() && "Linear::Forward: input rows must equal W.cols()");
    z.resize(W.rows(), a.cols());
    z.noalias() = W * a;
    if (has_bias()) z.colwise() += b;
  }

  // dW = dZ·Aᵀ, db = Σ_batch dZ. The 1/m of the mean loss is already in dZ.
  void BackwardParams(const Eigen::Ref<const M>& a, const Eigen::Ref<const M>& dz) {
    dW.noalias() = dz * a.transpose();
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
template <typename T>
struct BatchNorm {
  using M = MatrixT<T>;
  using V = VectorT<T>;

  V gamma, beta;               // (units) learned scale and shift
  V dgamma, dbeta;             // (units)
  V running_mean, running_var; // (units) EMA of μ_B and of the unbiased m/(m−1)·σ²_B
  T momentum = T(0.1);         // weight of the newest batch in the running averages
  T eps = T(1e-5);

  // Cache for the backward pass.
  M x_hat;        // (units, batch) normalized input
  V batch_mean;   // (units) μ_B
  V batch_var;    // (units) σ²_B, biased
  V inv_std;      // (units) 1/√(σ²_B + ε)

  void Init(int units) {
    gamma.setOnes(units);
    beta.setZero(units);
    dgamma.setZero(units);
    dbeta.setZero(units);
    running_mean.setZero(units);
    running_var.setOnes(units);
  }
  int units() const { return static_cast<int>(gamma.size()); }

  // Normalizes with the batch's own statistics and caches them; running statistics untouched.
  void ForwardTrain(const Eigen::Ref<const M>& x, M& y) {
    assert(x.rows() == gamma.size() && "BatchNorm::ForwardTrain: rows must equal units");
    const T m = static_cast<T>(x.cols());
    batch_mean.noalias() = x.rowwise().sum() / m;
    x_hat.resize(x.rows(), x.cols());
    x_hat.noalias() = x.colwise() - batch_mean;
    batch_var.noalias() = x_hat.rowwise().squaredNorm() / m;
    inv_std = (batch_var.array() + eps).rsqrt().matrix();
    // With one sample, x − μ_B is exactly 0, so x̂ is 0 (never NaN): every unit outputs β.
    x_hat.array().colwise() *= inv_std.array();
    y.resize(x.rows(), x.cols());
    y.noalias() = x_hat;
    y.array().colwise() *= gamma.array();
    y.colwise() += beta;
  }

  // Folds the last ForwardTrain's statistics into the running averages.
  void UpdateRunningStats(int batch_size) {
    running_mean = (T(1) - momentum) * running_mean + momentum * batch_mean;
    // The unbiased variance needs two samples; a batch of one carries no variance information.
    if (batch_size > 1) {
      const T unbias = static_cast<T>(batch_size) / static_cast<T>(batch_size - 1);
      running_var = (T(1) - momentum) * running_var + (momentum * unbias) * batch_var;
    }
  }

  // Eval mode: a fixed affine map y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² given.
  void ForwardEval(const Eigen::Ref<const M>& x, const Eigen::Ref<const V>& mean,
                   const Eigen::Ref<const V>& var, M& y) const {
    const V scale = (gamma.array() * (var.array() + eps).rsqrt()).matrix();
    // Centred first, as in training: x = μ gives exactly β (a batch of one), never β plus
    // the rounding of a large x·scale.
    y.resize(x.rows(), x.cols());
    y.noalias() = x;
    y.colwise() -= mean;
    y.array().colwise() *= scale.array();
    y.colwise() += beta;
  }

  // Backward of ForwardTrain. With g = dL/dy:
  //   dβ = Σ_i g_i                          (first reduction)
  //   dγ = Σ_i g_i·x̂_i                      (second reduction)
  //   dx_i = γ/(m·√(σ²_B+ε)) · ( m·g_i       (direct path through x̂)
  //                            − dβ           (through μ_B)
  //                            − x̂_i·dγ )     (through σ²_B)
  void Backward(const Eigen::Ref<const M>& dy, M& dx) {
    const T m = static_cast<T>(dy.cols());
    dbeta.noalias() = dy.rowwise().sum();
    dgamma.noalias() = dy.cwiseProduct(x_hat).rowwise().sum();
    dx.resize(dy.rows(), dy.cols());
    dx.noalias() = m * dy;
    dx.colwise() -= dbeta;
    dx.array() -= x_hat.array().colwise() * dgamma.array();
    // A diagonal product is evaluated coefficient by coefficient: no temporary, alias-safe.
    dx.noalias() = (gamma.cwiseProduct(inv_std) / m).asDiagonal() * dx;
  }
};

// ---------------------------------------------------------------------------------------------
// Element-wise activations. Each derivative is written in terms of the output a = f(z),
// so the backward needs only the cached output.
template <typename T>
struct Activation {
  using M = MatrixT<T>;
  ActivationKind kind = ActivationKind::kSigmoid;

  void Forward(const Eigen::Ref<const M>& z, M& a) const {
    a.resize(z.rows(), z.cols());
    switch (kind) {
      case ActivationKind::kSigmoid:
        a = (T(1) + (-z.array()).exp()).inverse().matrix();
        break;
      case ActivationKind::kTanh:
        a = z.array().tanh().matrix();
        break;
      case ActivationKind::kRelu:
        a = z.cwiseMax(T(0));
        break;
    }
  }

  // dz = da ⊙ f'(z):  sigmoid a(1−a),  tanh 1−a²,  ReLU [a > 0].
  void Backward(const Eigen::Ref<const M>& a, const Eigen::Ref<const M>& da, M& dz) const {
    dz.resize(a.rows(), a.cols());
    switch (kind) {
      case ActivationKind::kSigmoid:
        dz = (da.array() * a.array() * (T(1) - a.array())).matrix();
        break;
      case ActivationKind::kTanh:
        dz = (da.array() * (T(1) - a.array().square())).matrix();
        break;
      case ActivationKind::kRelu:
        dz = (a.array() > T(0)).select(da, T(0)).matrix();
        break;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// Softmax cross-entropy, averaged over the batch: L = −(1/m) Σ_i log softmax(z_i)[y_i].
template <typename T>
struct SoftmaxCrossEntropy {
  using M = MatrixT<T>;
  using V = VectorT<T>;
  M probs;       // (classes, batch) softmax of the logits
  V max_logit;   // (batch) subtracted before exp so that exp never overflows
  V log_sum;     // (batch) log Σ_k exp(z_k − max): log p_y = z_y − max − log_sum

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
