// The engine's tables of names and of what saturation means for each activation.
#include "engine/config.h"

#include <gtest/gtest.h>

namespace bnlab {
namespace {

TEST(Config, EveryNameParsesBackToItsValue) {
  for (const ActivationInfo& info : kActivationInfo) {
    ActivationKind parsed = ActivationKind::kSigmoid;
    ASSERT_TRUE(ParseActivation(info.name, &parsed)) << info.name;
    EXPECT_EQ(parsed, info.kind);
    EXPECT_STREQ(ActivationName(info.kind), info.name);
  }
  for (Placement value : {Placement::kBefore, Placement::kAfter}) {
    Placement parsed = Placement::kBefore;
    ASSERT_TRUE(ParsePlacement(PlacementName(value), &parsed));
    EXPECT_EQ(parsed, value);
  }
  for (InitKind value : {InitKind::kGaussian, InitKind::kXavier}) {
    InitKind parsed = InitKind::kGaussian;
    ASSERT_TRUE(ParseInit(InitName(value), &parsed));
    EXPECT_EQ(parsed, value);
  }
  for (EvalStats value : {EvalStats::kRunning, EvalStats::kPopulation}) {
    EvalStats parsed = EvalStats::kRunning;
    ASSERT_TRUE(ParseEvalStats(EvalStatsName(value), &parsed));
    EXPECT_EQ(parsed, value);
  }
  ActivationKind kind = ActivationKind::kTanh;
  EXPECT_FALSE(ParseActivation("Sigmoid", &kind));  // names are exact
  EXPECT_EQ(kind, ActivationKind::kTanh);           // and a failed parse changes nothing
}

TEST(Config, SaturationFollowsTheTable) {
  EXPECT_TRUE(IsSaturated(ActivationKind::kSigmoid, 4.01));
  EXPECT_TRUE(IsSaturated(ActivationKind::kSigmoid, -4.01));
  EXPECT_FALSE(IsSaturated(ActivationKind::kSigmoid, 3.99));
  EXPECT_TRUE(IsSaturated(ActivationKind::kTanh, -2.01));
  EXPECT_FALSE(IsSaturated(ActivationKind::kTanh, 1.99));
  EXPECT_TRUE(IsSaturated(ActivationKind::kRelu, 0.0));
  EXPECT_TRUE(IsSaturated(ActivationKind::kRelu, -50.0));
  EXPECT_FALSE(IsSaturated(ActivationKind::kRelu, 1e-9));
  EXPECT_FALSE(IsSaturated(ActivationKind::kRelu, 50.0));  // one-sided
  EXPECT_DOUBLE_EQ(InfoOf(ActivationKind::kTanh).threshold, 2.0);
  EXPECT_STREQ(InfoOf(ActivationKind::kSigmoid).zone, "|z| > 4");
}

}  // namespace
}  // namespace bnlab
