// The persistent worker of the twin step: each Run runs the job exactly once beside the
// caller's own work, whether the worker was waiting busily or asleep, and its exception
// reaches the caller.
#include "engine/step_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace bnlab {
namespace {

TEST(StepWorker, RunsTheJobOncePerRunBesideTheCaller) {
  std::atomic<int> jobs{0};
  int here = 0;
  StepWorker worker([&] { jobs.fetch_add(1); });
  for (int i = 0; i < 10000; ++i) {  // back to back: the worker never sleeps
    worker.Run([&] { ++here; });
    ASSERT_EQ(jobs.load(), i + 1);
  }
  EXPECT_EQ(here, 10000);
}

TEST(StepWorker, WakesFromSleepAndWaitsForASlowJob) {
  std::atomic<int> jobs{0};
  StepWorker worker([&] {
    std::this_thread::sleep_for(3 * StepWorker::kSpin);  // the caller falls asleep waiting
    jobs.fetch_add(1);
  });
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(3 * StepWorker::kSpin);  // and so does the worker, between runs
    worker.Run([] {});
    EXPECT_EQ(jobs.load(), i + 1);
  }
}

TEST(StepWorker, TheJobsExceptionReachesTheCallerAndTheWorkerGoesOn) {
  int calls = 0;
  StepWorker worker([&] {
    if (++calls == 2) throw std::runtime_error("no memory for the step");
  });
  worker.Run([] {});
  EXPECT_THROW(worker.Run([] {}), std::runtime_error);
  worker.Run([] {});
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace bnlab
