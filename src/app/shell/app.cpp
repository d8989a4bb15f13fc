#include "app/shell/app.h"

#include "app/shell/browser.h"
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/screenshot.h"
#include "app/shell/key_queue.h"
#include "app/shell/theme.h"
#include "report/train_csv.h"
#include "session/history_export.h"
#include "session/verdict.h"

#include <imgui.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>  // key codes: ImGui 1.86 indexes keys by the backend's codes

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

constexpr float kControlsWidth = 330.0f;
constexpr float kScaleStep = 0.125f;
constexpr double kNoticeSeconds = 8.0;  // a passing notice fades from the status bar after this
constexpr float kMinViewLines = 30.0f;  // a view's least height, in lines of body text
// In the presentation layout a view lays out in the height it has down to this: a 720p
// projector at UI scale 1.5 leaves about 21 lines under the one-line header, 16 beside a
// pause caption of three lines.
constexpr float kMinPresentViewLines = 12.0f;

ImVec4 AccentText() { return LightTheme() ? ImVec4(0.55f, 0.35f, 0.0f, 1.0f) : ImVec4(1.0f, 0.82f, 0.35f, 1.0f); }

}  // namespace

void App::HandleKeys() {
  // Every press since the last frame, however short (key_queue.h); single letters only when
  // no text field has the keyboard.
  const bool typing = ImGui::GetIO().WantTextInput;
  for (const KeyPress& press : TakeKeyPresses()) HandleKey(press.key, press.mods, typing);
}

void App::HandleKey(int key, int mods, bool typing) {
  const bool ctrl = (mods & GLFW_MOD_CONTROL) != 0;
  if (ctrl) {
    if (key == GLFW_KEY_EQUAL || key == GLFW_KEY_KP_ADD)
      ui_.ui_scale = std::min(kMaxUiScale, ui_.ui_scale + kScaleStep);
    if (key == GLFW_KEY_MINUS || key == GLFW_KEY_KP_SUBTRACT)
      ui_.ui_scale = std::max(kMinUiScale, ui_.ui_scale - kScaleStep);
    if (key == GLFW_KEY_0 || key == GLFW_KEY_KP_0) ui_.ui_scale = 1.0f;
    if (key == GLFW_KEY_Q) quit_requested_ = true;
    return;
  }
  if (key == GLFW_KEY_F11 || (key == GLFW_KEY_ESCAPE && fullscreen_)) fullscreen_toggle_ = true;
  if (key == GLFW_KEY_PAGE_DOWN || key == GLFW_KEY_PAGE_UP) {
    const int current = CurrentSceneIndex(*session_.Latest());
    RequestScene(key == GLFW_KEY_PAGE_DOWN ? current + 1 : std::max(current - 1, 0));
  }
  if (typing) return;
  switch (key) {
    case GLFW_KEY_SPACE: session_.Send(cmd::TogglePause{}); break;
    case GLFW_KEY_N: session_.Send(cmd::SingleStep{}); break;
    case GLFW_KEY_R: session_.Send(cmd::Reset{}); break;
    case GLFW_KEY_S: screenshot_requested_ = true; break;
    case GLFW_KEY_E: ui_.export_requested = true; break;
    case GLFW_KEY_G: ui_.clip_requested = true; break;
    case GLFW_KEY_H: ui_.show_controls = !ui_.show_controls; break;
    case GLFW_KEY_L: ui_.light_theme = !ui_.light_theme; break;
    case GLFW_KEY_A: ui_.time_axis = static_cast<TimeAxis>((static_cast<int>(ui_.time_axis) + 1) % 3); break;
    case GLFW_KEY_P: SetPresent(ui_, !ui_.present); break;
    case GLFW_KEY_C: ui_.present_caption = ui_.present && !ui_.present_caption; break;
    case GLFW_KEY_V: {
      // The next view, or with Shift the previous one (the presentation layout has no tabs).
      const int count = static_cast<int>(View::kCount);
      const int step = (mods & GLFW_MOD_SHIFT) != 0 ? count - 1 : 1;
      ui_.view = static_cast<View>((static_cast<int>(ui_.view) + step) % count);
      break;
    }
    default:
      if (key >= GLFW_KEY_1 && key <= GLFW_KEY_9) RequestScene(key - GLFW_KEY_1);
      break;
  }
}

int App::CurrentSceneIndex(const Snapshot& snapshot) const {
  for (std::size_t i = 0; i < ui_.scenes.size(); ++i) {
    if (ui_.scenes[i].name == snapshot.scene.name) return static_cast<int>(i);
  }
  return -1;
}

void App::RequestScene(int index) {
  ListScenesOnce(ui_);
  if (index < 0 || index >= static_cast<int>(ui_.scenes.size())) return;
  ui_.scene_request = ui_.scenes[static_cast<std::size_t>(index)].name;
}

void App::ExportIfRequested(const Snapshot& snapshot) {
  if (!ui_.export_requested) return;
  ui_.export_requested = false;
  char path[64];
  std::snprintf(path, sizeof(path), "bnlab-history-step%ld.csv", snapshot.step);
  try {
    ExportHistoriesCsv(snapshot, path);
    browser::OfferDownload(path, "text/csv");
    ui_.notice = std::string("Exported the histories to ") + path + " (the plotted points: long runs are merged)";
  } catch (const OutputError& e) {
    ui_.notice = std::string("Export failed: ") + e.what();
  }
}

void App::LoadRequestedScene() {
  if (ui_.scene_request.empty()) return;
  const std::string name = std::move(ui_.scene_request);
  ui_.scene_request.clear();
  try {
    cmd::LoadScene command{LoadScene(name)};
    View view = View::kDashboard;
    ParseView(command.scene.lesson.view, &view);  // a scene without a view opens the dashboard
    ui_.view = view;
    if (command.scene.lesson.present) SetPresent(ui_, true);
    session_.Send(std::move(command));
    ui_.scene_error.clear();
  } catch (const SettingsError& e) {
    ui_.scene_error = e.what();
  }
}

void App::SaveScreenshotNow(int width, int height) {
  screenshot_requested_ = false;
  char path[64];
  std::snprintf(path, sizeof(path), "bnlab-step%ld.png", session_.Latest()->step);
  std::string error;
  const bool saved = SaveFramebufferPng(path, width, height, &error);
  if (saved) browser::OfferDownload(path, "image/png");
  SetNotice(saved ? std::string("Saved ") + path : "Screenshot failed: " + error);
}

void App::SetNotice(std::string text) {
  notice_ = std::move(text);
  notice_time_ = ImGui::GetTime();
}

void App::StartRecording() {
  char path[64];
  std::snprintf(path, sizeof(path), "bnlab-step%ld.gif", session_.Latest()->step);
  std::string error;
  clip_ = GifRecorder::Open(path, &error);
  if (!clip_) {
    SetNotice("Clip failed: " + error);
    return;
  }
  clip_start_ = ImGui::GetTime();
  clip_next_centiseconds_ = 0;
  clip_dropped_ = 0;
}

void App::RecordFrame(int width, int height) {
  if (ui_.clip_requested) {
    ui_.clip_requested = false;
    if (clip_) FinishRecording();
    else StartRecording();
  }
  ui_.clip_recording = clip_ != nullptr;
  if (!clip_) return;
  const double seconds = ImGui::GetTime() - clip_start_;
  if (seconds >= ui_.clip_seconds) {
    FinishRecording();
    return;
  }
  const long centiseconds = std::lround(100.0 * seconds);
  if (centiseconds < clip_next_centiseconds_) return;
  clip_next_centiseconds_ = (centiseconds / GifRecorder::kFrameCentiseconds + 1) * GifRecorder::kFrameCentiseconds;
  if (clip_->TryAddFrame(ReadFramebuffer(width, height), width, height, centiseconds)) return;
  if (clip_->width() != width || clip_->height() != height) {
    FinishRecording();  // the clip keeps the window's first size: it ends where the size changed
    return;
  }
  ++clip_dropped_;  // the encoder is behind: the frame before is shown longer
}

void App::FinishRecording() {
  if (!clip_) return;
  const std::unique_ptr<GifRecorder> clip = std::move(clip_);
  ui_.clip_recording = false;
  const double seconds = std::min(ImGui::GetTime() - clip_start_, static_cast<double>(ui_.clip_seconds));
  std::string error;
  if (!clip->Finish(std::lround(100.0 * seconds), &error)) {
    SetNotice("Clip failed: " + error);
    return;
  }
  browser::OfferDownload(clip->path(), "image/gif");
  char text[256];
  std::snprintf(text, sizeof(text), "Saved %s: %.1f s, %d frames, %.1f MB%s", clip->path().c_str(), seconds,
                clip->frames_written(), static_cast<double>(clip->bytes_written()) / 1e6,
                clip_dropped_ > 0 ? " (some frames dropped: the encoder was behind)" : "");
  SetNotice(text);
}

void App::DrawStatusBar(const Snapshot& snapshot) {
  if (!ui_.notice.empty()) {
    notice_ = std::move(ui_.notice);
    ui_.notice.clear();
    notice_time_ = ImGui::GetTime();
  }
  // The session's notices (scene loaded, nets restarted, a net diverged) show for a few
  // seconds, like the app's own; an error that needs the user stays in the control panel.
  if (snapshot.message != last_message_ || snapshot.generation != last_generation_) {
    last_message_ = snapshot.message;
    last_generation_ = snapshot.generation;
    if (!snapshot.message.empty()) {
      notice_ = snapshot.message;
      notice_time_ = ImGui::GetTime();
    }
  }
  // A build under way says so for as long as it takes (seconds for the largest networks).
  if (!snapshot.building.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, AccentText());
    ImGui::TextUnformatted(snapshot.building.c_str());
    ImGui::PopStyleColor();
    return;
  }
  if (clip_) {
    ImGui::PushStyleColor(ImGuiCol_Text, kAlarmColor);
    ImGui::Text("Recording %s: %.0f / %d s (G stops)", clip_->path().c_str(),
                std::floor(ImGui::GetTime() - clip_start_), ui_.clip_seconds);
    ImGui::PopStyleColor();
    return;
  }
  const bool fresh = ImGui::GetTime() - notice_time_ < kNoticeSeconds && !notice_.empty();
  if (fresh) {
    ImGui::PushStyleColor(ImGuiCol_Text, AccentText());
    ImGui::TextUnformatted(notice_.c_str());
    ImGui::PopStyleColor();
    return;
  }
  // The longest list of keys that fits the width.
  static const char* const kHints[] = {
      "Space pause · N step · R reset · 1-9, PgUp/PgDn scenes · H panel · P present · F11 full screen · L light · "
      "A time axis · E export · S screenshot · G clip · Ctrl +/− size",
      "Space pause · N step · R reset · 1-9, PgUp/PgDn scenes · H panel · P present · F11 full screen · G clip · "
      "Ctrl +/− size",
      "Space pause · N step · PgUp/PgDn scenes · P present · Ctrl +/− size",
      "Space pause · H panel · P present",
  };
  static const char* const kPresentHints[] = {
      "Space pause · N step · 1-9, PgUp/PgDn scenes · V / Shift V views · C caption · P leave · F11 full screen · "
      "G clip",
      "Space pause · PgUp/PgDn scenes · V views · C caption · P leave",
      "Space · V views · P leave",
  };
  const float width = ImGui::GetContentRegionAvail().x;
  const char* const* hints = ui_.present ? kPresentHints : kHints;
  const int count = ui_.present ? IM_ARRAYSIZE(kPresentHints) : IM_ARRAYSIZE(kHints);
  const char* hint = hints[count - 1];  // the shortest, unless a longer one fits
  for (int i = 0; i < count; ++i) {
    if (ImGui::CalcTextSize(hints[i]).x <= width) {
      hint = hints[i];
      break;
    }
  }
  ImGui::TextDisabled("%s", hint);
}

namespace {

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
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  // Buttons while they fit in two rows; a drop-down where they would take more of the height
  // the plots need (large UI scales in small windows).
  float total = 0.0f;
  for (int i = 0; i < static_cast<int>(View::kCount); ++i) {
    total +=
        ImGui::CalcTextSize(ViewTitle(static_cast<View>(i))).x + 2.0f * style.FramePadding.x + style.ItemInnerSpacing.x;
  }
  if (total > 1.8f * ImGui::GetContentRegionAvail().x) {
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 16.0f * ImGui::GetFontSize()));
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
    const char* title = ViewTitle(view);
    const float width = ImGui::CalcTextSize(title).x + 2.0f * style.FramePadding.x;
    if (i > 0) {
      ImGui::SameLine(0.0f, style.ItemInnerSpacing.x);
      if (ImGui::GetItemRectMax().x + style.ItemInnerSpacing.x + width > right) ImGui::NewLine();
    }
    const bool selected = ui_.view == view;
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(selected ? ImGuiCol_TabActive : ImGuiCol_Tab));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::GetStyleColorVec4(ImGuiCol_TabHovered));
    if (ImGui::Button(title)) ui_.view = view;
    ImGui::PopStyleColor(2);
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

// The height of the caption bar for `text` in a view `width` wide and `height` tall.
float CaptionBarHeight(const std::string& text, float width, float height) {
  if (text.empty()) return 0.0f;
  const float pad = Px(kCaptionPad);
  const ImVec2 text_size = ImGui::CalcTextSize(WrapTextAtSpaces(text, width - 2.0f * pad).c_str());
  return std::min(text_size.y + 2.0f * pad, 0.45f * height);
}

}  // namespace

void App::DrawCaptionBar(const std::string& text, const ImVec2& pos, const ImVec2& size) {
  const float pad = Px(kCaptionPad);
  ImGui::SetCursorScreenPos(pos);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(TextBacking(235)));
  ImGui::BeginChild("##caption_bar", size, true, ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoScrollbar);
  ImGui::SetCursorPos(ImVec2(pad, pad));
  ImGui::PushTextWrapPos(size.x - pad);
  TextWrappedAtSpaces("%s", text.c_str());
  ImGui::PopTextWrapPos();
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
  const std::string caption = ui_.present ? CaptionBarText(snapshot) : std::string();
  ImVec2 size = ImGui::GetContentRegionAvail();
  const float caption_height = CaptionBarHeight(caption, size.x, size.y);
  if (caption_height > 0.0f) size.y -= caption_height + ImGui::GetStyle().ItemSpacing.y;
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
    DrawCaptionBar(caption, ImVec2(view_min.x, view_max.y + ImGui::GetStyle().ItemSpacing.y),
                   ImVec2(view_max.x - view_min.x, caption_height));
  }
}

void App::UpdateLabs() {
  Labs labs;
  labs.noise = ui_.view == View::kNoise;
  labs.inside_bn = ui_.view == View::kInsideBn;
  labs.test_time = ui_.view == View::kTrainEval;
  labs.landscape = ui_.view == View::kLandscape;
  if (labs == labs_sent_) return;
  session_.Send(cmd::SetLabs{labs});
  labs_sent_ = labs;
}

void App::Frame() {
  const std::shared_ptr<const Snapshot> snapshot = session_.Latest();
  // The lesson's live verdict: once per new snapshot, not once per frame.
  if (snapshot != verdict_snapshot_) {
    verdict_snapshot_ = snapshot;
    verdict_ = ComputeVerdict(snapshot->scene.lesson.verdict, *snapshot);
  }
  HandleKeys();
  SetColumns(snapshot->config.left, snapshot->config.right);

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBackground;  // the frame starts cleared to the page colour
  ImGui::Begin("bnlab", nullptr, flags);
  const float status_height = ImGui::GetFrameHeightWithSpacing();
  if (ui_.show_controls) {
    // About a third of the window at most, so the views keep the room at large UI scales.
    const float width = std::min(Px(kControlsWidth), 0.36f * viewport->WorkSize.x);
    ImGui::BeginChild("controls", ImVec2(width, -status_height), true);
    DrawControlsPanel(*snapshot, ui_, session_);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("views", ImVec2(0.0f, -status_height), false, ImGuiWindowFlags_NoScrollbar);
  DrawViews(*snapshot);
  ImGui::EndChild();
  DrawStatusBar(*snapshot);
  ImGui::End();
  UpdateLabs();
  ExportIfRequested(*snapshot);
  LoadRequestedScene();
}

}  // namespace bnlab
