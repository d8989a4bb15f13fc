#include "engine/noise.h"

#include "engine/platform.h"
#include "engine/probes.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>

namespace bnlab {
namespace {

constexpr int kPopulationChunk = 4096;
constexpr int kLargestGridSize = 1024;
constexpr int kLanes = 2;

std::size_t Index(NetId id) { return static_cast<std::size_t>(id); }

Quartiles QuartilesOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return Quartiles{SortedPercentile(values, 25.0), SortedPercentile(values, 50.0), SortedPercentile(values, 75.0)};
}

double Median(std::vector<double> values) { return QuartilesOf(std::move(values)).median; }

// Sample standard deviation from running sums over K draws.
double StdFromSums(double sum, double sum_sq, int k) {
  const double mean = sum / k;
  const double var = (sum_sq - k * mean * mean) / (k - 1);
  return std::sqrt(std::max(var, 0.0));
}

// Layer l's batch statistics of the last ForwardTrain (one group: the lab turns ghost BN off),
// and the normalized value of sample 0, x̂ before γ and β.
struct LayerStatistics {
  Eigen::ArrayXd mean, var, first_xhat;
};
void ReadStatistics(const Network<Scalar>& net, int l, LayerStatistics* out) {
  std::visit(
      [&](const auto& norm) {
        if constexpr (NormType<decltype(norm)>::kUsesBatchStatistics) {
          out->mean = norm.batch_mean.col(0).template cast<double>().array();
          out->var = norm.batch_var.col(0).template cast<double>().array();
          out->first_xhat = norm.x_hat.col(0).template cast<double>().array();
        } else {
          assert(false && "ReadStatistics: a net whose normalization uses batch statistics");
        }
      },
      net.hidden(l).norm);
}

// Gradients of γ and β of whichever normalization the net has (empty without one).
const Vector& GammaGradient(const HiddenLayer<Scalar>& layer) {
  return std::visit([](const auto& norm) -> const Vector& { return norm.dgamma; }, layer.norm);
}
const Vector& BetaGradient(const HiddenLayer<Scalar>& layer) {
  return std::visit([](const auto& norm) -> const Vector& { return norm.dbeta; }, layer.norm);
}

}  // namespace

void FlattenGradient(const Network<Scalar>& net, Eigen::VectorXd& out) {
  Eigen::Index size = net.output().dW.size() + net.output().db.size();
  for (int l = 0; l < net.num_hidden(); ++l) {
    const HiddenLayer<Scalar>& layer = net.hidden(l);
    size += layer.linear.dW.size() + layer.linear.db.size() + GammaGradient(layer).size() + BetaGradient(layer).size();
  }
  out.resize(size);
  Eigen::Index at = 0;
  auto append = [&](const auto& part) {
    for (Eigen::Index i = 0; i < part.size(); ++i) out(at + i) = static_cast<double>(part.data()[i]);
    at += part.size();
  };
  for (int l = 0; l < net.num_hidden(); ++l) {
    const HiddenLayer<Scalar>& layer = net.hidden(l);
    append(layer.linear.dW);
    append(layer.linear.db);
    append(GammaGradient(layer));
    append(BetaGradient(layer));
  }
  append(net.output().dW);
  append(net.output().db);
}

// Sums over one lane's draws, per normalization layer and unit: μ_B, μ_B², σ²_B, (σ²_B)², and the fixed
// sample's x̂, x̂²; per net: Σ g_B, Σ‖g_B‖², Σ cos(g_B, g).
struct NoiseLab::Lane {
  std::array<Network<Scalar>, 2> nets;  // by NetId: working copies (caches and gradients change)
  NetId statistics;                     // the net whose batch statistics are measured
  LayerStatistics layer_statistics;
  Matrix batch_x;  // (features, m)
  Labels batch_y;  // (m)
  Eigen::VectorXd gradient;
  std::vector<Eigen::ArrayXd> mean, mean_sq, var, var_sq, xhat, xhat_sq;
  std::array<Eigen::VectorXd, 2> gradient_sum;
  std::array<double, 2> gradient_sq_sum = {0.0, 0.0};
  std::array<double, 2> cosine_sum = {0.0, 0.0};

  // The statistics of the whole batch of m, also for a ghost-BN net: the lab asks what m does.
  Lane(const Network<Scalar>& left, const Network<Scalar>& right, NetId statistics_net)
      : nets{left, right}, statistics(statistics_net) {
    for (Network<Scalar>& net : nets) net.SetGhostGroup(0);
  }

  void Gather(const Dataset& data, const int* indices, int m) {
    data.train_x.Gather(indices, m, &batch_x);
    batch_y.resize(static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i)
      batch_y[static_cast<std::size_t>(i)] = data.train_y[static_cast<std::size_t>(indices[i])];
  }

  // `parameters`: each net's parameter count (biases, γ and β depend on the variant).
  void Reset(const std::vector<Eigen::VectorXd>& population_mean, const std::array<Eigen::Index, 2>& parameters) {
    const std::size_t layers = population_mean.size();
    for (std::vector<Eigen::ArrayXd>* sums : {&mean, &mean_sq, &var, &var_sq, &xhat, &xhat_sq}) {
      sums->resize(layers);
      for (std::size_t l = 0; l < layers; ++l) (*sums)[l].setZero(population_mean[l].size());
    }
    for (std::size_t i = 0; i < gradient_sum.size(); ++i) gradient_sum[i].setZero(parameters[i]);
    gradient_sq_sum = {0.0, 0.0};
    cosine_sum = {0.0, 0.0};
  }

  // One batch of the statistics draws: μ_B, σ²_B per layer and, optionally, both gradients.
  void StatisticsDraw(const std::array<Eigen::VectorXd, 2>* reference) {
    Network<Scalar>& statistics_net = nets[Index(statistics)];
    statistics_net.ForwardTrain(batch_x, batch_y.data(), nullptr);
    for (std::size_t l = 0; l < mean.size(); ++l) {
      ReadStatistics(statistics_net, static_cast<int>(l), &layer_statistics);
      const Eigen::ArrayXd& batch_mean = layer_statistics.mean;
      const Eigen::ArrayXd& batch_var = layer_statistics.var;
      mean[l] += batch_mean;
      mean_sq[l] += batch_mean.square();
      var[l] += batch_var;
      var_sq[l] += batch_var.square();
    }
    if (reference == nullptr) return;
    for (NetId id : kNets) {
      Network<Scalar>& net = nets[Index(id)];
      if (id != statistics) net.ForwardTrain(batch_x, batch_y.data(), nullptr);
      net.Backward(batch_x, batch_y.data());
      FlattenGradient(net, gradient);
      const std::size_t i = Index(id);
      const Eigen::VectorXd& g = (*reference)[i];
      gradient_sum[i] += gradient;
      gradient_sq_sum[i] += gradient.squaredNorm();
      const double norms = gradient.norm() * g.norm();
      cosine_sum[i] += norms > 0.0 ? gradient.dot(g) / norms : 0.0;
    }
  }

  // One batch holding the fixed sample in column 0: its x̂ in every normalization layer.
  void SampleDraw() {
    Network<Scalar>& statistics_net = nets[Index(statistics)];
    statistics_net.ForwardTrain(batch_x, batch_y.data(), nullptr);
    for (std::size_t l = 0; l < xhat.size(); ++l) {
      ReadStatistics(statistics_net, static_cast<int>(l), &layer_statistics);
      const Eigen::ArrayXd& x = layer_statistics.first_xhat;
      xhat[l] += x;
      xhat_sq[l] += x.square();
    }
  }
};

NoiseLab::NoiseLab(const Network<Scalar>& left, const Network<Scalar>& right, const Dataset& data,
                   const NoiseOptions& options)
    : data_(data), options_(options), rng_(options.seed) {
  const int n = data.train_size();
  if (options.draws < 2) throw std::invalid_argument("draws must be >= 2, got " + std::to_string(options.draws));
  if (options.sample < 0 || options.sample >= n) {
    throw std::invalid_argument("sample " + std::to_string(options.sample) + " is outside the training set (" +
                                std::to_string(n) + " samples)");
  }
  if (!left.uses_batch_statistics() && !right.uses_batch_statistics()) {
    throw std::invalid_argument(
        "the noise lab needs a network that normalizes with batch statistics (bn, bn-after, "
        "bn-bias, ghost-bn or renorm); neither column does");
  }
  // The right column when both do, as BatchStatisticsColumn (trainer.h) chooses.
  statistics_ = right.uses_batch_statistics() ? NetId::kRight : NetId::kLeft;
  const Network<Scalar>& bn = statistics_ == NetId::kRight ? right : left;
  if (n < 2) throw std::invalid_argument("the noise lab needs at least 2 training samples");
  pool_.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) pool_[static_cast<std::size_t>(i)] = i;
  for (int lane = 0; lane < kLanes; ++lane) lanes_.push_back(std::make_unique<Lane>(left, right, statistics_));

  // Population statistics of every normalized unit: exact mean and variance layer by layer, then one
  // pass in chunks, normalized with them, for the fourth moment (the kurtosis in the theory).
  Network<Scalar> population_net = bn;
  population_net.ComputePopulationStats(data.train_x);
  const int layers = population_net.num_hidden();
  population_mean_.resize(static_cast<std::size_t>(layers));
  population_var_.resize(static_cast<std::size_t>(layers));
  kurtosis_.resize(static_cast<std::size_t>(layers));
  for (int l = 0; l < layers; ++l) {
    population_mean_[l] = population_net.hidden(l).population_mean.cast<double>();
    population_var_[l] = population_net.hidden(l).population_var.cast<double>();
  }
  std::array<std::vector<Eigen::VectorXd>, kLanes> m2, m4;
  ForEachLane([&](int lane) {
    m2[lane].resize(static_cast<std::size_t>(layers));
    m4[lane].resize(static_cast<std::size_t>(layers));
    for (int l = 0; l < layers; ++l) {
      m2[lane][l].setZero(population_mean_[l].size());
      m4[lane][l].setZero(population_mean_[l].size());
    }
    const Network<Scalar>::BnObserver moments = [&](int l, const Eigen::Ref<const Matrix>& in, const Vector&,
                                                    const Vector&) {
      const Eigen::ArrayXXd squared = (in.cast<double>().colwise() - population_mean_[l]).array().square();
      m2[lane][l] += squared.rowwise().sum().matrix();
      m4[lane][l] += squared.square().rowwise().sum().matrix();
    };
    Workspace<Scalar> ws;
    for (int start = lane * kPopulationChunk; start < n; start += kLanes * kPopulationChunk) {
      const int count = std::min(kPopulationChunk, n - start);
      data.train_x.Columns(start, count, &ws.input);
      population_net.Infer(ws.input, Normalization::kPopulation, ws, nullptr, nullptr, &moments);
    }
  });
  for (int l = 0; l < layers; ++l) {
    const Eigen::ArrayXd var = (m2[0][l] + m2[1][l]).array() / n;
    kurtosis_[l] = (((m4[0][l] + m4[1][l]).array() / n) / var.square().max(1e-300)).matrix();
  }

  // The reference gradient g of each net: one large batch drawn from its own stream.
  if (options_.gradients) {
    const int reference = std::clamp(options_.reference_size, 1, n);
    std::vector<int> indices(static_cast<std::size_t>(reference));
    rng_ = Rng(options_.seed ^ 0x5DEECE66Dull);
    DrawBatch(reference, false, indices.data());
    ForEachLane([&](int lane) {
      const NetId id = kNets[static_cast<std::size_t>(lane)];
      Lane& worker = *lanes_[static_cast<std::size_t>(lane)];
      Network<Scalar>& net = worker.nets[Index(id)];
      worker.Gather(data_, indices.data(), reference);
      net.ForwardTrain(worker.batch_x, worker.batch_y.data(), nullptr);
      net.Backward(worker.batch_x, worker.batch_y.data());
      FlattenGradient(net, reference_gradient_[Index(id)]);
    });
  }
}

NoiseLab::~NoiseLab() = default;

template <typename Job>
void NoiseLab::ForEachLane(Job&& job) {
  static_assert(kLanes == 2, "one extra thread for the second lane");
  if (UsableThreads(options_.threads) < 2) {
    for (int lane = 0; lane < kLanes; ++lane) job(lane);
    return;
  }
  std::exception_ptr failure;
  std::thread second([&] {
    try {
      job(1);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  job(0);
  second.join();
  if (failure) std::rethrow_exception(failure);
}

double NoiseLab::population_std(int l, int u) const { return std::sqrt(population_var_[l](u)); }

// m distinct samples into `out`: the first m entries of a partial Fisher–Yates shuffle of the
// pool. With the fixed sample, it goes first and the others are drawn from the rest of the set.
void NoiseLab::DrawBatch(int m, bool with_sample, int* out) {
  const int n = static_cast<int>(pool_.size());
  int first = 0;
  int available = n;
  if (with_sample) {
    // The pool is a permutation: move the sample to the end and draw from the rest.
    const auto it = std::find(pool_.begin(), pool_.end(), options_.sample);
    std::iter_swap(it, pool_.end() - 1);
    out[0] = options_.sample;
    first = 1;
    available = n - 1;
  }
  for (int i = first; i < m; ++i) {
    const int slot = i - first;
    const int j = slot + static_cast<int>(rng_.Below(static_cast<std::uint64_t>(available - slot)));
    std::swap(pool_[static_cast<std::size_t>(slot)], pool_[static_cast<std::size_t>(j)]);
    out[i] = pool_[static_cast<std::size_t>(slot)];
  }
}

NoisePoint NoiseLab::Measure(int m) {
  const int n = train_size();
  if (m < 1 || m > LargestNoiseBatch(n)) {
    throw std::invalid_argument("batch size " + std::to_string(m) + " is outside [1, " +
                                std::to_string(LargestNoiseBatch(n)) + "] (below the training set's " +
                                std::to_string(n) + ": a batch of all of it has no spread)");
  }
  const int k = options_.draws;
  const int layers = num_layers();
  // The same batches for a given (seed, m), whatever was measured before: all drawn up front.
  rng_ = Rng(options_.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(m));
  for (int i = 0; i < n; ++i) pool_[static_cast<std::size_t>(i)] = i;
  const std::size_t stride = static_cast<std::size_t>(m);
  batches_.resize(2 * static_cast<std::size_t>(k) * stride);
  for (int draw = 0; draw < 2 * k; ++draw) DrawBatch(m, draw >= k, batches_.data() + draw * stride);

  // Lane 0 takes the first half of each kind of draw, lane 1 the second; the lanes' sums are
  // added in that order, so one thread or two give the same bits.
  const std::array<Eigen::Index, 2> parameters = {reference_gradient_[0].size(), reference_gradient_[1].size()};
  ForEachLane([&](int lane) {
    Lane& worker = *lanes_[static_cast<std::size_t>(lane)];
    worker.Reset(population_mean_, parameters);
    const int begin = lane == 0 ? 0 : k / 2;
    const int end = lane == 0 ? k / 2 : k;
    for (int draw = begin; draw < end; ++draw) {
      worker.Gather(data_, batches_.data() + draw * stride, m);
      worker.StatisticsDraw(options_.gradients ? &reference_gradient_ : nullptr);
      worker.Gather(data_, batches_.data() + (k + draw) * stride, m);
      worker.SampleDraw();
    }
  });
  const Lane& a = *lanes_[0];
  const Lane& b = *lanes_[1];

  NoisePoint point;
  point.batch_size = m;
  point.layers.resize(static_cast<std::size_t>(layers));
  const double dm = m;
  const double dn = n;
  const double without_replacement = (dn - dm) / (dn - 1.0);
  for (int l = 0; l < layers; ++l) {
    const Eigen::ArrayXd mean = a.mean[l] + b.mean[l], mean_sq = a.mean_sq[l] + b.mean_sq[l];
    const Eigen::ArrayXd var = a.var[l] + b.var[l], var_sq = a.var_sq[l] + b.var_sq[l];
    const Eigen::ArrayXd xhat = a.xhat[l] + b.xhat[l], xhat_sq = a.xhat_sq[l] + b.xhat_sq[l];
    std::vector<double> std_mean, std_var, mean_var, sample, var_theory;
    for (Eigen::Index u = 0; u < mean.size(); ++u) {
      const double population_var = population_var_[l](u);
      if (!(population_var > 0.0)) continue;  // a unit that never varies has no relative spread
      const double sd = std::sqrt(population_var);
      std_mean.push_back(StdFromSums(mean(u), mean_sq(u), k) / sd);
      std_var.push_back(StdFromSums(var(u), var_sq(u), k) / population_var);
      mean_var.push_back(var(u) / k / population_var);
      sample.push_back(StdFromSums(xhat(u), xhat_sq(u), k));
      const double kurtosis = kurtosis_[l](u);
      const double spread = m > 1 ? std::max(kurtosis - (dm - 3.0) / (dm - 1.0), 0.0) / dm : 0.0;
      var_theory.push_back((dm - 1.0) / dm * std::sqrt(spread * without_replacement));
    }
    LayerNoise& out = point.layers[static_cast<std::size_t>(l)];
    out.std_batch_mean = QuartilesOf(std_mean);
    out.std_batch_mean_theory = std::sqrt((1.0 - dm / dn) / dm);
    out.std_batch_var = QuartilesOf(std_var);
    out.std_batch_var_theory = Median(var_theory);
    out.mean_batch_var = QuartilesOf(mean_var);
    out.mean_batch_var_theory = (dm - 1.0) / dm;
    out.sample_noise = QuartilesOf(sample);
  }
  if (options_.gradients) {
    for (NetId id : kNets) {
      const std::size_t i = Index(id);
      const Eigen::VectorXd mean = (a.gradient_sum[i] + b.gradient_sum[i]) / k;
      const double sq_sum = a.gradient_sq_sum[i] + b.gradient_sq_sum[i];
      const double variance = std::max(sq_sum - k * mean.squaredNorm(), 0.0) / (k - 1);
      const double reference = reference_gradient_[i].squaredNorm();
      point.gradient[i].cosine = (a.cosine_sum[i] + b.cosine_sum[i]) / k;
      point.gradient[i].rel_var = reference > 0.0 ? variance / reference : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return point;
}

std::vector<int> NoiseBatchSizes(int current, int train_size) {
  std::vector<int> sizes;
  const int largest = LargestNoiseBatch(train_size);
  for (int m = 1; m <= std::min(kLargestGridSize, largest); m *= 2) sizes.push_back(m);
  if (current >= 1 && current <= largest && std::find(sizes.begin(), sizes.end(), current) == sizes.end()) {
    sizes.insert(std::upper_bound(sizes.begin(), sizes.end(), current), current);
  }
  return sizes;
}

std::vector<NoisePoint> MeasureNoise(const Network<Scalar>& left, const Network<Scalar>& right, const Dataset& data,
                                     const std::vector<int>& batch_sizes, const NoiseOptions& options) {
  NoiseLab lab(left, right, data, options);
  std::vector<NoisePoint> points;
  points.reserve(batch_sizes.size());
  for (int m : batch_sizes) points.push_back(lab.Measure(m));
  return points;
}

SlopeFit LogLogFit(const std::vector<double>& xs, const std::vector<double>& ys) {
  double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  int count = 0;
  const auto usable = [&](std::size_t i) {
    return xs[i] > 0.0 && ys[i] > 0.0 && std::isfinite(xs[i]) && std::isfinite(ys[i]);
  };
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (!usable(i)) continue;
    const double x = std::log(xs[i]);
    const double y = std::log(ys[i]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    ++count;
  }
  SlopeFit fit;
  const double denominator = count * sxx - sx * sx;
  if (count < 2 || denominator <= 0.0) return fit;
  fit.slope = (count * sxy - sx * sy) / denominator;
  if (count < 3) return fit;
  // Standard error of a least-squares slope: √(Σ residual² / (n − 2) / Σ (x − x̄)²).
  const double intercept = (sy - fit.slope * sx) / count;
  double residuals = 0.0;
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (!usable(i)) continue;
    const double r = std::log(ys[i]) - (intercept + fit.slope * std::log(xs[i]));
    residuals += r * r;
  }
  fit.error = std::sqrt(residuals / (count - 2) / (denominator / count));
  return fit;
}

double LogLogSlope(const std::vector<double>& xs, const std::vector<double>& ys) { return LogLogFit(xs, ys).slope; }

NoiseSlopes FitNoiseSlopes(const std::vector<NoisePoint>& points, int train_size) {
  NoiseSlopes slopes;
  const std::size_t layers = points.empty() ? 0 : points.front().layers.size();
  std::vector<double> ms;
  std::vector<const NoisePoint*> used;
  for (const NoisePoint& point : points) {
    if (4 * point.batch_size > train_size) continue;
    ms.push_back(point.batch_size);
    used.push_back(&point);
  }
  auto fit_of = [&](auto figure, std::vector<double>* slope, std::vector<double>* error) {
    std::vector<double> ys;
    for (const NoisePoint* point : used) ys.push_back(figure(*point));
    const SlopeFit fit = LogLogFit(ms, ys);
    slope->push_back(fit.slope);
    error->push_back(fit.error);
  };
  for (std::size_t l = 0; l < layers; ++l) {
    fit_of([&](const NoisePoint& p) { return p.layers[l].std_batch_mean.median; }, &slopes.std_batch_mean,
           &slopes.std_batch_mean_error);
    fit_of([&](const NoisePoint& p) { return p.layers[l].std_batch_var.median; }, &slopes.std_batch_var,
           &slopes.std_batch_var_error);
    fit_of([&](const NoisePoint& p) { return p.layers[l].sample_noise.median; }, &slopes.sample_noise,
           &slopes.sample_noise_error);
  }
  std::vector<double> gradient_ms;
  for (const NoisePoint* point : used) {
    if (point->batch_size >= kGradientFitMinBatch) gradient_ms.push_back(point->batch_size);
  }
  for (NetId id : kNets) {
    std::vector<double> ys;
    for (const NoisePoint* point : used) {
      if (point->batch_size >= kGradientFitMinBatch) ys.push_back(point->gradient[Index(id)].rel_var);
    }
    const SlopeFit fit = LogLogFit(gradient_ms, ys);
    slopes.grad_rel_var[Index(id)] = fit.slope;
    slopes.grad_rel_var_error[Index(id)] = fit.error;
  }
  return slopes;
}

}  // namespace bnlab
