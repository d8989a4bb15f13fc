// Finite-difference checks of whole networks (double precision) with every normalization of
// NormLayer's table, before and after the activation: a new row of the table is checked here
// without a line written; ghost BN's groups, LayerNorm's bias, renorm with its clips active and
// open.
#include "engine/network.h"
#include "engine/variant.h"

#include "finite_difference.h"
#include "small_norm_net.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace bnlab {
namespace {

using testing_fd::ExpectGradientMatches;
using testing_fd::Md;
using testing_fd::RandomMatrix;
using testing_fd::Vd;

void ExpectNetworkGradients(Network<double>& net) {
  auto loss = [&] { return static_cast<double>(net.ForwardTrain(kInput, kLabels.data(), nullptr)); };
  loss();
  net.Backward(kInput, kLabels.data());
  for (int l = 0; l < net.num_hidden(); ++l) {
    HiddenLayer<double>& layer = net.hidden(l);
    const std::string at = " layer " + std::to_string(l);
    const Md dW = layer.linear.dW;
    ExpectGradientMatches(layer.linear.W, dW, loss, "hidden dW" + at);
    if (layer.linear.has_bias()) {
      const Vd db = layer.linear.db;
      ExpectGradientMatches(layer.linear.b, db, loss, "hidden db" + at);
    }
    std::visit(
        [&](auto& norm) {
          const Vd dgamma = norm.dgamma, dbeta = norm.dbeta;
          ExpectGradientMatches(norm.gamma, dgamma, loss, "dgamma" + at);
          ExpectGradientMatches(norm.beta, dbeta, loss, "dbeta" + at);
        },
        layer.norm);
  }
  const Md dW_out = net.output().dW;
  const Vd db_out = net.output().db;
  ExpectGradientMatches(net.output().W, dW_out, loss, "output dW");
  ExpectGradientMatches(net.output().b, db_out, loss, "output db");
}

// Every kind of NormLayer's table, in its row's order.
template <std::size_t... I>
std::vector<NormKind> KindsOf(std::index_sequence<I...>) {
  return {static_cast<NormKind>(I)...};
}
const std::vector<NormKind> kAllNorms = KindsOf(std::make_index_sequence<std::variant_size_v<NormLayer<double>>>());

// What a normalization's whole-network check needs beyond random γ, β: nothing for most.
// Renorm: moving averages far from any batch's statistics, so both clips hold r = r_max and
// d = −d_max for every unit and r, d stay constant for small perturbations: the plain finite
// differences see the function the backward pass differentiates (open clips: below).
void PrepareNetworkCheck(Network<double>& net) {
  for (int l = 0; l < net.num_hidden(); ++l) {
    if (auto* renorm = std::get_if<BatchRenorm<double>>(&net.hidden(l).norm)) {
      renorm->running_mean = Vd::Constant(renorm->units(), 50.0);
      renorm->running_std = Vd::Constant(renorm->units(), 1e-3);
    }
  }
}

class NormNetworkGradientCheck : public ::testing::TestWithParam<std::tuple<NormKind, Placement>> {};

TEST_P(NormNetworkGradientCheck, WholeThreeLayerNet) {
  const auto [norm, placement] = GetParam();
  Network<double> net = SmallNet(norm, placement);
  PrepareNetworkCheck(net);
  ExpectNetworkGradients(net);
}

INSTANTIATE_TEST_SUITE_P(EveryNormBothPlacements, NormNetworkGradientCheck,
                         ::testing::Combine(::testing::ValuesIn(kAllNorms),
                                            ::testing::Values(Placement::kBefore, Placement::kAfter)));

// Ghost BN: groups of 3 over the batch of 10 (three groups and a last one of 1).
TEST(NormNetworkGradientCheck, GhostBatchNorm) {
  Network<double> net = SmallNet(KindOf<BatchNorm>(), Placement::kBefore, 3);
  ExpectNetworkGradients(net);
}

TEST(LayerNormNetwork, KeepsTheBiasBeforeIt) {
  EXPECT_TRUE(SmallNet(KindOf<LayerNorm>(), Placement::kBefore).hidden(0).linear.has_bias());  // not redundant
}

class VariantGradientCheck : public ::testing::TestWithParam<Placement> {};

// Moving averages far from any batch's statistics: both clips hold r = r_max and d = −d_max
// for every unit, so r and d are constant for small perturbations and the plain finite
// differences see the same function the backward pass differentiates.
TEST_P(VariantGradientCheck, RenormNetworkWithActiveClips) {
  Network<double> net = SmallNet(KindOf<BatchRenorm>(), GetParam());
  PrepareNetworkCheck(net);
  net.ForwardTrain(kInput, kLabels.data(), nullptr);
  for (int l = 0; l < net.num_hidden(); ++l) {
    const BatchRenorm<double>& renorm = std::get<BatchRenorm<double>>(net.hidden(l).norm);
    EXPECT_EQ(renorm.r, Vd::Constant(renorm.units(), 1.5)) << "layer " << l;
    EXPECT_EQ(renorm.d, Vd::Constant(renorm.units(), -0.5)) << "layer " << l;
  }
}

// Moving averages close to the batch statistics: no clip is active, r and d follow μ_B and σ_B.
// The backward pass holds them constant (the paper's stop_gradient), so the finite differences
// must too: hold_corrections keeps the r, d of the unperturbed forward pass.
TEST_P(VariantGradientCheck, RenormNetworkWithOpenClips) {
  Network<double> net = SmallNet(KindOf<BatchRenorm>(), GetParam());
  // Running statistics near each layer's batch statistics, layer by layer (a layer's change
  // moves the inputs of the layers above it): σ = 1.2·σ_B and μ = μ_B + 0.1·σ, so r = 1/1.2
  // and d = −0.1, inside the clips.
  for (int l = 0; l < net.num_hidden(); ++l) {
    net.ForwardTrain(kInput, kLabels.data(), nullptr);
    BatchRenorm<double>& renorm = std::get<BatchRenorm<double>>(net.hidden(l).norm);
    renorm.running_std = 1.2 * (renorm.batch_var.array() + renorm.eps).sqrt().matrix();
    renorm.running_mean = renorm.batch_mean + 0.1 * renorm.running_std;
  }
  net.ForwardTrain(kInput, kLabels.data(), nullptr);
  for (int l = 0; l < net.num_hidden(); ++l) {
    BatchRenorm<double>& renorm = std::get<BatchRenorm<double>>(net.hidden(l).norm);
    EXPECT_LT((renorm.r.array() - 1.0 / 1.2).abs().maxCoeff(), 1e-9) << "layer " << l;  // inside [1/1.5, 1.5]
    EXPECT_LT((renorm.d.array() + 0.1).abs().maxCoeff(), 1e-9) << "layer " << l;
    renorm.hold_corrections = true;
  }
  ExpectNetworkGradients(net);
}

INSTANTIATE_TEST_SUITE_P(Placements, VariantGradientCheck, ::testing::Values(Placement::kBefore, Placement::kAfter));

}  // namespace
}  // namespace bnlab
