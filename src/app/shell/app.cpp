// The App: a frame of the window (Frame), the keys, the scene and export requests, and which
// labs the session runs. Its other parts: the views' area (app_views.cpp) and the status bar
// with the screenshots and clips it reports (app_status.cpp).
#include "app/shell/app.h"

#include "app/shell/browser.h"
#include "app/views/panels.h"
#include "app/shell/key_queue.h"
#include "app/shell/theme.h"
#include "report/train_csv.h"
#include "session/history_export.h"
#include "session/verdict.h"

#include <imgui.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>  // key codes: ImGui 1.86 indexes keys by the backend's codes

#include <algorithm>
#include <cstdio>

namespace bnlab {
namespace {

constexpr float kControlsWidth = 330.0f;
constexpr float kScaleStep = 0.125f;

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
    case GLFW_KEY_C:
      // The caption bar on, its next page, or off after its last.
      if (ui_.present_caption && ui_.caption_page + 1 < caption_pages_) {
        ++ui_.caption_page;
      } else {
        ui_.present_caption = ui_.present && !ui_.present_caption;
        ui_.caption_page = 0;
      }
      break;
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
