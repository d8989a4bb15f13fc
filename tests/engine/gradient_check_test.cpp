// Finite-difference checks, in double precision, of every layer's backward and of a whole
// 3-hidden-layer network with BN (both placements).
#include "engine/layers.h"
#include "engine/network.h"
#include "engine/norm_layers.h"
#include "engine/random.h"

#include "finite_difference.h"

#include <gtest/gtest.h>

#include <functional>

namespace bnlab {
namespace {

using testing_fd::ExpectGradientMatches;
using testing_fd::Md;
using testing_fd::RandomMatrix;
using testing_fd::Vd;

// A fixed random linear functional L = Σ R ⊙ y turns any layer output into a scalar loss
// whose gradient dL/dy = R is known exactly.
double Contract(const Md& y, const Md& r) { return y.cwiseProduct(r).sum(); }

TEST(GradientCheck, LinearWithAndWithoutBias) {
  Rng rng(1);
  for (bool with_bias : {true, false}) {
    Linear<double> linear;
    linear.Init(5, 4, with_bias);
    linear.W = RandomMatrix(4, 5, rng);
    if (with_bias) linear.b = RandomMatrix(4, 1, rng);
    Md a = RandomMatrix(5, 7, rng);
    const Md r = RandomMatrix(4, 7, rng);
    Md z;
    auto loss = [&] {
      linear.Forward(a, z);
      return Contract(z, r);
    };
    loss();
    linear.BackwardParams(a, r);
    Md da;
    linear.BackwardInput(r, da);
    ExpectGradientMatches(linear.W, linear.dW, loss, "dW");
    if (with_bias) ExpectGradientMatches(linear.b, linear.db, loss, "db");
    ExpectGradientMatches(a, da, loss, "dA");
  }
}

TEST(GradientCheck, BatchNormTrainMode) {
  Rng rng(2);
  BatchNorm<double> bn;
  bn.Init(6);
  bn.gamma = RandomMatrix(6, 1, rng);
  bn.beta = RandomMatrix(6, 1, rng);
  Md x = RandomMatrix(6, 9, rng, 3.0);
  const Md r = RandomMatrix(6, 9, rng);
  Md y, dx;
  auto loss = [&] {
    bn.ForwardTrain(x, y);
    return Contract(y, r);
  };
  loss();
  bn.Backward(r, dx);
  const Vd dgamma = bn.dgamma, dbeta = bn.dbeta;
  ExpectGradientMatches(x, dx, loss, "dx");
  ExpectGradientMatches(bn.gamma, dgamma, loss, "dgamma");
  ExpectGradientMatches(bn.beta, dbeta, loss, "dbeta");
}

// Ghost BN: groups of 4 over a batch of 11 (two full groups and a last group of 3).
TEST(GradientCheck, GhostBatchNormTrainMode) {
  Rng rng(12);
  BatchNorm<double> bn;
  bn.Init(5);
  bn.ghost_group = 4;
  bn.gamma = RandomMatrix(5, 1, rng);
  bn.beta = RandomMatrix(5, 1, rng);
  Md x = RandomMatrix(5, 11, rng, 2.0);
  const Md r = RandomMatrix(5, 11, rng);
  Md y, dx;
  auto loss = [&] {
    bn.ForwardTrain(x, y);
    return Contract(y, r);
  };
  loss();
  ASSERT_EQ(bn.batch_mean.cols(), 3);
  bn.Backward(r, dx);
  const Vd dgamma = bn.dgamma, dbeta = bn.dbeta;
  ExpectGradientMatches(x, dx, loss, "dx");
  ExpectGradientMatches(bn.gamma, dgamma, loss, "dgamma");
  ExpectGradientMatches(bn.beta, dbeta, loss, "dbeta");
  // Each group is normalized on its own: zero mean per group before γ, β.
  for (Eigen::Index start : {0, 4, 8}) {
    const Eigen::Index n = std::min<Eigen::Index>(4, 11 - start);
    EXPECT_LT(bn.x_hat.middleCols(start, n).rowwise().mean().cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(GradientCheck, LayerNorm) {
  Rng rng(13);
  LayerNorm<double> ln;
  ln.Init(6);
  ln.gamma = RandomMatrix(6, 1, rng);
  ln.beta = RandomMatrix(6, 1, rng);
  Md x = RandomMatrix(6, 5, rng, 2.0);
  const Md r = RandomMatrix(6, 5, rng);
  Md y, dx;
  auto loss = [&] {
    ln.Forward(x, y);
    return Contract(y, r);
  };
  loss();
  ln.Backward(r, dx);
  const Vd dgamma = ln.dgamma, dbeta = ln.dbeta;
  ExpectGradientMatches(x, dx, loss, "dx");
  ExpectGradientMatches(ln.gamma, dgamma, loss, "dgamma");
  ExpectGradientMatches(ln.beta, dbeta, loss, "dbeta");
  // Per sample over the units: x̂ has mean 0 and variance σ²/(σ² + ε).
  loss();  // y of the unperturbed parameters again
  EXPECT_LT(ln.x_hat.colwise().mean().cwiseAbs().maxCoeff(), 1e-12);
  // One sample alone gives the same output as inside a batch: no batch dependence.
  Md single;
  LayerNorm<double> copy = ln;
  copy.Forward(x.col(2), single);
  EXPECT_LT((single - y.col(2)).cwiseAbs().maxCoeff(), 1e-12);
}

// r and d are constants of the backward pass (the paper's stop_gradient), so the finite
// differences must hold them fixed too: they are recomputed from the moving averages, which
// a perturbation of x does change through μ_B and σ_B, unless the clips hold them. The check
// uses moving averages far from the batch statistics, so both clips are active and r, d stay put.
TEST(GradientCheck, BatchRenormWithActiveClips) {
  Rng rng(14);
  BatchRenorm<double> rn;
  rn.Init(5);
  rn.r_max = 1.5;
  rn.d_max = 0.5;
  rn.gamma = RandomMatrix(5, 1, rng);
  rn.beta = RandomMatrix(5, 1, rng);
  rn.running_mean = Vd::Constant(5, 10.0);  // d = −0.5 (clipped)
  rn.running_std = Vd::Constant(5, 0.01);   // r = 1.5 (clipped)
  Md x = RandomMatrix(5, 7, rng, 2.0);
  const Md r = RandomMatrix(5, 7, rng);
  Md y, dx;
  auto loss = [&] {
    rn.ForwardTrain(x, y);
    return Contract(y, r);
  };
  loss();
  EXPECT_EQ(rn.r, Vd::Constant(5, 1.5));
  EXPECT_EQ(rn.d, Vd::Constant(5, -0.5));
  rn.Backward(r, dx);
  const Vd dgamma = rn.dgamma, dbeta = rn.dbeta;
  ExpectGradientMatches(x, dx, loss, "dx");
  ExpectGradientMatches(rn.gamma, dgamma, loss, "dgamma");
  ExpectGradientMatches(rn.beta, dbeta, loss, "dbeta");
}

TEST(BatchRenorm, WithoutCorrectionsItIsBatchNorm) {
  Rng rng(15);
  BatchRenorm<double> rn;
  BatchNorm<double> bn;
  rn.Init(4);
  bn.Init(4);
  rn.r_max = 1.0;
  rn.d_max = 0.0;
  rn.gamma = bn.gamma = RandomMatrix(4, 1, rng);
  rn.beta = bn.beta = RandomMatrix(4, 1, rng);
  const Md x = RandomMatrix(4, 9, rng, 3.0);
  const Md g = RandomMatrix(4, 9, rng);
  Md y_rn, y_bn, dx_rn, dx_bn;
  rn.ForwardTrain(x, y_rn);
  bn.ForwardTrain(x, y_bn);
  EXPECT_LT((y_rn - y_bn).cwiseAbs().maxCoeff(), 1e-12);
  rn.Backward(g, dx_rn);
  bn.Backward(g, dx_bn);
  EXPECT_LT((dx_rn - dx_bn).cwiseAbs().maxCoeff(), 1e-12);
  // The moving averages follow μ_B and σ_B.
  rn.momentum = 1.0;
  rn.UpdateRunningStats();
  EXPECT_LT((rn.running_mean - x.rowwise().mean()).cwiseAbs().maxCoeff(), 1e-12);
  Md y_eval;
  rn.ForwardEval(x, y_eval);  // with μ = μ_B, σ = σ_B, eval mode gives the training output
  EXPECT_LT((y_eval - y_bn).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(GradientCheck, Activations) {
  Rng rng(3);
  for (ActivationKind kind : {ActivationKind::kSigmoid, ActivationKind::kTanh, ActivationKind::kRelu}) {
    Activation<double> activation;
    activation.kind = kind;
    Md z = RandomMatrix(4, 6, rng, 2.0);
    // Keep ReLU inputs away from the kink, where the derivative is undefined.
    if (kind == ActivationKind::kRelu) {
      for (Eigen::Index i = 0; i < z.size(); ++i) {
        if (std::abs(z.data()[i]) < 1e-3) z.data()[i] = 0.5;
      }
    }
    const Md r = RandomMatrix(4, 6, rng);
    Md a, dz;
    auto loss = [&] {
      activation.Forward(z, a);
      return Contract(a, r);
    };
    loss();
    activation.Backward(a, r, dz);
    ExpectGradientMatches(z, dz, loss, ActivationName(kind));
  }
}

TEST(GradientCheck, SoftmaxCrossEntropy) {
  Rng rng(4);
  SoftmaxCrossEntropy<double> head;
  Md logits = RandomMatrix(5, 8, rng, 3.0);
  const Labels labels = {0, 1, 2, 3, 4, 0, 2, 4};
  auto loss = [&] { return head.Forward(logits, labels.data(), nullptr); };
  loss();
  Md dlogits;
  head.Backward(labels.data(), dlogits);
  ExpectGradientMatches(logits, dlogits, loss, "dlogits");
}

TEST(GradientCheck, SoftmaxCrossEntropyKnownValue) {
  // Uniform logits: every class has p = 1/C, so the loss is log C.
  SoftmaxCrossEntropy<double> head;
  const Md logits = Md::Constant(4, 3, 7.0);
  const Labels labels = {0, 3, 1};
  int correct = -1;
  EXPECT_NEAR(head.Forward(logits, labels.data(), &correct), std::log(4.0), 1e-12);
}

class NetworkGradientCheck : public ::testing::TestWithParam<std::tuple<Placement, bool, int>> {};

TEST_P(NetworkGradientCheck, WholeThreeLayerNet) {
  const auto [placement, with_bn, ghost_group] = GetParam();
  NetConfig config;
  config.ghost_group = ghost_group;
  config.input_size = 6;
  config.num_classes = 4;
  config.hidden = {5, 4, 3};
  config.placement = placement;
  config.init_scale = 0.8;
  Network<double> net(WithNorm(config, with_bn ? NormKind::kBatchNorm : NormKind::kNone));
  Rng rng(5);
  net.InitWeights(rng);
  for (int l = 0; l < net.num_hidden(); ++l) {
    if (with_bn) {
      net.hidden(l).bn.gamma = 1.0 + 0.3 * RandomMatrix(net.hidden(l).bn.units(), 1, rng).array();
      net.hidden(l).bn.beta = 0.2 * RandomMatrix(net.hidden(l).bn.units(), 1, rng);
    }
    if (net.hidden(l).linear.has_bias()) {
      net.hidden(l).linear.b = 0.1 * RandomMatrix(net.hidden(l).linear.out(), 1, rng);
    }
  }
  const Md x = RandomMatrix(6, 10, rng);
  const Labels labels = {0, 1, 2, 3, 0, 1, 2, 3, 1, 2};
  auto loss = [&] { return net.ForwardTrain(x, labels.data(), nullptr); };
  loss();
  net.Backward(x, labels.data());
  for (int l = 0; l < net.num_hidden(); ++l) {
    HiddenLayer<double>& layer = net.hidden(l);
    const Md dW = layer.linear.dW;
    ExpectGradientMatches(layer.linear.W, dW, loss, "hidden dW");
    if (layer.linear.has_bias()) {
      const Vd db = layer.linear.db;
      ExpectGradientMatches(layer.linear.b, db, loss, "hidden db");
    }
    if (with_bn) {
      const Vd dgamma = layer.bn.dgamma, dbeta = layer.bn.dbeta;
      ExpectGradientMatches(layer.bn.gamma, dgamma, loss, "dgamma");
      ExpectGradientMatches(layer.bn.beta, dbeta, loss, "dbeta");
    }
  }
  const Md dW_out = net.output().dW;
  ExpectGradientMatches(net.output().W, dW_out, loss, "output dW");
}

INSTANTIATE_TEST_SUITE_P(Placements, NetworkGradientCheck,
                         ::testing::Values(std::make_tuple(Placement::kBefore, true, 0),
                                           std::make_tuple(Placement::kAfter, true, 0),
                                           std::make_tuple(Placement::kBefore, false, 0),
                                           std::make_tuple(Placement::kBefore, true, 3)));  // ghost BN

}  // namespace
}  // namespace bnlab
