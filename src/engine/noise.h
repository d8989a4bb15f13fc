// The batch-size noise lab: how much BN's batch statistics, one sample's normalized value and
// the mini-batch gradient change from one batch of m samples to the next, as a function of m.
// This is the noise that gives Batch Normalization its name (claims 5 and 6 of the design).
//
// The statistics are those of the network that normalizes with batch statistics (the right
// column when both do; BatchStatisticsColumn in trainer.h): BN, ghost BN (measured at the whole
// batch m, the lab asks what m does) or batch renorm; the gradient noise is measured for both.
// For renorm, x̂ is what the layer uses, r·(x − μ_B)/σ_B + d: its corrections take most of the
// batch-mates' noise out.
//
// Every figure is measured on K batches drawn without replacement inside a batch from the
// training set (the population, N samples), with the networks exactly as given (copies are
// used, the originals never change). Deterministic in (seed, m): a batch size measures the
// same whatever else is on the grid or in which order.
#pragma once

#include "engine/dataset.h"
#include "engine/network.h"
#include "engine/trainer.h"

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace bnlab {

struct NoiseOptions {
  int draws = 64;             // K: batches per batch size (≥ 2)
  int sample = 0;             // training-set index of the sample whose x̂ noise is measured
  int reference_size = 8192;  // samples in the large batch whose gradient stands for the full-data one
  bool gradients = true;      // also measure the gradient noise of both nets
  int threads = 2;            // 1 or 2; the figures are bit-identical either way
  std::uint64_t seed = 1;
};

// The 25th, 50th and 75th percentile of a per-unit figure over the units of a layer.
struct Quartiles {
  double q25 = 0.0;
  double median = 0.0;
  double q75 = 0.0;
};

// One BN layer at one batch size m. σ² is the unit's population variance (unbiased, over the
// N training samples) and σ its root: the spreads are relative to them.
struct LayerNoise {
  Quartiles std_batch_mean;      // std over batches of μ_B, / σ
  double std_batch_mean_theory;  // √((1 − m/N)/m): exact for sampling without replacement (≈ 1/√m)
  Quartiles std_batch_var;       // std over batches of σ²_B (biased, as BN uses it), / σ²
  double std_batch_var_theory;  // median over units of (m−1)/m · √((κ − (m−3)/(m−1))/m) · √((N−m)/(N−1)),
                                // κ the unit's population kurtosis (3 for a Gaussian: √(2(m−1))/m)
  Quartiles mean_batch_var;      // mean over batches of σ²_B, / σ²
  double mean_batch_var_theory;  // (m−1)/m: the biased batch variance underestimates σ²
  Quartiles sample_noise;        // std over K batches that all contain one fixed sample, of that
                                 // sample's x̂ = (x − μ_B)/√(σ²_B + ε) (renorm: r·that + d): the
                                 // noise its batch-mates add
};

// Gradient noise of one net at one batch size, g_B the gradient of all parameters on a batch,
// g the gradient on the large reference batch.
struct GradientNoise {
  double cosine = 0.0;   // mean over batches of cos(g_B, g)
  double rel_var = 0.0;  // E‖g_B − E g_B‖² / ‖g‖² (sample variance over the K batches); ∝ 1/m
};

struct NoisePoint {
  int batch_size = 0;
  std::vector<LayerNoise> layers;         // one per layer of the net with batch statistics
  std::array<GradientNoise, 2> gradient;  // by NetId; zeros when gradients were not measured
};

// Least-squares slopes of log(figure) against log(m), over the points with m ≤ N/4 (where the
// finite population hardly bends the curves) and a positive figure; NaN with fewer than 2.
// Each comes with the standard error of its fit (NaN with fewer than 3 points): a sentence
// about a slope tells it from a theory's only beyond that.
struct NoiseSlopes {
  std::vector<double> std_batch_mean;               // per layer; theory −0.5
  std::vector<double> std_batch_var;                // per layer; theory ≈ −0.5 for m ≫ 1
  std::vector<double> sample_noise;                 // per layer
  std::array<double, 2> grad_rel_var = {0.0, 0.0};  // by NetId; −1 when per-sample gradients are independent
  std::vector<double> std_batch_mean_error, std_batch_var_error, sample_noise_error;
  std::array<double, 2> grad_rel_var_error = {0.0, 0.0};
};

// The gradient noise's slope is fitted from this batch size up. Below it BN's gradient is not
// a noisy estimate of one gradient: at m = 2 every x̂ is ±1 and BN divides by the distance of
// the two values, which can be tiny, so its relative variance jumps by four to five orders of
// magnitude (5e6 to 3e7 against the plain net's 150 to 390, Fashion-MNIST, seeds 1-3, steps
// 200 and 2 000); at m = 4 it is still 2-9× the plain net's; at m = 1 the hidden layers'
// gradients are exactly 0. From m = 8 on it falls about as 1/m (slopes −1.06 to −1.11, plain
// −1.00 to −1.02, in the same runs); fitted from m = 1 the one line described no part of the
// curve (−1.55 to −1.65).
inline constexpr int kGradientFitMinBatch = 8;

// A sweep's worth of state: copies of the nets, the population statistics of every BN unit
// (one pass over the training set) and the reference gradients. `data` must outlive it.
class NoiseLab {
 public:
  // The columns' nets, left (NetId::kLeft) and right (NetId::kRight). Throws
  // std::invalid_argument for options it cannot use (K < 2, a sample outside the set) and
  // when neither net normalizes with batch statistics (none, LayerNorm).
  NoiseLab(const Network<Scalar>& left, const Network<Scalar>& right, const Dataset& data, const NoiseOptions& options);
  ~NoiseLab();
  NoiseLab(const NoiseLab&) = delete;
  NoiseLab& operator=(const NoiseLab&) = delete;

  // All figures at batch size m (1 ≤ m ≤ N; throws std::invalid_argument otherwise).
  NoisePoint Measure(int batch_size);

  int train_size() const { return data_.train_size(); }
  int num_layers() const { return static_cast<int>(population_mean_.size()); }
  // The column whose batch statistics are measured.
  NetId statistics_net() const { return statistics_; }
  // Population mean and σ of unit u of BN layer l (what μ_B and σ_B estimate).
  double population_mean(int l, int u) const { return population_mean_[l](u); }
  double population_std(int l, int u) const;

 private:
  struct Lane;  // one half of the draws, with its own copies of the nets (noise.cpp)

  void DrawBatch(int m, bool with_sample, int* out);
  // Runs job(lane) for both lanes, on two threads when options_.threads and the platform allow.
  template <typename Job>
  void ForEachLane(Job&& job);

  const Dataset& data_;
  NoiseOptions options_;
  NetId statistics_ = NetId::kRight;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::vector<Eigen::VectorXd> population_mean_;  // per BN layer, (units)
  std::vector<Eigen::VectorXd> population_var_;   // unbiased
  std::vector<Eigen::VectorXd> kurtosis_;         // m4 / (biased σ²)²
  std::array<Eigen::VectorXd, 2> reference_gradient_;
  Rng rng_;
  std::vector<int> pool_;     // a permutation of the training set; batches are its prefix
  std::vector<int> batches_;  // (2K·m) the sample indices of every draw: K for the statistics,
                              // then K that hold the fixed sample
};

// The largest batch size a sweep measures: N − 1. A batch of the whole training set is the
// same set at every draw, so its statistics have no spread to measure (and every figure
// relative to the theory would be 0/0).
inline int LargestNoiseBatch(int train_size) { return train_size - 1; }

// The default grid: 1, 2, 4, … up to 1024 (or LargestNoiseBatch), plus `current` when it is
// not on it and not above LargestNoiseBatch. Sorted.
std::vector<int> NoiseBatchSizes(int current, int train_size);

// Measures every batch size of `batch_sizes` (each in [1, N]).
std::vector<NoisePoint> MeasureNoise(const Network<Scalar>& left, const Network<Scalar>& right, const Dataset& data,
                                     const std::vector<int>& batch_sizes, const NoiseOptions& options);

NoiseSlopes FitNoiseSlopes(const std::vector<NoisePoint>& points, int train_size);

// Least-squares slope of log y against log x over the pairs with x, y > 0 and finite (NaN
// with fewer than 2), and its standard error (NaN with fewer than 3).
struct SlopeFit {
  double slope = std::numeric_limits<double>::quiet_NaN();
  double error = std::numeric_limits<double>::quiet_NaN();
};
SlopeFit LogLogFit(const std::vector<double>& xs, const std::vector<double>& ys);
double LogLogSlope(const std::vector<double>& xs, const std::vector<double>& ys);

// Every parameter gradient of a network (dW, db, dγ, dβ of each layer, then the output
// layer's), flattened in a fixed order into `out` (resized).
void FlattenGradient(const Network<Scalar>& net, Eigen::VectorXd& out);

}  // namespace bnlab
