#include "engine/parallel_jobs.h"

#include "engine/platform.h"

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

}  // namespace bnlab
