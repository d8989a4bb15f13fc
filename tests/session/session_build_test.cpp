// The session stays responsive to large networks: a newer request never waits for a long test
// pass or a long build, changes made during a build land on the new nets, and two threads
// train exactly as one.
#include "session/session.h"

#include "../common/spiral_session.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace bnlab {
namespace {

using std::chrono::milliseconds;
using testing_session::SceneOf;
using testing_session::SpiralConfig;
using testing_session::WaitFor;

// A test pass over a large network takes long; a newer request must not wait for it. The time
// one pass takes is measured here first, so the check holds on any machine and sanitizer.
TEST(Session, ANewerRequestInterruptsALongTestPass) {
  TrainConfig big = SpiralConfig();
  big.data.synthetic_test = 8000;
  big.net.hidden = {512, 512};
  auto data = std::make_shared<const Dataset>(LoadDataset(big.data, big.seed));
  TrainConfig fitted = big;
  FitNetToData(*data, &fitted.net);
  TwinTrainer trainer(data, fitted);
  const auto pass_start = std::chrono::steady_clock::now();
  trainer.Evaluate(NetId::kLeft);
  trainer.Evaluate(NetId::kRight);
  const auto pass = std::chrono::steady_clock::now() - pass_start;

  Session session(SceneOf(big), /*start_paused=*/true);  // its first test pass starts at once
  std::this_thread::sleep_for(pass / 10);
  TrainConfig small = SpiralConfig();
  small.net.hidden = {8};
  Command command(Command::Kind::kApplyConfig);
  command.config = small;
  const auto sent = std::chrono::steady_clock::now();
  session.Send(command);
  const auto snapshot = WaitFor(
      session, [](const Snapshot& s) { return s.config.net.hidden.size() == 1; }, milliseconds(60000));
  const auto waited = std::chrono::steady_clock::now() - sent;
  EXPECT_EQ(snapshot->config.net.hidden.size(), 1u);
  EXPECT_LT(waited, pass / 2) << "one test pass takes " << std::chrono::duration<double>(pass).count() << " s";
  // And the small nets get their test results.
  EXPECT_TRUE(
      WaitFor(session, [](const Snapshot& s) { return s.net(NetId::kRight).has_test; })->net(NetId::kRight).has_test);
}

// New networks are built off the session thread. Building a large pair takes long (here it is
// measured first, so the checks hold on any machine and sanitizer); meanwhile the old nets stay
// on screen, paused, the snapshot says what is being built, and a newer request cancels it.
TEST(Session, ANewerRequestDoesNotWaitForALargeBuild) {
  TrainConfig big = SpiralConfig();
  big.net.hidden = std::vector<int>(6, 2048);
  const auto data = std::make_shared<const Dataset>(LoadDataset(big.data, big.seed));
  TrainConfig fitted = big;
  FitNetToData(*data, &fitted.net);
  const auto build_start = std::chrono::steady_clock::now();
  std::make_unique<TwinTrainer>(data, fitted).reset();
  const auto build = std::chrono::steady_clock::now() - build_start;

  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  const auto before = WaitFor(session, Session::Ready);
  Command request(Command::Kind::kApplyConfig);
  request.config = big;
  session.Send(request);
  const auto building = WaitFor(session, [](const Snapshot& s) { return !s.building.empty(); });
  ASSERT_FALSE(building->building.empty());
  EXPECT_EQ(building->generation, before->generation);  // the old nets, still shown
  EXPECT_EQ(building->config.net.hidden, before->config.net.hidden);
  EXPECT_EQ(building->requested_config().net.hidden, big.net.hidden);  // what the controls show
  std::this_thread::sleep_for(build / 10);

  TrainConfig small = SpiralConfig();
  small.net.hidden = {8};
  request.config = small;
  const auto sent = std::chrono::steady_clock::now();
  session.Send(request);
  const auto done = WaitFor(
      session, [](const Snapshot& s) { return s.config.net.hidden.size() == 1; }, milliseconds(120000));
  const auto waited = std::chrono::steady_clock::now() - sent;
  EXPECT_EQ(done->config.net.hidden, small.net.hidden);
  EXPECT_TRUE(done->building.empty());
  EXPECT_EQ(done->generation, before->generation + 1);  // the cancelled build never came in
  EXPECT_LT(waited, build / 2) << "building the large pair takes " << std::chrono::duration<double>(build).count()
                               << " s";
}

// A live setting changed while new networks are built is theirs from step 0 (no marker of its
// own: they never ran with anything else); an experiment asked for meanwhile runs on them.
TEST(Session, ChangesMadeDuringABuildApplyToTheNewNets) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  WaitFor(session, Session::Ready);
  // A training set of a million points: drawing it takes far longer than the changes take to
  // arrive, and the nets stay small, so their first figures (measured before the first
  // snapshot of them) cost little even under the sanitizers.
  TrainConfig large = SpiralConfig();
  large.data.synthetic_train = 1000000;
  large.net.hidden = {24, 24};
  Command request(Command::Kind::kApplyConfig);
  request.config = large;
  session.Send(request);
  ASSERT_FALSE(WaitFor(session, [](const Snapshot& s) { return !s.building.empty(); })->building.empty());
  session.Send({Command::Kind::kSetLearningRate, 0.25});
  session.Send({Command::Kind::kSetBatchSize, 12});
  session.Send({Command::Kind::kRunExperiment});
  // The first snapshot of the new nets says everything checked here.
  const auto snapshot = WaitFor(
      session, [](const Snapshot& s) { return s.generation == 2; }, milliseconds(120000));
  EXPECT_EQ(snapshot->config.net.hidden, large.net.hidden);
  EXPECT_DOUBLE_EQ(snapshot->config.optimizer.learning_rate, 0.25);
  EXPECT_EQ(snapshot->config.batch_size, 12);
  ASSERT_EQ(snapshot->changes.size(), 1u);
  EXPECT_EQ(snapshot->changes[0].label, "new nets: layers, synthetic-size");
  EXPECT_DOUBLE_EQ(snapshot->changes[0].learning_rate, 0.25);
  EXPECT_EQ(snapshot->changes[0].batch_size, 12);
  EXPECT_TRUE(snapshot->noise.experiment_running || snapshot->noise.has_experiment);
  session.Send({Command::Kind::kCancelExperiment});
}

// With two threads the nets step at once; what they learn is the same to the last bit.
TEST(Session, TwoThreadsTrainExactlyAsOne) {
  std::array<StepStats, 2> last[2];
  for (int threads : {1, 2}) {
    Session session(SceneOf(SpiralConfig()), /*start_paused=*/true, threads);
    WaitFor(session, Session::Ready);
    for (int i = 0; i < 60; ++i) session.Send({Command::Kind::kSingleStep});
    // Sixty single steps, each with its probes: seconds under the sanitizers on a busy machine.
    const auto snapshot = WaitFor(
        session, [](const Snapshot& s) { return s.step == 60; }, milliseconds(60000));
    ASSERT_EQ(snapshot->step, 60);
    for (NetId id : kNets) last[threads - 1][static_cast<std::size_t>(id)] = snapshot->net(id).last;
  }
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(last[0][i].loss, last[1][i].loss) << "net " << i;
    EXPECT_EQ(last[0][i].batch_accuracy, last[1][i].batch_accuracy) << "net " << i;
  }
}

TEST(TwinTrainer, AnInterruptedTestPassSaysSoAndAnUninterruptedOneIsUnchanged) {
  TrainConfig config = SpiralConfig();
  auto data = std::make_shared<const Dataset>(LoadDataset(config.data, config.seed));
  FitNetToData(*data, &config.net);
  TwinTrainer trainer(data, config);
  const TestResult before = trainer.Evaluate(NetId::kRight);
  std::atomic<bool> interrupt{false};
  trainer.SetInterrupt(&interrupt);
  const TestResult same = trainer.Evaluate(NetId::kRight);
  EXPECT_FALSE(same.interrupted);
  EXPECT_EQ(same.loss, before.loss);
  EXPECT_EQ(same.accuracy, before.accuracy);
  interrupt = true;
  EXPECT_TRUE(trainer.Evaluate(NetId::kRight).interrupted);
  EXPECT_TRUE(trainer.EvaluateWith(NetId::kLeft, Normalization::kRunning).interrupted);
}

}  // namespace
}  // namespace bnlab
