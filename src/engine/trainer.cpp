#include "engine/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>

namespace bnlab {
namespace {

constexpr int kProbeBatch = 256;
constexpr Eigen::Index kMinEvalChunk = 16;
constexpr double kEvalChunkMultiplyAdds = 2.5e8;  // tens of milliseconds on one core

// Samples per chunk of a test pass: kMaxEvalChunk for the paper's net, fewer for very large
// nets, so that a chunk (the time an interrupt may wait) stays near a tenth of a second.
Eigen::Index EvalChunk(const Network<Scalar>& net) {
  double per_sample = static_cast<double>(net.output().in()) * net.output().out();
  for (int l = 0; l < net.num_hidden(); ++l) {
    per_sample += static_cast<double>(net.hidden(l).linear.in()) * net.hidden(l).linear.out();
  }
  const double fits = kEvalChunkMultiplyAdds / std::max(per_sample, 1.0);
  return std::clamp(static_cast<Eigen::Index>(fits), kMinEvalChunk, static_cast<Eigen::Index>(kMaxEvalChunk));
}

void Require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

// "lr must be in (0, 1000], got 0": the setting's flag name, its range (limits.h), the value.
void RequireIn(const char* name, long long value, IntRange range) {
  Require(range.Contains(value),
          std::string(name) + " must be in " + RangeText(range) + ", got " + std::to_string(value));
}
void RequireIn(const char* name, double value, RealRange range) {
  Require(range.Contains(value),
          std::string(name) + " must be in " + RangeText(range) + ", got " + ShortestText(value));
}

}  // namespace

void ValidateConfig(const TrainConfig& c) {
  using namespace limits;
  RequireIn("steps", c.steps, kSteps);
  RequireIn("batch", c.batch_size, kBatch);
  RequireIn("eval-every", c.eval_every, kEvery);
  RequireIn("probe-every", c.probe_every, kEvery);
  RequireIn("lr", c.optimizer.learning_rate, kLearningRate);
  RequireIn("sgd-momentum", c.optimizer.momentum, kSgdMomentum);
  RequireIn("weight-decay", c.optimizer.weight_decay, kWeightDecay);
  Require(kLayers.Contains(static_cast<long long>(c.net.hidden.size())),
          "layers must list " + std::to_string(kLayers.lo) + " to " + std::to_string(kLayers.hi) + " hidden widths");
  for (int width : c.net.hidden) RequireIn("layers: each width", width, kWidth);
  RequireIn("probe-unit", c.probe_unit, kProbeUnit);
  Require(c.probe_unit < *std::min_element(c.net.hidden.begin(), c.net.hidden.end()),
          "probe-unit must be below the smallest hidden width, got " + std::to_string(c.probe_unit));
  RequireIn("init-scale", c.net.init_scale, kInitScale);
  RequireIn("momentum", c.net.bn_momentum, kBnMomentum);
  RequireIn("eps", c.net.bn_eps, kBnEps);
  RequireIn("renorm-rmax", c.net.renorm_r_max, kRenormRMax);
  RequireIn("renorm-dmax", c.net.renorm_d_max, kRenormDMax);
  Require(c.left != c.right, std::string("--left and --right are both '") + VariantKey(c.left) +
                                 "': choose two different variants (" + VariantKeyList() + ")");
  RequireIn("ghost-group", c.ghost_group, kGhostGroup);
  if (c.left == VariantNamed("ghost-bn") || c.right == VariantNamed("ghost-bn")) {
    Require(c.ghost_group <= c.batch_size, "ghost-group " + std::to_string(c.ghost_group) +
                                               " is larger than the batch " + std::to_string(c.batch_size) +
                                               " (ghost-bn computes its statistics over groups of a batch)");
  }
  if (c.data.name != "fashion") {
    RequireIn("synthetic-size", c.data.synthetic_train, kSyntheticSize);
    RequireIn("synthetic-noise", c.data.synthetic_noise, kSyntheticNoise);
    RequireIn("synthetic-classes", c.data.synthetic_classes, kSyntheticClasses);
  }
}

std::optional<NetId> BatchStatisticsColumn(const TrainConfig& config) {
  if (UsesBatchStatistics(config.right)) return NetId::kRight;
  if (UsesBatchStatistics(config.left)) return NetId::kLeft;
  return std::nullopt;
}

std::optional<NetId> BatchNormColumn(const TrainConfig& config) {
  if (IsBatchNorm(config.right)) return NetId::kRight;
  if (IsBatchNorm(config.left)) return NetId::kLeft;
  return std::nullopt;
}

void FitNetToData(const Dataset& dataset, NetConfig* net) {
  net->input_size = dataset.features();
  net->num_classes = dataset.num_classes;
}

TwinTrainer::TwinTrainer(std::shared_ptr<const Dataset> dataset, const TrainConfig& config,
                         const std::atomic<bool>* cancel)
    : dataset_(std::move(dataset)), config_(config), rng_(config.seed) {
  ValidateConfig(config_);
  if (dataset_->features() != config_.net.input_size || dataset_->num_classes != config_.net.num_classes) {
    throw std::invalid_argument("network input/classes do not match dataset '" + dataset_->name + "'");
  }
  if (config_.batch_size > dataset_->train_size()) {
    throw std::invalid_argument("batch " + std::to_string(config_.batch_size) +
                                " is larger than the training set of '" + dataset_->name + "' (" +
                                std::to_string(dataset_->train_size()) + " samples)");
  }
  for (NetId id : kNets) {
    nets_[Index(id)] = std::make_unique<Network<Scalar>>(ColumnNetConfig(config_, ColumnVariant(config_, id)), cancel);
  }
  // One draw of weights, copied: the twins start identical in every Linear layer.
  Rng weight_rng(config_.seed ^ 0x9E3779B97F4A7C15ull);
  net(NetId::kLeft).InitWeights(weight_rng, cancel);
  net(NetId::kRight).CopyLinearWeightsFrom(net(NetId::kLeft), cancel);

  order_.resize(static_cast<std::size_t>(dataset_->train_size()));
  for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<int>(i);

  // The probe samples: a prefix of one fixed permutation, drawn from its own stream so it
  // never shifts the batch order. Its length follows the batch size (SetBatchSize).
  probe_order_ = order_;
  Rng(config_.seed + 1).Shuffle(probe_order_);

  rng_.Shuffle(order_);
  SetBatchSize(config_.batch_size);
}

void TwinTrainer::FillProbeSamples() {
  const int count = ProbeSampleCount(config_.batch_size, kProbeBatch, dataset_->train_size());
  if (count == probe_x_.cols()) return;
  probe_indices_.assign(probe_order_.begin(), probe_order_.begin() + count);
  dataset_->train_x.Gather(probe_indices_.data(), count, &probe_x_);
}

void TwinTrainer::SetBatchSize(int batch_size) {
  if (batch_size < 1) throw std::invalid_argument("batch must be >= 1, got " + std::to_string(batch_size));
  // Live changes (a slider) past the training set's size take the whole set; the config,
  // which the UI shows, says so.
  batch_size = std::min(batch_size, dataset_->train_size());
  // The last step's dW need its batch: computed now, before the batch changes shape.
  for (NetId id : kNets) net(id).RecomputeWeightGradients(batch_x_);
  config_.batch_size = batch_size;
  next_ready_ = false;  // gathered at the old size: the next step draws anew
  batch_indices_.resize(static_cast<std::size_t>(batch_size));
  batch_x_.resize(dataset_->features(), batch_size);
  batch_y_.resize(static_cast<std::size_t>(batch_size));
  FillProbeSamples();
}

void TwinTrainer::SetLearningRate(double learning_rate) {
  if (!(learning_rate > 0.0) || !std::isfinite(learning_rate)) {
    throw std::invalid_argument("lr must be > 0, got " + std::to_string(learning_rate));
  }
  config_.optimizer.learning_rate = learning_rate;
}

void TwinTrainer::SetOptimizer(const OptimizerConfig& optimizer) {
  SetLearningRate(optimizer.learning_rate);
  config_.optimizer = optimizer;
}

void TwinTrainer::SetBnMomentum(double momentum) {
  config_.net.bn_momentum = momentum;
  for (NetId id : kNets) net(id).SetBnMomentum(momentum);
}

void TwinTrainer::SetBnEps(double eps) {
  config_.net.bn_eps = eps;
  for (NetId id : kNets) net(id).SetBnEps(eps);
}

void TwinTrainer::SetEvalStats(EvalStats stats) { config_.eval_stats = stats; }
void TwinTrainer::SetProbeUnit(int unit) { config_.probe_unit = std::max(unit, 0); }

void TwinTrainer::NextBatch() {
  const std::size_t m = batch_indices_.size();
  if (next_ready_) {
    std::swap(batch_indices_, next_indices_);
    std::swap(batch_x_, next_x_);
    std::swap(batch_y_, next_y_);
    cursor_ += m;
    next_ready_ = false;
    return;
  }
  // Shuffled epochs: a new permutation when the current one cannot fill a whole batch.
  if (cursor_ + m > order_.size()) {
    rng_.Shuffle(order_);
    cursor_ = 0;
    ++epoch_;
  }
  GatherAt(cursor_, m, batch_indices_, batch_x_, batch_y_);
  cursor_ += m;
}

void TwinTrainer::PrefetchBatch() {
  const std::size_t m = batch_indices_.size();
  if (cursor_ + m > order_.size()) return;  // a new epoch: NextBatch shuffles first
  GatherAt(cursor_, m, next_indices_, next_x_, next_y_);
  next_ready_ = true;
}

void TwinTrainer::GatherAt(std::size_t start, std::size_t m, std::vector<int>& indices, Matrix& x, Labels& y) const {
  const auto first = order_.begin() + static_cast<std::ptrdiff_t>(start);
  indices.assign(first, first + static_cast<std::ptrdiff_t>(m));
  y.resize(m);
  for (std::size_t i = 0; i < m; ++i) y[i] = dataset_->train_y[static_cast<std::size_t>(indices[i])];
  dataset_->train_x.Gather(indices.data(), static_cast<int>(m), &x);
}

void TwinTrainer::StepNet(NetId id) {
  if (diverged(id)) return;
  const int m = static_cast<int>(batch_indices_.size());
  Network<Scalar>& network = net(id);
  int correct = 0;
  const Scalar loss = network.ForwardTrain(batch_x_, batch_y_.data(), &correct);
  StepStats& stats = last_[Index(id)];
  stats.loss = static_cast<double>(loss);
  stats.batch_accuracy = static_cast<double>(correct) / m;
  if (!std::isfinite(loss)) {
    diverged_[Index(id)] = true;
    return;
  }
  network.BackwardWithWeightStep(batch_x_, batch_y_.data(), config_.optimizer);
  if (step_observer_) step_observer_(id, network);
  network.UpdateRunningStats(m);
  network.SgdStep(config_.optimizer);
}

void TwinTrainer::Step() {
  NextBatch();
  if (worker_) {
    worker_->Run([this] {  // the worker steps the right net meanwhile
      StepNet(NetId::kLeft);
      PrefetchBatch();
    });
  } else {
    for (NetId id : kNets) StepNet(id);
  }
  ++step_;
}

void TwinTrainer::SetParallel(bool parallel) {
  if (parallel && !worker_) worker_ = std::make_unique<StepWorker>([this] { StepNet(NetId::kRight); });
  if (!parallel) worker_.reset();
}

TestResult TwinTrainer::Evaluate(NetId id) {
  const bool population = config_.eval_stats == EvalStats::kPopulation && net(id).uses_batch_statistics();
  return EvaluateWith(id, population ? Normalization::kPopulation : Normalization::kRunning);
}

TestResult EvaluateNet(const Network<Scalar>& net, const Samples& x, const Labels& labels, Normalization normalization,
                       int batch_size, Workspace<Scalar>& ws, const std::atomic<bool>* interrupt) {
  // Chunks of whole batches, so batch statistics never mix two chunks.
  const int m = std::max(batch_size, 1);
  const Eigen::Index most = EvalChunk(net);
  const Eigen::Index chunk = normalization == Normalization::kBatch ? std::max<Eigen::Index>(1, most / m) * m : most;
  const int size = x.size();
  double loss_sum = 0.0;
  long correct_sum = 0;
  for (Eigen::Index start = 0; start < size; start += chunk) {
    if (interrupt != nullptr && interrupt->load(std::memory_order_relaxed)) {
      TestResult stopped;
      stopped.interrupted = true;
      return stopped;
    }
    const Eigen::Index n = std::min<Eigen::Index>(chunk, size - start);
    int correct = 0;
    x.Columns(static_cast<int>(start), static_cast<int>(n), &ws.input);
    const Label* part_labels = labels.data() + start;
    const Scalar loss = normalization == Normalization::kBatch
                            ? net.InferInBatches(ws.input, m, ws, part_labels, &correct)
                            : net.Infer(ws.input, normalization, ws, part_labels, &correct);
    loss_sum += static_cast<double>(loss) * static_cast<double>(n);
    correct_sum += correct;
  }
  const double count = static_cast<double>(std::max(size, 1));
  TestResult result;
  result.loss = loss_sum / count;
  result.accuracy = static_cast<double>(correct_sum) / count;
  return result;
}

TestResult TwinTrainer::EvaluateWith(NetId id, Normalization normalization) {
  Network<Scalar>& network = net(id);
  if (!network.uses_batch_statistics()) normalization = Normalization::kRunning;  // nothing to normalize: one answer
  if (normalization == Normalization::kPopulation) network.ComputePopulationStats(dataset_->train_x);
  return EvaluateNet(network, dataset_->test_x, dataset_->test_y, normalization, config_.batch_size,
                     eval_ws_[Index(id)], interrupt_);
}

TestModes TwinTrainer::EvaluateModes(NetId id) {
  TestModes modes;
  modes.running = EvaluateWith(id, Normalization::kRunning);
  if (!net(id).uses_batch_statistics()) {
    modes.batch = modes.population = modes.running;
    return modes;
  }
  modes.batch = EvaluateWith(id, Normalization::kBatch);
  modes.population = EvaluateWith(id, Normalization::kPopulation);
  return modes;
}

NetProbe TwinTrainer::Probe(NetId id) {
  net(id).RecomputeWeightGradients(batch_x_);  // the step left them in its workspace
  NetProbe probe = ProbeNetwork(net(id), probe_x_, config_.batch_size, config_.probe_unit, eval_ws_[Index(id)]);
  probe.step = step_;
  return probe;
}

}  // namespace bnlab
