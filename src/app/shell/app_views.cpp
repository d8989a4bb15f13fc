// The App's views area: the lesson strip (or the presentation layout's header), the view picker,
// the view itself, the presentation caption bar, and the messages shown in place of the views
// while the first networks load or when training could not start.
#include "app/shell/app.h"

#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/theme.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace bnlab {
namespace {

constexpr float kMinViewLines = 30.0f;  // a view's least height, in lines of body text
// In the presentation layout a view lays out in the height it has down to this: a 720p
// projector at UI scale 1.5 leaves about 21 lines under the one-line header, 16 beside a
// pause caption of three lines; a caption bar never takes more than leaves the view this (a
// longer one is paged).
constexpr float kMinPresentViewLines = 12.0f;

// A message in place of the views: a big title, centred a line below the lesson strip (whose
// height grows with the UI scale), its text wrapped to at most 720 px. Ends with
// ImGui::PopTextWrapPos() and ImGui::EndGroup().
void BeginMessage(const char* title) {
  const float width = std::min(ImGui::GetContentRegionAvail().x, Px(720));
  ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + (ImGui::GetContentRegionAvail().x - width) * 0.5f,
                             ImGui::GetCursorPosY() + ImGui::GetFontSize()));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::PushFont(BigFont());
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
}

}  // namespace

// The first data and networks are on their way: the window is up at once and says so.
void App::DrawLoading(const Snapshot& snapshot) {
  BeginMessage("Loading…");
  TextWrappedAtSpaces("%s", snapshot.building.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

// Nothing could be loaded (e.g. Fashion-MNIST is not installed) or built: say why, and offer the
// synthetic sets, which need no files.
void App::DrawNoData(const Snapshot& snapshot) {
  BeginMessage("Training could not start");
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.45f, 1.0f));
  TextWrappedAtSpaces("%s", snapshot.error.c_str());
  ImGui::PopStyleColor();
  ImGui::Spacing();
  if (!snapshot.error_is_data) {
    // A setting the data cannot take (e.g. a batch larger than the training set): the panel
    // on the left changes it; other data would not help.
    TextWrappedAtSpaces("Change that setting in the panel on the left; training starts as soon as it can.");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    return;
  }
  TextWrappedAtSpaces("The synthetic 2-D sets need no files. Train on one of them:");
  for (const char* name : {"spiral", "moons", "circles", "xor", "blobs"}) {
    if (ImGui::Button(name, ImVec2(Px(120), 0))) {
      cmd::ApplyConfig command{snapshot.requested_config()};
      command.config.data.name = name;
      command.config.net.hidden = {32, 32, 32};
      command.config.batch_size = 32;
      session_.Send(std::move(command));
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

void App::DrawViewPicker() {
  const ImGuiStyle& style = ImGui::GetStyle();
  // One row of tabs: the titles where they fit, else the short ones (the title on hover), else
  // a drop-down (large UI scales in small windows); V / Shift V reach every view in each.
  const auto row_width = [&style](const char* (*title_of)(View)) {
    float total = 0.0f;
    for (int i = 0; i < static_cast<int>(View::kCount); ++i) {
      total += ImGui::CalcTextSize(title_of(static_cast<View>(i))).x + 2.0f * style.FramePadding.x +
               (i > 0 ? style.ItemInnerSpacing.x : 0.0f);
    }
    return total;
  };
  const float avail = ImGui::GetContentRegionAvail().x;
  const char* (*title_of)(View) = row_width(ViewTitle) <= avail ? ViewTitle : ViewShortTitle;
  if (row_width(title_of) > avail) {
    ImGui::SetNextItemWidth(std::min(avail, 16.0f * ImGui::GetFontSize()));
    if (ImGui::BeginCombo("##view", ViewTitle(ui_.view), ImGuiComboFlags_HeightLargest)) {
      for (int i = 0; i < static_cast<int>(View::kCount); ++i) {
        const View view = static_cast<View>(i);
        if (ImGui::Selectable(ViewTitle(view), view == ui_.view)) ui_.view = view;
      }
      ImGui::EndCombo();
    }
    ImGui::Separator();
    return;
  }
  for (int i = 0; i < static_cast<int>(View::kCount); ++i) {
    const View view = static_cast<View>(i);
    if (i > 0) ImGui::SameLine(0.0f, style.ItemInnerSpacing.x);
    const bool selected = ui_.view == view;
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(selected ? ImGuiCol_TabActive : ImGuiCol_Tab));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::GetStyleColorVec4(ImGuiCol_TabHovered));
    ImGui::PushID(i);
    if (ImGui::Button(title_of(view))) ui_.view = view;
    ImGui::PopID();
    ImGui::PopStyleColor(2);
    if (title_of != ViewTitle && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ViewTitle(view));
  }
  ImGui::Separator();
}

void App::DrawLessonStrip(const Snapshot& snapshot) {
  const SceneInfo& scene = snapshot.scene;
  if (scene.title.empty()) return;
  const Lesson& lesson = scene.lesson;
  const int index = CurrentSceneIndex(snapshot);
  ImGui::PushFont(BigFont());
  ImGui::PushTextWrapPos(0.0f);
  if (index >= 0) TextWrappedAtSpaces("%d  %s", index + 1, scene.title.c_str());
  else TextWrappedAtSpaces("%s", scene.title.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  if (!scene.description.empty() && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    ImGui::TextUnformatted(scene.description.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  ImGui::PushTextWrapPos(0.0f);
  // The caption and the pause notes describe the scene's own run; with other settings they
  // could say what the screen does not show, so they give way (the verdict stays: it is live).
  if (!snapshot.scene_pristine && (!lesson.caption.empty() || !lesson.pauses.empty())) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    TextWrappedAtSpaces(
        "Settings differ from the scene's, so its caption and pause notes are off (1-9 or the scene "
        "box starts the scene again).");
    ImGui::PopStyleColor();
  } else if (!lesson.caption.empty()) {
    TextWrappedAtSpaces("%s", lesson.caption.c_str());
  }
  const VerdictText& verdict = verdict_;  // of this snapshot (Frame)
  if (!verdict.text.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, verdict.ready ? AccentText() : ImGui::GetStyleColorVec4(ImGuiCol_Text));
    ImGui::Text("Now: %s", verdict.text.c_str());
    ImGui::PopStyleColor();
  }
  if (snapshot.scene_pristine && snapshot.pause_index >= 0 &&
      snapshot.pause_index < static_cast<int>(lesson.pauses.size())) {
    const PausePoint& pause = lesson.pauses[static_cast<std::size_t>(snapshot.pause_index)];
    // The caption names its step; while training goes on past it, it stays, dimmed.
    const bool here = snapshot.paused && snapshot.step == pause.step;
    if (here) {
      ImGui::PushStyleColor(ImGuiCol_Text, AccentText());
      ImGui::TextUnformatted("Paused.");
      ImGui::PopStyleColor();
      ImGui::SameLine();
      TextWrappedAtSpaces("%s  (Space goes on)", pause.caption.c_str());
    } else {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      TextWrappedAtSpaces("%s", pause.caption.c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::PopTextWrapPos();
}

namespace {

// `text` cut to `width` pixels at a character boundary, with "…" where it was cut.
std::string FitText(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  std::string cut = text;
  while (!cut.empty()) {
    do cut.pop_back();
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80);  // a UTF-8 continuation
    if (ImGui::CalcTextSize((cut + "\u2026").c_str()).x <= width) break;
  }
  return cut + "\u2026";
}

}  // namespace

void App::DrawPresentHeader(const Snapshot& snapshot) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float left = ImGui::GetCursorPosX();
  const float right = left + ImGui::GetContentRegionAvail().x;
  const float picker_width =
      ImGui::CalcTextSize(ViewTitle(ui_.view)).x + ImGui::GetFrameHeight() + 2.0f * style.FramePadding.x;
  const float top = ImGui::GetCursorPosY();
  float line_height = ImGui::GetFrameHeight();
  if (!snapshot.scene.title.empty()) {
    const int index = CurrentSceneIndex(snapshot);
    char title[160];
    if (index >= 0) std::snprintf(title, sizeof(title), "%d  %s", index + 1, snapshot.scene.title.c_str());
    else std::snprintf(title, sizeof(title), "%s", snapshot.scene.title.c_str());
    ImGui::PushFont(BigFont());
    // The title takes all but the selector's room; the verdict goes beside it where it fits.
    const std::string shown = FitText(title, right - left - picker_width - 2.0f * style.ItemSpacing.x);
    ImGui::TextUnformatted(shown.c_str());
    line_height = std::max(line_height, ImGui::GetTextLineHeight());
    ImGui::PopFont();
    if (ImGui::IsItemHovered() && shown != title) ImGui::SetTooltip("%s", title);
    ImGui::SameLine(0.0f, 2.0f * style.ItemSpacing.x);
  }
  // The live verdict on the same line, its text's baseline with the title's, where it fits;
  // else whole on a line of its own below (the verdict is what the back row reads).
  const VerdictText& verdict = verdict_;
  const float verdict_x = ImGui::GetCursorPosX();
  const float room = right - picker_width - style.ItemSpacing.x - verdict_x;
  const bool own_line = !verdict.text.empty() && ImGui::CalcTextSize(verdict.text.c_str()).x > room;
  ImGui::SetCursorPos(ImVec2(right - picker_width, top + 0.5f * (line_height - ImGui::GetFrameHeight())));
  ImGui::SetNextItemWidth(picker_width);
  if (ImGui::BeginCombo("##present_view", ViewTitle(ui_.view), ImGuiComboFlags_HeightLargest)) {
    for (int i = 0; i < static_cast<int>(View::kCount); ++i) {
      const View view = static_cast<View>(i);
      if (ImGui::Selectable(ViewTitle(view), view == ui_.view)) ui_.view = view;
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("V / Shift V: next / previous view. P leaves the presentation layout.");
  if (!verdict.text.empty()) {
    if (own_line) ImGui::SetCursorPos(ImVec2(left, top + line_height + style.ItemSpacing.y));
    else ImGui::SetCursorPos(ImVec2(verdict_x, top + line_height - ImGui::GetTextLineHeight() - Px(2.0f)));
    ImGui::PushStyleColor(ImGuiCol_Text, verdict.ready ? AccentText() : ImGui::GetStyleColorVec4(ImGuiCol_Text));
    ImGui::PushTextWrapPos(0.0f);
    TextWrappedAtSpaces("%s", verdict.text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  if (!own_line) ImGui::SetCursorPosY(top + line_height + style.ItemSpacing.y);
  ImGui::Separator();
}

std::string App::CaptionBarText(const Snapshot& snapshot) const {
  const SceneInfo& scene = snapshot.scene;
  const Lesson& lesson = scene.lesson;
  std::string text;
  if (snapshot.scene_pristine && snapshot.pause_index >= 0 &&
      snapshot.pause_index < static_cast<int>(lesson.pauses.size())) {
    const PausePoint& pause = lesson.pauses[static_cast<std::size_t>(snapshot.pause_index)];
    if (snapshot.paused && snapshot.step == pause.step) text = pause.caption + "  (Space goes on)";
  }
  if (text.empty() && ui_.present_caption) {
    text = scene.description;
    if (!snapshot.scene_pristine && (!lesson.caption.empty() || !lesson.pauses.empty())) {
      text += "\n(Settings differ from the scene's, so its caption is off.)";
    } else if (!lesson.caption.empty()) {
      text += (text.empty() ? "" : "\n") + lesson.caption;
    }
    if (text.empty()) text = "This scene has no caption.";
  }
  return text;
}

namespace {

constexpr float kCaptionPad = 10.0f;

// The caption bar's text as it is shown: wrapped to the bar, cut into pages of whole lines that
// fit `max_height` (a scene's description and caption take more than one bar in a short window:
// the view keeps its least height and C turns the pages), and the one at `page`.
struct CaptionPage {
  std::string text;       // this page's lines
  std::string page_note;  // "1 of 2 · C: next" under them, when there is more than one page
  int pages = 1;
  float height = 0.0f;  // of the bar, its padding included; 0 when there is no text
};

CaptionPage PageOfCaption(const std::string& text, float width, float max_height, int page) {
  CaptionPage shown;
  if (text.empty()) return shown;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float pad = Px(kCaptionPad);
  const float line = ImGui::GetFontSize();
  std::vector<std::string> lines;
  const std::string wrapped = WrapTextAtSpaces(text, width - 2.0f * pad);
  for (std::size_t begin = 0; begin <= wrapped.size();) {
    const std::size_t end = std::min(wrapped.find('\n', begin), wrapped.size());
    lines.push_back(wrapped.substr(begin, end - begin));
    begin = end + 1;
  }
  const int count = static_cast<int>(lines.size());
  int per_page = std::max(1, static_cast<int>((max_height - 2.0f * pad) / line));
  // More than one page: each keeps room for the page note's line.
  if (count > per_page)
    per_page = std::max(1, static_cast<int>((max_height - 2.0f * pad - style.ItemSpacing.y) / line) - 1);
  shown.pages = (count + per_page - 1) / per_page;
  const int first = std::clamp(page, 0, shown.pages - 1) * per_page;
  const int last = std::min(count, first + per_page);
  for (int i = first; i < last; ++i) shown.text += (i > first ? "\n" : "") + lines[static_cast<std::size_t>(i)];
  shown.height = static_cast<float>(last - first) * line + 2.0f * pad;
  if (shown.pages > 1) {
    char note[64];
    std::snprintf(note, sizeof(note), "%d of %d \u00b7 C: %s", first / per_page + 1, shown.pages,
                  last < count ? "next" : "close");
    shown.page_note = note;
    shown.height += style.ItemSpacing.y + line;
  }
  return shown;
}

}  // namespace

void App::DrawCaptionBar(const std::string& text, const std::string& page_note, const ImVec2& pos, const ImVec2& size) {
  const float pad = Px(kCaptionPad);
  ImGui::SetCursorScreenPos(pos);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(TextBacking(235)));
  ImGui::BeginChild("##caption_bar", size, true, ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoScrollbar);
  ImGui::SetCursorPos(ImVec2(pad, pad));
  ImGui::TextUnformatted(text.c_str());
  if (!page_note.empty()) {
    ImGui::SetCursorPosX(pad);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(page_note.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void App::DrawViews(const Snapshot& snapshot) {
  if (ui_.present) DrawPresentHeader(snapshot);
  else DrawLessonStrip(snapshot);
  if (!snapshot.dataset) {
    if (snapshot.building.empty()) DrawNoData(snapshot);
    else DrawLoading(snapshot);
    return;
  }
  if (!ui_.present) DrawViewPicker();
  // A view laid out in less height than this would squash its plots into unreadable strips
  // (large UI scales, small windows): it keeps this height and the area scrolls instead.
  const float min_height = (ui_.present ? kMinPresentViewLines : kMinViewLines) * ImGui::GetFontSize();
  // A caption bar (presentation layout) takes the foot of the area: the view lays out above it,
  // so the caption never covers what it talks about.
  // It takes at most what the view can give up and keep its least height (and never more than
  // 45% of the area); a longer text is paged.
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  ImVec2 size = ImGui::GetContentRegionAvail();
  const float max_caption =
      std::floor(std::max(std::min(0.45f * size.y, size.y - min_height - spacing), 4.0f * ImGui::GetFontSize()));
  const CaptionPage caption =
      PageOfCaption(ui_.present ? CaptionBarText(snapshot) : std::string(), size.x, max_caption, ui_.caption_page);
  caption_pages_ = caption.pages;
  const float caption_height = caption.height;
  if (caption_height > 0.0f) size.y -= caption_height + spacing;
  const bool scroll = size.y < min_height;
  ImGui::BeginChild("view", size, false, scroll ? 0 : ImGuiWindowFlags_NoScrollbar);
  const ImVec2 inner(ImGui::GetContentRegionAvail().x, std::max(ImGui::GetContentRegionAvail().y, min_height));
  switch (ui_.view) {
    case View::kDashboard: DrawDashboard(snapshot, ui_, views_.loss, views_.gradient_bars, inner); break;
    case View::kLoss: DrawLossPanel(snapshot, ui_, views_.loss, inner); break;
    case View::kActivations: DrawActivationsPanel(snapshot, ui_, inner); break;
    case View::kDistribution: DrawDistributionPanel(snapshot, ui_, session_, inner); break;
    case View::kGradients: DrawGradientsPanel(snapshot, ui_, views_.gradient_bars, inner); break;
    case View::kNoise: DrawNoisePanel(snapshot, ui_, session_, views_.noise, inner); break;
    case View::kBatchSweep: DrawBatchSweepPanel(snapshot, session_, views_.batch_sweep, inner); break;
    case View::kTrainEval: DrawTrainEvalPanel(snapshot, ui_, session_, views_.train_eval, inner); break;
    case View::kInsideBn: DrawInsideBnPanel(snapshot, ui_, session_, views_.inside_bn, inner); break;
    case View::kLandscape: DrawLandscapePanel(snapshot, ui_, inner); break;
    case View::kBoundary: DrawBoundaryPanel(snapshot, ui_, views_.boundary, inner); break;
    case View::kCount: break;
  }
  ImGui::EndChild();
  if (caption_height > 0.0f) {
    const ImVec2 view_min = ImGui::GetItemRectMin(), view_max = ImGui::GetItemRectMax();
    DrawCaptionBar(caption.text, caption.page_note, ImVec2(view_min.x, view_max.y + spacing),
                   ImVec2(view_max.x - view_min.x, caption_height));
  }
}

}  // namespace bnlab
