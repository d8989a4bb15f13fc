// The session stays responsive to large networks: a newer request never waits for a long test
// pass or a long build, changes made during a build land on the new nets, and two threads
// train exactly as one.
#include "session/session.h"

#include "../common/spiral_session.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
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
  cmd::ApplyConfig command;
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
  cmd::ApplyConfig request;
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
  cmd::ApplyConfig request;
  request.config = large;
  session.Send(request);
  ASSERT_FALSE(WaitFor(session, [](const Snapshot& s) { return !s.building.empty(); })->building.empty());
  session.Send(cmd::SetLearningRate{0.25});
  session.Send(cmd::SetBatchSize{12});
  session.Send(cmd::RunExperiment{});
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
  session.Send(cmd::CancelExperiment{});
}

// A Fashion-MNIST directory of many blank images (235 MB of pixels in a few hundred KB of
// gzip): loading it takes long enough to be interrupted. Written once for the tests below.
class SlowLoadTest : public ::testing::Test {
 protected:
  static constexpr int kImages = 300000;

  static void SetUpTestSuite() {
    dir_ = std::filesystem::temp_directory_path() / ("bnlab_slow_load_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    WriteIdx("train-images-idx3-ubyte.gz", {2051, kImages, 28, 28}, std::uint64_t{kImages} * 784);
    WriteIdx("train-labels-idx1-ubyte.gz", {2049, kImages}, kImages);
    WriteIdx("t10k-images-idx3-ubyte.gz", {2051, 100, 28, 28}, 100 * 784);
    WriteIdx("t10k-labels-idx1-ubyte.gz", {2049, 100}, 100);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // The big-endian header `words`, then `zeros` zero bytes (blank pixels, labels of class 0).
  static void WriteIdx(const char* name, const std::vector<std::uint32_t>& words, std::uint64_t zeros) {
    gzFile file = gzopen((dir_ / name).string().c_str(), "wb1");
    ASSERT_NE(file, nullptr);
    for (const std::uint32_t word : words) {
      const unsigned char bytes[4] = {static_cast<unsigned char>(word >> 24), static_cast<unsigned char>(word >> 16),
                                      static_cast<unsigned char>(word >> 8), static_cast<unsigned char>(word)};
      ASSERT_EQ(gzwrite(file, bytes, 4), 4);
    }
    const std::vector<unsigned char> block(1 << 20, 0);
    for (std::uint64_t left = zeros; left > 0;) {
      const unsigned n = static_cast<unsigned>(std::min<std::uint64_t>(left, block.size()));
      ASSERT_EQ(gzwrite(file, block.data(), n), static_cast<int>(n));
      left -= n;
    }
    ASSERT_EQ(gzclose(file), Z_OK);
  }

  static TrainConfig SlowConfig() {
    TrainConfig config = SpiralConfig();
    config.data.name = "fashion";
    config.data.dir = dir_.string();
    return config;
  }

  // How long loading the directory takes on this machine (and sanitizer), measured.
  static std::chrono::steady_clock::duration LoadTime() {
    const auto start = std::chrono::steady_clock::now();
    const TrainConfig config = SlowConfig();
    LoadDataset(config.data, config.seed);
    return std::chrono::steady_clock::now() - start;
  }

  static bool ShowsLoadProgress(const Snapshot& s) {
    return s.building.find(" of 300 000 training images") != std::string::npos;
  }

  static std::filesystem::path dir_;
};

std::filesystem::path SlowLoadTest::dir_;

// The loading screen counts the images, and a scene chosen meanwhile stops the load at its
// next chunk instead of waiting for it (and for the networks built after it).
TEST_F(SlowLoadTest, TheLoadShowsProgressAndANewerSceneCancelsIt) {
  const auto load = LoadTime();
  Session session(SceneOf(SlowConfig()), /*start_paused=*/true);
  const auto loading = WaitFor(session, ShowsLoadProgress, milliseconds(60000));
  EXPECT_TRUE(ShowsLoadProgress(*loading)) << "building: " << loading->building;

  cmd::LoadScene request;
  request.scene = SceneOf(SpiralConfig());
  const auto sent = std::chrono::steady_clock::now();
  session.Send(request);
  const auto done = WaitFor(
      session, [](const Snapshot& s) { return s.dataset && s.dataset->name == "spiral"; }, milliseconds(120000));
  const auto waited = std::chrono::steady_clock::now() - sent;
  ASSERT_TRUE(done->dataset);
  EXPECT_EQ(done->dataset->name, "spiral");
  EXPECT_EQ(done->generation, 1u);  // the fashion nets never came in
  EXPECT_LT(waited, load / 2) << "loading takes " << std::chrono::duration<double>(load).count() << " s";
}

// Closing the window during a load does not wait for it either.
TEST_F(SlowLoadTest, ClosingCancelsALoadUnderWay) {
  const auto load = LoadTime();
  auto session = std::make_unique<Session>(SceneOf(SlowConfig()), /*start_paused=*/true);
  ASSERT_TRUE(ShowsLoadProgress(*WaitFor(*session, ShowsLoadProgress, milliseconds(60000))));
  const auto closing = std::chrono::steady_clock::now();
  session.reset();
  const auto waited = std::chrono::steady_clock::now() - closing;
  EXPECT_LT(waited, load / 2) << "loading takes " << std::chrono::duration<double>(load).count() << " s";
}

// The page's session has no threads of its own: its frame loop drives it (Drive) between frames.
// The load never holds a frame: each pass reads a few chunks, the loading screen's count moves
// from pass to pass, and the first networks come in on the data in the end.
TEST_F(SlowLoadTest, DrivenTheLoadTakesShortPassesAndCountsTheImages) {
  const auto load = LoadTime();
  Session session(SceneOf(SlowConfig()), /*start_paused=*/true, 1, /*own_threads=*/false);
  std::set<std::string> counts;  // the loading screen's texts while the images were read
  std::chrono::steady_clock::duration longest{};
  const auto start = std::chrono::steady_clock::now();
  while (!Session::Ready(*session.Latest()) && std::chrono::steady_clock::now() - start < std::chrono::minutes(2)) {
    const auto pass = std::chrono::steady_clock::now();
    session.Drive(0.010);
    const auto snapshot = session.Latest();
    if (!ShowsLoadProgress(*snapshot)) continue;  // (the pass that built the networks is not a load's)
    longest = std::max(longest, std::chrono::steady_clock::now() - pass);
    counts.insert(snapshot->building);
  }
  const auto ready = session.Latest();
  ASSERT_TRUE(ready->dataset) << ready->error;
  EXPECT_EQ(ready->dataset->train_size(), kImages);
  EXPECT_GE(counts.size(), 5u) << "the count did not move";
  EXPECT_LT(longest, load / 5) << "a pass took " << std::chrono::duration<double>(longest).count()
                               << " s; the whole load " << std::chrono::duration<double>(load).count() << " s";
}

// Driven, a scene chosen during the load drops it: the new scene's networks come in at once.
TEST_F(SlowLoadTest, DrivenANewerSceneDropsTheLoad) {
  const auto load = LoadTime();
  Session session(SceneOf(SlowConfig()), /*start_paused=*/true, 1, /*own_threads=*/false);
  for (int i = 0; i < 1000 && !ShowsLoadProgress(*session.Latest()); ++i) session.Drive(0.010);
  ASSERT_TRUE(ShowsLoadProgress(*session.Latest())) << session.Latest()->building;
  session.Send(cmd::LoadScene{SceneOf(SpiralConfig())});
  const auto sent = std::chrono::steady_clock::now();
  while (!(session.Latest()->dataset && Session::Ready(*session.Latest())) &&
         std::chrono::steady_clock::now() - sent < std::chrono::minutes(2)) {
    session.Drive(0.010);
  }
  const auto waited = std::chrono::steady_clock::now() - sent;
  ASSERT_TRUE(session.Latest()->dataset);
  EXPECT_EQ(session.Latest()->dataset->name, "spiral");
  EXPECT_EQ(session.Latest()->generation, 1u);  // the fashion nets never came in
  EXPECT_LT(waited, load / 2) << "loading takes " << std::chrono::duration<double>(load).count() << " s";
}

// The data's files may come later than the program (the page fetches them): until they are
// there the loading screen says how far they are; then they load as any others.
TEST_F(SlowLoadTest, DrivenTheLoadWaitsForItsFilesToArrive) {
  Session session(SceneOf(SlowConfig()), /*start_paused=*/true, 1, /*own_threads=*/false);
  int asked = 0;
  std::string asked_dir;
  session.SetFileArrival([&](const std::string& dir) -> std::string {
    asked_dir = dir;
    return ++asked < 5 ? "fetched " + std::to_string(asked) + " of 4 MB" : "";
  });
  session.Drive(0.010);
  EXPECT_EQ(asked_dir, dir_.string());
  EXPECT_NE(session.Latest()->building.find("fetched 1 of 4 MB"), std::string::npos) << session.Latest()->building;
  for (int i = 0; i < 3; ++i) session.Drive(0.010);
  EXPECT_NE(session.Latest()->building.find("fetched 4 of 4 MB"), std::string::npos) << session.Latest()->building;
  for (int i = 0; i < 1000 && !ShowsLoadProgress(*session.Latest()); ++i) session.Drive(0.010);
  EXPECT_TRUE(ShowsLoadProgress(*session.Latest())) << session.Latest()->building;
  // Files that cannot come: the start fails with the message, as a missing file's would.
  Session failing(SceneOf(SlowConfig()), /*start_paused=*/true, 1, /*own_threads=*/false);
  failing.SetFileArrival([](const std::string&) -> std::string { throw DataError("fashion-mnist/x.gz: HTTP 404"); });
  for (int i = 0; i < 10 && !Session::Ready(*failing.Latest()); ++i) failing.Drive(0.010);
  EXPECT_EQ(failing.Latest()->error, "fashion-mnist/x.gz: HTTP 404");
  EXPECT_TRUE(failing.Latest()->error_is_data);
}

// With two threads the nets step at once; what they learn is the same to the last bit.
TEST(Session, TwoThreadsTrainExactlyAsOne) {
  std::array<StepStats, 2> last[2];
  for (int threads : {1, 2}) {
    Session session(SceneOf(SpiralConfig()), /*start_paused=*/true, threads);
    WaitFor(session, Session::Ready);
    for (int i = 0; i < 60; ++i) session.Send(cmd::SingleStep{});
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
