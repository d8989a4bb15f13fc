// Finite-difference checks, in double precision, of every layer's backward: Linear, every
// normalization in NormLayer's table (one typed test over the table), the activations, the
// softmax head; whole networks are checked over the table in variant_test.cpp.
#include "engine/layers.h"
#include "engine/network.h"
#include "engine/norms/norm.h"
#include "engine/random.h"

#include "finite_difference.h"

#include <gtest/gtest.h>

#include <functional>
#include <variant>

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

// The normalizations of NormLayer's table, as gtest types.
template <typename Table>
struct TypesOfTable;
template <typename... Norm>
struct TypesOfTable<std::variant<Norm...>> {
  using type = ::testing::Types<Norm...>;
};

// What a normalization's finite-difference check needs beyond random γ, β, done on the input
// the check uses: nothing for most.
template <typename Norm>
void PrepareGradientCheck(Norm& /*norm*/, const Md& /*x*/) {}

// Renorm's r and d are constants of the backward pass (the paper's stop_gradient), so the
// finite differences must hold them too: moving averages near the batch's statistics (no clip
// active: r = 1/1.2, d = −0.1 follow μ_B and σ_B), then hold_corrections keeps the r, d of the
// unperturbed pass.
template <>
void PrepareGradientCheck(BatchRenorm<double>& renorm, const Md& x) {
  Md y;
  renorm.ForwardTrain(x, y);
  renorm.running_std = 1.2 * (renorm.batch_var.array() + renorm.eps).sqrt().matrix();
  renorm.running_mean = renorm.batch_mean + 0.1 * renorm.running_std;
  renorm.ForwardTrain(x, y);
  EXPECT_LT((renorm.r.array() - 1.0 / 1.2).abs().maxCoeff(), 1e-9);
  EXPECT_LT((renorm.d.array() + 0.1).abs().maxCoeff(), 1e-9);
  renorm.hold_corrections = true;
}

template <typename Norm>
class NormGradientCheck : public ::testing::Test {};
TYPED_TEST_SUITE(NormGradientCheck, TypesOfTable<NormLayer<double>>::type);

// dx, dγ, dβ of ForwardTrain's Backward against finite differences, on a batch of 9.
TYPED_TEST(NormGradientCheck, TrainMode) {
  Rng rng(2);
  TypeParam norm;
  norm.Init(6);
  if (norm.units() > 0) {
    norm.gamma = RandomMatrix(6, 1, rng);
    norm.beta = RandomMatrix(6, 1, rng);
  }
  Md x = RandomMatrix(6, 9, rng, 3.0);
  const Md r = RandomMatrix(6, 9, rng);
  PrepareGradientCheck(norm, x);
  Md y, dx;
  auto loss = [&] {
    norm.ForwardTrain(x, y);
    return Contract(y, r);
  };
  loss();
  norm.Backward(r, dx);
  const Vd dgamma = norm.dgamma, dbeta = norm.dbeta;
  ExpectGradientMatches(x, dx, loss, "dx");
  ExpectGradientMatches(norm.gamma, dgamma, loss, "dgamma");
  ExpectGradientMatches(norm.beta, dbeta, loss, "dbeta");
}

// Eval mode is training mode without its side effects where nothing depends on the batch, and
// a fixed affine map (its output moves by the same amount for the same step in x) where
// something does: never a function of the batch-mates.
TYPED_TEST(NormGradientCheck, EvalModeLeavesTheLayerAndTheBatchAlone) {
  Rng rng(7);
  TypeParam norm;
  norm.Init(5);
  const Md x = RandomMatrix(5, 8, rng, 2.0);
  Md y_train, y_eval, y_alone;
  norm.ForwardTrain(x, y_train);
  const TypeParam before = norm;
  norm.ForwardEval(x, y_eval);
  norm.ForwardEval(x.col(3), y_alone);
  EXPECT_LT((y_alone - y_eval.col(3)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_EQ(norm.gamma, before.gamma);
  EXPECT_EQ(norm.beta, before.beta);
  if constexpr (!TypeParam::kUsesBatchStatistics) {
    EXPECT_LT((y_eval - y_train).cwiseAbs().maxCoeff(), 1e-12);
  }
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

// Per sample over the units: x̂ has mean 0, and a sample alone gives the same output as inside
// a batch: no batch dependence.
TEST(LayerNorm, NormalizesEachSampleOverItsUnits) {
  Rng rng(13);
  LayerNorm<double> ln;
  ln.Init(6);
  ln.gamma = RandomMatrix(6, 1, rng);
  ln.beta = RandomMatrix(6, 1, rng);
  const Md x = RandomMatrix(6, 5, rng, 2.0);
  Md y;
  ln.ForwardTrain(x, y);
  EXPECT_LT(ln.x_hat.colwise().mean().cwiseAbs().maxCoeff(), 1e-12);
  Md single;
  LayerNorm<double> copy = ln;
  copy.ForwardTrain(x.col(2), single);
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
  rn.UpdateRunningStats(9);
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

}  // namespace
}  // namespace bnlab
