// Independent runs of an experiment on one thread or two, taken in order from one queue: each
// run's figures depend only on its own index, never on which thread ran it or when.
#pragma once

#include <functional>

namespace bnlab {

// Calls run(i) for i in [0, count), on `threads` threads (1 or 2; 1 where no thread can start),
// and progress(done, count) after each (never two at once; may be empty).
void RunJobs(int count, int threads, const std::function<void(int index)>& run,
             const std::function<void(int done, int total)>& progress);

}  // namespace bnlab
