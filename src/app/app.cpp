#include "app/app.h"

#include "app/panels.h"
#include "app/screenshot.h"
#include "app/theme.h"

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
  ImGuiIO& io = ImGui::GetIO();
  // Ctrl +/− work everywhere; the single-letter keys only when no text field has focus.
  if (io.KeyCtrl && (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD))) {
    ui_.ui_scale = std::min(3.0f, ui_.ui_scale + kScaleStep);
  }
  if (io.KeyCtrl && (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))) {
    ui_.ui_scale = std::max(0.5f, ui_.ui_scale - kScaleStep);
  }
  if (io.WantTextInput || io.KeyCtrl) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) session_.Send({Command::Kind::kTogglePause});
  if (ImGui::IsKeyPressed(GLFW_KEY_N)) session_.Send({Command::Kind::kSingleStep});
  if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) session_.Send({Command::Kind::kReset});
  if (ImGui::IsKeyPressed(GLFW_KEY_S, false)) screenshot_requested_ = true;
}

void App::LoadRequestedScene() {
  if (ui_.scene_request.empty()) return;
  const std::string name = std::move(ui_.scene_request);
  ui_.scene_request.clear();
  try {
    Command command(Command::Kind::kLoadScene);
    command.scene = LoadScene(name);
    View view = View::kDashboard;
    ParseView(command.scene.lesson.view, &view);  // a scene without a view opens the dashboard
    ui_.view = view;
    ui_.select_view = true;
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
  screenshot_message_ = SaveFramebufferPng(path, width, height, &error) ? std::string("Saved ") + path
                                                                         : "Screenshot failed: " + error;
}

void App::Shutdown() { ShutdownBoundaryPanel(); }

void App::DrawStatusBar(const Snapshot& snapshot) {
  ImGui::TextDisabled("Space pause · N step · R reset · S screenshot · Ctrl +/− size");
  if (!screenshot_message_.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(screenshot_message_.c_str());
  }
  (void)snapshot;
}

// Nothing could be loaded (e.g. Fashion-MNIST is not installed) or built: say why, and offer the
// synthetic sets, which need no files.
void App::DrawNoData(const Snapshot& snapshot) {
  const float width = std::min(ImGui::GetContentRegionAvail().x, Px(720));
  ImGui::SetCursorPos(ImVec2((ImGui::GetContentRegionAvail().x - width) * 0.5f, Px(80)));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::PushFont(BigFont());
  ImGui::TextUnformatted("Training could not start");
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.45f, 1.0f));
  ImGui::TextWrapped("%s", snapshot.error.c_str());
  ImGui::PopStyleColor();
  ImGui::Spacing();
  if (!snapshot.error_is_data) {
    // A setting the data cannot take (e.g. a batch larger than the training set): the panel
    // on the left changes it; other data would not help.
    ImGui::TextWrapped("Change that setting in the panel on the left; training starts as soon as it can.");
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    return;
  }
  ImGui::TextWrapped("The synthetic 2-D sets need no files. Train on one of them:");
  for (const char* name : {"spiral", "moons", "circles", "xor", "blobs"}) {
    if (ImGui::Button(name, ImVec2(Px(120), 0))) {
      Command command(Command::Kind::kApplyConfig);
      command.config = snapshot.config;
      command.config.data.name = name;
      command.config.net.hidden = {32, 32, 32};
      command.config.batch_size = 32;
      session_.Send(command);
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

void App::DrawViews(const Snapshot& snapshot) {
  if (!snapshot.dataset) {
    DrawNoData(snapshot);
    return;
  }
  if (!ImGui::BeginTabBar("views")) return;
  for (int i = 0; i < static_cast<int>(View::kCount); ++i) {
    const View view = static_cast<View>(i);
    // On the first frame the saved (or --view) choice selects its tab.
    const bool select = first_frame_ || ui_.select_view;
    const ImGuiTabItemFlags flags = (select && view == ui_.view) ? ImGuiTabItemFlags_SetSelected : 0;
    if (!ImGui::BeginTabItem(ViewTitle(view), nullptr, flags)) continue;
    if (!select) ui_.view = view;
    const ImVec2 size = ImGui::GetContentRegionAvail();
    switch (view) {
      case View::kDashboard: DrawDashboard(snapshot, ui_, size); break;
      case View::kLoss: DrawLossPanel(snapshot, ui_, size); break;
      case View::kActivations: DrawActivationsPanel(snapshot, ui_, size); break;
      case View::kDistribution: DrawDistributionPanel(snapshot, ui_, session_, size); break;
      case View::kGradients: DrawGradientsPanel(snapshot, ui_, size); break;
      case View::kNoise: DrawNoisePanel(snapshot, ui_, session_, noise_cache_, size); break;
      case View::kTrainEval: DrawTrainEvalPanel(snapshot, ui_, session_, train_eval_cache_, size); break;
      case View::kInsideBn: DrawInsideBnPanel(snapshot, ui_, session_, inside_bn_cache_, size); break;
      case View::kBoundary: DrawBoundaryPanel(snapshot, ui_, size); break;
      case View::kCount: break;
    }
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

void App::UpdateNoiseLab() {
  const bool shown = ui_.view == View::kNoise;
  if (shown == noise_lab_on_) return;
  session_.Send(Command(Command::Kind::kSetNoiseLab, shown ? 1.0 : 0.0));
  noise_lab_on_ = shown;
}

void App::UpdateBnLabs() {
  const bool inside_shown = ui_.view == View::kInsideBn;
  if (inside_shown != inside_bn_on_) {
    session_.Send(Command(Command::Kind::kSetInsideBn, inside_shown ? 1.0 : 0.0));
    inside_bn_on_ = inside_shown;
  }
  const bool test_time_shown = ui_.view == View::kTrainEval;
  if (test_time_shown != test_time_on_) {
    session_.Send(Command(Command::Kind::kSetTestTime, test_time_shown ? 1.0 : 0.0));
    test_time_on_ = test_time_shown;
  }
}

void App::Frame() {
  const std::shared_ptr<const Snapshot> snapshot = session_.Latest();
  HandleKeys();

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(viewport->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
  ImGui::Begin("bnlab", nullptr, flags);
  const float status_height = ImGui::GetFrameHeightWithSpacing();
  ImGui::BeginChild("controls", ImVec2(Px(kControlsWidth), -status_height), true);
  DrawControlsPanel(*snapshot, ui_, session_);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("views", ImVec2(0.0f, -status_height), false, ImGuiWindowFlags_NoScrollbar);
  DrawViews(*snapshot);
  ImGui::EndChild();
  DrawStatusBar(*snapshot);
  ImGui::End();
  UpdateNoiseLab();
  UpdateBnLabs();
  if (!first_frame_) ui_.select_view = false;
  LoadRequestedScene();
  first_frame_ = false;
}

}  // namespace bnlab
