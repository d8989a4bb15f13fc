// The batch-size sweep's verdict at its boundaries: the best sizes within the seeds' spread
// through the one "differ" rule (a tie within the spread is a tie), and the sentence on the
// seed's "50-100" in each of its cases.
#include "engine/batch_sweep_verdict.h"

#include <gtest/gtest.h>

namespace bnlab {
namespace {

// One curve per rule for the BN net (and a flat plain net), from (m, test mean, test std).
struct Point {
  int m;
  double test, std;
};

BatchSweepResult Result(const std::vector<Point>& same, const std::vector<Point>& scaled, int seeds = 3) {
  BatchSweepResult result;
  result.options.seeds = seeds;
  result.options.batch_sizes.clear();
  for (const Point& p : same) result.options.batch_sizes.push_back(p.m);
  result.options.rules = {LrRule::kSame, LrRule::kScaled};
  for (LrRule rule : result.options.rules) {
    for (NetId id : kNets) {
      for (const Point& p : rule == LrRule::kSame ? same : scaled) {
        BatchSweepRow row;
        row.rule = rule;
        row.column = id;
        row.variant = id == NetId::kLeft ? VariantNamed("none") : VariantNamed("bn");
        row.net = VariantLabel(row.variant);
        row.batch_size = p.m;
        row.test_mean = id == NetId::kLeft ? 0.7 : p.test;
        row.test_std = id == NetId::kLeft ? 0.0 : p.std;
        row.test_accuracy.assign(static_cast<std::size_t>(seeds), row.test_mean);
        result.rows.push_back(row);
      }
    }
  }
  return result;
}

const SweepCurveVerdict& Bn(const BatchSweepVerdict& verdict, LrRule rule) {
  for (const SweepCurveVerdict& curve : verdict.curves) {
    if (curve.rule == rule && curve.column == NetId::kRight) return curve;
  }
  throw std::logic_error("no curve");
}

TEST(BatchSweepVerdict, ATieWithinTheSpreadIsATie) {
  // 0.875 − 0.25 = 0.625 = √(0.375² + 0.5²) exactly: not more than the spread, so a tie.
  BatchSweepVerdict verdict =
      JudgeBatchSweep(Result({{4, 0.875, 0.375}, {60, 0.25, 0.5}}, {{4, 0.5, 0.0}, {60, 0.5, 0.0}}));
  EXPECT_EQ(Bn(verdict, LrRule::kSame).best_batch, 4);
  EXPECT_EQ(Bn(verdict, LrRule::kSame).tied, (std::vector<int>{4, 60}));
  // A hair below: the two differ.
  verdict = JudgeBatchSweep(Result({{4, 0.875, 0.375}, {60, 0.2499, 0.5}}, {{4, 0.5, 0.0}, {60, 0.5, 0.0}}));
  EXPECT_EQ(Bn(verdict, LrRule::kSame).tied, (std::vector<int>{4}));
  EXPECT_NE(Bn(verdict, LrRule::kSame).text.find("ahead of every other m"), std::string::npos)
      << Bn(verdict, LrRule::kSame).text;
  // Equal figures without spread (the scaled curve): a tie, never a difference.
  EXPECT_EQ(Bn(verdict, LrRule::kScaled).tied, (std::vector<int>{4, 60}));
}

TEST(BatchSweepVerdict, TheSeedsClaimSupportedNotSingledOutOrContradicted) {
  const std::vector<Point> moderate_best = {{8, 0.70, 0.01}, {60, 0.80, 0.01}, {512, 0.72, 0.01}};
  const std::vector<Point> small_best = {{8, 0.82, 0.01}, {60, 0.75, 0.01}, {512, 0.70, 0.01}};
  const std::vector<Point> flat = {{8, 0.80, 0.01}, {60, 0.80, 0.01}, {512, 0.795, 0.01}};

  BatchSweepVerdict verdict = JudgeBatchSweep(Result(moderate_best, moderate_best));
  EXPECT_EQ(verdict.moderate[0].second, ModerateFinding::kSupported);
  EXPECT_NE(verdict.moderate_text.find("the same finding under both rules"), std::string::npos)
      << verdict.moderate_text;
  EXPECT_NE(verdict.moderate_text.find("supported: m = 60 beat every other size"), std::string::npos);

  verdict = JudgeBatchSweep(Result(flat, flat));
  EXPECT_EQ(verdict.moderate[0].second, ModerateFinding::kNotSingledOut);
  EXPECT_NE(verdict.moderate_text.find("m = 60 ties with m = 8 and 512"), std::string::npos) << verdict.moderate_text;

  verdict = JudgeBatchSweep(Result(moderate_best, small_best));
  EXPECT_EQ(verdict.moderate[0].second, ModerateFinding::kSupported);
  EXPECT_EQ(verdict.moderate[1].second, ModerateFinding::kContradicted);
  EXPECT_NE(verdict.moderate_text.find("it depends on the rule"), std::string::npos) << verdict.moderate_text;
  EXPECT_NE(verdict.moderate_text.find("with lr scaled with m, contradicted: the best are m = 8"), std::string::npos)
      << verdict.moderate_text;
  EXPECT_EQ(Bn(verdict, LrRule::kScaled).best_batch, 8);
}

TEST(BatchSweepVerdict, SaysWhenItCannotTellTheClaim) {
  const std::vector<Point> curve = {{8, 0.82, 0.0}, {60, 0.75, 0.0}};
  BatchSweepVerdict verdict = JudgeBatchSweep(Result(curve, curve, 1));
  EXPECT_NE(verdict.moderate_text.find("not tested with one seed"), std::string::npos) << verdict.moderate_text;
  EXPECT_EQ(Bn(verdict, LrRule::kSame).tied, (std::vector<int>{8, 60}));  // no spread: no difference
  const std::vector<Point> no_moderate = {{8, 0.82, 0.01}, {128, 0.75, 0.01}};
  verdict = JudgeBatchSweep(Result(no_moderate, no_moderate));
  EXPECT_NE(verdict.moderate_text.find("no batch size of the sweep is in 50-100"), std::string::npos);
  BatchSweepResult cancelled = Result(curve, curve);
  cancelled.cancelled = true;
  EXPECT_EQ(JudgeBatchSweep(cancelled).text, "Cancelled: no verdict.");
}

TEST(BatchSweepVerdict, RangesOfTheSweepsSizes) {
  const std::vector<int> sizes = {2, 4, 8, 16, 32, 60, 128};
  EXPECT_EQ(BatchRangeText({4, 8, 16}, sizes), "4-16");
  EXPECT_EQ(BatchRangeText({2, 8, 16, 60}, sizes), "2, 8-16 and 60");
  EXPECT_EQ(BatchRangeText({32}, sizes), "32");
}

}  // namespace
}  // namespace bnlab
