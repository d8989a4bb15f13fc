// Train vs eval: what happens at test time? For one BN unit, the μ_B and σ²_B each training
// step used against the running averages and the exact population statistics; the BN net's
// test accuracy when BN normalizes with test batches' own statistics, the running ones or the
// population ones; and BN at test time as the fixed line y = a·x + c (statistics.cpp).
#include "app/views/train_eval/train_eval_panel.h"

#include "app/views/inside_bn/inside_bn_panel.h"
#include "app/views/noise/noise_panel.h"  // HashBytes
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace bnlab {
namespace {

constexpr ImU32 kBatchAccuracyColor = IM_COL32(120, 220, 230, 255);  // cyan: test batches' own statistics

// `history` at `step`, joined linearly between two measurements; NaN before the first and after
// the last (the nets move on after a measurement: holding it would draw a stale value as now).
float JoinedValue(const History& history, double step, std::size_t* cursor) {
  const History::Column<double> xs = history.x();
  while (*cursor < xs.size() && xs[*cursor] < step) ++*cursor;
  if (*cursor >= xs.size()) return std::numeric_limits<float>::quiet_NaN();
  if (xs[*cursor] == step) return history.y()[*cursor];
  if (*cursor == 0) return std::numeric_limits<float>::quiet_NaN();
  const double x0 = xs[*cursor - 1], x1 = xs[*cursor];
  const double t = (step - x0) / (x1 - x0);
  return static_cast<float>((1.0 - t) * history.y()[*cursor - 1] + t * history.y()[*cursor]);
}

void Limits(const std::vector<float>& a, const std::vector<float>& b, const std::vector<float>& c,
            const std::vector<float>& d, double* lo, double* hi) {
  double min_v = HUGE_VAL, max_v = -HUGE_VAL;
  for (const std::vector<float>* series : {&a, &b, &c, &d}) {
    for (float v : *series) {
      if (!std::isfinite(v)) continue;
      min_v = std::min(min_v, static_cast<double>(v)), max_v = std::max(max_v, static_cast<double>(v));
    }
  }
  if (!(min_v <= max_v)) min_v = -1.0, max_v = 1.0;
  const double range = std::max(max_v - min_v, 1e-4);
  *lo = min_v - 0.05 * range;
  *hi = max_v + 0.45 * range;  // the legend's room
}

void BuildTraceCache(const Snapshot& snapshot, TrainEvalCache& cache) {
  const int layer = snapshot.bn_layer;
  const TestTimeView& t = snapshot.test_time;
  const bool has = layer < static_cast<int>(snapshot.noise.traces.size()) &&
                   snapshot.noise.traces[static_cast<std::size_t>(layer)].size() > 0;
  const History* pop_mean = layer < static_cast<int>(t.population_mean.size())
                                ? &t.population_mean[static_cast<std::size_t>(layer)]
                                : nullptr;
  const History* pop_var =
      layer < static_cast<int>(t.population_var.size()) ? &t.population_var[static_cast<std::size_t>(layer)] : nullptr;
  std::uint64_t key = HashBytes(kHashSeed, &snapshot.generation, sizeof(snapshot.generation));
  key = HashBytes(key, &layer, sizeof(layer));
  if (has) {
    const UnitTrace& trace = snapshot.noise.traces[static_cast<std::size_t>(layer)];
    const std::size_t size = trace.size();
    key = HashBytes(key, &size, sizeof(size));
    key = HashBytes(key, &trace.step.back(), sizeof(double));
  }
  const std::size_t pop_size = pop_mean ? pop_mean->size() : 0;
  const double pop_last = pop_mean ? pop_mean->last_x() : 0.0;
  key = HashBytes(key, &pop_size, sizeof(pop_size));
  key = HashBytes(key, &pop_last, sizeof(pop_last));
  if (key == cache.trace_key && has == cache.has_trace) return;
  cache.trace_key = key;
  cache.has_trace = has;
  if (!has) return;
  const UnitTrace& trace = snapshot.noise.traces[static_cast<std::size_t>(layer)];
  const std::size_t n = trace.size();
  cache.trace_step.assign(trace.step.begin(), trace.step.end());
  for (std::vector<float>* v : {&cache.population_mean, &cache.mean_band_lo, &cache.mean_band_hi, &cache.population_var,
                                &cache.var_band_lo, &cache.var_band_hi}) {
    v->assign(n, std::numeric_limits<float>::quiet_NaN());
  }
  cache.has_population = pop_mean && pop_var && !pop_mean->empty() && !pop_var->empty();
  const int train_size = snapshot.dataset ? snapshot.dataset->train_size() : 0;
  std::size_t mean_cursor = 0, var_cursor = 0;
  for (std::size_t i = 0; cache.has_population && i < n; ++i) {
    const double mean = JoinedValue(*pop_mean, trace.step[i], &mean_cursor);
    const double var = JoinedValue(*pop_var, trace.step[i], &var_cursor);
    const double m = std::max(trace.batch_size[i], 1);
    // μ_B of m samples drawn without replacement from N: std σ·√((1 − m/N)/m).
    const double fraction = train_size > 0 ? m / train_size : 0.0;
    const double mean_half = std::sqrt(std::max(var, 0.0) * std::max(1.0 - fraction, 0.0) / m);
    cache.population_mean[i] = static_cast<float>(mean);
    cache.mean_band_lo[i] = static_cast<float>(mean - mean_half);
    cache.mean_band_hi[i] = static_cast<float>(mean + mean_half);
    // The biased σ²_B of m Gaussian samples: mean (m−1)/m·σ², std σ²·√(2(m−1))/m.
    const double centre = (m - 1.0) / m * var;
    const double var_half = var * std::sqrt(2.0 * (m - 1.0)) / m;
    cache.population_var[i] = static_cast<float>(var);
    cache.var_band_lo[i] = static_cast<float>(centre - var_half);
    cache.var_band_hi[i] = static_cast<float>(centre + var_half);
  }
  Limits(trace.batch_mean, trace.running_mean, cache.population_mean, cache.population_mean, &cache.mean_lo,
         &cache.mean_hi);
  Limits(trace.batch_var, trace.running_var, cache.population_var, cache.population_var, &cache.var_lo, &cache.var_hi);
  cache.var_lo = std::max(cache.var_lo, 0.0);
}

// What the gap between the three accuracies (lo to hi, in per cent) says: under them, or on
// hovering them (`on_hover`, when `hovered`).
void DrawAccuracyGap(const Snapshot& snapshot, double lo, double hi, bool on_hover, bool hovered) {
  const TestTimeView& t = snapshot.test_time;
  // The gap between the highest and the lowest is one only beyond the spread of their last
  // measurements (session/verdict.h: the one rule).
  const History* histories[] = {&t.test_acc_batch, &t.test_acc_running, &t.test_acc_population};
  const double accuracies[] = {t.acc_batch, t.acc_running, t.acc_population};
  std::size_t highest = 0, lowest = 0;
  for (std::size_t i = 1; i < 3; ++i) {
    if (accuracies[i] > accuracies[highest]) highest = i;
    if (accuracies[i] < accuracies[lowest]) lowest = i;
  }
  // As the test-time verdict in the header: no call before each of the three has a spread (the
  // population pass is the slow one), so the two never disagree.
  bool known = true;
  for (const History* history : histories) known = known && std::isfinite(RecentSpread(*history));
  const double spread =
      known ? 100.0 * SpreadOfDifference(RecentSpread(*histories[highest]), RecentSpread(*histories[lowest]))
            : HUGE_VAL;
  const double gap = std::round(10.0 * hi) / 10.0 - std::round(10.0 * lo) / 10.0;
  char sentence[320];
  if (!std::isfinite(spread)) {
    std::snprintf(
        sentence, sizeof(sentence),
        "At step %s, BN's test accuracy by the statistics it normalizes with: %.1f points between the three, too "
        "few measurements yet to tell a difference from noise.",
        GroupedSteps(t.modes_step).c_str(), gap);
  } else if (!Differ(std::round(10.0 * hi) / 10.0, std::round(10.0 * lo) / 10.0, spread)) {
    std::snprintf(
        sentence, sizeof(sentence),
        "At step %s, BN's test accuracy by the statistics it normalizes with: the three are about the same (%.1f "
        "points apart, within the spread of their last measurements).",
        GroupedSteps(t.modes_step).c_str(), gap);
  } else {
    // The number first: ImGui wraps after a '.', which would split "19.3".
    std::snprintf(sentence, sizeof(sentence),
                  "%.1f points between the three at step %s: BN's test accuracy depends on the statistics it "
                  "normalizes with. Batch stats: test batches of m = %d normalized with their own \u03bc_B, "
                  "\u03c3\u00b2_B, as in training.",
                  gap, GroupedSteps(t.modes_step).c_str(), snapshot.config.batch_size);
  }
  if (!on_hover) TextWrappedAtSpaces("%s", sentence);
  else if (hovered) ImGui::SetTooltip("%s", sentence);
}

// The three accuracies now, coloured as their lines (large where `big`), and what the gap
// between them says (on hovering them where `gap_on_hover`: a view too short for its plots
// otherwise).
void DrawAccuracyNumbers(const Snapshot& snapshot, bool big, bool gap_on_hover) {
  const TestTimeView& t = snapshot.test_time;
  // The three from one step (measured together), never a fresh one beside a stale one.
  struct Mode {
    const char* name;
    double accuracy;
    ImU32 color;
  } modes[] = {{"batch stats", t.acc_batch, kBatchAccuracyColor},
               {"running", t.acc_running, kRunningStatsColor},
               {"population", t.acc_population, kPopulationStatsColor}};
  // The three come from the slow population pass, so they may be older than the curves below:
  // then they are grey, and their step, at the same size, says how old.
  const bool current = t.test_acc_running.empty() || t.modes_step >= static_cast<long>(t.test_acc_running.last_x());
  ImGui::PushFont(big ? BigFont() : ImGui::GetFont());
  ImGui::BeginGroup();
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  bool first = true;
  const float right_edge = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  for (const Mode& mode : modes) {
    if (t.modes_step < 0) break;
    const double value = 100.0 * mode.accuracy;
    lo = std::min(lo, value), hi = std::max(hi, value);
    char text[48];
    std::snprintf(text, sizeof(text), "%s %.1f%%", mode.name, value);
    // On the same line while it fits (projector sizes, narrow windows: one per line).
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float needed = 2.0f * spacing + ImGui::CalcTextSize("\u00b7").x + ImGui::CalcTextSize(text).x;
    if (!first && ImGui::GetItemRectMax().x + needed <= right_edge) {
      ImGui::SameLine();
      ImGui::TextDisabled("\u00b7");
      ImGui::SameLine();
    }
    first = false;
    ImGui::PushStyleColor(ImGuiCol_Text, current ? ImGui::ColorConvertU32ToFloat4(mode.color)
                                                 : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
  }
  if (!first) {
    char when[48];
    std::snprintf(when, sizeof(when), "at step %s", GroupedSteps(t.modes_step).c_str());
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    if (ImGui::GetItemRectMax().x + 2.0f * spacing + ImGui::CalcTextSize(when).x <= right_edge) ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, current ? ImGui::GetStyleColorVec4(ImGuiCol_Text)
                                                 : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(when);
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered() && !current) {
      ImGui::SetTooltip("A newer measurement is on its way: the population pass runs every few seconds.");
    }
  }
  if (first) ImGui::TextDisabled("test accuracy: measuring\u2026");
  ImGui::EndGroup();
  const bool numbers_hovered = ImGui::IsItemHovered();
  ImGui::PopFont();
  if (first || !(lo <= hi)) return;
  DrawAccuracyGap(snapshot, lo, hi, gap_on_hover, numbers_hovered);
}

void DrawAccuracyPlot(const Snapshot& snapshot, const UiState& ui, const ImVec2& size) {
  const TestTimeView& t = snapshot.test_time;
  if (!plot::BeginPlot("BN net's test accuracy by the statistics BN uses###acc3", size)) return;
  plot::SetupAxes("step", "test accuracy", StepAxisFlags(ui));
  const History& running = t.test_acc_running;
  if (!running.empty()) SetupStepLimits(ui, running.x().front(), running.x().back());
  plot::SetTitleTooltip(
      "The BN net classifies the test set three ways. Batch statistics: in test batches of m = %d, each normalized "
      "with its own \u03bc_B and \u03c3\u00b2_B, as if the net never switched to eval mode. Running: with the moving "
      "averages kept during training (momentum %.3f), the usual eval mode. Population: with the exact mean and "
      "variance over the whole training set. Measured while this view is open.",
      snapshot.config.batch_size, snapshot.config.net.bn_momentum);
  // One word each (the title says "by the statistics BN uses"): the legend fits one line above.
  PlotHistoryLine("batch###batch", t.test_acc_batch, kBatchAccuracyColor, 2.5f);
  PlotHistoryLine("running###running", t.test_acc_running, kRunningStatsColor, 2.5f);
  PlotHistoryLine("population###population", t.test_acc_population, kPopulationStatsColor, 2.5f);
  if (t.test_acc_batch.empty() && t.test_acc_population.empty()) {
    PlotNote(0, ImGui::GetColorU32(ImGuiCol_TextDisabled),
             "measured from the next evaluation on, while this view is open");
  }
  PlotChangeMarkers(snapshot);
  plot::EndPlot();
}

}  // namespace

void DrawTrainEvalPanel(const Snapshot& snapshot, UiState& ui, Session& session, TrainEvalCache& cache,
                        const ImVec2& size) {
  ImGui::BeginChild("##train_eval_panel", size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (DrawNeedsBnColumn(snapshot, ImGui::GetContentRegionAvail())) {
    ImGui::EndChild();
    return;
  }
  BuildTraceCache(snapshot, cache);
  DrawBnLayerUnitSelectors(snapshot, session);
  // Where it fits (the accuracy plot's tooltip says it too).
  HintBeside(Px(24.0f), "m = %d \u00b7 BN momentum %.3f (slider in the controls)", snapshot.config.batch_size,
             snapshot.config.net.bn_momentum);
  // In a short view (a projector's large UI scale) the three numbers take one line at the body
  // size, not two at the large one, and leave the plots their height.
  DrawAccuracyNumbers(snapshot, size.y >= 24.0f * ImGui::GetTextLineHeight(),
                      size.y < 15.0f * ImGui::GetTextLineHeight());

  // Two by two where they fit (the statistics left, the accuracy and eval mode right); on a
  // projector's large UI scale fewer columns or rows, and the others on further pages.
  constexpr int kPlots = 4;
  const GridPage grid = DrawGridPager(kPlots, 2, ImVec2(Px(340.0f), Px(190.0f)), "plot", "plots",
                                      &ui.view_page[static_cast<std::size_t>(View::kTrainEval)]);
  const ImVec2 cell(grid.cell_width, grid.cell_height);
  for (int i = grid.first; i < grid.first + grid.count; ++i) {
    if ((i - grid.first) % grid.columns != 0) ImGui::SameLine();
    switch (i) {
      case 0: DrawBatchMeanPlot(snapshot, cache, cell); break;
      case 1: DrawAccuracyPlot(snapshot, ui, cell); break;
      case 2: DrawBatchVariancePlot(snapshot, cache, cell); break;
      default: DrawFoldedMapPlot(snapshot, cache, cell); break;
    }
  }
  ImGui::EndChild();
}

}  // namespace bnlab
