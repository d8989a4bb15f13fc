// A progress line on stderr while one long piece of work prints none of its own: the headless
// commands say what they are doing ("step 1/1: evaluating the bn net on the test set") and for
// how long, every few seconds, where an evaluation of a huge net or the loading of a huge data
// set would otherwise be silent for minutes.
#pragma once

#include "engine/dataset.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace bnlab {

class Heartbeat {
 public:
  // Lines go to `out` after `silence` without one (none at all when `out` is null: --quiet).
  explicit Heartbeat(std::FILE* out, std::chrono::milliseconds silence = std::chrono::seconds(3));
  ~Heartbeat();
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  // What the work now is, in the words of a progress line; empty: nothing worth a line.
  void Phase(std::string what);
  // How far the phase is ("1 200 000 of 2 700 000 training images (44%)"), after its words
  // and a colon; a new phase starts without one. Its duration goes on.
  void Detail(std::string done);
  // The training step under way, of `total` (0: none): lines then start "step S/T: ". Cheap
  // enough for every step (an atomic store).
  void Step(long step, long total) {
    step_.store(step, std::memory_order_relaxed);
    total_steps_.store(total, std::memory_order_relaxed);
  }
  // The caller printed a progress line of its own: the silence starts again.
  void Printed();

 private:
  void Run();

  using Clock = std::chrono::steady_clock;
  std::FILE* out_;
  const std::chrono::milliseconds silence_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string phase_, detail_;
  Clock::time_point phase_start_, last_line_;
  bool stop_ = false;
  std::atomic<long> step_{0}, total_steps_{0};
  std::thread thread_;  // last: started once the members above are
};

// For a data load: its progress becomes the heartbeat's detail. No cancel flag: Ctrl+C ends a
// headless command at once, by the signal.
LoadControl LoadingProgress(Heartbeat& heartbeat);

}  // namespace bnlab
