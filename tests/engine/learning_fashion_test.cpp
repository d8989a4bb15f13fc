// The BN paper's experiment on Fashion-MNIST: 3×100 sigmoid, batch 60, inputs in [0,1],
// plain SGD. With weights from N(0, 1) and learning rate 5 the plain net's sigmoids saturate
// and it stays at chance, while the BN net trains (PyTorch on the same setup: BN 86% after
// 5 000 steps, plain 10%). The README states this setting.
#include "engine/trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

namespace bnlab {
namespace {

TEST(LearningFashion, BnTrainsWhereThePlainNetIsStuck) {
  if (!std::filesystem::exists(std::string(kDefaultFashionDir) + "/train-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "Fashion-MNIST not installed (Debian package dataset-fashion-mnist)";
  }
  TrainConfig config;
  config.net.hidden = {100, 100, 100};
  config.net.activation = ActivationKind::kSigmoid;
  config.net.init = InitKind::kGaussian;
  config.net.init_scale = 1.0;
  config.optimizer.learning_rate = 5.0;
  config.batch_size = 60;
  config.seed = 1;
  auto data = std::make_shared<const Dataset>(LoadFashionMnist(kDefaultFashionDir));
  FitNetToData(*data, &config.net);
  TwinTrainer trainer(data, config);
  for (int step = 0; step < 5000; ++step) trainer.Step();

  const TestResult bn = trainer.Evaluate(NetId::kRight);
  const TestResult plain = trainer.Evaluate(NetId::kLeft);
  EXPECT_GE(bn.accuracy, 0.83);
  EXPECT_LT(plain.accuracy, 0.75);
  // Why: the plain net's hidden sigmoids sit in their flat tails.
  const NetProbe plain_probe = trainer.Probe(NetId::kLeft);
  const NetProbe bn_probe = trainer.Probe(NetId::kRight);
  EXPECT_GT(plain_probe.layers[1].saturated_share, 0.5);
  EXPECT_LT(bn_probe.layers[1].saturated_share, 0.2);
}

}  // namespace
}  // namespace bnlab
