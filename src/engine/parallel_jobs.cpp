#include "engine/parallel_jobs.h"

#include "engine/platform.h"
#include "engine/training_subset.h"

#include <atomic>
#include <mutex>
#include <thread>

namespace bnlab {

void RunJobs(int count, int threads, const std::function<void(int)>& run,
             const std::function<void(int, int)>& progress) {
  std::atomic<int> next{0};
  std::mutex progress_mutex;
  int done = 0;
  auto worker = [&] {
    for (int i = next++; i < count; i = next++) {
      run(i);
      std::lock_guard<std::mutex> lock(progress_mutex);
      ++done;
      if (progress) progress(done, count);
    }
  };
  if (UsableThreads(threads) >= 2) {
    std::thread second(worker);
    worker();
    second.join();
  } else {
    worker();
  }
}

std::vector<std::shared_ptr<const Dataset>> SeedSubsets(const Dataset& data, int size, std::uint64_t base_seed,
                                                        int seeds) {
  std::vector<std::shared_ptr<const Dataset>> subsets;
  for (int s = 0; s < seeds; ++s) {
    subsets.push_back(
        std::make_shared<const Dataset>(TrainingSubset(data, size, base_seed + static_cast<std::uint64_t>(s))));
  }
  return subsets;
}

}  // namespace bnlab
