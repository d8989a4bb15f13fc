#include "session/lab_runner.h"

#include "engine/platform.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <variant>

namespace bnlab {
namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

// The noise lab in the GUI: K = 32 batches per size on one thread (the other core draws the
// window), and a piece of work only after nineteen times its own duration has passed: the
// sweep takes 5% of the session thread, and training with the view open loses about 10%
// (a sweep also leaves the caches cold; measured with --frame-stats, see the README).
constexpr int kNoiseDraws = 32;
constexpr int kNoiseReferenceSize = 4096;
constexpr double kNoiseDutyCycle = 0.05;
// The first sweep after the view opens (nothing to show yet) goes six times faster.
constexpr double kFirstNoiseDutyCycle = 0.3;
// The population pass of the Train vs eval view (one pass over the training set) likewise.
constexpr double kPopulationDutyCycle = 0.1;
constexpr double kLandscapeDutyCycle = 0.1;
constexpr int kLandscapeBatch = 64;  // the fixed batch the landscape is measured on

Clock::time_point AfterDutyCycle(double spent, double duty) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(Seconds(spent * (1.0 - duty) / duty));
}

// The BN labs (trace, noise, Inside BN, test time) read the right column's BatchNorm layers;
// with another variant there (layernorm, renorm, none) they stay empty for now.
bool RightColumnHasBatchNorm(const TwinTrainer& trainer) {
  return trainer.net(NetId::kRight).norm() == KindOf<BatchNorm>();
}

}  // namespace

void LabRunner::Set(const Labs& labs) {
  const auto now = Clock::now();
  if (labs.noise && !on_.noise) next_noise_ = now;
  if (labs.landscape && !on_.landscape) next_landscape_ = now;
  if (labs.test_time && !on_.test_time) next_population_ = now;
  on_ = labs;
}

void LabRunner::NewNetworks(int hidden_layers, Snapshot& state) {
  noise_lab_.reset();
  noise_data_.reset();
  noise_pending_.clear();
  next_noise_ = Clock::now();
  NoiseView fresh;
  fresh.traces.resize(static_cast<std::size_t>(hidden_layers));
  fresh.has_experiment = state.noise.has_experiment;
  fresh.experiment_options = state.noise.experiment_options;
  fresh.experiment = state.noise.experiment;
  StopExperiment(state);
  state.noise = std::move(fresh);
  state.inside = InsideBnView();
  state.test_time = TestTimeView();
  state.test_time.population_mean.resize(static_cast<std::size_t>(hidden_layers));
  state.test_time.population_var.resize(static_cast<std::size_t>(hidden_layers));
  next_population_ = Clock::now();
}

void LabRunner::BatchSizeChanged(int batch_size) {
  noise_pending_.insert(noise_pending_.begin(), batch_size);
  next_noise_ = Clock::now();
}

void LabRunner::ProbeUnitChanged(Snapshot& state) {
  for (UnitTrace& trace : state.noise.traces) trace = UnitTrace();
  for (History& history : state.test_time.population_mean) history.Clear();
  for (History& history : state.test_time.population_var) history.Clear();
  state.inside.has_record = false;
  next_population_ = Clock::now();
}

void LabRunner::MeasureNoiseNow() {
  noise_lab_.reset();
  noise_pending_.clear();
  next_noise_ = Clock::now();
}

void LabRunner::AfterStep(const TwinTrainer& trainer, Snapshot& state) {
  RecordTrace(trainer, state);
  RecordInside(trainer, state);
}

bool LabRunner::Work(TwinTrainer& trainer, Snapshot& state) {
  bool changed = false;
  if (NoiseWork(trainer, state)) changed = true;
  if (TestTimeWork(trainer, state)) changed = true;
  if (LandscapeWork(trainer, state)) changed = true;
  return changed;
}

void LabRunner::RecordTrace(const TwinTrainer& trainer, Snapshot& state) const {
  if (!RightColumnHasBatchNorm(trainer)) return;
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  if (trainer.diverged(NetId::kRight)) return;
  std::vector<UnitTrace>& traces = state.noise.traces;
  traces.resize(static_cast<std::size_t>(bn.num_hidden()));
  for (int l = 0; l < bn.num_hidden(); ++l) {
    const BatchNorm<Scalar>& layer = std::get<BatchNorm<Scalar>>(bn.hidden(l).norm);
    const Eigen::Index unit = std::min<Eigen::Index>(state.config.probe_unit, layer.units() - 1);
    UnitTrace& trace = traces[static_cast<std::size_t>(l)];
    // Grown to twice the length, then the older half dropped: O(1) per step on average.
    if (trace.size() >= 2 * kUnitTraceLength) {
      const auto drop = static_cast<std::ptrdiff_t>(trace.size() - kUnitTraceLength);
      trace.step.erase(trace.step.begin(), trace.step.begin() + drop);
      for (std::vector<float>* series :
           {&trace.batch_mean, &trace.batch_var, &trace.running_mean, &trace.running_var}) {
        series->erase(series->begin(), series->begin() + drop);
      }
      trace.batch_size.erase(trace.batch_size.begin(), trace.batch_size.begin() + drop);
    }
    trace.step.push_back(static_cast<double>(state.step));
    trace.batch_mean.push_back(layer.batch_mean(unit, 0));
    trace.batch_var.push_back(layer.batch_var(unit, 0));
    trace.running_mean.push_back(layer.running_mean(unit));
    trace.running_var.push_back(layer.running_var(unit));
    trace.batch_size.push_back(state.config.batch_size);
  }
}

bool LabRunner::NoiseWork(const TwinTrainer& trainer, Snapshot& state) {
  if (!on_.noise || !RightColumnHasBatchNorm(trainer)) return false;
  const auto now = Clock::now();
  if (now < next_noise_) return false;
  NoiseView& noise = state.noise;
  // Paused, with every figure measured on these very weights: nothing new to learn.
  const bool unchanged = state.step == noise.measured_step && !noise.points.empty();
  if (!noise_lab_ && unchanged && std::all_of(noise_pending_.begin(), noise_pending_.end(), [&](int m) {
        return std::any_of(noise.points.begin(), noise.points.end(),
                           [m](const NoisePoint& p) { return p.batch_size == m; });
      })) {
    noise_pending_.clear();
    return false;
  }
  const auto start = Clock::now();
  try {
    if (!noise_lab_) {
      // A new sweep: the lab copies the nets as they are now and takes one pass over the data.
      NoiseOptions options;
      options.draws = kNoiseDraws;
      options.reference_size = kNoiseReferenceSize;
      options.threads = 1;
      options.seed = state.config.seed;
      noise_data_ = trainer.shared_dataset();
      noise_lab_ =
          std::make_unique<NoiseLab>(trainer.net(NetId::kLeft), trainer.net(NetId::kRight), *noise_data_, options);
      std::vector<int> sizes = NoiseBatchSizes(state.config.batch_size, noise_data_->train_size());
      // The current batch size first, then the rest from small (cheap) to large.
      sizes.erase(std::find(sizes.begin(), sizes.end(), state.config.batch_size));
      sizes.insert(sizes.begin(), state.config.batch_size);
      noise_pending_ = sizes;
      noise.measuring = true;
      noise.measured_step = state.step;
      noise.train_size = noise_data_->train_size();
      noise.draws = kNoiseDraws;
      noise.population_mean.clear();
      noise.population_std.clear();
      const int unit = state.config.probe_unit;
      for (int l = 0; l < noise_lab_->num_layers(); ++l) {
        noise.population_mean.push_back(noise_lab_->population_mean(l, unit));
        noise.population_std.push_back(noise_lab_->population_std(l, unit));
      }
    } else if (!noise_pending_.empty()) {
      const int m = noise_pending_.front();
      noise_pending_.erase(noise_pending_.begin());
      if (m <= noise_lab_->train_size()) {
        NoisePoint point = noise_lab_->Measure(m);
        auto at = std::lower_bound(noise.points.begin(), noise.points.end(), m,
                                   [](const NoisePoint& p, int size) { return p.batch_size < size; });
        if (at != noise.points.end() && at->batch_size == m) *at = std::move(point);
        else noise.points.insert(at, std::move(point));
      }
      if (noise_pending_.empty()) {
        noise.measuring = false;
        noise_lab_.reset();  // the next sweep measures the nets as they will be then
        noise_data_.reset();
      }
    }
  } catch (const std::exception& e) {
    noise_lab_.reset();
    noise_data_.reset();
    noise_pending_.clear();
    noise.measuring = false;
    state.error = std::string("Batch-size noise: ") + e.what();
  }
  const bool first_sweep = noise.points.size() < NoiseBatchSizes(state.config.batch_size, noise.train_size).size();
  next_noise_ =
      AfterDutyCycle(Seconds(Clock::now() - start).count(), first_sweep ? kFirstNoiseDutyCycle : kNoiseDutyCycle);
  return true;
}

void LabRunner::StartExperiment(const TwinTrainer& trainer, Snapshot& state) {
  if (experiment_.started()) return;
  if (!kThreadsAvailable) {
    // Its runs take minutes of CPU: on the page's one thread they would stop the training and
    // the page. Said where the experiment's results would show.
    state.noise.experiment_error =
        "The ghost-BN experiment is not available in the browser (it needs a thread of its own): run bnlab on the "
        "desktop for it.";
    return;
  }
  GhostExperimentOptions options;
  options.train_subset = std::min(options.train_subset, trainer.dataset().train_size());
  options.batch_size = std::min(options.batch_size, options.train_subset);
  for (int& g : options.ghost_groups) g = std::min(g, options.batch_size);
  const TrainConfig config = state.config;
  std::shared_ptr<const Dataset> data = trainer.shared_dataset();
  state.noise.experiment_running = true;
  state.noise.experiment_options = options;
  state.noise.experiment_error.clear();
  experiment_.Start(options.seeds * (1 + static_cast<int>(options.ghost_groups.size())),
                    [options, config, data](const auto& progress, const std::atomic<bool>* cancel) {
                      return RunGhostExperiment(*data, config, options, progress, cancel);
                    });
}

void LabRunner::StopExperiment(Snapshot& state) {
  if (!experiment_.started()) return;
  experiment_.Stop();
  state.noise.experiment_running = false;
}

void LabRunner::StartBatchSweep(const TwinTrainer& trainer, Snapshot& state) {
  batch_sweep_.Start(trainer.shared_dataset(), state.config, state.batch_sweep);
}

bool LabRunner::CollectRuns(Snapshot& state) {
  bool changed = batch_sweep_.Collect(state.batch_sweep);
  NoiseView& noise = state.noise;
  if (!noise.experiment_running) return changed;
  noise.experiment_done = experiment_.done();
  noise.experiment_total = experiment_.total();
  if (!experiment_.finished()) return true;
  noise.experiment_running = false;
  if (experiment_.Collect(&noise.experiment, &noise.experiment_error)) noise.has_experiment = true;
  return true;
}

void LabRunner::RecordInside(const TwinTrainer& trainer, Snapshot& state) const {
  // The observer filled the record during the step; add where its batch came from.
  if (!on_.inside_bn || !RightColumnHasBatchNorm(trainer) || trainer.diverged(NetId::kRight)) return;
  InsideBnView& inside = state.inside;
  inside.has_record = true;
  inside.step = state.step;
  inside.samples = trainer.batch_indices();
  inside.labels.resize(inside.samples.size());
  for (std::size_t i = 0; i < inside.samples.size(); ++i) {
    inside.labels[i] = trainer.dataset().train_y[static_cast<std::size_t>(inside.samples[i])];
  }
}

bool LabRunner::LandscapeWork(const TwinTrainer& trainer, Snapshot& state) {
  if (!on_.landscape || Clock::now() < next_landscape_) return false;
  const double x = static_cast<double>(state.step);
  const LandscapeHistory& first = state.nets[0].landscape;
  if (!first.smoothness.empty() && first.smoothness.last_x() == x) return false;  // nothing trained since
  const auto start = Clock::now();
  // The first training images, the same every time, so the figures compare over the steps.
  const Dataset& data = *state.dataset;
  Matrix batch;  // (features, n)
  data.train_x.Columns(0, std::min(kLandscapeBatch, data.train_size()), &batch);
  for (NetId id : kNets) {
    NetView& view = state.nets[static_cast<std::size_t>(id)];
    if (view.diverged) continue;
    const LandscapePoint point =
        MeasureLandscape(trainer.net(id), batch, data.train_y.data(), state.config.optimizer.learning_rate);
    if (point.finite_steps == 0) continue;  // every step on the grid left the numbers: nothing to show
    LandscapeHistory& history = view.landscape;
    history.loss_lo.Add(x, point.loss_lo);
    history.loss_hi.Add(x, point.loss_hi);
    history.grad_change_lo.Add(x, point.grad_change_lo);
    history.grad_change_hi.Add(x, point.grad_change_hi);
    history.smoothness.Add(x, point.smoothness);
  }
  next_landscape_ = AfterDutyCycle(Seconds(Clock::now() - start).count(), kLandscapeDutyCycle);
  return true;
}

bool LabRunner::TestTimeWork(TwinTrainer& trainer, Snapshot& state) {
  if (!on_.test_time || Clock::now() < next_population_ || !RightColumnHasBatchNorm(trainer)) return false;
  if (trainer.diverged(NetId::kRight)) return false;
  TestTimeView& test_time = state.test_time;
  const double x = static_cast<double>(state.step);
  if (!test_time.test_acc_population.empty() && test_time.test_acc_population.last_x() == x) return false;
  const auto start = Clock::now();
  // The population pass stores each BN layer's exact statistics in the net (training never
  // reads them), then the test set is classified with them.
  const TestResult population = trainer.EvaluateWith(NetId::kRight, Normalization::kPopulation);
  if (population.interrupted) return false;  // a command is waiting; measured again next time
  test_time.test_acc_population.Add(x, population.accuracy);
  // The other two at the very same step, so the three numbers compare like with like.
  const TestResult batch = trainer.EvaluateWith(NetId::kRight, Normalization::kBatch);
  const TestResult running = trainer.EvaluateWith(NetId::kRight, Normalization::kRunning);
  if (!batch.interrupted && !running.interrupted) {
    test_time.modes_step = state.step;
    test_time.acc_batch = batch.accuracy;
    test_time.acc_running = running.accuracy;
    test_time.acc_population = population.accuracy;
  }
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  test_time.population_mean.resize(static_cast<std::size_t>(bn.num_hidden()));
  test_time.population_var.resize(static_cast<std::size_t>(bn.num_hidden()));
  for (int l = 0; l < bn.num_hidden(); ++l) {
    const HiddenLayer<Scalar>& layer = bn.hidden(l);
    const Eigen::Index unit = std::min<Eigen::Index>(state.config.probe_unit, layer.linear.out() - 1);
    test_time.population_mean[static_cast<std::size_t>(l)].Add(x, layer.population_mean(unit));
    test_time.population_var[static_cast<std::size_t>(l)].Add(x, layer.population_var(unit));
  }
  next_population_ = AfterDutyCycle(Seconds(Clock::now() - start).count(), kPopulationDutyCycle);
  return true;
}

void LabRunner::MeasureTestTimeScatter(const TwinTrainer& trainer, Snapshot& state) const {
  if (!RightColumnHasBatchNorm(trainer)) return;
  const Network<Scalar>& bn = trainer.net(NetId::kRight);
  if (trainer.diverged(NetId::kRight)) return;
  TestTimeView& test_time = state.test_time;
  const int l = std::clamp(state.bn_layer, 0, bn.num_hidden() - 1);
  const BatchNorm<Scalar>& layer = std::get<BatchNorm<Scalar>>(bn.hidden(l).norm);
  const Eigen::Index unit = std::min<Eigen::Index>(state.config.probe_unit, layer.units() - 1);
  auto row = [&](const Workspace<Scalar>& ws, bool input, std::vector<float>& out) {
    const Matrix& m = input ? bn.NormInput(ws, l) : ws.layers[static_cast<std::size_t>(l)].normed;
    out.resize(static_cast<std::size_t>(m.cols()));
    for (Eigen::Index i = 0; i < m.cols(); ++i) out[static_cast<std::size_t>(i)] = m(unit, i);
  };
  Workspace<Scalar> ws;
  bn.InferInBatches(trainer.probe_samples(), state.config.batch_size, ws, nullptr, nullptr);
  row(ws, true, test_time.train_x);
  row(ws, false, test_time.train_y);
  bn.Infer(trainer.probe_samples(), Normalization::kRunning, ws, nullptr, nullptr);
  row(ws, true, test_time.eval_x);
  row(ws, false, test_time.eval_y);
  test_time.layer = l;
  test_time.scale = layer.gamma(unit) / std::sqrt(static_cast<double>(layer.running_var(unit)) + layer.eps);
  test_time.shift = layer.beta(unit) - test_time.scale * layer.running_mean(unit);
}

}  // namespace bnlab
