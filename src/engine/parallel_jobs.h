// Independent runs of an experiment on one thread or two, taken in order from one queue: each
// run's figures depend only on its own index, never on which thread ran it or when.
#pragma once

#include "engine/dataset.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace bnlab {

// Calls run(i) for i in [0, count), on `threads` threads (1 or 2; 1 where no thread can start),
// and progress(done, count) after each (never two at once; may be empty).
void RunJobs(int count, int threads, const std::function<void(int index)>& run,
             const std::function<void(int done, int total)>& progress);

// An experiment's training subsets, one per seed: seed s draws `size` samples of `data` with
// base_seed + s (the number its runs also draw their weights and batch order from).
std::vector<std::shared_ptr<const Dataset>> SeedSubsets(const Dataset& data, int size, std::uint64_t base_seed,
                                                        int seeds);

// RunJobs over an experiment's jobs: run(subset, job) for each, `subset` that of its seed
// (job.seed_index).
template <typename Job, typename Run>
void RunSeedJobs(std::vector<Job>& jobs, const std::vector<std::shared_ptr<const Dataset>>& subsets, int threads,
                 const Run& run, const std::function<void(int done, int total)>& progress) {
  RunJobs(
      static_cast<int>(jobs.size()), threads,
      [&](int i) {
        Job& job = jobs[static_cast<std::size_t>(i)];
        run(subsets[static_cast<std::size_t>(job.seed_index)], job);
      },
      progress);
}

}  // namespace bnlab
