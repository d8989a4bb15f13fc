#include "engine/noise.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace bnlab {
namespace {

constexpr Eigen::Index kPopulationChunk = 4096;
constexpr int kLargestGridSize = 1024;

std::size_t Index(NetId id) { return static_cast<std::size_t>(id); }

Quartiles QuartilesOf(std::vector<double> values) {
  Quartiles q;
  if (values.empty()) return q;
  std::sort(values.begin(), values.end());
  auto at = [&](double p) {
    const double position = p * static_cast<double>(values.size() - 1);
    const std::size_t below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double t = position - static_cast<double>(below);
    return (1.0 - t) * values[below] + t * values[above];
  };
  q.q25 = at(0.25);
  q.median = at(0.5);
  q.q75 = at(0.75);
  return q;
}

double Median(std::vector<double> values) { return QuartilesOf(std::move(values)).median; }

// Sample standard deviation from running sums over K draws.
double StdFromSums(double sum, double sum_sq, int k) {
  const double mean = sum / k;
  const double var = (sum_sq - k * mean * mean) / (k - 1);
  return std::sqrt(std::max(var, 0.0));
}

}  // namespace

void FlattenGradient(const Network<Scalar>& net, Eigen::VectorXd& out) {
  Eigen::Index size = net.output().dW.size() + net.output().db.size();
  for (int l = 0; l < net.num_hidden(); ++l) {
    const HiddenLayer<Scalar>& layer = net.hidden(l);
    size += layer.linear.dW.size() + layer.linear.db.size() + layer.bn.dgamma.size() + layer.bn.dbeta.size();
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
    append(layer.bn.dgamma);
    append(layer.bn.dbeta);
  }
  append(net.output().dW);
  append(net.output().db);
}

NoiseLab::NoiseLab(const Network<Scalar>& plain, const Network<Scalar>& bn, const Dataset& data,
                   const NoiseOptions& options)
    : data_(data), options_(options), nets_{plain, bn}, rng_(options.seed) {
  const int n = static_cast<int>(data.train_x.cols());
  if (options.draws < 2) throw std::invalid_argument("draws must be >= 2, got " + std::to_string(options.draws));
  if (options.sample < 0 || options.sample >= n) {
    throw std::invalid_argument("sample " + std::to_string(options.sample) + " is outside the training set (" +
                                std::to_string(n) + " samples)");
  }
  if (!bn.with_bn()) throw std::invalid_argument("the noise lab needs a network with BN layers");
  if (n < 2) throw std::invalid_argument("the noise lab needs at least 2 training samples");
  pool_.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) pool_[static_cast<std::size_t>(i)] = i;

  // Population statistics of every BN unit: exact mean and variance layer by layer, then one
  // pass in chunks, normalized with them, for the fourth moment (the kurtosis in the theory).
  Network<Scalar>& bn_net = nets_[Index(NetId::kBn)];
  bn_net.ComputePopulationStats(data.train_x);
  const int layers = bn_net.num_hidden();
  population_mean_.resize(static_cast<std::size_t>(layers));
  population_var_.resize(static_cast<std::size_t>(layers));
  kurtosis_.resize(static_cast<std::size_t>(layers));
  std::vector<Eigen::VectorXd> m2(static_cast<std::size_t>(layers)), m4(static_cast<std::size_t>(layers));
  for (int l = 0; l < layers; ++l) {
    population_mean_[l] = bn_net.hidden(l).population_mean.cast<double>();
    population_var_[l] = bn_net.hidden(l).population_var.cast<double>();
    m2[l].setZero(population_mean_[l].size());
    m4[l].setZero(population_mean_[l].size());
  }
  const Network<Scalar>::BnObserver moments = [&](int l, const Eigen::Ref<const Matrix>& in, const Vector&,
                                                  const Vector&) {
    const Eigen::ArrayXXd centred = in.cast<double>().colwise() - population_mean_[l];
    const Eigen::ArrayXXd squared = centred.square();
    m2[l] += squared.rowwise().sum().matrix();
    m4[l] += squared.square().rowwise().sum().matrix();
  };
  Workspace<Scalar> ws;
  for (Eigen::Index start = 0; start < n; start += kPopulationChunk) {
    const Eigen::Index count = std::min<Eigen::Index>(kPopulationChunk, n - start);
    bn_net.Infer(data.train_x.middleCols(start, count), Normalization::kPopulation, ws, nullptr, nullptr, &moments);
  }
  for (int l = 0; l < layers; ++l) {
    const Eigen::ArrayXd var = m2[l].array() / n;
    kurtosis_[l] = ((m4[l].array() / n) / var.square().max(1e-300)).matrix();
  }

  // The reference gradient g of each net: one large batch drawn from its own stream.
  if (options_.gradients) {
    const int reference = std::clamp(options_.reference_size, 1, n);
    Rng saved = rng_;
    rng_ = Rng(options_.seed ^ 0x5DEECE66Dull);
    DrawBatch(reference, false);
    rng_ = saved;
    GatherBatch();
    for (NetId id : kNets) {
      Network<Scalar>& net = nets_[Index(id)];
      net.ForwardTrain(batch_x_, batch_y_.data(), nullptr);
      net.Backward(batch_x_, batch_y_.data());
      FlattenGradient(net, reference_gradient_[Index(id)]);
    }
  }
}

double NoiseLab::population_std(int l, int u) const { return std::sqrt(population_var_[l](u)); }

// m distinct samples: the first m entries of a partial Fisher–Yates shuffle of the pool. With
// the fixed sample, it goes first and the others are drawn from the rest of the set.
void NoiseLab::DrawBatch(int m, bool with_sample) {
  const int n = static_cast<int>(pool_.size());
  batch_.resize(static_cast<std::size_t>(m));
  int first = 0;
  int available = n;
  if (with_sample) {
    // The pool is a permutation: move the sample to the end and draw from the rest.
    const auto it = std::find(pool_.begin(), pool_.end(), options_.sample);
    std::iter_swap(it, pool_.end() - 1);
    batch_[0] = options_.sample;
    first = 1;
    available = n - 1;
  }
  for (int i = first; i < m; ++i) {
    const int slot = i - first;
    const int j = slot + static_cast<int>(rng_.Below(static_cast<std::uint64_t>(available - slot)));
    std::swap(pool_[static_cast<std::size_t>(slot)], pool_[static_cast<std::size_t>(j)]);
    batch_[static_cast<std::size_t>(i)] = pool_[static_cast<std::size_t>(slot)];
  }
}

void NoiseLab::GatherBatch() {
  const Eigen::Index m = static_cast<Eigen::Index>(batch_.size());
  batch_x_.resize(data_.train_x.rows(), m);
  batch_y_.resize(batch_.size());
  for (Eigen::Index i = 0; i < m; ++i) {
    const int index = batch_[static_cast<std::size_t>(i)];
    batch_x_.col(i) = data_.train_x.col(index);
    batch_y_[static_cast<std::size_t>(i)] = data_.train_y[static_cast<std::size_t>(index)];
  }
}

NoisePoint NoiseLab::Measure(int m) {
  const int n = train_size();
  if (m < 1 || m > n) {
    throw std::invalid_argument("batch size " + std::to_string(m) + " is outside [1, " + std::to_string(n) +
                                "] (the training set)");
  }
  const int k = options_.draws;
  const int layers = num_layers();
  // The same batches for a given (seed, m), whatever was measured before.
  rng_ = Rng(options_.seed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(m));
  for (int i = 0; i < n; ++i) pool_[static_cast<std::size_t>(i)] = i;

  // Per BN layer and unit: sums over the K batches of μ_B, μ_B², σ²_B, (σ²_B)², and of the fixed
  // sample's x̂ and x̂².
  struct Sums {
    Eigen::ArrayXd mean, mean_sq, var, var_sq, xhat, xhat_sq;
  };
  std::vector<Sums> sums(static_cast<std::size_t>(layers));
  for (int l = 0; l < layers; ++l) {
    const Eigen::Index units = population_mean_[l].size();
    for (Eigen::ArrayXd* a : {&sums[l].mean, &sums[l].mean_sq, &sums[l].var, &sums[l].var_sq, &sums[l].xhat,
                              &sums[l].xhat_sq}) {
      a->setZero(units);
    }
  }
  std::array<Eigen::VectorXd, 2> gradient_sum;
  std::array<double, 2> gradient_sq_sum = {0.0, 0.0};
  std::array<double, 2> cosine_sum = {0.0, 0.0};
  Eigen::VectorXd gradient;

  Network<Scalar>& bn_net = nets_[Index(NetId::kBn)];
  for (int draw = 0; draw < k; ++draw) {
    DrawBatch(m, false);
    GatherBatch();
    bn_net.ForwardTrain(batch_x_, batch_y_.data(), nullptr);
    for (int l = 0; l < layers; ++l) {
      const BatchNorm<Scalar>& bn = bn_net.hidden(l).bn;
      const Eigen::ArrayXd mean = bn.batch_mean.cast<double>().array();
      const Eigen::ArrayXd var = bn.batch_var.cast<double>().array();
      sums[l].mean += mean;
      sums[l].mean_sq += mean.square();
      sums[l].var += var;
      sums[l].var_sq += var.square();
    }
    if (!options_.gradients) continue;
    for (NetId id : kNets) {
      Network<Scalar>& net = nets_[Index(id)];
      if (id == NetId::kPlain) net.ForwardTrain(batch_x_, batch_y_.data(), nullptr);
      net.Backward(batch_x_, batch_y_.data());
      FlattenGradient(net, gradient);
      const std::size_t i = Index(id);
      if (draw == 0) gradient_sum[i].setZero(gradient.size());
      gradient_sum[i] += gradient;
      gradient_sq_sum[i] += gradient.squaredNorm();
      const double norms = gradient.norm() * reference_gradient_[i].norm();
      cosine_sum[i] += norms > 0.0 ? gradient.dot(reference_gradient_[i]) / norms : 0.0;
    }
  }
  // The fixed sample's x̂ in K batches of its own.
  for (int draw = 0; draw < k; ++draw) {
    DrawBatch(m, true);
    GatherBatch();
    bn_net.ForwardTrain(batch_x_, batch_y_.data(), nullptr);
    for (int l = 0; l < layers; ++l) {
      const Eigen::ArrayXd xhat = bn_net.hidden(l).bn.x_hat.col(0).cast<double>().array();
      sums[l].xhat += xhat;
      sums[l].xhat_sq += xhat.square();
    }
  }

  NoisePoint point;
  point.batch_size = m;
  point.layers.resize(static_cast<std::size_t>(layers));
  const double dm = m;
  const double dn = n;
  const double without_replacement = (dn - dm) / (dn - 1.0);
  for (int l = 0; l < layers; ++l) {
    const Eigen::Index units = population_mean_[l].size();
    std::vector<double> std_mean, std_var, mean_var, sample, var_theory;
    for (Eigen::Index u = 0; u < units; ++u) {
      const double var = population_var_[l](u);
      if (!(var > 0.0)) continue;  // a unit that never varies has no relative spread
      const double sd = std::sqrt(var);
      std_mean.push_back(StdFromSums(sums[l].mean(u), sums[l].mean_sq(u), k) / sd);
      std_var.push_back(StdFromSums(sums[l].var(u), sums[l].var_sq(u), k) / var);
      mean_var.push_back(sums[l].var(u) / k / var);
      sample.push_back(StdFromSums(sums[l].xhat(u), sums[l].xhat_sq(u), k));
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
      const Eigen::VectorXd mean = gradient_sum[i] / k;
      const double variance = std::max(gradient_sq_sum[i] - k * mean.squaredNorm(), 0.0) / (k - 1);
      const double reference = reference_gradient_[i].squaredNorm();
      point.gradient[i].cosine = cosine_sum[i] / k;
      point.gradient[i].rel_var = reference > 0.0 ? variance / reference : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return point;
}

std::vector<int> NoiseBatchSizes(int current, int train_size) {
  std::vector<int> sizes;
  for (int m = 1; m <= std::min(kLargestGridSize, train_size); m *= 2) sizes.push_back(m);
  if (current >= 1 && current <= train_size && std::find(sizes.begin(), sizes.end(), current) == sizes.end()) {
    sizes.insert(std::upper_bound(sizes.begin(), sizes.end(), current), current);
  }
  return sizes;
}

std::vector<NoisePoint> MeasureNoise(const Network<Scalar>& plain, const Network<Scalar>& bn, const Dataset& data,
                                     const std::vector<int>& batch_sizes, const NoiseOptions& options) {
  NoiseLab lab(plain, bn, data, options);
  std::vector<NoisePoint> points;
  points.reserve(batch_sizes.size());
  for (int m : batch_sizes) points.push_back(lab.Measure(m));
  return points;
}

double LogLogSlope(const std::vector<double>& xs, const std::vector<double>& ys) {
  double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
  int count = 0;
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (!(xs[i] > 0.0) || !(ys[i] > 0.0) || !std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    const double x = std::log(xs[i]);
    const double y = std::log(ys[i]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    ++count;
  }
  const double denominator = count * sxx - sx * sx;
  if (count < 2 || denominator <= 0.0) return std::numeric_limits<double>::quiet_NaN();
  return (count * sxy - sx * sy) / denominator;
}

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
  auto slope_of = [&](auto figure) {
    std::vector<double> ys;
    for (const NoisePoint* point : used) ys.push_back(figure(*point));
    return LogLogSlope(ms, ys);
  };
  for (std::size_t l = 0; l < layers; ++l) {
    slopes.std_batch_mean.push_back(slope_of([&](const NoisePoint& p) { return p.layers[l].std_batch_mean.median; }));
    slopes.std_batch_var.push_back(slope_of([&](const NoisePoint& p) { return p.layers[l].std_batch_var.median; }));
    slopes.sample_noise.push_back(slope_of([&](const NoisePoint& p) { return p.layers[l].sample_noise.median; }));
  }
  for (NetId id : kNets) {
    slopes.grad_rel_var[Index(id)] = slope_of([&](const NoisePoint& p) { return p.gradient[Index(id)].rel_var; });
  }
  return slopes;
}

}  // namespace bnlab
