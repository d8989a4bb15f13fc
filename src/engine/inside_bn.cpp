#include "engine/inside_bn.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace bnlab {

void RecordBnUnit(const Network<Scalar>& net, int layer, int unit, BnUnitRecord* out) {
  if (net.norm() != KindOf<BatchNorm>()) {
    throw std::invalid_argument(
        "the Inside-BN record needs a network with BatchNorm layers (bn, bn-after, bn-bias "
        "or ghost-bn), not one with none, LayerNorm or batch renorm");
  }
  assert(layer >= 0 && layer < net.num_hidden() && "RecordBnUnit: a hidden layer");
  const BatchNorm<Scalar>& bn = std::get<BatchNorm<Scalar>>(net.hidden(layer).norm);
  const LayerBuffers<Scalar>& buf = net.train_workspace().layers[static_cast<std::size_t>(layer)];
  const bool before = net.config().placement == Placement::kBefore;
  // Where BN's input, output and gradients live for each placement (network.cpp's buffers).
  const Matrix& bn_in = net.NormInput(net.train_workspace(), layer);
  const Matrix& bn_out = buf.normed;
  const Matrix& grad_y = before ? buf.grad_mid : buf.grad_out;
  const Matrix& grad_x = before ? buf.grad_z : buf.grad_mid;
  const Matrix& act = buf.act;
  const Eigen::Index u = std::clamp<Eigen::Index>(unit, 0, bn.units() - 1);
  const Eigen::Index m = bn_in.cols();
  const Eigen::Index g = bn.GroupSize(m);

  BnUnitRecord& r = *out;
  r.layer = layer;
  r.unit = static_cast<int>(u);
  r.placement = net.config().placement;
  r.eps = bn.eps;
  r.gamma = bn.gamma(u);
  r.beta = bn.beta(u);
  r.dgamma = bn.dgamma(u);
  r.dbeta = bn.dbeta(u);
  for (std::vector<float>* v :
       {&r.x, &r.x_hat, &r.y, &r.activation, &r.dy, &r.dx_direct, &r.dx_via_mean, &r.dx_via_var, &r.dx}) {
    v->resize(static_cast<std::size_t>(m));
  }
  r.group.resize(static_cast<std::size_t>(m));
  r.batch_mean.resize(static_cast<std::size_t>(bn.batch_mean.cols()));
  r.batch_var.resize(static_cast<std::size_t>(bn.batch_mean.cols()));
  for (Eigen::Index k = 0; k < bn.batch_mean.cols(); ++k) {
    r.batch_mean[static_cast<std::size_t>(k)] = bn.batch_mean(u, k);
    r.batch_var[static_cast<std::size_t>(k)] = bn.batch_var(u, k);
  }
  // The three terms per group, from that group's two reductions.
  for (Eigen::Index start = 0; start < m; start += g) {
    const Eigen::Index n = std::min(g, m - start);
    const Eigen::Index k = start / g;
    double sum_g = 0.0, sum_gx = 0.0;
    for (Eigen::Index i = start; i < start + n; ++i) {
      sum_g += grad_y(u, i);
      sum_gx += static_cast<double>(grad_y(u, i)) * bn.x_hat(u, i);
    }
    const double scale = static_cast<double>(bn.gamma(u)) * bn.inv_std(u, k);
    for (Eigen::Index i = start; i < start + n; ++i) {
      const std::size_t s = static_cast<std::size_t>(i);
      r.group[s] = static_cast<int>(k);
      r.dx_direct[s] = static_cast<float>(scale * grad_y(u, i));
      r.dx_via_mean[s] = static_cast<float>(-scale * sum_g / static_cast<double>(n));
      r.dx_via_var[s] = static_cast<float>(-scale * bn.x_hat(u, i) * sum_gx / static_cast<double>(n));
    }
  }
  for (Eigen::Index i = 0; i < m; ++i) {
    const std::size_t s = static_cast<std::size_t>(i);
    r.x[s] = bn_in(u, i);
    r.x_hat[s] = bn.x_hat(u, i);
    r.y[s] = bn_out(u, i);
    r.activation[s] = before ? act(u, i) : bn_in(u, i);
    r.dy[s] = grad_y(u, i);
    r.dx[s] = grad_x(u, i);
  }
  // Claim 1 for every unit of the layer: x̂ has mean 0 and variance σ²_B/(σ²_B + ε) ≈ 1 per unit.
  const Eigen::Index units = bn.units();
  for (std::vector<float>* v : {&r.xhat_mean, &r.xhat_var, &r.y_mean, &r.y_var})
    v->resize(static_cast<std::size_t>(units));
  for (Eigen::Index k = 0; k < units; ++k) {
    const std::size_t s = static_cast<std::size_t>(k);
    const double xm = bn.x_hat.row(k).cast<double>().mean();
    const double ym = bn_out.row(k).cast<double>().mean();
    r.xhat_mean[s] = static_cast<float>(xm);
    r.xhat_var[s] = static_cast<float>((bn.x_hat.row(k).cast<double>().array() - xm).square().mean());
    r.y_mean[s] = static_cast<float>(ym);
    r.y_var[s] = static_cast<float>((bn_out.row(k).cast<double>().array() - ym).square().mean());
  }
}

double IdentityWhatIfError(const BnUnitRecord& record, std::vector<float>* y_identity) {
  double worst = 0.0;
  if (y_identity != nullptr) y_identity->resize(record.x.size());
  for (std::size_t i = 0; i < record.x.size(); ++i) {
    const std::size_t k = static_cast<std::size_t>(record.group[i]);
    const float gamma = std::sqrt(record.batch_var[k] + record.eps);
    const float beta = record.batch_mean[k];
    const float y = gamma * record.x_hat[i] + beta;
    if (y_identity != nullptr) (*y_identity)[i] = y;
    worst = std::max(worst, static_cast<double>(std::abs(y - record.x[i])));
  }
  return worst;
}

}  // namespace bnlab
