// --frame-stats: what the frames cost, printed at the window's exit (the page: on the browser's
// console every few seconds).
#pragma once

#include "engine/memory_estimate.h"
#include "engine/platform.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

namespace bnlab {

// The calling thread's CPU time, in milliseconds.
inline double ThreadCpuMs() {
  // The browser has no such clock (Emscripten's reads 0), and its one thread builds the frame
  // alone: the wall clock measures the same.
  if (kWebAssembly)
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return 1e3 * static_cast<double>(now.tv_sec) + 1e-6 * static_cast<double>(now.tv_nsec);
}

// The CPU time the UI thread spends building each frame (ImGui and the views, without drawing
// the frame), and the wall time it took, which adds waits for the GL driver (a software
// renderer's full queue) and for the other threads (training) sharing the cores. The page adds
// where its one thread's time went: drawing the frames, training between them.
struct FrameStats {
  std::vector<double> build_cpu_ms;
  std::vector<double> build_wall_ms;
  long first_step = 0;
  long last_step = 0;
  std::chrono::steady_clock::time_point start;
  double drawn_seconds = 0.0, trained_seconds = 0.0;  // the page: in all
  double training_budget = 0.0;                       // the page: the newest frame's (frame_budget.h)

  // Figures from now on, training from `step`.
  static FrameStats From(long step) {
    FrameStats stats;
    stats.start = std::chrono::steady_clock::now();
    stats.first_step = step;
    return stats;
  }

  void Print() const {
    if (build_cpu_ms.empty()) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double frames = static_cast<double>(build_cpu_ms.size());
    const std::string cpu = Percentiles(build_cpu_ms), wall = Percentiles(build_wall_ms);
    std::printf("frames %zu  build CPU ms: %s  (wall ms: %s)  |  %.1f frames/s  |  training %.0f steps/s\n",
                build_cpu_ms.size(), cpu.c_str(), wall.c_str(), frames / seconds,
                static_cast<double>(last_step - first_step) / std::max(seconds, 1e-9));
    if (kWebAssembly) {
      std::printf(
          "page: a frame every %.0f ms: drawing it %.0f ms, training %.0f ms (budget %.0f ms), the rest "
          "the browser's\n",
          1e3 * seconds / frames, 1e3 * drawn_seconds / frames, 1e3 * trained_seconds / frames, 1e3 * training_budget);
    }
    // While the session still holds its data and networks.
    const std::string memory = ResidentMemoryText(ProcessResidentMemory());
    if (!memory.empty()) std::printf("%s\n", memory.c_str());
  }

  static std::string Percentiles(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    auto at = [&](double q) { return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))]; };
    char text[96];
    std::snprintf(text, sizeof(text), "p50 %.2f  p95 %.2f  max %.2f", at(0.5), at(0.95), values.back());
    return text;
  }
};

}  // namespace bnlab
