#include "engine/batch_sweep_verdict.h"

#include "engine/differ.h"
#include "engine/variant.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

bool Moderate(int m) { return m >= kModerateBatchLo && m <= kModerateBatchHi; }

// std over seeds as a spread; unknown (HUGE_VAL) with one seed, so that no difference is called.
double SeedSpread(const BatchSweepRow& row) { return row.test_accuracy.size() >= 2 ? row.test_std : HUGE_VAL; }

const char* RuleText(LrRule rule) { return rule == LrRule::kSame ? "the same lr at every m" : "lr scaled with m"; }

SweepCurveVerdict JudgeCurve(const std::vector<const BatchSweepRow*>& curve, const std::vector<int>& sizes) {
  SweepCurveVerdict verdict;
  const BatchSweepRow* best = curve.front();
  for (const BatchSweepRow* row : curve) {
    if (row->test_mean > best->test_mean) best = row;
  }
  verdict.rule = best->rule;
  verdict.column = best->column;
  verdict.net = VariantTitle(best->variant);
  verdict.best_batch = best->batch_size;
  verdict.best_test = best->test_mean;
  for (const BatchSweepRow* row : curve) {
    const double spread = SpreadOfDifference(SeedSpread(*best), SeedSpread(*row));
    if (!Differ(best->test_mean, row->test_mean, spread)) verdict.tied.push_back(row->batch_size);
  }
  char text[320];
  if (verdict.tied.size() == 1) {
    std::snprintf(text, sizeof(text),
                  "%s, %s: best at m = %d (%.1f%% test accuracy), ahead of every other m by "
                  "more than the seeds' spread.",
                  verdict.net.c_str(), RuleText(verdict.rule), best->batch_size, 100.0 * best->test_mean);
  } else {
    std::snprintf(text, sizeof(text),
                  "%s, %s: best at m = %d (%.1f%% test accuracy); within the seeds' spread of "
                  "it: m = %s.",
                  verdict.net.c_str(), RuleText(verdict.rule), best->batch_size, 100.0 * best->test_mean,
                  BatchRangeText(verdict.tied, sizes).c_str());
  }
  verdict.text = text;
  return verdict;
}

ModerateFinding Find(const SweepCurveVerdict& curve, const std::vector<int>& sizes, int seeds) {
  if (seeds < 2 || std::none_of(sizes.begin(), sizes.end(), Moderate)) return ModerateFinding::kUntested;
  const bool moderate_best = std::any_of(curve.tied.begin(), curve.tied.end(), Moderate);
  const bool other_best = !std::all_of(curve.tied.begin(), curve.tied.end(), Moderate);
  if (!moderate_best) return ModerateFinding::kContradicted;
  return other_best ? ModerateFinding::kNotSingledOut : ModerateFinding::kSupported;
}

std::string FindingText(ModerateFinding finding, const SweepCurveVerdict& curve, const std::vector<int>& sizes) {
  std::vector<int> moderate, outside;
  for (int m : curve.tied) (Moderate(m) ? moderate : outside).push_back(m);
  switch (finding) {
    case ModerateFinding::kSupported:
      return "supported: m = " + BatchRangeText(moderate, sizes) + " beat every other size by more than the spread";
    case ModerateFinding::kNotSingledOut:
      return "not singled out: m = " + BatchRangeText(moderate, sizes) +
             " ties with m = " + BatchRangeText(outside, sizes) + " within the spread";
    case ModerateFinding::kContradicted:
      return "contradicted: the best are m = " + BatchRangeText(curve.tied, sizes) +
             ", and every size in 50-100 is behind them by more than the spread";
    case ModerateFinding::kUntested: break;
  }
  return "not tested";
}

}  // namespace

std::string BatchRangeText(const std::vector<int>& chosen, const std::vector<int>& sizes) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i < chosen.size()) {
    // Extend the run while the next chosen size is the sweep's next size.
    std::size_t j = i;
    while (j + 1 < chosen.size()) {
      const auto at = std::find(sizes.begin(), sizes.end(), chosen[j]);
      if (at == sizes.end() || at + 1 == sizes.end() || *(at + 1) != chosen[j + 1]) break;
      ++j;
    }
    parts.push_back(j == i ? std::to_string(chosen[i]) : std::to_string(chosen[i]) + "-" + std::to_string(chosen[j]));
    i = j + 1;
  }
  std::string text;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) text += k + 1 == parts.size() ? " and " : ", ";
    text += parts[k];
  }
  return text;
}

BatchSweepVerdict JudgeBatchSweep(const BatchSweepResult& result) {
  BatchSweepVerdict verdict;
  if (result.cancelled) {
    verdict.text = verdict.moderate_text = "Cancelled: no verdict.";
    return verdict;
  }
  const std::vector<int>& sizes = result.options.batch_sizes;
  for (LrRule rule : result.options.rules) {
    for (NetId id : kNets) {
      const std::vector<const BatchSweepRow*> curve = SweepCurve(result, rule, id);
      if (!curve.empty()) verdict.curves.push_back(JudgeCurve(curve, sizes));
    }
  }
  if (verdict.curves.empty()) {
    verdict.text = verdict.moderate_text = "No runs: no verdict.";
    return verdict;
  }
  // The claim is about BN: the column with batch statistics (the right one when both have them).
  std::vector<const SweepCurveVerdict*> statistics_curves;
  for (NetId id : {NetId::kRight, NetId::kLeft}) {
    for (const SweepCurveVerdict& curve : verdict.curves) {
      if (curve.column == id && UsesBatchStatistics(SweepCurve(result, curve.rule, id).front()->variant)) {
        statistics_curves.push_back(&curve);
      }
    }
    if (!statistics_curves.empty()) break;
  }
  const int seeds = result.options.seeds;
  std::string sentence = "The seed's \"BN works best for batches of 50-100\": ";
  if (statistics_curves.empty()) {
    sentence += "not tested here, since neither net normalizes with batch statistics.";
  } else if (seeds < 2) {
    sentence += "not tested with one seed, which gives no spread to tell sizes apart; run two seeds or more.";
  } else if (std::none_of(sizes.begin(), sizes.end(), Moderate)) {
    sentence += "not tested, since no batch size of the sweep is in 50-100.";
  } else {
    std::vector<std::string> parts;
    bool same_everywhere = true;
    for (const SweepCurveVerdict* curve : statistics_curves) {
      const ModerateFinding finding = Find(*curve, sizes, seeds);
      verdict.moderate.emplace_back(curve->rule, finding);
      if (finding != verdict.moderate.front().second) same_everywhere = false;
      parts.push_back(std::string("with ") + RuleText(curve->rule) + ", " + FindingText(finding, *curve, sizes));
    }
    if (parts.size() > 1)
      sentence += same_everywhere ? "the same finding under both rules; " : "it depends on the rule; ";
    for (std::size_t k = 0; k < parts.size(); ++k) sentence += (k > 0 ? "; " : "") + parts[k];
    sentence += ".";
  }
  verdict.moderate_text = sentence;
  if (!statistics_curves.empty()) {
    verdict.summary = statistics_curves.front()->net + " best at m = ";
    for (std::size_t k = 0; k < statistics_curves.size(); ++k) {
      const SweepCurveVerdict& curve = *statistics_curves[k];
      verdict.summary += (k > 0 ? ", " : "") + BatchRangeText(curve.tied, sizes) + " (" +
                         (curve.rule == LrRule::kSame ? "same lr" : "lr scaled with m") + ")";
    }
    verdict.summary += seeds < 2 ? ": one seed, no spread to tell them apart" : ", within the seeds' spread";
  }
  for (const SweepCurveVerdict& curve : verdict.curves) verdict.text += curve.text + "\n";
  verdict.text += sentence;
  return verdict;
}

}  // namespace bnlab
