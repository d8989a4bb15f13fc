// Loss & accuracy: does BN train faster? Train and test loss, test accuracy, both nets on
// shared axes.
#include "app/views/loss/loss_smoothing.h"
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"
#include "plot/plot.h"
#include "session/verdict.h"  // GroupedSteps

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

// Halfway to white: the net's hue, but visibly not its main line.
ImU32 Pale(NetId id) { return LayerShade(id, 1, 2); }

// Dots on the line show where the test set was actually run, while there are few enough
// evaluations for dots to stay apart; beyond that they would merge into a beaded rope.
void PlotEvaluations(const char* label, const History& history, ImU32 color) {
  plot::SetNextLineStyle(plot::LineStyle_Dashed);
  PlotHistoryLine(label, history, color, 2.0f);
  if (static_cast<float>(history.size()) * Px(10.0f) > plot::GetPlotSize().x) return;
  PlotHistoryDots(label, history, color, 3.0f);
}

// Smoothed once per new snapshot (the cache), drawn every frame.
void PlotSmoothed(const char* label, const Snapshot& snapshot, const History& history, SmoothedHistoryCache& cache,
                  ImU32 color, float thickness) {
  cache.Update(snapshot.generation, history);
  const SmoothedSeries& smoothed = cache.series();
  const int n = static_cast<int>(smoothed.step.size());
  plot::PlotBand(label, smoothed.step.data(), smoothed.lo.data(), smoothed.hi.data(), n, WithAlpha(color, 40));
  plot::PlotLine(label, smoothed.step.data(), smoothed.mean.data(), n, color, thickness);
}

// Loss and accuracy share one step range: the first to the newest step either net has
// data for, so the two plots line up and a divergence step is always in view.
void SetupStepRange(const Snapshot& snapshot, const UiState& ui) {
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (const NetView& view : snapshot.nets) {
    for (const History* history : {&view.train_loss, &view.test_loss}) {
      if (history->empty()) continue;
      lo = std::min(lo, history->x().front());
      hi = std::max(hi, history->x().back());
    }
    if (view.diverged) hi = std::max(hi, static_cast<double>(view.diverged_at));
  }
  SetupStepLimits(ui, lo, hi);
}

// Before the second step there is one loss value per net (the same at initialization, as
// both start from the same weights): auto-fit would zoom into a range of 1e-5. Show a
// decade around it instead.
void SetupEarlyLossRange(const Snapshot& snapshot, const UiState& ui) {
  double top = 0.0;
  for (const NetView& view : snapshot.nets) {
    if (view.train_loss.size() > 1) return;
    for (const History* history : {&view.train_loss, &view.test_loss}) {
      for (float v : history->y()) {
        if (std::isfinite(v)) top = std::max(top, static_cast<double>(v));
      }
    }
  }
  if (!(top > 0.0)) return;
  if (ui.log_loss) {
    plot::SetupAxisLimits(plot::Axis_Y, top / 3.0, top * 3.0);
  } else {
    plot::SetupAxisLimits(plot::Axis_Y, 0.0, top * 1.5);
  }
}

const char* EvalStatsWords(const Snapshot& snapshot) {
  return snapshot.config.eval_stats == EvalStats::kPopulation ? "population statistics of the training set"
                                                              : "running statistics";
}

int TestSize(const Snapshot& snapshot) { return snapshot.dataset ? snapshot.dataset->test_size() : 0; }

// "0.123" or "-" when there is no value yet.
void FormatOr(char* buf, std::size_t size, bool has, const char* fmt, double value) {
  if (has) {
    std::snprintf(buf, size, fmt, value);
  } else {
    std::snprintf(buf, size, "-");
  }
}

void LossTooltip(const Snapshot& snapshot) {
  char numbers[2][2][32];
  for (NetId id : kNets) {
    const NetView& view = snapshot.net(id);
    const std::size_t n = static_cast<std::size_t>(id);
    FormatOr(numbers[n][0], sizeof(numbers[n][0]), !view.train_loss.empty(), "%.4f", view.last.loss);
    FormatOr(numbers[n][1], sizeof(numbers[n][1]), view.has_test, "%.4f", view.test.loss);
  }
  plot::SetTitleTooltip(
      "Cross-entropy of both nets. Thick line: on each training mini-batch (smoothed; the faint band spans "
      "the raw values). Thin line with dots: on the %d held-out test images.\n\n"
      "L = \u2212(1/m) \u03a3 log p_y, with p_y the probability the net gives the true class and m the number "
      "of images (the batch size, %d, for the training loss).\n\n"
      "The test loss is computed in eval mode: BN normalizes with its %s, not the batch's.\n\n"
      "Step %s\n%s:  train %s   test %s\n%s:  train %s   test %s",
      TestSize(snapshot), snapshot.config.batch_size, EvalStatsWords(snapshot), GroupedSteps(snapshot.step).c_str(),
      NetTitle(NetId::kLeft), numbers[0][0], numbers[0][1], NetTitle(NetId::kRight), numbers[1][0], numbers[1][1]);
}

void AccuracyTooltip(const Snapshot& snapshot, const UiState& ui) {
  char numbers[2][32];
  for (NetId id : kNets) {
    const NetView& view = snapshot.net(id);
    const std::size_t n = static_cast<std::size_t>(id);
    FormatOr(numbers[n], sizeof(numbers[n]), view.has_test, "%.1f%%", 100.0 * view.test.accuracy);
  }
  plot::SetTitleTooltip(
      "Share of the %d held-out test images whose arg-max class is the true one, evaluated in eval mode "
      "(BN uses its %s). The grey line is chance, 1/%d.%s\n\nStep %s\n%s:  %s\n%s:  %s",
      TestSize(snapshot), EvalStatsWords(snapshot), std::max(snapshot.config.net.num_classes, 1),
      ui.show_batch_accuracy ? "\n\nThin lines: share correct on each training mini-batch (training mode, smoothed)."
                             : "",
      GroupedSteps(snapshot.step).c_str(), NetTitle(NetId::kLeft), numbers[0], NetTitle(NetId::kRight), numbers[1]);
}

// The current test accuracies, large, in a row above the plot: never on top of a curve. As
// large as 1.6× the body text where the row has room, smaller (down to the body size) where not.
void DrawBigAccuracies(const Snapshot& snapshot, float width) {
  char texts[2][48];
  for (NetId id : kNets) {
    const NetView& view = snapshot.net(id);
    char* text = texts[static_cast<std::size_t>(id)];
    if (view.has_test) std::snprintf(text, 48, "%s %.1f%%", NetTitle(id), 100.0 * view.test.accuracy);
    else std::snprintf(text, 48, "%s", NetTitle(id));
  }
  const float gap = Px(24.0f);
  const float margin = Px(10.0f);
  // The texts scale, the gap and margin do not; and a text's width is not quite proportional
  // to its size (glyph advances are rounded), so the scale steps down until the row fits.
  float scale = 1.6f;
  const auto row_width = [&](float at) {
    return ScaledTextSize(at, texts[0]).x + ScaledTextSize(at, texts[1]).x + gap + margin;
  };
  if (row_width(scale) > width) {
    scale = std::max(1.0f, scale * (width - gap - margin) / (row_width(scale) - gap - margin));
    while (scale > 1.0f && row_width(scale) > width) scale = std::max(1.0f, scale - 0.02f);
  }
  const ImVec2 plain_size = ScaledTextSize(scale, texts[0]);
  const ImVec2 bn_size = ScaledTextSize(scale, texts[1]);
  // Side by side, right-aligned, BN last; one above the other where even that does not fit.
  const bool stacked = plain_size.x + bn_size.x + gap + margin > width;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(width, stacked ? plain_size.y + bn_size.y : std::max(plain_size.y, bn_size.y)));
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float bn_x = origin.x + width - bn_size.x - margin;
  if (stacked) {
    DrawScaledText(draw_list, ImVec2(origin.x + width - plain_size.x - margin, origin.y), scale, NetColor(NetId::kLeft),
                   texts[0]);
    DrawScaledText(draw_list, ImVec2(bn_x, origin.y + plain_size.y), scale, NetColor(NetId::kRight), texts[1]);
    return;
  }
  DrawScaledText(draw_list, ImVec2(bn_x, origin.y), scale, NetColor(NetId::kRight), texts[1]);
  DrawScaledText(draw_list, ImVec2(bn_x - gap - plain_size.x, origin.y), scale, NetColor(NetId::kLeft), texts[0]);
}

}  // namespace

void DrawLossPlot(const Snapshot& snapshot, const UiState& ui, LossViewCache& cache, const ImVec2& size) {
  // A short plot (dashboard in projector mode) cannot spare the four-row legend: the title
  // then says which line is which, and the colours are the nets' everywhere.
  const bool short_plot = size.y < Px(240.0f);
  // The longest title that fits the width.
  const char* title = "Cross-entropy loss###loss";
  if (short_plot) {
    title = "Loss###loss";
    for (const char* candidate : {"Loss: train (solid), test (dashed)###loss", "Loss (test dashed)###loss"}) {
      if (ImGui::CalcTextSize(candidate, nullptr, true).x + ImGui::CalcTextSize(" (?)").x < size.x) {
        title = candidate;
        break;
      }
    }
  }
  if (!plot::BeginPlot(title, size, short_plot ? plot::PlotFlags_NoLegend : 0)) return;
  plot::SetupAxes("step", ui.log_loss ? "loss (log)" : "loss", StepAxisFlags(ui),
                  ui.log_loss ? plot::AxisFlags_Log : plot::AxisFlags_AutoFitZero);
  SetupStepRange(snapshot, ui);
  SetupEarlyLossRange(snapshot, ui);
  LossTooltip(snapshot);
  for (NetId id : kNets) {
    const NetView& view = snapshot.net(id);
    char train_label[48], test_label[48];
    std::snprintf(train_label, sizeof(train_label), "%s train", NetTitle(id));
    std::snprintf(test_label, sizeof(test_label), "%s test", NetTitle(id));
    PlotSmoothed(train_label, snapshot, view.train_loss, cache.train_loss[static_cast<std::size_t>(id)], NetColor(id),
                 3.0f);
    // The net's own colour, dashed: the two test lines differ by hue as the train lines do.
    PlotEvaluations(test_label, view.test_loss, NetColor(id));
  }
  PlotChangeMarkers(snapshot);
  PlotDivergence(snapshot, 0);
  plot::EndPlot();
}

void DrawAccuracyPlot(const Snapshot& snapshot, const UiState& ui, LossViewCache& cache, const ImVec2& size) {
  // The big coloured numbers above the plot name the lines: no legend needed.
  ImGui::BeginGroup();
  DrawBigAccuracies(snapshot, size.x);
  const float below = size.y - ImGui::GetItemRectSize().y - ImGui::GetStyle().ItemSpacing.y;
  if (!plot::BeginPlot("Test accuracy##accuracy", ImVec2(size.x, std::max(below, 1.0f)), plot::PlotFlags_NoLegend)) {
    ImGui::EndGroup();
    return;
  }
  plot::SetupAxes("step", "share correct", StepAxisFlags(ui), 0);
  plot::SetupAxisLimits(plot::Axis_Y, 0.0, 1.0);
  SetupStepRange(snapshot, ui);
  AccuracyTooltip(snapshot, ui);
  const double chance = 1.0 / std::max(snapshot.config.net.num_classes, 1);
  plot::PlotHLine("##chance", chance, ReferenceColor(), 1.5f);
  for (NetId id : kNets) {
    const NetView& view = snapshot.net(id);
    if (ui.show_batch_accuracy) {
      char batch_label[48];
      std::snprintf(batch_label, sizeof(batch_label), "%s batch", NetTitle(id));
      PlotSmoothed(batch_label, snapshot, view.batch_accuracy, cache.batch_accuracy[static_cast<std::size_t>(id)],
                   Pale(id), 1.5f);
    }
    char label[48];
    std::snprintf(label, sizeof(label), "%s test", NetTitle(id));
    PlotHistoryLine(label, view.test_accuracy, NetColor(id), 3.0f);
  }
  // After the lines, on a backing, so a curve along chance never hides the word.
  PlotLabelAboveY("chance", chance, ReferenceColor(), 0.0f);
  PlotChangeMarkers(snapshot);
  PlotDivergence(snapshot, 0);
  plot::EndPlot();
  ImGui::EndGroup();
}

void DrawLossPanel(const Snapshot& snapshot, UiState& ui, LossViewCache& cache, const ImVec2& size) {
  ImGui::BeginChild("##loss_panel", size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::Checkbox("log loss axis", &ui.log_loss);
  ImGui::SameLine(0.0f, Px(24.0f));
  ImGui::Checkbox("batch accuracy (training mode)", &ui.show_batch_accuracy);
  HintBeside(Px(24.0f), "Hover a title's (?) for the formula and the numbers; click a legend entry to hide it.");
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float loss_width = std::floor(0.5f * (avail.x - spacing));
  DrawLossPlot(snapshot, ui, cache, ImVec2(loss_width, avail.y));
  ImGui::SameLine();
  DrawAccuracyPlot(snapshot, ui, cache, ImVec2(avail.x - loss_width - spacing, avail.y));
  ImGui::EndChild();
}

}  // namespace bnlab
