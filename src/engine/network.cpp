#include "engine/network.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bnlab {
namespace {

// SGD in PyTorch's convention: g' = g + λ·w;  v = μ·v + g';  w −= lr·v  (v = g' when μ = 0).
template <typename Param, typename Grad, typename Velocity, typename T>
void SgdUpdate(Param& param, const Grad& grad, Velocity& velocity, T lr, T momentum, T decay) {
  if (momentum == T(0)) {
    if (decay == T(0)) {
      param.noalias() -= lr * grad;
    } else {
      param = (T(1) - lr * decay) * param - lr * grad;
    }
    return;
  }
  velocity = momentum * velocity + grad + decay * param;
  param.noalias() -= lr * velocity;
}

// SgdUpdate for a weight matrix whose gradient is the product dZ·Aᵀ, which the product adds in
// itself, so dW is never stored (the same maths, other rounding):
//   μ = 0:  W ← (1 − lr·λ)·W − lr·dZ·Aᵀ
//   μ > 0:  v ← μ·v + λ·W + dZ·Aᵀ,  W ← W − lr·v
template <typename T>
void WeightStep(MatrixT<T>& weights, MatrixT<T>& velocity, const Eigen::Ref<const MatrixT<T>>& a, const MatrixT<T>& dz,
                T lr, T momentum, T decay) {
  if (momentum == T(0)) {
    if (decay != T(0)) weights *= T(1) - lr * decay;
    weights.noalias() -= (lr * dz) * a.transpose();
    return;
  }
  velocity = momentum * velocity + decay * weights;
  velocity.noalias() += dz * a.transpose();
  weights.noalias() -= lr * velocity;
}

// Per-row mean and biased variance (the batch statistics μ_B, σ²_B) of a (units, n) matrix.
template <typename M, typename V>
void RowMeanVar(const M& x, V& mean, V& var) {
  using T = typename M::Scalar;
  const T n = static_cast<T>(x.cols());
  mean = x.rowwise().sum() / n;
  var = (x.colwise() - mean).rowwise().squaredNorm() / n;
}

// The same with the unbiased variance, n/(n−1)·σ², as the running statistics store it.
template <typename M, typename V>
void RowMeanUnbiasedVar(const M& x, V& mean, V& var) {
  using T = typename M::Scalar;
  const T n = static_cast<T>(x.cols());
  RowMeanVar(x, mean, var);
  if (n > T(1)) var *= n / (n - T(1));
}

void CheckCancel(const std::atomic<bool>* cancel) {
  if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw BuildCancelled();
}

}  // namespace

template <typename T>
Network<T>::Network(const NetConfig& config, const std::atomic<bool>* cancel) : config_(config) {
  assert(!config.hidden.empty() && "Network: at least one hidden layer");
  // The plain net needs its biases; a bias right before BN or renorm is redundant (its gradient
  // is exactly zero; off by default); before LayerNorm it is not (a per-unit shift changes x̂).
  const NormKind norm = config.norm;
  const bool batch_statistics = UsesBatchStatistics(norm);
  const bool hidden_bias = !batch_statistics || config.placement == Placement::kAfter || config.bias_before_bn;
  hidden_.resize(config.hidden.size());
  int in = config.input_size;
  for (std::size_t l = 0; l < hidden_.size(); ++l) {
    CheckCancel(cancel);
    HiddenLayer<T>& layer = hidden_[l];
    const int units = config.hidden[l];
    layer.linear.Init(in, units, hidden_bias);
    layer.norm = MakeNormLayer<T>(norm);
    std::visit(
        [&](auto& norm_layer) {
          norm_layer.Init(units);
          norm_layer.Configure(config);
          layer.velocity_gamma.setZero(norm_layer.gamma.size());
          layer.velocity_beta.setZero(norm_layer.beta.size());
        },
        layer.norm);
    layer.activation.kind = config.activation;
    layer.velocity_W.setZero(units, in);
    layer.velocity_b.setZero(layer.linear.b.size());
    in = units;
  }
  output_.Init(in, config.num_classes, true);
  velocity_out_W_.setZero(config.num_classes, in);
  velocity_out_b_.setZero(config.num_classes);
}

template <typename T>
void Network<T>::InitWeights(Rng& rng, const std::atomic<bool>* cancel) {
  auto fill = [&](Linear<T>& linear) {
    const double fan_sum = static_cast<double>(linear.in() + linear.out());
    const double std_dev =
        config_.init == InitKind::kGaussian ? config_.init_scale : config_.init_scale * std::sqrt(2.0 / fan_sum);
    for (Eigen::Index j = 0; j < linear.W.cols(); ++j)
      for (Eigen::Index i = 0; i < linear.W.rows(); ++i) linear.W(i, j) = static_cast<T>(std_dev * rng.Normal());
    linear.b.setZero();
  };
  for (HiddenLayer<T>& layer : hidden_) {
    CheckCancel(cancel);
    fill(layer.linear);
  }
  fill(output_);
}

template <typename T>
void Network<T>::CopyLinearWeightsFrom(const Network& other, const std::atomic<bool>* cancel) {
  assert(other.hidden_.size() == hidden_.size() && "CopyLinearWeightsFrom: same architecture");
  for (std::size_t l = 0; l < hidden_.size(); ++l) {
    CheckCancel(cancel);
    hidden_[l].linear.W = other.hidden_[l].linear.W;
    if (hidden_[l].linear.has_bias() && other.hidden_[l].linear.has_bias())
      hidden_[l].linear.b = other.hidden_[l].linear.b;
  }
  output_.W = other.output_.W;
  output_.b = other.output_.b;
}

template <typename T>
const typename Network<T>::M& Network<T>::Output(const M& normed, const M& act) const {
  return (has_normalization() && config_.placement == Placement::kAfter) ? normed : act;
}

template <typename T>
const typename Network<T>::M& Network<T>::LayerOutput(const Workspace<T>& ws, int l) const {
  return Output(ws.layers[l].normed, ws.layers[l].act);
}

template <typename T>
const typename Network<T>::M& Network<T>::ActivationInput(const Workspace<T>& ws, int l) const {
  const LayerBuffers<T>& buf = ws.layers[l];
  return (has_normalization() && config_.placement == Placement::kBefore) ? buf.normed : buf.z;
}

template <typename T>
const typename Network<T>::M& Network<T>::NormInput(const Workspace<T>& ws, int l) const {
  const LayerBuffers<T>& buf = ws.layers[l];
  return config_.placement == Placement::kBefore ? buf.z : buf.act;
}

template <typename T>
template <typename Norm>
void Network<T>::NormAndActivate(int l, const M& z, M& normed, M& act, Norm&& norm) const {
  const HiddenLayer<T>& layer = hidden_[l];
  if (!has_normalization()) {
    layer.activation.Forward(z, act);
  } else if (config_.placement == Placement::kBefore) {
    norm(l, z, normed);
    layer.activation.Forward(normed, act);
  } else {
    layer.activation.Forward(z, act);
    norm(l, act, normed);
  }
}

template <typename T>
template <typename BnForward>
T Network<T>::RunForward(const Eigen::Ref<const M>& x, Workspace<T>& ws, const Label* labels, int* correct,
                         BnForward&& bn_forward) const {
  ws.layers.resize(hidden_.size());
  for (int l = 0; l < num_hidden(); ++l) {
    LayerBuffers<T>& buf = ws.layers[l];
    if (l == 0) hidden_[l].linear.Forward(x, buf.z);
    else hidden_[l].linear.Forward(LayerOutput(ws, l - 1), buf.z);
    NormAndActivate(l, buf.z, buf.normed, buf.act, bn_forward);
  }
  output_.Forward(LayerOutput(ws, num_hidden() - 1), ws.logits);
  if (labels == nullptr) return T(0);
  return ws.head.Forward(ws.logits, labels, correct);
}

template <typename T>
T Network<T>::ForwardTrain(const Eigen::Ref<const M>& x, const Label* labels, int* correct) {
  if (weight_gradients_ == WeightGradients::kInWorkspace) weight_gradients_ = WeightGradients::kGone;
  return RunForward(x, train_, labels, correct, [this](int l, const M& in, M& out) { NormForwardTrain(l, in, out); });
}

template <typename T>
void Network<T>::NormForwardTrain(int l, const M& in, M& out) {
  std::visit([&](auto& norm) { norm.ForwardTrain(in, out); }, hidden_[l].norm);
}

template <typename T>
void Network<T>::NormBackward(int l, const M& grad_out, M& grad_in) {
  std::visit([&](auto& norm) { norm.Backward(grad_out, grad_in); }, hidden_[l].norm);
}

template <typename T>
T Network<T>::Infer(const Eigen::Ref<const M>& x, Normalization normalization, Workspace<T>& ws, const Label* labels,
                    int* correct, const BnObserver* observer) const {
  assert((normalization != Normalization::kPopulation || has_population_stats_ || !uses_batch_statistics()) &&
         "Infer: ComputePopulationStats first");
  if (normalization == Normalization::kBatch) {
    return InferInBatches(x, static_cast<int>(std::max<Eigen::Index>(x.cols(), 1)), ws, labels, correct, observer);
  }
  const bool running = normalization == Normalization::kRunning;
  return RunForward(x, ws, labels, correct, [&](int l, const M& in, M& out) {
    const HiddenLayer<T>& layer = hidden_[l];
    std::visit(
        [&](const auto& norm) {
          if constexpr (!NormType<decltype(norm)>::kUsesBatchStatistics) {
            norm.ForwardEval(in, out);
          } else if (running) {
            if (observer != nullptr) (*observer)(l, in, norm.RunningMean(), norm.RunningVar());
            norm.ForwardEval(in, out);
          } else {
            if (observer != nullptr) (*observer)(l, in, layer.population_mean, layer.population_var);
            norm.ForwardEval(in, layer.population_mean, layer.population_var, out);
          }
        },
        layer.norm);
  });
}

template <typename T>
T Network<T>::InferInBatches(const Eigen::Ref<const M>& x, int batch_size, Workspace<T>& ws, const Label* labels,
                             int* correct, const BnObserver* observer) const {
  assert(batch_size >= 1 && "InferInBatches: batch_size >= 1");
  VectorT<T> mean, var;
  M group_out;
  return RunForward(x, ws, labels, correct, [&](int l, const M& in, M& out) {
    std::visit(
        [&](const auto& norm) {
          if constexpr (!NormType<decltype(norm)>::kUsesBatchStatistics) {
            norm.ForwardEval(in, out);  // per sample: the batch does not matter
          } else {
            out.resize(in.rows(), in.cols());
            // The training-mode transform (biased batch variance) per group, without side effects.
            const Eigen::Index group_size = norm.GroupSize(batch_size);
            for (Eigen::Index start = 0; start < in.cols(); start += batch_size) {
              const Eigen::Index batch = std::min<Eigen::Index>(batch_size, in.cols() - start);
              for (Eigen::Index offset = 0; offset < batch; offset += group_size) {
                const Eigen::Index n = std::min(group_size, batch - offset);
                const auto group = in.middleCols(start + offset, n);
                RowMeanVar(group, mean, var);
                if (observer != nullptr) (*observer)(l, group, mean, var);
                norm.ForwardBatch(group, mean, var, group_out);
                out.middleCols(start + offset, n) = group_out;
              }
            }
          }
        },
        hidden_[l].norm);
  });
}

template <typename T>
Eigen::Ref<const typename Network<T>::M> Network<T>::TrainInput(const Eigen::Ref<const M>& x, int l) const {
  if (l == 0) return x;
  return LayerOutput(train_, l - 1);
}

template <typename T>
void Network<T>::Backward(const Eigen::Ref<const M>& x, const Label* labels) {
  RunBackward(x, labels, nullptr);
  weight_gradients_ = WeightGradients::kStored;
}

template <typename T>
void Network<T>::BackwardWithWeightStep(const Eigen::Ref<const M>& x, const Label* labels,
                                        const OptimizerConfig& optimizer) {
  RunBackward(x, labels, &optimizer);
  weight_gradients_ = WeightGradients::kInWorkspace;
  weights_stepped_ = true;
}

template <typename T>
void Network<T>::RunBackward(const Eigen::Ref<const M>& x, const Label* labels, const OptimizerConfig* weight_step) {
  Workspace<T>& ws = train_;
  // Each Linear's parameter gradients from its dZ and its input A; the weights' own step when
  // asked (after BackwardInput, which needs the old W).
  auto params = [&](Linear<T>& linear, M& velocity, const Eigen::Ref<const M>& a, const M& dz) {
    if (weight_step == nullptr) {
      linear.BackwardParams(a, dz);
      return;
    }
    linear.BackwardBias(dz);
    WeightStep(linear.W, velocity, a, dz, static_cast<T>(weight_step->learning_rate),
               static_cast<T>(weight_step->momentum), static_cast<T>(weight_step->weight_decay));
  };
  ws.head.Backward(labels, ws.grad_logits);
  const int last = num_hidden() - 1;
  output_.BackwardInput(ws.grad_logits, ws.layers[last].grad_out);
  params(output_, velocity_out_W_, LayerOutput(ws, last), ws.grad_logits);

  for (int l = last; l >= 0; --l) {
    HiddenLayer<T>& layer = hidden_[l];
    LayerBuffers<T>& buf = ws.layers[l];
    if (!has_normalization()) {
      layer.activation.Backward(buf.act, buf.grad_out, buf.grad_z);
    } else if (config_.placement == Placement::kBefore) {
      layer.activation.Backward(buf.act, buf.grad_out, buf.grad_mid);
      NormBackward(l, buf.grad_mid, buf.grad_z);
    } else {
      NormBackward(l, buf.grad_out, buf.grad_mid);
      layer.activation.Backward(buf.act, buf.grad_mid, buf.grad_z);
    }
    if (l > 0) layer.linear.BackwardInput(buf.grad_z, ws.layers[l - 1].grad_out);
    params(layer.linear, layer.velocity_W, TrainInput(x, l), buf.grad_z);
  }
}

template <typename T>
void Network<T>::RecomputeWeightGradients(const Eigen::Ref<const M>& x) {
  if (weight_gradients_ == WeightGradients::kStored) return;
  const bool gone = weight_gradients_ == WeightGradients::kGone;
  weight_gradients_ = WeightGradients::kStored;
  if (gone) {
    for (HiddenLayer<T>& layer : hidden_) layer.linear.dW.setConstant(std::numeric_limits<T>::quiet_NaN());
    output_.dW.setConstant(std::numeric_limits<T>::quiet_NaN());
    return;
  }
  for (int l = 0; l < num_hidden(); ++l) hidden_[l].linear.BackwardParams(TrainInput(x, l), train_.layers[l].grad_z);
  output_.BackwardParams(LayerOutput(train_, num_hidden() - 1), train_.grad_logits);
}

template <typename T>
void Network<T>::UpdateRunningStats(int batch_size) {
  for (HiddenLayer<T>& layer : hidden_)
    std::visit([&](auto& norm) { norm.UpdateRunningStats(batch_size); }, layer.norm);
}

template <typename T>
void Network<T>::SgdStep(const OptimizerConfig& optimizer) {
  const T lr = static_cast<T>(optimizer.learning_rate);
  const T mu = static_cast<T>(optimizer.momentum);
  const T decay = static_cast<T>(optimizer.weight_decay);
  // After BackwardWithWeightStep every W has taken its step already.
  const bool step_weights = !weights_stepped_;
  weights_stepped_ = false;
  for (HiddenLayer<T>& layer : hidden_) {
    if (step_weights) SgdUpdate(layer.linear.W, layer.linear.dW, layer.velocity_W, lr, mu, decay);
    if (layer.linear.has_bias()) SgdUpdate(layer.linear.b, layer.linear.db, layer.velocity_b, lr, mu, T(0));
    if (has_normalization()) {
      std::visit(
          [&](auto& norm) {
            SgdUpdate(norm.gamma, norm.dgamma, layer.velocity_gamma, lr, mu, T(0));
            SgdUpdate(norm.beta, norm.dbeta, layer.velocity_beta, lr, mu, T(0));
          },
          layer.norm);
    }
  }
  if (step_weights) SgdUpdate(output_.W, output_.dW, velocity_out_W_, lr, mu, decay);
  SgdUpdate(output_.b, output_.db, velocity_out_b_, lr, mu, T(0));
  last_learning_rate_ = optimizer.learning_rate;
  last_momentum_ = optimizer.momentum;
  last_weight_decay_ = optimizer.weight_decay;
}

template <typename T>
double Network<T>::UpdateRatio(int linear_index) const {
  const bool is_output = linear_index >= num_hidden();
  const Linear<T>& linear = is_output ? output_ : hidden_[linear_index].linear;
  const M& velocity = is_output ? velocity_out_W_ : hidden_[linear_index].velocity_W;
  const double weight_norm = static_cast<double>(linear.W.norm());
  if (weight_norm == 0.0) return 0.0;
  // The step just taken was lr·v with momentum, lr·(dW + λW) without (W is already updated,
  // which changes λW only by a factor 1 − lr·λ).
  const double step_norm =
      last_momentum_ != 0.0 ? static_cast<double>(velocity.norm())
                            : static_cast<double>((linear.dW + static_cast<T>(last_weight_decay_) * linear.W).norm());
  return last_learning_rate_ * step_norm / weight_norm;
}

template <typename T>
void Network<T>::ComputePopulationStats(const Eigen::Ref<const M>& x) {
  M z;
  hidden_[0].linear.Forward(x, z);
  PopulationPass(z);
}

template <typename T>
void Network<T>::ComputePopulationStats(const Samples& x) {
  const Linear<T>& first = hidden_[0].linear;
  M z(first.out(), x.size());  // (units, n_train) the first layer's output for every sample
  Matrix chunk;                // (features, chunk) samples as floats
  for (int start = 0; start < x.size(); start += kPopulationInputChunk) {
    const int n = std::min(kPopulationInputChunk, x.size() - start);
    x.Columns(start, n, &chunk);
    first.ForwardInto(chunk.template cast<T>(), z.middleCols(start, n));
  }
  PopulationPass(z);
}

template <typename T>
void Network<T>::PopulationPass(M& z) {
  M normed, act;
  for (int l = 0; l < num_hidden(); ++l) {
    if (l > 0) hidden_[l].linear.Forward(Output(normed, act), z);
    // The norm's input over the whole training set gives the layer's population statistics,
    // which then normalize it on the way to the next layer.
    NormAndActivate(l, z, normed, act, [this](int at, const M& in, M& out) {
      HiddenLayer<T>& layer = hidden_[at];
      std::visit(
          [&](const auto& norm) {
            if constexpr (!NormType<decltype(norm)>::kUsesBatchStatistics) {
              norm.ForwardEval(in, out);  // nothing to collect: its statistics are each sample's own
            } else {
              RowMeanUnbiasedVar(in, layer.population_mean, layer.population_var);
              norm.ForwardEval(in, layer.population_mean, layer.population_var, out);
            }
          },
          layer.norm);
    });
  }
  has_population_stats_ = true;
}

template <typename T>
void Network<T>::SetBnMomentum(double momentum) {
  config_.bn_momentum = momentum;
  ConfigureNorms();
}

template <typename T>
void Network<T>::SetGhostGroup(int ghost_group) {
  config_.ghost_group = ghost_group;
  ConfigureNorms();
}

template <typename T>
void Network<T>::SetBnEps(double eps) {
  config_.bn_eps = eps;
  ConfigureNorms();
}

template <typename T>
void Network<T>::ConfigureNorms() {
  for (HiddenLayer<T>& layer : hidden_) std::visit([&](auto& norm) { norm.Configure(config_); }, layer.norm);
}

template class Network<float>;
template class Network<double>;

}  // namespace bnlab
