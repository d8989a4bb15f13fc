// The control panel: what a lecturer touches. The scene picker, the transport (play, step,
// reset, speed), the training settings (setting_controls.cpp: live ones apply between two
// steps, the others restart both nets and the panel says so), sharing and display.
#include "app/controls/control_widgets.h"
#include "app/controls/setting_controls.h"
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/browser.h"
#include "app/shell/theme.h"
#include "engine/float_text.h"
#include "engine/platform.h"
#include "settings/command_line.h"
#include "settings/scene_writer.h"
#include "settings/settings.h"
#include "session/verdict.h"  // GroupedSteps

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace bnlab {
namespace {

constexpr float kUnlimitedSpeed = 2000.0f;  // the speed slider's right end means "as fast as possible"

// Copy link: the URL query that opens the page as it is now. The scene, the settings that
// differ from the scene's, the view, and the speed when it is not the scene's.
std::string PageQuery(const Snapshot& snapshot, const UiState& ui) {
  std::vector<std::pair<std::string, std::string>> pairs;
  Scene from;
  try {
    from = LoadScene(snapshot.scene.name);
    pairs.emplace_back("scene", snapshot.scene.name);
  } catch (const SettingsError&) {
    // Not a bundled scene (a file opened by name): every setting that differs from the defaults.
  }
  for (auto& pair : ChangedSettings(from.config, snapshot.requested_config())) pairs.push_back(std::move(pair));
  pairs.emplace_back("view", ViewName(ui.view));
  const double scene_speed = from.lesson.has_speed ? from.lesson.speed : 0.0;
  if (snapshot.speed != scene_speed) {
    char speed[32];
    const std::to_chars_result end = DoubleToChars(speed, speed + sizeof(speed), snapshot.speed);
    pairs.emplace_back("speed", std::string(speed, end.ptr));
  }
  return UrlQuery(pairs);
}

// The page: where the button just drawn is, for the browser tests (browser::ReportItem).
void ReportButton(const char* name) {
  if (!kWebAssembly) return;
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  browser::ReportItem(name, min.x, min.y, max.x, max.y);
}

void DrawTransport(const Snapshot& snapshot, Session& session) {
  const float button_width = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3.0f;
  if (ImGui::Button(snapshot.paused ? "Play" : "Pause", ImVec2(button_width, 0))) {
    if (snapshot.paused) session.Send(cmd::Resume{});
    else session.Send(cmd::Pause{});
  }
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(button_width, 0))) session.Send(cmd::SingleStep{});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("One mini-batch for both nets (N)");
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(button_width, 0))) session.Send(cmd::Reset{});
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("New networks from the same seed (R)");

  float speed = snapshot.speed > 0.0 ? static_cast<float>(snapshot.speed) : kUnlimitedSpeed;
  const std::string speed_text = speed >= kUnlimitedSpeed ? "max"
                                 : speed < 1.5f           ? "1 step/s"
                                                          : Printed("%.0f steps/s", speed);
  if (CaptionedSlider("speed", speed_text, &speed, [&] {
        return ImGui::SliderFloat("##speed", &speed, 1.0f, kUnlimitedSpeed, "%.0f",
                                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    session.Send(cmd::SetSpeed{speed >= kUnlimitedSpeed ? 0.0 : static_cast<double>(speed)});
  }
  ImGui::Text("step %s   epoch %s", GroupedSteps(snapshot.step).c_str(), GroupedSteps(snapshot.epoch).c_str());
  const char* state = !snapshot.building.empty() ? "building"
                      : !snapshot.dataset        ? "no data"
                      : snapshot.paused          ? "paused"
                                                 : "training";
  ImGui::Text("%s   %.0f steps/s", state, snapshot.steps_per_second);
}

// The scenes in lecture order, numbered as keys 1-9 reach them.
void DrawScenePicker(const Snapshot& snapshot, UiState& ui) {
  ListScenesOnce(ui);
  ImGui::SetNextItemWidth(-1);
  const std::string current = snapshot.scene.title.empty() ? "choose a scene" : snapshot.scene.title;
  if (ImGui::BeginCombo("##scene", current.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (std::size_t i = 0; i < ui.scenes.size(); ++i) {
      const SceneEntry& entry = ui.scenes[i];
      const std::string label = std::to_string(i + 1) + "  " + (entry.title.empty() ? entry.name : entry.title);
      if (ImGui::Selectable(label.c_str(), entry.name == snapshot.scene.name)) ui.scene_request = entry.name;
    }
    ImGui::EndCombo();
  }
  // The box may cut a long title ("A learning rate only BN survive"): the tooltip has it whole.
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("%s\nKeys 1-9 jump to a scene; Page Down / Page Up go to the next / previous one",
                      current.c_str());
  }
  // The page cannot read a path typed in: the browser's file picker hands it the file.
  if (kWebAssembly && ImGui::Button("Open a scene file…")) browser::OpenFilePicker();
  if (!ui.scene_error.empty()) {
    ErrorText(ui.scene_error);
  }
}

// A problem the user must fix stays here until it is fixed; passing notices go to the status
// bar, where they fade (App::DrawStatusBar).
void DrawErrors(const Snapshot& snapshot) {
  if (!snapshot.error.empty()) ErrorText(snapshot.error);
}

// What the GUI shows, taken elsewhere: a scene file, the equivalent command, the histories.
void DrawShare(const Snapshot& snapshot, UiState& ui, Session& session) {
  SectionHeader("Share");
  char path[256];
  std::snprintf(path, sizeof(path), "%s", ui.save_scene_path.c_str());
  ImGui::SetNextItemWidth(-Px(110));
  if (ImGui::InputText("scene file", path, sizeof(path))) ui.save_scene_path = path;
  const bool save = ImGui::Button("Save as scene");
  ReportButton("Save as scene");
  if (save) {
    Scene scene;
    scene.name = snapshot.scene.name;
    scene.title = snapshot.scene.title.empty() ? "Saved settings" : snapshot.scene.title + " (saved)";
    scene.description = snapshot.scene.description;
    scene.lesson = snapshot.scene.lesson;
    scene.lesson.order = 0;  // a saved copy does not take a place in the lecture
    scene.lesson.view = ViewName(ui.view);
    scene.lesson.has_speed = true;
    scene.lesson.speed = snapshot.speed;
    scene.lesson.present = ui.present;
    scene.config = snapshot.requested_config();
    try {
      SaveSceneFile(scene, ui.save_scene_path);
      browser::OfferDownload(ui.save_scene_path, "application/toml");
      ui.notice = "Saved " + ui.save_scene_path + ": bnlab --scene " + ui.save_scene_path + " opens it";
    } catch (const SettingsError& e) {
      ui.notice = std::string("Not saved: ") + e.what();
    }
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The settings, the view and the speed as a scene file that loads back to them");
  ImGui::SameLine();
  if (ImGui::Button("Copy command")) {
    const std::string command = CommandLine(snapshot.requested_config());
    ImGui::SetClipboardText(command.c_str());
    ui.notice = "Copied: " + command;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The bnlab train line that trains the same nets without a window");
  if (kWebAssembly) {
    ImGui::SameLine();
    const bool copy = ImGui::Button("Copy link");
    ReportButton("Copy link");
    if (copy) {
      const std::string link = browser::PageAddress() + PageQuery(snapshot, ui);
      ImGui::SetClipboardText(link.c_str());
      ui.notice = "Copied: " + link;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("This page's address with the scene, the settings and the view");
  }
  if (ImGui::Button("Export CSV (E)")) ui.export_requested = true;
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Every history on screen, in the columns of bnlab train --csv, to bnlab-history-stepN.csv");
  }
  if (ImGui::Button(ui.clip_recording ? "Stop the clip (G)" : "Record GIF (G)")) ui.clip_requested = true;
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip(
        "The window for the seconds beside, as an animated GIF at 10 frames a second, to bnlab-stepN.gif "
        "(PowerPoint, Keynote and Google Slides play it)");
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-Px(70));
  ImGui::SliderInt("seconds", &ui.clip_seconds, kMinClipSeconds, kMaxClipSeconds, "%d s", ImGuiSliderFlags_AlwaysClamp);
  (void)session;
}

// How the plots look: the step axis, the theme, the size (all also on keys).
void DrawDisplaySettings(UiState& ui) {
  SectionHeader("Display");
  ImGui::PushItemWidth(-Px(110));
  int axis = static_cast<int>(ui.time_axis);
  char last[48];
  std::snprintf(last, sizeof(last), "last %d steps", ui.last_steps);
  const char* axes[] = {"all steps", last, "log steps"};
  if (ImGui::Combo("time axis", &axis, axes, IM_ARRAYSIZE(axes))) ui.time_axis = static_cast<TimeAxis>(axis);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The x axis of every plot over steps (key A cycles)");
  if (ui.time_axis == TimeAxis::kLast) {
    ImGui::SliderInt("steps shown", &ui.last_steps, kMinLastSteps, kMaxLastSteps, "%d",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
    ui.last_steps = std::clamp(ui.last_steps, kMinLastSteps, kMaxLastSteps);
  }
  ImGui::PopItemWidth();
  ImGui::Checkbox("light theme (L)", &ui.light_theme);
  const char* full_screen = "full screen (F11)";
  const float button_width = ImGui::CalcTextSize(full_screen).x + 2.0f * ImGui::GetStyle().FramePadding.x;
  if (ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x - ImGui::GetStyle().ItemSpacing.x >= button_width) {
    ImGui::SameLine();
  }
  if (ImGui::Button(full_screen)) ui.fullscreen_requested = true;
  ImGui::Text("size %.0f%%  (Ctrl +/−, Ctrl 0)", 100.0f * ui.ui_scale);
}

}  // namespace

void ListScenesOnce(UiState& ui) {
  if (ui.scenes_listed) return;
  ui.scenes = ListLessons();
  ui.scenes_listed = true;
}

void DrawControlsPanel(const Snapshot& snapshot, UiState& ui, Session& session) {
  DrawScenePicker(snapshot, ui);
  DrawTransport(snapshot, session);
  DrawErrors(snapshot);
  DrawSettingSections(snapshot, ui, session);
  DrawShare(snapshot, ui, session);
  DrawDisplaySettings(ui);
}

}  // namespace bnlab
