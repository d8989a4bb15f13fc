// Does BN work best at moderate batch sizes (the seed's "50-100")? The batch-size sweep in the
// background: the twins at m = 2…1024 on the same samples, under the same lr and under lr ∝ m;
// test accuracy and the train-test gap against m, and what the numbers say.
#include "app/views/batch_sweep/batch_sweep_panel.h"

#include "app/shell/theme.h"
#include "app/views/panel_util.h"
#include "plot/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

const char* RuleLabel(LrRule rule) { return rule == LrRule::kSame ? "same lr" : "lr \u221d m"; }

void Rebuild(const std::shared_ptr<const BatchSweepResult>& result, BatchSweepCache& cache) {
  cache.result = result;
  cache.batch.clear();
  cache.curves.clear();
  if (!result) return;
  for (int m : result->options.batch_sizes) cache.batch.push_back(m);
  float test_lo = 100.0f, test_hi = 0.0f, gap_lo = 0.0f, gap_hi = 1.0f;
  for (LrRule rule : result->options.rules) {
    for (NetId id : kNets) {
      const std::vector<const BatchSweepRow*> rows = SweepCurve(*result, rule, id);
      if (rows.empty()) continue;
      SweepCurveSeries series;
      series.rule = rule;
      series.column = id;
      series.variant = rows.front()->variant;
      series.label = std::string(VariantTitle(series.variant)) + ", " + RuleLabel(rule) + "###" +
                     VariantLabel(series.variant) + "-" + LrRuleName(rule);
      for (const BatchSweepRow* row : rows) {
        const float test = static_cast<float>(100.0 * row->test_mean),
                    test_std = static_cast<float>(100.0 * row->test_std);
        const float gap = static_cast<float>(100.0 * row->gap_mean), gap_std = static_cast<float>(100.0 * row->gap_std);
        series.test.push_back(test);
        series.test_lo.push_back(test - test_std);
        series.test_hi.push_back(test + test_std);
        series.gap.push_back(gap);
        series.gap_lo.push_back(gap - gap_std);
        series.gap_hi.push_back(gap + gap_std);
        test_lo = std::min(test_lo, test - test_std);
        test_hi = std::max(test_hi, test + test_std);
        gap_lo = std::min(gap_lo, gap - gap_std);
        gap_hi = std::max(gap_hi, gap + gap_std);
      }
      cache.curves.push_back(std::move(series));
    }
  }
  // The key is a line above the plots, so the curves get the whole height.
  cache.test_lo = std::max(0.0, std::floor(test_lo / 10.0) * 10.0);
  cache.test_hi = std::min(100.0, std::ceil(test_hi + 1.0));
  cache.gap_lo = std::floor(gap_lo);
  cache.gap_hi = std::ceil(gap_hi + 0.5);
  cache.verdict = JudgeBatchSweep(*result);
}

void PlotCurves(const BatchSweepCache& cache, bool gap) {
  const int n = static_cast<int>(cache.batch.size());
  plot::PlotShadedX(kModerateBatchLo, kModerateBatchHi, Ink(28));
  for (const SweepCurveSeries& series : cache.curves) {
    const ImU32 color = VariantColor(series.variant);
    const std::vector<float>& lo = gap ? series.gap_lo : series.test_lo;
    const std::vector<float>& hi = gap ? series.gap_hi : series.test_hi;
    const std::vector<float>& mean = gap ? series.gap : series.test;
    plot::PlotBand(series.label.c_str(), cache.batch.data(), lo.data(), hi.data(), n,
                   WithAlpha(color, series.rule == LrRule::kSame ? 50 : 30));
    if (series.rule == LrRule::kScaled) plot::SetNextLineStyle(plot::LineStyle_Dashed);
    plot::PlotLine(series.label.c_str(), cache.batch.data(), mean.data(), n, color, 3.0f);
  }
}

void TooltipTable(const BatchSweepCache& cache, bool gap) {
  ImGuiTextBuffer table;
  for (const SweepCurveSeries& series : cache.curves) {
    const std::size_t hash = series.label.find("###");
    table.appendf("\n%s:", series.label.substr(0, hash).c_str());
    for (std::size_t i = 0; i < cache.batch.size(); ++i) {
      const float mean = gap ? series.gap[i] : series.test[i];
      const float half = gap ? series.gap_hi[i] - series.gap[i] : series.test_hi[i] - series.test[i];
      table.appendf(" %.0f: %.1f\u00b1%.1f", cache.batch[i], mean, half);
    }
  }
  const BatchSweepOptions& o = cache.result->options;
  plot::SetTitleTooltip(
      "%s against the batch size m, each m trained on the same %lld samples (%d epochs of %d training images), "
      "in eval mode with the population statistics. Line: the mean over %d seeds; band: \u00b1 one std over "
      "them. Solid: the same lr %.3g at every m; dashed: lr = m \u00b7 %.3g/%d, at most %.3g (the linear scaling "
      "rule). Shaded: m = 50-100, the seed's range.\n%s",
      gap ? "Train accuracy minus test accuracy (points)" : "Test accuracy (%)",
      static_cast<long long>(o.epochs) * o.train_subset, o.epochs, o.train_subset, o.seeds, cache.result->base_lr,
      cache.result->base_lr, o.reference_batch, o.lr_cap, table.c_str());
}

// One plot against m: the test accuracy or (`gap`) the train-test gap.
void DrawPlot(const BatchSweepCache& cache, bool gap, const ImVec2& size) {
  const char* title =
      gap ? "Train \u2212 test gap vs batch size###sweep_gap" : "Test accuracy vs batch size###sweep_test";
  if (!plot::BeginPlot(title, size, plot::PlotFlags_NoLegend)) return;
  plot::SetupAxes("batch size m", gap ? "gap, points" : "test accuracy %", plot::AxisFlags_Log);
  plot::SetupAxisLimits(plot::Axis_X, cache.batch.front() / 1.3, cache.batch.back() * 1.3);
  plot::SetupAxisLimits(plot::Axis_Y, gap ? cache.gap_lo : cache.test_lo, gap ? cache.gap_hi : cache.test_hi);
  PlotCurves(cache, gap);
  TooltipTable(cache, gap);
  plot::EndPlot();
}

void DrawPlots(const BatchSweepCache& cache, const ImVec2& size) {
  if (cache.batch.empty()) return;
  const ImVec2 each((size.x - ImGui::GetStyle().ItemSpacing.x) * 0.5f, size.y);
  DrawPlot(cache, false, each);
  ImGui::SameLine();
  DrawPlot(cache, true, each);
}

// One line in place of a legend: each net's name in its colour, the rules' dashes, the shaded range.
void DrawKey(const BatchSweepCache& cache) {
  bool first = true;
  for (const SweepCurveSeries& series : cache.curves) {
    if (series.rule != LrRule::kSame) continue;
    if (!first) ImGui::SameLine();
    first = false;
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(VariantColor(series.variant)), "%s",
                       VariantTitle(series.variant));
  }
  const BatchSweepOptions& o = cache.result->options;
  char rules[160];
  std::snprintf(rules, sizeof(rules),
                "solid: lr %.3g at every m; dashed: lr = m\u00b7%.3g/%d; band: \u00b1 std; grey: m = 50-100",
                cache.result->base_lr, cache.result->base_lr, o.reference_batch);
  if (!first) ImGui::SameLine();
  ImGui::TextDisabled("%s", rules);
}

void DrawRunControls(const BatchSweepView& sweep, Session& session, BatchSweepCache& cache) {
  const float line_end = ImGui::GetContentRegionAvail().x;
  if (sweep.running) {
    const float cancel_width = ImGui::CalcTextSize("Cancel").x + 2.0f * ImGui::GetStyle().FramePadding.x;
    const double elapsed = ImGui::GetTime() - cache.run_started;
    char progress[96];
    if (sweep.done > 0) {
      const double left = elapsed / sweep.done * (sweep.total - sweep.done);
      std::snprintf(progress, sizeof(progress), "%d of %d runs, about %.0f s left", sweep.done, sweep.total, left);
    } else {
      std::snprintf(progress, sizeof(progress), "%d of %d runs, %.0f s so far", sweep.done, sweep.total, elapsed);
    }
    ImGui::ProgressBar(static_cast<float>(sweep.done) / static_cast<float>(std::max(sweep.total, 1)),
                       ImVec2(std::min(line_end - cancel_width - ImGui::GetStyle().ItemSpacing.x, Px(520.0f)), 0.0f),
                       progress);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) session.Send(cmd::CancelBatchSweep{});
    HintBeside(Px(12.0f), "Training slows meanwhile: the runs use both cores.");
  } else {
    if (ImGui::Button(sweep.result ? "Run again" : "Run the sweep")) {
      session.Send(cmd::RunBatchSweep{});
    }
    const BatchSweepOptions& o = sweep.options;
    const int runs = o.seeds * static_cast<int>(o.rules.size() * o.batch_sizes.size());
    if (cache.last_duration > 0.0) {
      HintBeside(Px(12.0f), "The last run took %.0f s; training slows meanwhile (both cores).", cache.last_duration);
    } else {
      HintBeside(Px(12.0f), "%d runs: about 1-3 minutes; training slows meanwhile (both cores).", runs);
    }
  }
}

}  // namespace

void DrawBatchSweepPanel(const Snapshot& snapshot, Session& session, BatchSweepCache& cache, const ImVec2& size) {
  const BatchSweepView& sweep = snapshot.batch_sweep;
  const double now = ImGui::GetTime();
  if (sweep.running && !cache.was_running) cache.run_started = now;
  if (!sweep.running && cache.was_running && sweep.error.empty() && sweep.result && !sweep.result->cancelled) {
    cache.last_duration = now - cache.run_started;
  }
  cache.was_running = sweep.running;
  if (sweep.result != cache.result) Rebuild(sweep.result, cache);

  ImGui::BeginChild("##batch_sweep", size, false, ImGuiWindowFlags_NoScrollbar);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushFont(BigFont());
  ImGui::TextUnformatted("Which batch size trains BN best?");
  ImGui::PopFont();
  DrawRunControls(sweep, session, cache);
  if (!sweep.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kAlarmColor));
    TextWrappedAtSpaces("The sweep could not run: %s", sweep.error.c_str());
    ImGui::PopStyleColor();
  }
  const std::shared_ptr<const BatchSweepResult>& result = cache.result;
  if (!result || result->cancelled) {
    // Before the first run: what a run would be, on the data and settings now.
    const BatchSweepOptions o = sweep.running || sweep.result || !snapshot.dataset
                                    ? sweep.options
                                    : GuiBatchSweepOptions(*snapshot.dataset, snapshot.config);
    ImGui::TextDisabled(
        "The seed says BN works best for batches of 50-100. Here both nets train at m = 2 to %d, every m on the same "
        "%lld samples (%d epochs of %d images), %d seeds each, under two learning-rate rules: the same lr at every m, "
        "and lr = m \u00b7 lr/%d (Masters & Luschi 2018; capped at %.3g). Press Run, then compare the test accuracy "
        "and the train\u2212test gap across m.",
        o.batch_sizes.empty() ? 0 : o.batch_sizes.back(), static_cast<long long>(o.epochs) * o.train_subset, o.epochs,
        o.train_subset, o.seeds, o.reference_batch, o.lr_cap);
    if (result && result->cancelled) ImGui::TextDisabled("The last run was cancelled: no figures.");
    ImGui::PopTextWrapPos();
    ImGui::EndChild();
    return;
  }
  // The verdict below the plots, measured first so the plots get the rest of the height.
  const float width = ImGui::GetContentRegionAvail().x;
  const float verdict_height = ImGui::CalcTextSize(cache.verdict.summary.c_str(), nullptr, false, width).y +
                               ImGui::CalcTextSize(cache.verdict.moderate_text.c_str(), nullptr, false, width).y +
                               3.0f * ImGui::GetStyle().ItemSpacing.y;
  DrawKey(cache);
  // Never below six lines: beside a pause caption's bar at 1280x720 x 1.5 the plots take that
  // much and the verdict still fits under them.
  const float plot_height = std::max(ImGui::GetContentRegionAvail().y - verdict_height, 6.0f * ImGui::GetFontSize());
  DrawPlots(cache, ImVec2(width, plot_height));
  ImGui::TextUnformatted(cache.verdict.summary.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kCautionColor));
  ImGui::TextUnformatted(cache.verdict.moderate_text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
}

}  // namespace bnlab
