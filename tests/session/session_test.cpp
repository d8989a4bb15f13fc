// The session thread, driven as the UI drives it: commands in, snapshots out, no waiting.
#include "session/session.h"

#include "../common/spiral_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <thread>
#include <vector>

namespace bnlab {
namespace {

using std::chrono::milliseconds;
using testing_session::OnlyLab;
using testing_session::SceneOf;
using testing_session::SpiralConfig;
using testing_session::WaitFor;

TEST(Session, StartsTrainingAndPublishesProbesAndTestResults) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/false);
  const auto snapshot =
      WaitFor(session, [](const Snapshot& s) { return s.step > 200 && s.net(NetId::kRight).has_test; });
  EXPECT_GT(snapshot->step, 200);
  for (NetId id : kNets) {
    const NetView& view = snapshot->net(id);
    EXPECT_TRUE(view.has_probe);
    EXPECT_EQ(view.layers.size(), 2u);
    EXPECT_FALSE(view.train_loss.empty());
    EXPECT_FALSE(view.boundary.empty());  // a 2-D set: the decision-boundary grid is computed
  }
  EXPECT_EQ(snapshot->boundary_grid * snapshot->boundary_grid * 3,
            static_cast<int>(snapshot->net(NetId::kLeft).boundary.size()));
}

// The browser's session (no threads of its own): the caller's Drive runs the same passes the
// worker thread runs, and nothing happens between two calls.
TEST(Session, DrivenByTheCallerTrainsOnlyInItsPasses) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/false, 1, /*own_threads=*/false);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(Session::Ready(*session.Latest()));  // not even built: the builder runs in Drive
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto snapshot = session.Latest();
  while (!(snapshot->step > 200 && snapshot->net(NetId::kRight).has_test) &&
         std::chrono::steady_clock::now() < deadline) {
    EXPECT_GE(session.Drive(0.01), 0.0);
    snapshot = session.Latest();
  }
  ASSERT_GT(snapshot->step, 200);
  EXPECT_TRUE(Session::Ready(*snapshot));
  EXPECT_FALSE(snapshot->net(NetId::kLeft).boundary.empty());
  const long step = snapshot->step;
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(session.Latest()->step, step);
  EXPECT_TRUE(session.Stop(milliseconds(0)));  // nothing to wait for
}

// The page's budget after a frame that left no time (session/frame_budget.h: 0) is one pass:
// at full speed one step, not a run of the worker's 8 ms.
TEST(Session, DrivenWithNoBudgetTrainsOneStepAPass) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true, 1, /*own_threads=*/false);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!Session::Ready(*session.Latest()) && std::chrono::steady_clock::now() < deadline) session.Drive(0.01);
  ASSERT_TRUE(Session::Ready(*session.Latest()));
  ASSERT_EQ(session.Latest()->step, 0);
  session.Send(cmd::Resume{});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(session.Drive(0.0), 0.0);  // full speed: the next pass at once
  session.Send(cmd::Pause{});
  session.Drive(0.0);  // publishes the pause, with the step it stopped at
  EXPECT_TRUE(session.Latest()->paused);
  EXPECT_EQ(session.Latest()->step, 3);
}

// Driven or on its thread, the same steps give the same numbers.
TEST(Session, DrivenAndThreadedSessionsTrainAlike) {
  Session threaded(SceneOf(SpiralConfig()), /*start_paused=*/true);
  Session driven(SceneOf(SpiralConfig()), /*start_paused=*/true, 1, /*own_threads=*/false);
  for (int i = 0; i < 30; ++i) {
    threaded.Send(cmd::SingleStep{});
    driven.Send(cmd::SingleStep{});
  }
  const auto from_thread = WaitFor(threaded, [](const Snapshot& s) { return s.step == 30; });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (driven.Latest()->step < 30 && std::chrono::steady_clock::now() < deadline) driven.Drive(0.01);
  const auto from_driver = driven.Latest();
  ASSERT_EQ(from_driver->step, 30);
  for (NetId id : kNets) {
    ASSERT_FALSE(from_thread->net(id).train_loss.empty());
    EXPECT_EQ(from_driver->net(id).train_loss.last_y(), from_thread->net(id).train_loss.last_y());
  }
}

TEST(Session, PausedSessionOnlySingleSteps) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(session.Latest()->step, 0);
  EXPECT_TRUE(session.Latest()->paused);
  session.Send(cmd::SingleStep{});
  session.Send(cmd::SingleStep{});
  const auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.step == 2; });
  EXPECT_EQ(snapshot->step, 2);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(session.Latest()->step, 2);
}

// The loss-difference verdict's figure is the largest gap of any one step, kept over every
// step: stepped one at a time, it is the running maximum of each step's own two losses.
TEST(Session, KeepsTheLargestLossGapOverEveryStep) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  double largest = 0.0;
  long at = 0;
  for (long step = 1; step <= 40; ++step) {
    session.Send(cmd::SingleStep{});
    const auto snapshot = WaitFor(session, [&](const Snapshot& s) { return s.step == step; });
    ASSERT_EQ(snapshot->step, step);
    const double gap = std::fabs(static_cast<double>(snapshot->net(NetId::kLeft).last.loss) -
                                 static_cast<double>(snapshot->net(NetId::kRight).last.loss));
    if (gap > largest) largest = gap, at = step;
    EXPECT_EQ(snapshot->largest_loss_gap, largest) << "step " << step;
    EXPECT_EQ(snapshot->largest_loss_gap_step, at) << "step " << step;
  }
  EXPECT_GT(largest, 0.0);
}

TEST(Session, LearningRateAndBatchSizeApplyLiveWithoutReset) {
  Session session(SceneOf(SpiralConfig()), false);
  auto before = WaitFor(session, [](const Snapshot& s) { return s.step > 100; });
  const std::uint64_t generation = before->generation;
  session.Send(cmd::SetLearningRate{0.02});
  session.Send(cmd::SetBatchSize{7});
  const auto after = WaitFor(
      session, [](const Snapshot& s) { return s.config.batch_size == 7 && s.config.optimizer.learning_rate == 0.02; });
  EXPECT_EQ(after->config.batch_size, 7);
  EXPECT_EQ(after->config.optimizer.learning_rate, 0.02);
  EXPECT_EQ(after->generation, generation);  // same networks
  EXPECT_GE(after->step, before->step);      // the step count went on
}

TEST(Session, ArchitectureChangeResetsAndSaysWhy) {
  Session session(SceneOf(SpiralConfig()), false);
  const auto before = WaitFor(session, [](const Snapshot& s) { return s.step > 50; });
  cmd::ApplyConfig command;
  command.config = before->config;
  command.config.net.hidden = {8, 8, 8};
  session.Send(command);
  const auto after = WaitFor(session, [&](const Snapshot& s) { return s.generation > before->generation; });
  EXPECT_GT(after->generation, before->generation);
  EXPECT_EQ(after->config.net.hidden, (std::vector<int>{8, 8, 8}));
  EXPECT_NE(after->message.find("layers"), std::string::npos) << after->message;
  EXPECT_EQ(after->net(NetId::kRight).layers.size(), 3u);
}

TEST(Session, ABadDatasetIsReportedAndTrainingGoesOn) {
  Session session(SceneOf(SpiralConfig()), false);
  const auto before = WaitFor(session, [](const Snapshot& s) { return s.step > 20; });
  cmd::ApplyConfig command;
  command.config = before->config;
  command.config.data.name = "fashion";
  command.config.data.dir = "/nonexistent/fashion";
  session.Send(command);
  const auto after = WaitFor(session, [](const Snapshot& s) { return !s.error.empty(); });
  EXPECT_NE(after->error.find("/nonexistent/fashion"), std::string::npos) << after->error;
  EXPECT_EQ(after->generation, before->generation);  // the spiral nets keep running
  const long step = after->step;
  const auto later = WaitFor(session, [&](const Snapshot& s) { return s.step > step + 50; });
  EXPECT_GT(later->step, step + 50);
}

TEST(Session, ARejectedDatasetChangeLeavesTheRunningDataInPlace) {
  Session session(SceneOf(SpiralConfig()), true);
  const auto before = WaitFor(session, Session::Ready);
  // Moons loads, but the batch is larger than its training set: rejected.
  cmd::ApplyConfig rejected;
  rejected.config = before->config;
  rejected.config.data.name = "moons";
  rejected.config.data.synthetic_train = 50;
  rejected.config.batch_size = 64;
  session.Send(rejected);
  auto after = WaitFor(session, [](const Snapshot& s) { return !s.error.empty(); });
  EXPECT_NE(after->error.find("larger than the training set"), std::string::npos) << after->error;
  EXPECT_EQ(after->dataset->name, "spiral");
  // The same moons settings with a batch that fits: now the moons data is loaded and used.
  cmd::ApplyConfig accepted = rejected;
  accepted.config.batch_size = 10;
  session.Send(accepted);
  after = WaitFor(session, [](const Snapshot& s) { return s.dataset->name == "moons"; });
  EXPECT_EQ(after->dataset->name, "moons");
  EXPECT_EQ(after->dataset->train_size(), 50);
  EXPECT_TRUE(after->error.empty());
}

TEST(Session, ADivergedNetIsMarkedAndTheOtherKeepsTraining) {
  TrainConfig config = SpiralConfig();
  config.net.activation = ActivationKind::kRelu;
  config.net.init_scale = 3.0;
  config.optimizer.learning_rate = 50.0;
  Session session(SceneOf(config), false);
  const auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.net(NetId::kLeft).diverged; });
  ASSERT_TRUE(snapshot->net(NetId::kLeft).diverged);
  EXPECT_NE(snapshot->message.find("diverged"), std::string::npos);
  ASSERT_FALSE(snapshot->net(NetId::kRight).diverged);
  const long step = snapshot->step;
  const auto later = WaitFor(session, [&](const Snapshot& s) { return s.step > step + 100; });
  EXPECT_GT(later->step, step + 100);
  EXPECT_FALSE(later->net(NetId::kRight).diverged);
  // Reset recovers: new networks, nothing diverged (paused first so none can diverge again).
  session.Send(cmd::Pause{});
  session.Send(cmd::Reset{});
  const auto reset = WaitFor(session, [&](const Snapshot& s) { return s.generation > snapshot->generation; });
  EXPECT_EQ(reset->step, 0);
  EXPECT_FALSE(reset->net(NetId::kLeft).diverged);
  EXPECT_FALSE(reset->net(NetId::kRight).diverged);
}

// A published snapshot is immutable: the session goes on adding to the histories it shares
// storage with, and merges them, while the UI reads it (the ThreadSanitizer build checks the
// reads too).
TEST(Session, ASnapshotKeepsItsHistoriesWhileTrainingGoesOn) {
  Session session(SceneOf(SpiralConfig()), false);
  const auto early = WaitFor(session, [](const Snapshot& s) { return s.step > 100; });
  const History& loss = early->net(NetId::kRight).train_loss;
  const std::size_t stride = loss.stride();
  const std::vector<double> steps(loss.x().begin(), loss.x().end());
  const std::vector<float> values(loss.y().begin(), loss.y().end());
  const auto later = WaitFor(
      session, [&](const Snapshot& s) { return s.net(NetId::kRight).train_loss.stride() > stride; },
      milliseconds(60000));
  ASSERT_GT(later->net(NetId::kRight).train_loss.stride(), stride) << "the loss history must have merged meanwhile";
  EXPECT_EQ(loss.stride(), stride);
  EXPECT_EQ(std::vector<double>(loss.x().begin(), loss.x().end()), steps);
  EXPECT_EQ(std::vector<float>(loss.y().begin(), loss.y().end()), values);
}

TEST(SessionNoise, TracesEveryStepsBatchMeanAndTheRunningMean) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  for (int i = 0; i < 5; ++i) session.Send(cmd::SingleStep{});
  const auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.step == 5; });
  ASSERT_EQ(snapshot->noise.traces.size(), 2u);
  const UnitTrace& trace = snapshot->noise.traces[0];
  ASSERT_EQ(trace.size(), 5u);
  EXPECT_EQ(trace.step.front(), 1.0);
  EXPECT_EQ(trace.batch_size.back(), 20);
  // The running mean moves a tenth of the way (momentum 0.1) toward each step's batch mean.
  const float expected = 0.9f * trace.running_mean[3] + 0.1f * trace.batch_mean[4];
  EXPECT_NEAR(trace.running_mean[4], expected, 1e-5f);
}

TEST(SessionNoise, MeasuresEveryBatchSizeOnlyWhileTheViewIsOpen) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  std::this_thread::sleep_for(milliseconds(150));
  EXPECT_TRUE(session.Latest()->noise.points.empty());  // nobody is looking
  session.Send(OnlyLab(&Labs::noise));
  const auto snapshot = WaitFor(
      session,
      [](const Snapshot& s) { return !s.noise.measuring && s.noise.points.size() == NoiseBatchSizes(20, 600).size(); },
      milliseconds(20000));
  ASSERT_EQ(snapshot->noise.points.size(), NoiseBatchSizes(20, 600).size());
  EXPECT_EQ(snapshot->noise.train_size, 600);
  EXPECT_EQ(snapshot->noise.population_std.size(), 2u);
  for (std::size_t i = 1; i < snapshot->noise.points.size(); ++i) {
    EXPECT_LT(snapshot->noise.points[i - 1].batch_size, snapshot->noise.points[i].batch_size);
  }
  // A new batch size is measured soon after the slider moves.
  cmd::SetBatchSize batch{48};
  session.Send(batch);
  const auto after = WaitFor(session, [](const Snapshot& s) {
    return std::any_of(s.noise.points.begin(), s.noise.points.end(),
                       [](const NoisePoint& p) { return p.batch_size == 48; });
  });
  EXPECT_TRUE(std::any_of(after->noise.points.begin(), after->noise.points.end(),
                          [](const NoisePoint& p) { return p.batch_size == 48; }));
}

TEST(SessionNoise, RunsTheRegularizationExperimentInTheBackground) {
  TrainConfig config = SpiralConfig();
  config.data.synthetic_train = 300;
  Session session(SceneOf(config), /*start_paused=*/false);
  session.Send(cmd::RunExperiment{});
  const auto running = WaitFor(session, [](const Snapshot& s) { return s.noise.experiment_running; });
  EXPECT_TRUE(running->noise.experiment_running);
  EXPECT_GT(running->noise.experiment_total, 0);
  // Training goes on meanwhile.
  const long step = running->step;
  EXPECT_GT(WaitFor(session, [step](const Snapshot& s) { return s.step > step + 50; })->step, step + 50);
  // Cancelling stops it at once and leaves no result.
  session.Send(cmd::CancelExperiment{});
  const auto cancelled = WaitFor(session, [](const Snapshot& s) { return !s.noise.experiment_running; });
  EXPECT_FALSE(cancelled->noise.experiment_running);
  EXPECT_FALSE(cancelled->noise.has_experiment);
}

TEST(SessionInsideBn, RecordsTheChosenUnitOnEveryStepsRealBatch) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  session.Send(OnlyLab(&Labs::inside_bn));
  session.Send(cmd::SelectBnLayer{1});
  session.Send(cmd::SingleStep{});
  const auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.inside.has_record && s.step == 1; });
  ASSERT_TRUE(snapshot->inside.has_record);
  const InsideBnView& inside = snapshot->inside;
  EXPECT_EQ(inside.step, 1);
  EXPECT_EQ(inside.record.layer, 1);
  EXPECT_EQ(inside.record.batch_size(), 20);
  EXPECT_EQ(inside.samples.size(), 20u);
  EXPECT_EQ(inside.labels.size(), 20u);
  for (std::size_t i = 0; i < inside.samples.size(); ++i) {
    EXPECT_EQ(inside.labels[i], snapshot->dataset->train_y[static_cast<std::size_t>(inside.samples[i])]);
  }
  EXPECT_LT(IdentityWhatIfError(inside.record), 1e-5);
}

TEST(SessionTestTime, TestAccuracyInThreeModesAndTheEvalLine) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/false);
  session.Send(OnlyLab(&Labs::test_time));
  const auto snapshot = WaitFor(session, [](const Snapshot& s) {
    return s.test_time.test_acc_batch.size() >= 2 && !s.test_time.test_acc_population.empty() &&
           !s.test_time.eval_x.empty();
  });
  const TestTimeView& test_time = snapshot->test_time;
  ASSERT_FALSE(test_time.test_acc_population.empty());
  EXPECT_GE(test_time.test_acc_running.size(), 2u);
  ASSERT_EQ(test_time.population_mean.size(), 2u);
  EXPECT_FALSE(test_time.population_mean[0].empty());
  ASSERT_EQ(test_time.eval_x.size(), test_time.eval_y.size());
  ASSERT_FALSE(test_time.eval_x.empty());
  // At test time BN is the fixed line y = a·x + c (to float precision).
  for (std::size_t i = 0; i < test_time.eval_x.size(); ++i) {
    EXPECT_NEAR(test_time.eval_y[i], test_time.scale * test_time.eval_x[i] + test_time.shift,
                1e-4 * (1.0 + std::abs(test_time.eval_y[i])));
  }
}

TEST(Session, SaysWhetherAFailedStartIsTheDataOrASetting) {
  TrainConfig missing;
  missing.data.dir = "/nonexistent/fashion";
  Session no_data(SceneOf(missing), /*start_paused=*/true);
  const auto data_failed = WaitFor(no_data, Session::Ready);
  EXPECT_TRUE(data_failed->building.empty());
  EXPECT_FALSE(data_failed->error.empty());
  EXPECT_TRUE(data_failed->error_is_data);  // the window offers the synthetic sets
  TrainConfig too_big = SpiralConfig();
  too_big.batch_size = 5000;  // the spiral has 600 training samples
  Session no_batch(SceneOf(too_big), /*start_paused=*/true);
  const auto batch_failed = WaitFor(no_batch, Session::Ready);
  EXPECT_NE(batch_failed->error.find("larger than the training set"), std::string::npos);
  EXPECT_FALSE(batch_failed->error_is_data);  // other data would not help
}

TEST(Session, PausesAtTheScenesPausePointsAndSaysWhich) {
  Scene scene = SceneOf(SpiralConfig());
  scene.lesson.pauses = {PausePoint{30, "first"}, PausePoint{60, "second"}};
  Session session(scene, /*start_paused=*/false);
  auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.paused && s.step >= 30; });
  EXPECT_EQ(snapshot->step, 30);
  EXPECT_EQ(snapshot->pause_index, 0);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(session.Latest()->step, 30);  // it stays there until told to go on
  session.Send(cmd::Resume{});
  snapshot = WaitFor(session, [](const Snapshot& s) { return s.paused && s.step >= 60; });
  EXPECT_EQ(snapshot->step, 60);
  EXPECT_EQ(snapshot->pause_index, 1);
  // A reset starts the lesson again: the pause points are armed anew.
  session.Send(cmd::Reset{});
  session.Send(cmd::Resume{});
  snapshot = WaitFor(session, [](const Snapshot& s) { return s.generation == 2 && s.paused && s.step >= 30; });
  EXPECT_EQ(snapshot->step, 30);
  EXPECT_EQ(snapshot->pause_index, 0);
}

TEST(Session, ALiveChangeEndsTheScenesPausePoints) {
  Scene scene = SceneOf(SpiralConfig());
  scene.lesson.pauses = {PausePoint{40, "the scene's own numbers"}};
  Session session(scene, /*start_paused=*/true);
  EXPECT_TRUE(WaitFor(session, Session::Ready)->scene_pristine);
  session.Send(cmd::SetLearningRate{0.3});
  session.Send(cmd::Resume{});
  const auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.step > 80; });
  EXPECT_FALSE(snapshot->scene_pristine);
  EXPECT_EQ(snapshot->pause_index, -1);  // went past step 40 without stopping
  // Back to the scene's settings and reset: its own run again, pause points armed.
  session.Send(cmd::SetLearningRate{SpiralConfig().optimizer.learning_rate});
  session.Send(cmd::Reset{});
  const auto again = WaitFor(session, [](const Snapshot& s) { return s.generation == 2 && s.paused; });
  EXPECT_TRUE(again->scene_pristine);
  EXPECT_EQ(again->step, 40);
}

TEST(Session, ASliderDragIsOneMarker) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  WaitFor(session, Session::Ready);
  for (double lr : {0.6, 0.8, 1.2, 2.0}) session.Send(cmd::SetLearningRate{lr});
  auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.config.optimizer.learning_rate == 2.0; });
  ASSERT_EQ(snapshot->changes.size(), 2u);
  EXPECT_EQ(snapshot->changes[1].label, "lr 0.5 → 2");
  EXPECT_DOUBLE_EQ(snapshot->changes[1].learning_rate, 2.0);
  // Dragged back to where it started: no change, no marker.
  session.Send(cmd::SetLearningRate{0.5});
  snapshot = WaitFor(session, [](const Snapshot& s) { return s.config.optimizer.learning_rate == 0.5; });
  EXPECT_EQ(snapshot->changes.size(), 1u);
}

TEST(Session, ASceneSetsItsSpeed) {
  Scene scene = SceneOf(SpiralConfig());
  scene.lesson.has_speed = true;
  scene.lesson.speed = 40.0;
  Session session(scene, /*start_paused=*/true);
  EXPECT_EQ(session.Latest()->speed, 40.0);
  EXPECT_EQ(WaitFor(session, Session::Ready)->generation, 1u);
  Scene fast = SceneOf(SpiralConfig());  // without a speed: as fast as possible
  cmd::LoadScene command;
  command.scene = fast;
  session.Send(command);
  const auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.generation == 2; });
  EXPECT_EQ(snapshot->speed, 0.0);
  EXPECT_FALSE(snapshot->paused);  // a scene starts running
}

TEST(Session, MarksEveryLiveChangeAtItsStep) {
  Session session(SceneOf(SpiralConfig()), /*start_paused=*/true);
  const auto start = WaitFor(session, Session::Ready);
  ASSERT_EQ(start->changes.size(), 1u);
  EXPECT_TRUE(start->changes[0].label.empty());  // the start: settings, no marker
  for (int i = 0; i < 10; ++i) session.Send(cmd::SingleStep{});
  WaitFor(session, [](const Snapshot& s) { return s.step == 10; });
  session.Send(cmd::SetBatchSize{7});
  session.Send(cmd::SetLearningRate{0.2});
  const auto snapshot = WaitFor(session, [](const Snapshot& s) { return s.changes.size() == 3; });
  ASSERT_EQ(snapshot->changes.size(), 3u);
  EXPECT_EQ(snapshot->changes[1].step, 10);
  EXPECT_EQ(snapshot->changes[1].label, "batch 20 → 7");
  EXPECT_EQ(snapshot->changes[1].batch_size, 7);
  EXPECT_EQ(snapshot->changes[2].label, "lr 0.5 → 0.2");
  EXPECT_DOUBLE_EQ(snapshot->changes[2].learning_rate, 0.2);
  // New networks start a new time line: one marker at step 0 saying why.
  TrainConfig wider = snapshot->config;
  wider.net.hidden = {24, 24};
  cmd::ApplyConfig command;
  command.config = wider;
  session.Send(command);
  const auto rebuilt = WaitFor(session, [](const Snapshot& s) { return s.generation == 2; });
  ASSERT_EQ(rebuilt->changes.size(), 1u);
  EXPECT_EQ(rebuilt->changes[0].step, 0);
  EXPECT_EQ(rebuilt->changes[0].label, "new nets: layers");
}

}  // namespace
}  // namespace bnlab
