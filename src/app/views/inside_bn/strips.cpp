// The Inside BN view's strip plots: one row per quantity, one dot per sample of the batch, on
// a shared horizontal scale per pass (forward: x, x_norm, γ/β, y, the activation; backward:
// dL/dy and the three terms of dL/dx), every value labelled at small batches and the chosen
// sample's path drawn through the rows.
#include "app/views/inside_bn/inside_bn_panel.h"
#include "app/views/panel_util.h"
#include "app/shell/theme.h"
#include "plot/plot_math.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

// Ghost BN: each statistics group's dots and marks in its own hue.
constexpr ImU32 kGroupColors[] = {IM_COL32(205, 205, 205, 230), IM_COL32(120, 220, 230, 230),
                                  IM_COL32(240, 160, 120, 230), IM_COL32(170, 150, 250, 230)};

struct Strip {
  const Snapshot* snapshot;
  const InsideBnCache* cache;
  UiState* ui;
  float x0, x1;                    // the strip's pixel range
  double lo, hi;                   // the data range it shows
  ImVec2 path_prev{-1.0f, -1.0f};  // the chosen sample's dot on the row above
  float ToPx(double v) const {
    const double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    return x0 + static_cast<float>(std::clamp(t, -0.02, 1.02)) * (x1 - x0);
  }
};

ImU32 SampleColor(const BnUnitRecord& record, int groups, int i) {
  if (groups <= 1) return Ink(230);
  return kGroupColors[static_cast<std::size_t>(record.group[static_cast<std::size_t>(i)]) % 4];
}

// Grid lines over a section and its axis of tick labels below it.
void DrawGridAndAxis(const Strip& strip, float top, float bottom, const char* unit_note) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  std::vector<double> ticks;
  const int target = std::max(2, static_cast<int>((strip.x1 - strip.x0) / Px(110.0f)));
  const double step = plot::NiceTicks(strip.lo, strip.hi, target, ticks);
  for (double tick : ticks) {
    const float px = strip.ToPx(tick);
    draw_list->AddLine(ImVec2(px, top), ImVec2(px, bottom), tick == 0.0 ? WithAlpha(ReferenceColor(), 90) : Ink(28),
                       Px(tick == 0.0 ? 2.0f : 1.0f));
    char label[32];
    plot::FormatTick(tick, step, label, sizeof(label));
    const ImVec2 size = ImGui::CalcTextSize(label);
    draw_list->AddText(ImVec2(px - 0.5f * size.x, bottom + Px(2.0f)), ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
  }
  if (unit_note != nullptr && *unit_note != '\0') {
    draw_list->AddText(ImVec2(strip.x0 - ImGui::CalcTextSize(unit_note).x - Px(12.0f), bottom + Px(2.0f)),
                       ImGui::GetColorU32(ImGuiCol_TextDisabled), unit_note);
  }
}

// Places each label in a lane (alternately above and below the dots) at the free spot nearest
// its dot, shifted sideways (with a leader line) when its own spot is taken; the chosen
// sample's label first, so it is always shown.
struct LabelLanes {
  std::vector<std::vector<ImVec2>> taken;  // per lane: [left, right] pixel intervals
  float min_x, max_x;                      // where labels may go
  LabelLanes(int lanes, float min_x_, float max_x_)
      : taken(static_cast<std::size_t>(std::max(lanes, 0))), min_x(min_x_), max_x(max_x_) {}
  bool Free(std::size_t lane, float left, float width) const {
    const float gap = Px(6.0f);
    if (left < min_x || left + width > max_x) return false;
    for (const ImVec2& span : taken[lane]) {
      if (!(left + width + gap < span.x || left - gap > span.y)) return false;
    }
    return true;
  }
  // Returns the lane (−1: no room) and the label's left edge in *left.
  int Place(float* left, float width) {
    const float gap = Px(7.0f);
    const float max_shift = Px(110.0f);
    int best_lane = -1;
    float best_left = *left, best_shift = max_shift;
    for (std::size_t lane = 0; lane < taken.size(); ++lane) {
      std::vector<float> candidates = {*left};
      for (const ImVec2& span : taken[lane]) {
        candidates.push_back(span.y + gap);
        candidates.push_back(span.x - gap - width);
      }
      for (float candidate : candidates) {
        const float shift = std::fabs(candidate - *left);
        // A lane further out costs a little, so near lanes fill first.
        const float cost = shift + Px(4.0f) * static_cast<float>(lane);
        if (cost < best_shift && Free(lane, candidate, width))
          best_lane = static_cast<int>(lane), best_left = candidate, best_shift = cost;
      }
    }
    if (best_lane < 0) return -1;
    taken[static_cast<std::size_t>(best_lane)].push_back(ImVec2(best_left, best_left + width));
    *left = best_left;
    return best_lane;
  }
};

// The row's own statistics: on x, μ_B and the ±σ_B bracket of each group; on x̂, ±1.
void DrawRowStatistics(const Strip& strip, const StripRow& row, float top, float height) {
  const BnUnitRecord& record = strip.snapshot->inside.record;
  const InsideBnCache& cache = *strip.cache;
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  if (row.kind == kStripX) {
    for (int g = 0; g < cache.groups; ++g) {
      const ImU32 color = cache.groups > 1 ? kGroupColors[g % 4] : kStatColor;
      const double mean = record.batch_mean[static_cast<std::size_t>(g)];
      const double sigma = cache.group_sigma[static_cast<std::size_t>(g)];
      const float mx = strip.ToPx(mean);
      draw_list->AddLine(ImVec2(mx, top + Px(4.0f)), ImVec2(mx, top + height - Px(4.0f)), WithAlpha(color, 200),
                         Px(3.0f));
      const float by = top + height - Px(5.0f) - Px(4.0f) * static_cast<float>(g);
      const float left = strip.ToPx(mean - sigma), right = strip.ToPx(mean + sigma);
      draw_list->AddLine(ImVec2(left, by), ImVec2(right, by), WithAlpha(color, 200), Px(3.0f));
      draw_list->AddLine(ImVec2(left, by - Px(6.0f)), ImVec2(left, by + Px(2.0f)), WithAlpha(color, 200), Px(2.0f));
      draw_list->AddLine(ImVec2(right, by - Px(6.0f)), ImVec2(right, by + Px(2.0f)), WithAlpha(color, 200), Px(2.0f));
    }
  } else if (row.kind == kStripXNorm) {
    for (double mark : {-1.0, 1.0}) {
      const float px = strip.ToPx(mark);
      draw_list->AddLine(ImVec2(px, top + Px(6.0f)), ImVec2(px, top + height - Px(6.0f)), WithAlpha(kStatColor, 110),
                         Px(2.0f));
    }
  }
}

// The dots of the batch, the chosen sample's larger one joined to its dot on the row above,
// and on x the identity what-if's rings.
void DrawRowDots(Strip& strip, const StripRow& row, int chosen, float cy, float radius) {
  const BnUnitRecord& record = strip.snapshot->inside.record;
  const InsideBnCache& cache = *strip.cache;
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const int m = static_cast<int>(row.values.size());
  // The identity what-if overlays x: rings where y = γ′·x_norm + β′ lands.
  const bool identity =
      row.kind == kStripX && strip.ui->inside_identity && cache.y_identity.size() == row.values.size();
  if (identity) {
    for (float v : cache.y_identity)
      draw_list->AddCircle(ImVec2(strip.ToPx(v), cy), radius + Px(5.0f), kIdentityColor, 16, Px(2.5f));
  }

  for (int i = 0; i < m; ++i) {
    draw_list->AddCircleFilled(ImVec2(strip.ToPx(row.values[static_cast<std::size_t>(i)]), cy), radius,
                               SampleColor(record, cache.groups, i), 16);
  }
  const ImVec2 chosen_pos(strip.ToPx(row.values[static_cast<std::size_t>(chosen)]), cy);
  if (strip.path_prev.x >= 0.0f) {
    draw_list->AddLine(strip.path_prev, chosen_pos, WithAlpha(kHighlightColor, 150), Px(2.5f));
  }
  strip.path_prev = chosen_pos;
  draw_list->AddCircleFilled(chosen_pos, radius + Px(3.0f), kHighlightColor, 20);
  draw_list->AddCircle(chosen_pos, radius + Px(3.0f), IM_COL32(0, 0, 0, 255), 20, Px(1.5f));
}

// Each value beside its dot in lanes above and below the line (the chosen sample's first;
// the others only in small batches), and the row's summary over the strip.
void DrawValueLabels(const Strip& strip, const StripRow& row, int chosen, float top, float height, float radius) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float cy = top + 0.5f * height;
  const int m = static_cast<int>(row.values.size());
  const float line_h = ImGui::GetTextLineHeight();
  const float first_above = cy - radius - Px(4.0f) - line_h;
  const float first_below = cy + radius + Px(4.0f);
  int lanes = 0;
  for (int lane = 0; lane < 6; ++lane) {
    const float y = lane % 2 == 0 ? first_above - line_h * static_cast<float>(lane / 2)
                                  : first_below + line_h * static_cast<float>(lane / 2);
    const float reserve = row.kind == kStripX ? Px(10.0f) : 0.0f;  // the ±σ_B bracket at the bottom
    if (y < top + (row.summary.empty() ? 0.0f : line_h) || y + line_h > top + height - reserve) break;
    lanes = lane + 1;
  }
  LabelLanes placer(lanes, strip.x0 - Px(40.0f), strip.x1 + Px(24.0f));
  auto label_at = [&](int i, ImU32 color) {
    const std::string& text = row.labels[static_cast<std::size_t>(i)];
    const float width = ImGui::CalcTextSize(text.c_str()).x;
    const float dot_x = strip.ToPx(row.values[static_cast<std::size_t>(i)]);
    float px = std::clamp(dot_x - 0.5f * width, placer.min_x, placer.max_x - width);
    const float natural = px;
    const int lane = placer.Place(&px, width);
    if (lane < 0) return;
    const bool above = lane % 2 == 0;
    const float y = above ? first_above - line_h * static_cast<float>(lane / 2)
                          : first_below + line_h * static_cast<float>(lane / 2);
    if (std::fabs(px - natural) > Px(3.0f) || lane >= 2) {
      // Shifted or far out: a thin leader from the dot to the label.
      const float end_x = std::clamp(dot_x, px, px + width);
      draw_list->AddLine(ImVec2(dot_x, cy + (above ? -radius : radius)), ImVec2(end_x, above ? y + line_h : y),
                         WithAlpha(color, 110), Px(1.0f));
    }
    draw_list->AddText(ImVec2(px, y), color, text.c_str());
  };
  if (lanes == 0) {
    // A row too short for a lane above or below (a projector's large UI scale): the followed
    // sample's value beside its dot, on a backing, and the others on hover.
    const std::string& text = row.labels[static_cast<std::size_t>(chosen)];
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    const float dot_x = strip.ToPx(row.values[static_cast<std::size_t>(chosen)]);
    const bool right = dot_x + radius + Px(8.0f) + size.x <= strip.x1 + Px(24.0f);
    const ImVec2 pos(right ? dot_x + radius + Px(8.0f) : dot_x - radius - Px(8.0f) - size.x, cy - 0.5f * size.y);
    draw_list->AddRectFilled(ImVec2(pos.x - Px(3.0f), pos.y), ImVec2(pos.x + size.x + Px(3.0f), pos.y + size.y),
                             TextBacking(200), Px(3.0f));
    draw_list->AddText(pos, kHighlightColor, text.c_str());
  }
  label_at(chosen, kHighlightColor);
  if (m <= kLabelEveryValueUpTo) {
    for (int i : row.by_value)
      if (i != chosen) label_at(i, ImGui::GetColorU32(ImGuiCol_Text));
  }
  if (!row.summary.empty()) {
    // Right-aligned over the strip; where it would reach into the names, mean and spread only.
    const char* summary = row.summary.c_str();
    if (ImGui::CalcTextSize(summary).x > strip.x1 - strip.x0) summary = row.short_summary.c_str();
    const ImU32 color = row.kind == kStripX ? kStatColor : ImGui::GetColorU32(ImGuiCol_TextDisabled);
    draw_list->AddText(ImVec2(strip.x1 - ImGui::CalcTextSize(summary).x, top + Px(1.0f)), color, summary);
  }
}

// A click on a dot chooses that sample; hovering one names it.
void HandleRowPointer(Strip& strip, const StripRow& row, int chosen, float cy) {
  const int m = static_cast<int>(row.values.size());
  const ImVec2 mouse = ImGui::GetMousePos();
  if (!ImGui::IsItemHovered() || std::fabs(mouse.y - cy) > Px(18.0f)) return;
  int nearest = -1;
  float best = Px(14.0f);
  for (int i = 0; i < m; ++i) {
    const float d = std::fabs(strip.ToPx(row.values[static_cast<std::size_t>(i)]) - mouse.x);
    if (d < best) best = d, nearest = i;
  }
  if (nearest < 0) return;
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) strip.ui->inside_sample = nearest;
  const InsideBnView& inside = strip.snapshot->inside;
  const std::size_t k = static_cast<std::size_t>(nearest);
  ImGui::SetTooltip("Sample %d of the batch (training example #%d, class %d): %s%s", nearest + 1,
                    k < inside.samples.size() ? inside.samples[k] : -1,
                    k < inside.labels.size() ? inside.labels[k] : -1, row.labels[k].c_str(),
                    nearest == chosen ? "" : "\nClick to follow this sample through every row.");
}

void DrawValueRow(Strip& strip, const StripRow& row, float top, float height) {
  const float cy = top + 0.5f * height;
  const float radius = Px(5.5f);
  const int m = static_cast<int>(row.values.size());
  const int chosen = std::clamp(strip.ui->inside_sample, 0, std::max(m - 1, 0));
  ImGui::GetWindowDrawList()->AddLine(ImVec2(strip.x0, cy), ImVec2(strip.x1, cy), Ink(90), Px(1.0f));
  DrawRowStatistics(strip, row, top, height);
  DrawRowDots(strip, row, chosen, cy, radius);
  DrawValueLabels(strip, row, chosen, top, height, radius);
  HandleRowPointer(strip, row, chosen, cy);
}

// β and β + γ on the forward scale: the affine step y = γ·x_norm + β maps 0 to β and 1 to β + γ.
void DrawGammaBetaRow(Strip& strip, const BnUnitRecord& record, float top, float height) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float cy = top + 0.55f * height;
  const float beta_px = strip.ToPx(record.beta), end_px = strip.ToPx(record.beta + record.gamma);
  draw_list->AddLine(ImVec2(beta_px, cy), ImVec2(end_px, cy), kBnColor, Px(4.0f));
  for (float px : {beta_px, end_px})
    draw_list->AddLine(ImVec2(px, cy - Px(9.0f)), ImVec2(px, cy + Px(9.0f)), kBnColor, Px(3.0f));
  char text[64];
  // A β that prints as 0.000 is 0, not "-0.000".
  std::snprintf(text, sizeof(text), "\u03b2 = %.3f", std::fabs(record.beta) < 0.0005f ? 0.0f : record.beta);
  const float line_h = ImGui::GetTextLineHeight();
  const ImVec2 beta_size = ImGui::CalcTextSize(text);
  const bool beta_left = end_px >= beta_px;
  draw_list->AddText(ImVec2(beta_left ? beta_px - beta_size.x - Px(8.0f) : beta_px + Px(8.0f), cy - 0.5f * line_h),
                     kBnColor, text);
  std::snprintf(text, sizeof(text), "\u03b3 = %.3f", record.gamma);
  const ImVec2 gamma_size = ImGui::CalcTextSize(text);
  draw_list->AddText(ImVec2(0.5f * (beta_px + end_px) - 0.5f * gamma_size.x, cy - Px(10.0f) - line_h), kBnColor, text);
  if (strip.path_prev.x >= 0.0f) {
    // The chosen sample's path passes straight through this row.
    draw_list->AddLine(strip.path_prev, ImVec2(strip.path_prev.x, top + height), WithAlpha(kHighlightColor, 60),
                       Px(1.5f));
    strip.path_prev.y = top + height;
  }
}

// The row's name, wrapped (its short name where the name is taller than the row), and under it
// an optional line of numbers in `sub_color`.
void NameColumn(const StripRow& row, const std::string& sub, ImU32 sub_color, float top, float height, float width) {
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  const float x = ImGui::GetCursorScreenPos().x;
  const float wrap = width - Px(12.0f);
  ImGui::PushClipRect(ImVec2(x, top), ImVec2(x + width - Px(8.0f), top + height), true);
  const char* name = row.name.c_str();
  if (!row.short_name.empty() && ImGui::CalcTextSize(name, nullptr, false, wrap).y > height)
    name = row.short_name.c_str();
  const ImVec2 size = ImGui::CalcTextSize(name, nullptr, false, wrap);
  const ImVec2 sub_size = sub.empty() ? ImVec2(0.0f, 0.0f) : ImGui::CalcTextSize(sub.c_str(), nullptr, false, wrap);
  const float y = top + 0.5f * (height - size.y - sub_size.y);
  draw_list->AddText(nullptr, 0.0f, ImVec2(x, y), ImGui::GetColorU32(ImGuiCol_Text), name, nullptr, wrap);
  if (!sub.empty()) draw_list->AddText(nullptr, 0.0f, ImVec2(x, y + size.y), sub_color, sub.c_str(), nullptr, wrap);
  ImGui::PopClipRect();
}

// A section's header, its tooltip, and its note right-aligned on the header's line when it fits
// there.
void DrawSectionHeader(const char* header, const char* header_tip, const std::string& note) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(header);
  ImGui::PopTextWrapPos();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", header_tip);
  if (!note.empty()) {
    const float note_width = ImGui::CalcTextSize(note.c_str()).x;
    ImGui::SameLine(0.0f, Px(16.0f));
    const float room = ImGui::GetContentRegionAvail().x;
    if (room < note_width) ImGui::NewLine();
    else ImGui::SetCursorPosX(ImGui::GetCursorPosX() + room - note_width - Px(28.0f));
    ImGui::TextDisabled("%s", note.c_str());
  }
}

}  // namespace

void DrawInsideBnStrips(const Snapshot& snapshot, UiState& ui, const InsideBnCache& cache, const ImVec2& size,
                        int passes) {
  ImGui::BeginChild("##inside_strips", size, false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0.0f));
  const float width = ImGui::GetContentRegionAvail().x;
  const float name_width = std::min(Px(250.0f), 0.3f * width);
  const float header_h = ImGui::GetTextLineHeightWithSpacing() + Px(4.0f);
  const float axis_h = ImGui::GetTextLineHeight() + Px(6.0f);
  const bool forward = (passes & kForwardPass) != 0, backward = (passes & kBackwardPass) != 0;
  const int rows = static_cast<int>((forward ? cache.forward.size() : 0) + (backward ? cache.backward.size() : 0));
  const int sections = (forward ? 1 : 0) + (backward ? 1 : 0);
  // The backward header's note may take a line of its own.
  const float headers = static_cast<float>(sections + (backward ? 1 : 0));
  const float row_h = std::floor((size.y - headers * header_h - static_cast<float>(sections) * axis_h) /
                                 static_cast<float>(std::max(rows, 1)));
  const int chosen = std::clamp(ui.inside_sample, 0, std::max(snapshot.inside.record.batch_size() - 1, 0));
  // μ_B and σ_B go under the x row's name where the row has two lines' room, else (a projector's
  // large UI scale) into the forward header, never clipped by the row.
  const bool stat_in_rows = row_h >= 2.0f * ImGui::GetTextLineHeight() + Px(4.0f);

  auto section = [&](const char* header, const char* header_tip, const std::vector<StripRow>& section_rows, double lo,
                     double hi, const char* unit_note, const std::string& note) {
    DrawSectionHeader(header, header_tip, note);
    const float left = ImGui::GetCursorScreenPos().x;
    Strip strip{&snapshot, &cache, &ui, left + name_width + Px(24.0f), left + width - Px(28.0f), lo, hi};
    const float top = ImGui::GetCursorScreenPos().y;
    const float bottom = top + row_h * static_cast<float>(section_rows.size());
    DrawGridAndAxis(strip, top, bottom, unit_note);
    for (std::size_t r = 0; r < section_rows.size(); ++r) {
      const StripRow& row = section_rows[r];
      const float row_top = ImGui::GetCursorScreenPos().y;
      if (r % 2 == 1) {
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(left, row_top), ImVec2(left + width, row_top + row_h),
                                                  Ink(10));
      }
      NameColumn(row, row.kind == kStripX && stat_in_rows ? cache.stat_label : std::string(), kStatColor, row_top,
                 row_h, name_width);
      ImGui::Dummy(ImVec2(width, row_h));
      if (row.kind == kStripGammaBeta) DrawGammaBetaRow(strip, snapshot.inside.record, row_top, row_h);
      else DrawValueRow(strip, row, row_top, row_h);
      // The formula, with numbers, when the row's name is hovered.
      const ImVec2 mouse = ImGui::GetMousePos();
      if (ImGui::IsItemHovered() && mouse.x < left + name_width) InsideBnRowTooltip(snapshot, cache, row.kind, chosen);
    }
    ImGui::Dummy(ImVec2(width, axis_h));
  };
  if (forward) {
    const std::string header =
        stat_in_rows ? std::string("Forward: the formula on this batch's numbers (hover a row's name for its formula)")
                     : "Forward on this batch: " + cache.stat_label + " (hover a row's name for its formula)";
    section(header.c_str(),
            "Every row on one horizontal scale. Grey dots: the samples of the batch; yellow: the sample you follow "
            "(click any dot to follow another).",
            cache.forward, cache.forward_lo, cache.forward_hi, nullptr, std::string());
  }
  if (!backward) {
    ImGui::PopStyleVar();
    ImGui::EndChild();
    return;
  }
  char header[160], unit_note[32];
  unit_note[0] = '\0';
  if (cache.backward_exponent != 0) std::snprintf(unit_note, sizeof(unit_note), "\u00d7 1e%d", cache.backward_exponent);
  std::snprintf(header, sizeof(header), "Backward: dL/dx_i as three terms, same batch%s%s%s",
                cache.backward_exponent != 0 ? " (every value " : "", unit_note,
                cache.backward_exponent != 0 ? ")" : "");
  section(header,
          "dL/dx_i = \u03b3/\u221a(\u03c3\u00b2_B+\u03b5)\u00b7(g_i \u2212 mean_j g_j \u2212 x_norm_i\u00b7mean_j "
          "g_j\u00b7x_norm_j), g = dL/dy: the direct path, the path through \u03bc_B and the path through "
          "\u03c3\u00b2_B. The last row is the engine's own dL/dx; the three terms add up to it.",
          cache.backward, cache.backward_lo, cache.backward_hi, unit_note, cache.backward_note);
  ImGui::PopStyleVar();
  ImGui::EndChild();
}

}  // namespace bnlab
