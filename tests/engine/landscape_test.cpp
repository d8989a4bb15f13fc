// The loss-landscape measurements (Santurkar et al. 2018, Figure 4) on real networks.
#include "engine/landscape.h"

#include "engine/dataset.h"
#include "engine/trainer.h"

#include "all_columns.h"

#include <gtest/gtest.h>

#include <limits>
#include <memory>

namespace bnlab {
namespace {

TrainConfig Blobs(Variant right) {
  TrainConfig config;
  config.data.name = "spiral";
  config.data.synthetic_train = 400;
  config.data.synthetic_test = 100;
  config.net.hidden = {16, 16};
  config.net.init_scale = 1.0;
  config.optimizer.learning_rate = 0.5;
  config.batch_size = 32;
  config.right = right;
  return config;
}

struct Fixture {
  explicit Fixture(const TrainConfig& config)
      : data(std::make_shared<const Dataset>(LoadDataset(config.data, config.seed))) {
    TrainConfig fitted = config;
    FitNetToData(*data, &fitted.net);
    trainer = std::make_unique<TwinTrainer>(data, fitted);
  }
  Matrix Batch() const { return ColumnsOf(data->train_x, 0, 64); }
  std::shared_ptr<const Dataset> data;
  std::unique_ptr<TwinTrainer> trainer;
};

TEST(Landscape, LeavesTheNetworkAsItIs) {
  Fixture f(Blobs(VariantNamed("bn")));
  const Matrix x = f.Batch();
  const TestResult before = f.trainer->Evaluate(NetId::kRight);
  MeasureLandscape(f.trainer->net(NetId::kRight), x, f.data->train_y.data(), 0.5);
  const TestResult after = f.trainer->Evaluate(NetId::kRight);
  EXPECT_EQ(before.loss, after.loss);
}

TEST(Landscape, TinyStepsChangeNothingAndTheRangesAreOrdered) {
  Fixture f(Blobs(VariantNamed("bn")));
  const Matrix x = f.Batch();
  for (NetId id : kNets) {
    const LandscapePoint tiny = MeasureLandscape(f.trainer->net(id), x, f.data->train_y.data(), 1e-6);
    EXPECT_TRUE(tiny.finite);
    EXPECT_GT(tiny.grad_norm, 0.0);
    EXPECT_NEAR(tiny.loss_lo, tiny.loss, 1e-4);
    EXPECT_NEAR(tiny.loss_hi, tiny.loss, 1e-4);
    EXPECT_LT(tiny.grad_change_hi, 1e-2 * tiny.grad_norm);
    const LandscapePoint real = MeasureLandscape(f.trainer->net(id), x, f.data->train_y.data(), 0.5);
    EXPECT_LE(real.loss_lo, real.loss_hi);
    EXPECT_LE(real.grad_change_lo, real.grad_change_hi);
    // A step against the gradient of a small enough size lowers the loss.
    EXPECT_LT(real.loss_lo, real.loss);
    EXPECT_GT(real.grad_change_hi, tiny.grad_change_hi);
  }
}

// β is the gradient's change per distance: for small steps it tends to ‖H ĝ‖, the same at two
// small step sizes, and at a larger grid it is at least that local value's order.
TEST(Landscape, SmoothnessIsTheGradientsChangePerDistance) {
  Fixture f(Blobs(VariantNamed("bn")));
  const Matrix x = f.Batch();
  const Network<Scalar>& net = f.trainer->net(NetId::kLeft);
  const LandscapePoint a = MeasureLandscape(net, x, f.data->train_y.data(), 1e-3, {1.0});
  const LandscapePoint b = MeasureLandscape(net, x, f.data->train_y.data(), 2e-3, {1.0});
  ASSERT_GT(a.smoothness, 0.0);
  EXPECT_NEAR(b.smoothness / a.smoothness, 1.0, 0.05);
  EXPECT_NEAR(a.grad_change_hi / (1e-3 * a.grad_norm), a.smoothness, 1e-6 * a.smoothness);
}

TEST(Landscape, SaysWhenAStepLeavesTheFiniteNumbers) {
  Fixture f(Blobs(VariantNamed("bn")));
  const Matrix x = f.Batch();
  Network<Scalar> broken = f.trainer->net(NetId::kLeft);
  broken.output().W(0, 0) = std::numeric_limits<Scalar>::infinity();  // as after a divergence
  const LandscapePoint far = MeasureLandscape(broken, x, f.data->train_y.data(), 0.5);
  EXPECT_FALSE(far.finite);
  EXPECT_EQ(far.finite_steps, 0);
  EXPECT_EQ(far.loss_lo, 0.0);  // no range from non-finite steps
  EXPECT_EQ(far.smoothness, 0.0);
}

}  // namespace
}  // namespace bnlab
