// The layers, each a small struct: parameters and their gradients as named members,
// a forward that caches exactly what its backward needs, and the backward.
// Shapes follow types.h: features × batch, one sample per column.
// The normalizations (BatchNorm and the others) are in norms/, one header each.
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
