// A feed-forward classifier: hidden layers of Linear → [norm] → activation (or Linear →
// activation → norm with the normalization placed after), then Linear → softmax cross-entropy.
// Every net is this class; NetConfig::norm picks the normalization (one kind per net), each a
// type in norms/ behind the same functions (norms/norm.h), held in a NormLayer:
//   none       the plain net
//   BatchNorm  batch statistics in training, running or population ones at test time
//   LayerNorm  (Ba et al. 2016): per-sample statistics over the units, always, in training and
//              in every inference mode (Normalization is moot for it)
//   BatchRenorm (Ioffe 2017, Algorithm 1): x̂ = r·(x − μ_B)/σ_B + d with
//              r = clip(σ_B/σ, 1/r_max, r_max), d = clip((μ_B − μ)/σ, −d_max, d_max), both held
//              constant in the backward pass; running μ, σ updated like BN's and used at test
//              time as BN uses its own (population statistics work as for BN)
// γ and β of every normalization take SGD steps with momentum, like BN's.
#pragma once

#include "engine/config.h"
#include "engine/layers.h"
#include "engine/norms/norm.h"
#include "engine/random.h"
#include "engine/samples.h"

#include <atomic>
#include <functional>
#include <stdexcept>
#include <vector>

namespace bnlab {

// Which μ, σ² the BN (and renorm) layers normalize with outside training. LayerNorm ignores it.
enum class Normalization {
  kBatch,       // the statistics of the batch itself (what the net sees while training; renorm
                // with its r, d corrections)
  kRunning,     // the running averages (eval mode, default)
  kPopulation,  // exact statistics of the whole training set (ComputePopulationStats)
};

// One hidden layer's activations for one forward pass, and its gradients in a training
// pass. All (units, batch).
template <typename T>
struct LayerBuffers {
  MatrixT<T> z;         // Linear output W·a + b
  MatrixT<T> normed;    // the norm's output: norm(z) before the activation, norm(act) after it
  MatrixT<T> act;       // activation output: f(normed) before, f(z) after or without a norm
  MatrixT<T> grad_out;  // dL/d(layer output)
  MatrixT<T> grad_mid;  // dL/d(the tensor between the norm and the activation)
  MatrixT<T> grad_z;    // dL/dz
};

// Forward buffers plus the gradient buffers of a training pass. Sized on the first pass at a
// batch size and reused: a fixed batch size allocates nothing per step.
template <typename T>
struct Workspace {
  std::vector<LayerBuffers<T>> layers;
  MatrixT<T> logits;       // (classes, batch)
  MatrixT<T> grad_logits;  // (classes, batch)
  SoftmaxCrossEntropy<T> head;
  MatrixT<T> input;  // (features, chunk) a pass's samples read as floats (EvaluateNet)
};

template <typename T>
struct HiddenLayer {
  Linear<T> linear;
  NormLayer<T> norm;  // the net's normalization (NoNorm in the plain net)
  Activation<T> activation;
  VectorT<T> population_mean;  // (units) exact input mean over the training set (kUsesBatchStatistics)
  VectorT<T> population_var;   // (units) its unbiased variance
  MatrixT<T> velocity_W;       // SGD momentum buffers, same shapes as the parameters
  VectorT<T> velocity_b, velocity_gamma, velocity_beta;
};

// Training samples converted to floats at a time by the population pass over a Samples set.
inline constexpr int kPopulationInputChunk = 1000;
// Test samples per chunk of a test pass (trainer.cpp), at most: each net's workspace holds a
// chunk as floats and its activations: for the paper's net about 1.3 MB at 256.
inline constexpr int kMaxEvalChunk = 256;

// Thrown by a construction asked to stop through its `cancel` flag (set by another thread):
// whatever was built is freed. Checked once per layer, so a stop takes a fraction of a second
// even for the largest networks (whose construction takes seconds, mostly page faults).
struct BuildCancelled : std::runtime_error {
  BuildCancelled() : std::runtime_error("construction cancelled") {}
};

template <typename T>
class Network {
 public:
  using M = MatrixT<T>;

  // The net config.norm names. `cancel`, when given and set, stops the construction
  // (BuildCancelled); so do the two below.
  explicit Network(const NetConfig& config, const std::atomic<bool>* cancel = nullptr);

  // Draws every Linear weight from the config's init (biases start at 0).
  void InitWeights(Rng& rng, const std::atomic<bool>* cancel = nullptr);
  // Copies every Linear W and b from `other` (same shapes): the twin's identical start.
  void CopyLinearWeightsFrom(const Network& other, const std::atomic<bool>* cancel = nullptr);

  // Training pass on one mini-batch. Forward uses and caches the batch statistics but leaves
  // the running statistics alone; UpdateRunningStats folds them in.
  T ForwardTrain(const Eigen::Ref<const M>& x, const Label* labels, int* correct);
  // Every gradient of the last ForwardTrain, stored (dW, db, dγ, dβ) for SgdStep to apply.
  void Backward(const Eigen::Ref<const M>& x, const Label* labels);
  // The training step's backward pass: the same, except that each Linear's weight gradient
  // dW = dZ·Aᵀ is not stored: the product that computes it adds it into W (or into its momentum
  // buffer) as SgdStep would, once Wᵀ·dZ has used the old W. SgdStep then updates the rest.
  // This skips zeroing every dW and a pass to apply it (~7% of a step at batch 60); the results
  // differ from Backward + SgdStep only in rounding. RecomputeWeightGradients gives the dW.
  void BackwardWithWeightStep(const Eigen::Ref<const M>& x, const Label* labels, const OptimizerConfig& optimizer);
  // The dW of the last BackwardWithWeightStep, from the dZ and A it left in the workspace
  // (`x`: that step's input); nothing to do after Backward. Once a ForwardTrain has overwritten
  // them (a step that diverged and went no further), the dW are NaN: that step has none.
  void RecomputeWeightGradients(const Eigen::Ref<const M>& x);
  void UpdateRunningStats(int batch_size);
  void SgdStep(const OptimizerConfig& optimizer);

  // Called for every BN (renorm) layer l (and, in batch mode, every group of columns) with the
  // layer's input and the μ, σ² it is normalized with (biased σ²_B in batch mode; for renorm's
  // running statistics σ² = σ_run² − ε). Never called for LayerNorm.
  using BnObserver =
      std::function<void(int l, const Eigen::Ref<const M>& bn_input, const VectorT<T>& mean, const VectorT<T>& var)>;

  // Inference into a caller's workspace; never changes the network. kBatch treats all of `x`
  // as one batch; InferInBatches splits it.
  T Infer(const Eigen::Ref<const M>& x, Normalization normalization, Workspace<T>& ws, const Label* labels,
          int* correct, const BnObserver* observer = nullptr) const;
  // What the net sees in training at batch size m: BN normalizes each group of m consecutive
  // columns (of the ghost group size, when smaller) with that group's own μ_B, σ²_B (a last,
  // shorter group with its own). At m = 1 every BN output is β; at m = 2 every x̂ is ±1.
  // No side effects.
  T InferInBatches(const Eigen::Ref<const M>& x, int batch_size, Workspace<T>& ws, const Label* labels, int* correct,
                   const BnObserver* observer = nullptr) const;

  // One pass over `x` (the training set), layer by layer, storing each BN layer's exact
  // input mean and variance for Normalization::kPopulation (BN and renorm; other nets just
  // take the pass).
  void ComputePopulationStats(const Eigen::Ref<const M>& x);
  // The same on a dataset's training samples, read kPopulationInputChunk at a time: only the
  // first layer's output is held for the whole set, never the set itself as floats. Gives
  // the very bits of the pass above on the whole matrix (the first layer's product sums each
  // column alike in any chunk of more than one column).
  void ComputePopulationStats(const Samples& x);
  bool has_population_stats() const { return has_population_stats_; }

  // The activation's input of layer l in a workspace (the sigmoid's z).
  const M& ActivationInput(const Workspace<T>& ws, int l) const;
  // The norm's input of layer l in a workspace: z before the activation, its output after it.
  // (The norm's output is the layer's `normed`.)
  const M& NormInput(const Workspace<T>& ws, int l) const;
  // ‖ΔW‖_F / ‖W‖_F of the last SgdStep for layer l (hidden layers, then the output layer).
  double UpdateRatio(int linear_index) const;

  // The running-statistics momentum of BN and renorm layers, the ε of every normalization;
  // a net without such layers keeps the value in its config only.
  void SetBnMomentum(double momentum);
  void SetBnEps(double eps);
  void SetGhostGroup(int ghost_group);

  NormKind norm() const { return config_.norm; }
  // The net has normalization layers that use batch statistics (BN, ghost BN, renorm): the
  // batch size, the running statistics and Normalization matter for it.
  bool uses_batch_statistics() const { return UsesBatchStatistics(config_.norm); }
  bool has_normalization() const { return config_.norm != KindOf<NoNorm>(); }
  const NetConfig& config() const { return config_; }
  int num_hidden() const { return static_cast<int>(hidden_.size()); }
  HiddenLayer<T>& hidden(int l) { return hidden_[l]; }
  const HiddenLayer<T>& hidden(int l) const { return hidden_[l]; }
  Linear<T>& output() { return output_; }
  const Linear<T>& output() const { return output_; }
  const Workspace<T>& train_workspace() const { return train_; }

 private:
  template <typename BnForward>
  T RunForward(const Eigen::Ref<const M>& x, Workspace<T>& ws, const Label* labels, int* correct,
               BnForward&& bn_forward) const;
  const M& LayerOutput(const Workspace<T>& ws, int l) const;
  // Layer l after its Linear (z = W·a + b): `norm(l, in, out)` and the activation, in the
  // net's placement. The one place the way forward decides it; training, the test passes and
  // the population pass differ only in `norm`. The layer's output is Output(normed, act).
  template <typename Norm>
  void NormAndActivate(int l, const M& z, M& normed, M& act, Norm&& norm) const;
  const M& Output(const M& normed, const M& act) const;
  // Backward's pass; with `weight_step`, each W takes its SGD step in place of storing dW.
  void RunBackward(const Eigen::Ref<const M>& x, const Label* labels, const OptimizerConfig* weight_step);
  // Layer l's input in the training workspace (x for the first layer).
  Eigen::Ref<const M> TrainInput(const Eigen::Ref<const M>& x, int l) const;
  void NormForwardTrain(int l, const M& in, M& out);
  void NormBackward(int l, const M& grad_out, M& grad_in);
  // Every norm layer takes its settings (ε, momentum, ...) from config_ again.
  void ConfigureNorms();
  // The population pass from the first Linear layer's output for every training sample
  // (`z`, which it reuses as a buffer).
  void PopulationPass(M& z);

  NetConfig config_;
  std::vector<HiddenLayer<T>> hidden_;
  Linear<T> output_;
  M velocity_out_W_;
  VectorT<T> velocity_out_b_;
  Workspace<T> train_;
  double last_learning_rate_ = 0.0;
  double last_momentum_ = 0.0;
  double last_weight_decay_ = 0.0;
  bool has_population_stats_ = false;
  // Where the last training step's dW are: stored in the Linear layers, still computable from
  // the training workspace (BackwardWithWeightStep), or gone (a ForwardTrain came after it).
  enum class WeightGradients { kStored, kInWorkspace, kGone };
  WeightGradients weight_gradients_ = WeightGradients::kStored;
  bool weights_stepped_ = false;  // BackwardWithWeightStep moved W; SgdStep leaves it alone
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace bnlab
