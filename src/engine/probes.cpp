#include "engine/probes.h"

#include <algorithm>
#include <cmath>
#include <variant>

namespace bnlab {

namespace {
constexpr int kInputBins = 60;
constexpr int kOutputBins = 40;
}  // namespace

void ActivationInputRange(ActivationKind kind, double* lo, double* hi) {
  const double half_width = kind == ActivationKind::kSigmoid ? 10.0 : 5.0;
  *lo = -half_width;
  *hi = half_width;
}

void ActivationOutputRange(ActivationKind kind, double* lo, double* hi) {
  switch (kind) {
    case ActivationKind::kSigmoid:
      *lo = 0.0;
      *hi = 1.0;
      return;
    case ActivationKind::kTanh:
      *lo = -1.0;
      *hi = 1.0;
      return;
    case ActivationKind::kRelu:
      *lo = 0.0;
      *hi = 5.0;
      return;
  }
}

Histogram MakeHistogram(const float* values, Eigen::Index count, double lo, double hi, int bins) {
  Histogram hist;
  hist.lo = lo;
  hist.hi = hi;
  hist.fractions.assign(static_cast<std::size_t>(bins), 0.0f);
  if (count <= 0) return hist;
  const double scale = bins / (hi - lo);
  Eigen::Index finite = 0;
  for (Eigen::Index i = 0; i < count; ++i) {
    const double v = values[i];
    if (!std::isfinite(v)) continue;
    const double position = std::clamp((v - lo) * scale, 0.0, bins - 1.0);
    hist.fractions[static_cast<std::size_t>(position)] += 1.0f;
    ++finite;
  }
  if (finite > 0) {
    for (float& f : hist.fractions) f /= static_cast<float>(finite);
  }
  return hist;
}

int ProbeSampleCount(int batch_size, int target, int available) {
  const int m = std::max(batch_size, 1);
  const int groups = std::max(1, (target + m - 1) / m);
  const int fitting = std::max(1, available / m);
  return std::min(groups, fitting) * m;
}

NetProbe ProbeNetwork(const Network<Scalar>& net, const Eigen::Ref<const Matrix>& probe_x, int batch_size,
                      int probe_unit, Workspace<Scalar>& ws) {
  net.InferInBatches(probe_x, batch_size, ws, nullptr, nullptr);
  const ActivationKind kind = net.config().activation;
  double z_lo = 0, z_hi = 0, a_lo = 0, a_hi = 0;
  ActivationInputRange(kind, &z_lo, &z_hi);
  ActivationOutputRange(kind, &a_lo, &a_hi);

  NetProbe probe;
  probe.layers.resize(static_cast<std::size_t>(net.num_hidden()));
  std::vector<float> unit_values;
  for (int l = 0; l < net.num_hidden(); ++l) {
    LayerProbe& out = probe.layers[static_cast<std::size_t>(l)];
    const Matrix& z = net.ActivationInput(ws, l);
    const Matrix& a = ws.layers[static_cast<std::size_t>(l)].act;
    out.z_hist = MakeHistogram(z.data(), z.size(), z_lo, z_hi, kInputBins);
    out.a_hist = MakeHistogram(a.data(), a.size(), a_lo, a_hi, kOutputBins);

    const Eigen::Index unit = std::clamp<Eigen::Index>(probe_unit, 0, z.rows() - 1);
    unit_values.assign(z.cols(), 0.0f);
    for (Eigen::Index i = 0; i < z.cols(); ++i) unit_values[i] = z(unit, i);
    std::sort(unit_values.begin(), unit_values.end());
    out.unit_p15 = SortedPercentile(unit_values, 15.0);
    out.unit_p50 = SortedPercentile(unit_values, 50.0);
    out.unit_p85 = SortedPercentile(unit_values, 85.0);

    Eigen::Index saturated = 0;
    for (Eigen::Index i = 0; i < z.size(); ++i) saturated += IsSaturated(kind, z.data()[i]) ? 1 : 0;
    out.saturated_share = static_cast<double>(saturated) / static_cast<double>(std::max<Eigen::Index>(z.size(), 1));
    out.z_mean = static_cast<double>(z.mean());
    out.z_std = std::sqrt(static_cast<double>((z.array() - z.mean()).square().mean()));

    const HiddenLayer<Scalar>& layer = net.hidden(l);
    out.grad_norm = static_cast<double>(layer.linear.dW.norm());
    out.update_ratio = net.UpdateRatio(l);
    out.weight_norm = static_cast<double>(layer.linear.W.norm());
    if (layer.linear.has_bias()) out.bias_grad_norm = static_cast<double>(layer.linear.db.norm());
    std::visit(
        [&](const auto& norm) {
          using Norm = NormType<decltype(norm)>;
          if constexpr (!std::is_same_v<Norm, NoNorm<Scalar>>) {
            out.gamma_mean = static_cast<double>(norm.gamma.mean());
            out.beta_mean = static_cast<double>(norm.beta.mean());
          }
          if constexpr (Norm::kUsesBatchStatistics) {
            out.running_mean_avg = static_cast<double>(norm.RunningMean().mean());
            out.running_var_avg = static_cast<double>(norm.RunningVar().mean());
          }
        },
        layer.norm);
  }
  return probe;
}

}  // namespace bnlab
