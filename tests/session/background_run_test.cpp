// The session's background runs (the ghost-BN experiment, the batch-size sweep): progress while
// they run, the result or the error once done, and a cancel that stops them at their next step.
#include "session/background_run.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace bnlab {
namespace {

// Waits (at most five seconds) until `done` holds.
template <typename Condition>
bool WaitUntil(Condition done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

TEST(BackgroundRun, ReportsProgressThenHandsOverTheResult) {
  BackgroundRun<int> run;
  std::atomic<bool> go{false};
  ASSERT_TRUE(run.Start(3, [&go](const BackgroundRun<int>::Progress& progress, const std::atomic<bool>*) {
    progress(1, 3);
    while (!go) std::this_thread::yield();
    progress(3, 3);
    return 42;
  }));
  EXPECT_TRUE(run.started());
  ASSERT_TRUE(WaitUntil([&] { return run.done() == 1; }));
  EXPECT_EQ(run.total(), 3);
  EXPECT_FALSE(run.finished());
  // A second start while one runs is refused.
  EXPECT_FALSE(run.Start(1, [](const auto&, const std::atomic<bool>*) { return 7; }));
  go = true;
  ASSERT_TRUE(WaitUntil([&] { return run.finished(); }));
  EXPECT_EQ(run.done(), 3);
  int result = 0;
  std::string error;
  EXPECT_TRUE(run.Collect(&result, &error));
  EXPECT_EQ(result, 42);
  EXPECT_EQ(error, "");
  EXPECT_FALSE(run.started());
  EXPECT_FALSE(run.finished());
}

TEST(BackgroundRun, AFailedRunGivesItsMessageAndLeavesTheResult) {
  BackgroundRun<int> run;
  run.Start(1, [](const auto&, const std::atomic<bool>*) -> int { throw std::runtime_error("out of memory"); });
  ASSERT_TRUE(WaitUntil([&] { return run.finished(); }));
  int result = 5;
  std::string error;
  EXPECT_FALSE(run.Collect(&result, &error));
  EXPECT_EQ(error, "out of memory");
  EXPECT_EQ(result, 5);
  // The next run starts clean: no error left over from this one.
  run.Start(1, [](const auto&, const std::atomic<bool>*) { return 9; });
  ASSERT_TRUE(WaitUntil([&] { return run.finished(); }));
  error.clear();
  EXPECT_TRUE(run.Collect(&result, &error));
  EXPECT_EQ(result, 9);
  EXPECT_EQ(error, "");
}

TEST(BackgroundRun, StopCancelsTheRunAndWaitsForIt) {
  BackgroundRun<int> run;
  std::atomic<int> steps{0};
  std::atomic<bool> saw_cancel{false};
  run.Start(1, [&](const auto&, const std::atomic<bool>* cancel) {
    while (!cancel->load()) {
      ++steps;
      std::this_thread::yield();
    }
    saw_cancel = true;
    return 0;
  });
  ASSERT_TRUE(WaitUntil([&] { return steps.load() > 0; }));
  run.Stop();
  EXPECT_TRUE(saw_cancel);
  EXPECT_FALSE(run.started());
  EXPECT_FALSE(run.finished());
  // Stopped and started again: a fresh run, not cancelled from the start.
  std::atomic<bool> cancelled_at_start{true};
  run.Start(1, [&](const auto&, const std::atomic<bool>* cancel) {
    cancelled_at_start = cancel->load();
    return 1;
  });
  ASSERT_TRUE(WaitUntil([&] { return run.finished(); }));
  EXPECT_FALSE(cancelled_at_start);
}

}  // namespace
}  // namespace bnlab
