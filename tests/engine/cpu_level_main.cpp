// engine_tests' main: BNLAB_CPU chooses the engine level the tests run at (engine/cpu_level.h),
// so ctest runs the suite once per level. A level above this CPU's is skipped (exit 77).
#include "engine/cpu_level.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* requested = std::getenv("BNLAB_CPU");
  if (requested != nullptr && bnlab::CpuLevelRank(requested) > bnlab::CpuLevelRank(bnlab::CpuLevel())) {
    std::printf("BNLAB_CPU=%s: this CPU runs %s at most; skipped\n", requested, bnlab::CpuLevel());
    return 77;
  }
  const std::string cpu_error = bnlab::ApplyRequestedCpuLevel(argv);
  if (!cpu_error.empty()) {
    std::fprintf(stderr, "engine_tests: %s\n", cpu_error.c_str());
    return 2;
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
