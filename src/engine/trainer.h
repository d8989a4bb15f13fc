// Twin training: two networks, the columns TrainConfig::left and ::right (variant.h; by
// default Plain and BN), from one config and seed, identical initial Linear weights, stepping
// on the identical mini-batch each step.
#pragma once

#include "engine/config.h"
#include "engine/net_id.h"
#include "engine/network.h"
#include "engine/probes.h"
#include "engine/step_worker.h"

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace bnlab {

// The variant of a column, and its label (variant.h): "plain", "bn", "layernorm", ...
inline Variant ColumnVariant(const TrainConfig& config, NetId id) {
  return id == NetId::kLeft ? config.left : config.right;
}
inline const char* ColumnLabel(const TrainConfig& config, NetId id) { return VariantLabel(ColumnVariant(config, id)); }
// The column whose normalization uses batch statistics (BN, its variants, renorm), the right
// one when both do; nullopt when neither does (none, layernorm): what the noise lab, the
// running-statistics figures and the BN-specific views look at.
std::optional<NetId> BatchStatisticsColumn(const TrainConfig& config);
// The column with BatchNorm layers (bn, bn-after, bn-bias, ghost-bn), the right one when both
// have them; nullopt when neither has: the Inside-BN record needs BatchNorm's caches.
std::optional<NetId> BatchNormColumn(const TrainConfig& config);

struct StepStats {
  double loss = 0.0;            // mean cross-entropy on the step's mini-batch (before the update)
  double batch_accuracy = 0.0;  // share of the mini-batch classified correctly
};

struct TestResult {
  double loss = 0.0;  // mean cross-entropy on the held-out test set, eval mode
  double accuracy = 0.0;
  bool interrupted = false;  // stopped early (see TwinTrainer::SetInterrupt): no result
};

// Test loss and accuracy by the statistics BN normalizes with (all three equal for a net
// without batch statistics: plain, LayerNorm).
struct TestModes {
  TestResult batch;       // test batches of the current size, each with its own μ_B, σ²_B
  TestResult running;     // the running averages
  TestResult population;  // exact statistics of the training set
  // The eval-mode result `stats` names (what Evaluate returns).
  const TestResult& Eval(EvalStats stats) const { return stats == EvalStats::kPopulation ? population : running; }
};

// Loss and accuracy of `net` on (x, labels) in chunks, BN normalizing by `normalization`; with
// kBatch each group of `batch_size` consecutive samples uses its own statistics (chunks hold
// whole groups). Each chunk is read as floats into ws.input. kPopulation needs the net's
// population statistics first. When `interrupt` is set between two chunks the pass stops and
// returns `interrupted`.
TestResult EvaluateNet(const Network<Scalar>& net, const Samples& x, const Labels& labels, Normalization normalization,
                       int batch_size, Workspace<Scalar>& ws, const std::atomic<bool>* interrupt = nullptr);

// Throws std::invalid_argument naming the setting when a value is out of range, when left and
// right are the same variant, or when a ghost-bn column's ghost-group is above the batch.
void ValidateConfig(const TrainConfig& config);

class TwinTrainer {
 public:
  // The dataset must match config.net.input_size / num_classes (FitNetToData sets them).
  // Another thread may stop a long construction by setting `*cancel` (BuildCancelled).
  TwinTrainer(std::shared_ptr<const Dataset> dataset, const TrainConfig& config,
              const std::atomic<bool>* cancel = nullptr);

  // Each column's network is ColumnNetConfig(config, its variant).
  // One SGD step of both nets on the next mini-batch. A net whose loss turns NaN or
  // infinite is marked diverged and stops stepping; the other goes on.
  void Step();
  // Both nets step at once, the BN net on a second, persistent thread: bit-identical to one
  // thread (the nets share nothing but the read-only batch). Off by default.
  void SetParallel(bool parallel);
  // Test passes (Evaluate, EvaluateWith) stop at their next chunk once `*flag` is set and
  // return `interrupted`: an interactive caller with a large network stays responsive.
  void SetInterrupt(const std::atomic<bool>* flag) { interrupt_ = flag; }
  bool parallel() const { return worker_ != nullptr; }

  // Live settings: they apply from the next step and reset nothing.
  void SetLearningRate(double learning_rate);
  void SetBatchSize(int batch_size);
  void SetOptimizer(const OptimizerConfig& optimizer);
  void SetBnMomentum(double momentum);
  void SetBnEps(double eps);
  void SetEvalStats(EvalStats stats);
  void SetProbeUnit(int unit);

  // Test loss and accuracy in eval mode (running or population statistics, per config).
  TestResult Evaluate(NetId id);
  // Test loss and accuracy with BN normalizing by the given statistics: kBatch as in training,
  // test batches of the current batch size, each with its own μ_B, σ²_B (as if the net never
  // switched to eval mode); kRunning; kPopulation (one pass over the training set first).
  TestResult EvaluateWith(NetId id, Normalization normalization);
  // The three modes; afterwards the BN (renorm) layers hold their population statistics. A net
  // without batch statistics gets one pass, copied into all three.
  TestModes EvaluateModes(NetId id);

  // Called for each net on every step after the backward pass and before the update of γ, β
  // and the biases, while the caches (the batch, its statistics, the gradients but dW) and
  // γ, β are those of that batch. The weights W have taken their step already
  // (Network::BackwardWithWeightStep).
  using StepObserver = std::function<void(NetId id, const Network<Scalar>& net)>;
  void SetStepObserver(StepObserver observer) { step_observer_ = std::move(observer); }
  // Histograms, percentiles and gradient figures on the probe samples, in groups of the
  // current batch size (see ProbeNetwork).
  NetProbe Probe(NetId id);

  long step() const { return step_; }
  long epoch() const { return epoch_; }
  const TrainConfig& config() const { return config_; }
  const Dataset& dataset() const { return *dataset_; }
  std::shared_ptr<const Dataset> shared_dataset() const { return dataset_; }
  const StepStats& last_step(NetId id) const { return last_[Index(id)]; }
  bool diverged(NetId id) const { return diverged_[Index(id)]; }
  const Network<Scalar>& net(NetId id) const { return *nets_[Index(id)]; }
  Network<Scalar>& net(NetId id) { return *nets_[Index(id)]; }
  // Sample indices of the last step's mini-batch, in order.
  const std::vector<int>& batch_indices() const { return batch_indices_; }
  const std::vector<int>& probe_indices() const { return probe_indices_; }
  const Matrix& probe_samples() const { return probe_x_; }  // (features, probe) in probe_indices order

 private:
  static std::size_t Index(NetId id) { return static_cast<std::size_t>(id); }
  void NextBatch();
  // On two threads, the calling thread gathers the next batch into next_x_ after its net's
  // step, while the other net still steps: the gather leaves the pair's critical path.
  void PrefetchBatch();
  // The m samples at order_[start, start + m) into a batch's buffers.
  void GatherAt(std::size_t start, std::size_t m, std::vector<int>& indices, Matrix& x, Labels& y) const;
  void StepNet(NetId id);
  void FillProbeSamples();

  std::shared_ptr<const Dataset> dataset_;
  TrainConfig config_;
  std::array<std::unique_ptr<Network<Scalar>>, 2> nets_;
  std::array<StepStats, 2> last_;
  std::array<bool, 2> diverged_ = {false, false};
  std::array<Workspace<Scalar>, 2> eval_ws_;
  const std::atomic<bool>* interrupt_ = nullptr;

  Rng rng_;                         // shuffles the epochs
  std::vector<int> order_;          // this epoch's permutation of the training set
  std::size_t cursor_ = 0;          // next position in order_
  std::vector<int> batch_indices_;  // (batch)
  Matrix batch_x_;                  // (features, batch) the current mini-batch
  Labels batch_y_;                  // (batch)
  // The next batch, gathered ahead (PrefetchBatch): the samples NextBatch would draw, taken
  // only within the current permutation, so one thread or two give the very same batches.
  std::vector<int> next_indices_;
  Matrix next_x_;
  Labels next_y_;
  bool next_ready_ = false;
  std::vector<int> probe_order_;  // a fixed permutation; the probe samples are its prefix
  Matrix probe_x_;                // (features, probe) the probe samples, whole groups of the batch size
  std::vector<int> probe_indices_;
  long step_ = 0;
  long epoch_ = 0;
  StepObserver step_observer_;
  std::unique_ptr<StepWorker> worker_;  // set while parallel
};

// Sets net.input_size and net.num_classes from the dataset.
void FitNetToData(const Dataset& dataset, NetConfig* net);

}  // namespace bnlab
