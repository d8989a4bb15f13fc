// The engine that runs is the one BNLAB_CPU asked for (engine/cpu_level.h).
#include "engine/cpu_level.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace bnlab {
namespace {

TEST(CpuLevel, IsTheRequestedOne) {
  const char* requested = std::getenv("BNLAB_CPU");
  if (requested == nullptr || *requested == '\0') GTEST_SKIP() << "BNLAB_CPU unset: the loader's choice";
  EXPECT_STREQ(CpuLevel(), requested);
}

TEST(CpuLevel, RanksTheLevels) {
  EXPECT_EQ(CpuLevelRank("baseline"), 0);
  EXPECT_EQ(CpuLevelRank("v3"), 1);
  EXPECT_EQ(CpuLevelRank("v4"), 2);
  EXPECT_EQ(CpuLevelRank("native"), -1);
  EXPECT_EQ(CpuLevelRank("v2"), -1);
}

}  // namespace
}  // namespace bnlab
