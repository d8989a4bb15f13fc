// The control panel: what a lecturer touches. Live settings (batch size, learning rate,
// speed, BN momentum/ε, optimizer) apply between two steps; settings that need new
// networks restart both nets and the panel says so.
#include "app/views/panel_util.h"
#include "app/views/panels.h"
#include "app/shell/browser.h"
#include "engine/platform.h"
#include "app/shell/theme.h"
#include "settings/command_line.h"
#include "settings/scene_writer.h"
#include "settings/setting_table.h"
#include "settings/settings.h"

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
// differ from the scene's, and the view (the speed is not a flag: the scene's applies).
std::string PageQuery(const Snapshot& snapshot, const UiState& ui) {
  std::vector<std::pair<std::string, std::string>> pairs;
  TrainConfig from;
  try {
    from = LoadScene(snapshot.scene.name).config;
    pairs.emplace_back("scene", snapshot.scene.name);
  } catch (const SettingsError&) {
    // Not a bundled scene (a file opened by name): every setting that differs from the defaults.
  }
  for (auto& pair : ChangedSettings(from, snapshot.requested_config())) pairs.push_back(std::move(pair));
  pairs.emplace_back("view", ViewName(ui.view));
  return UrlQuery(pairs);
}

void SendConfig(Session& session, const TrainConfig& config) { session.Send(cmd::ApplyConfig{config}); }

// A problem to fix, in the views' alarm colour, wrapped to the panel's width.
void ErrorText(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kAlarmColor));
  TextWrappedAtSpaces("%s", text.c_str());
  ImGui::PopStyleColor();
}

void SectionHeader(const char* text) {
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text,
                        LightTheme() ? ImVec4(0.1f, 0.3f, 0.6f, 1.0f) : ImVec4(0.65f, 0.75f, 0.9f, 1.0f));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::Separator();
}

// The setting's name and value on a line of their own, the value bright and right-aligned; the
// slider below draws no text, so its grab never sits on the digits. The slider keeps its
// format (ImGui derives the rounding from it) but draws it invisibly.
void SliderCaption(const char* name, const char* value) {
  ImGui::TextUnformatted(name);
  ImGui::SameLine();
  const float right = ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(value).x;
  ImGui::SetCursorPosX(std::max(right, ImGui::GetCursorPosX()));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotHistogram));
  ImGui::TextUnformatted(value);
  ImGui::PopStyleColor();
}

// `slider` draws the slider and returns whether it changed `*value`; a non-finite value typed
// into it (Ctrl+click makes a slider a text field, and "nan" parses) counts as no change.
template <typename T, typename Slider>
bool CaptionedSlider(const char* name, const std::string& text, const T* value, Slider slider) {
  ImGui::PushID(name);
  SliderCaption(name, text.c_str());
  ImGui::SetNextItemWidth(-1);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0, 0, 0, 0));
  const bool changed = slider() && std::isfinite(static_cast<double>(*value));
  ImGui::PopStyleColor();
  ImGui::PopID();
  return changed;
}

std::string Printed(const char* format, double value) {
  char text[48];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

// A combo box over one setting's choices as the settings table lists them (which lists the
// engine's names): picking another sets it in *config. `shown` words a choice ("%s").
bool SettingCombo(const char* label, const char* setting, TrainConfig* config, const char* shown = "%s") {
  const settings::SettingSpec* spec = settings::Find(setting);
  IM_ASSERT(spec != nullptr && spec->type == settings::SettingType::kChoice);
  const std::string current = spec->get(*config).text;
  char text[96];  // a choice as shown, formatted here rather than into a new string
  const auto words = [shown, &text](const std::string& choice) {
    std::snprintf(text, sizeof text, shown, choice.c_str());
    return text;
  };
  bool changed = false;
  if (ImGui::BeginCombo(label, words(current))) {
    for (const std::string& choice : spec->choices) {
      const bool selected = choice == current;
      if (ImGui::Selectable(words(choice), selected) && !selected) {
        settings::SettingValue value;
        value.text = choice;
        spec->set(config, value);
        changed = true;
      }
      if (selected) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  return changed;
}

std::string JoinWidths(const std::vector<int>& widths) {
  std::string text;
  for (std::size_t i = 0; i < widths.size(); ++i) text += (i ? "," : "") + std::to_string(widths[i]);
  return text;
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
  ImGui::Text("step %ld   epoch %ld", snapshot.step, snapshot.epoch);
  const char* state = !snapshot.building.empty() ? "building"
                      : !snapshot.dataset        ? "no data"
                      : snapshot.paused          ? "paused"
                                                 : "training";
  ImGui::Text("%s   %.0f steps/s", state, snapshot.steps_per_second);
}

void DrawLiveSettings(const Snapshot& snapshot, Session& session) {
  SectionHeader("Live (no reset)");
  int batch = snapshot.requested_config().batch_size;
  if (CaptionedSlider("batch size m", std::to_string(batch), &batch, [&] {
        return ImGui::SliderInt("##batch", &batch, 1, 1024, "%d",
                                ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    session.Send(cmd::SetBatchSize{std::max(batch, 1)});
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Samples per mini-batch m. BN's μ_B and σ²_B come from these m samples.");
  float lr = static_cast<float>(snapshot.requested_config().optimizer.learning_rate);
  if (CaptionedSlider("learning rate", Printed("%.3g", lr), &lr, [&] {
        return ImGui::SliderFloat("##lr", &lr, 0.001f, 10.0f, "%.3g",
                                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    session.Send(cmd::SetLearningRate{static_cast<double>(std::max(lr, 1e-6f))});
  }

  TrainConfig next = snapshot.requested_config();
  bool changed = false;
  float bn_momentum = static_cast<float>(next.net.bn_momentum);
  if (CaptionedSlider("BN momentum", Printed("%.3f", bn_momentum), &bn_momentum, [&] {
        return ImGui::SliderFloat("##bnmom", &bn_momentum, 0.001f, 1.0f, "%.3f",
                                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    next.net.bn_momentum = std::clamp(static_cast<double>(bn_momentum), 1e-3, 1.0);
    changed = true;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("running ← (1 − momentum)·running + momentum·batch statistic");
  float eps = static_cast<float>(next.net.bn_eps);
  if (CaptionedSlider("BN ε", Printed("%.1e", eps), &eps, [&] {
        return ImGui::SliderFloat("##eps", &eps, 1e-8f, 1.0f, "%.1e",
                                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    next.net.bn_eps = std::clamp(static_cast<double>(eps), 1e-8, 1.0);
    changed = true;
  }
  float sgd_momentum = static_cast<float>(next.optimizer.momentum);
  if (CaptionedSlider("SGD momentum", Printed("%.2f", sgd_momentum), &sgd_momentum, [&] {
        return ImGui::SliderFloat("##sgdmom", &sgd_momentum, 0.0f, 0.99f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
      })) {
    next.optimizer.momentum = static_cast<double>(sgd_momentum);
    changed = true;
  }
  ImGui::SetNextItemWidth(-1);
  if (SettingCombo("##evalstats", "eval-stats", &next, "test with %s statistics")) changed = true;
  if (changed) SendConfig(session, next);
}

// The two columns' variants, with the ghost group and renorm's clips when a column uses them.
// True when `next` changed.
bool DrawColumnSettings(TrainConfig* config) {
  TrainConfig& next = *config;
  bool changed = false;
  // The two columns: any two normalizations (both start from the same weights, see the same
  // batches). A choice the settings reject (the same variant twice) is said below.
  for (Variant* column : {&next.left, &next.right}) {
    const bool is_left = column == &next.left;
    if (ImGui::BeginCombo(is_left ? "left" : "right", VariantTitle(*column))) {
      for (const VariantInfo& info : Variants()) {
        if (ImGui::Selectable(info.title, info.variant == *column)) {
          *column = info.variant;
          changed = true;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", info.description);
      }
      ImGui::EndCombo();
    }
  }
  if (next.left == Variant::kGhostBn || next.right == Variant::kGhostBn) {
    int group = next.ghost_group;
    if (ImGui::InputInt("ghost group", &group, 1, 8, ImGuiInputTextFlags_EnterReturnsTrue)) {
      next.ghost_group = std::clamp(group, 1, std::max(next.batch_size, 1));
      changed = true;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Ghost BN: statistics over groups of this many samples of each batch");
  }
  if (next.left == Variant::kRenorm || next.right == Variant::kRenorm) {
    float r_max = static_cast<float>(next.net.renorm_r_max), d_max = static_cast<float>(next.net.renorm_d_max);
    ImGui::SliderFloat("renorm r_max", &r_max, 1.0f, 10.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
    if (ImGui::IsItemDeactivatedAfterEdit() && std::isfinite(r_max)) {
      next.net.renorm_r_max = r_max;
      changed = true;
    }
    ImGui::SliderFloat("renorm d_max", &d_max, 0.0f, 10.0f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
    if (ImGui::IsItemDeactivatedAfterEdit() && std::isfinite(d_max)) {
      next.net.renorm_d_max = d_max;
      changed = true;
    }
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip(
          "Batch Renorm: r = clip(σ_B/σ, 1/r_max, r_max), d = clip((μ_B − μ)/σ, −d_max, d_max); r_max 1, d_max 0 is BN");
    }
  }

  return changed;
}

// The hidden widths as typed text ("100,100,100"), applied on Enter; a rejected list stays as
// typed, with the reason below it. True when `next` changed.
bool DrawHiddenWidths(const Snapshot& snapshot, UiState& ui, TrainConfig* next) {
  bool changed = false;
  if (ui.hidden_widths_generation != snapshot.generation) {
    ui.hidden_widths_text = JoinWidths(snapshot.requested_config().net.hidden);
    ui.hidden_widths_generation = snapshot.generation;
  }
  char buffer[128];
  std::snprintf(buffer, sizeof(buffer), "%s", ui.hidden_widths_text.c_str());
  if (ImGui::InputText("hidden", buffer, sizeof(buffer), ImGuiInputTextFlags_EnterReturnsTrue)) {
    try {
      ApplyFlag("layers", buffer, next);
      CheckConfig(*next, "hidden");  // e.g. more memory than this machine can give one run
      changed = true;
      ui.hidden_widths_error.clear();
    } catch (const SettingsError& e) {
      ui.hidden_widths_error = e.what();  // left as typed, with the reason below it
    }
  }
  ui.hidden_widths_text = buffer;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Hidden widths, e.g. 100,100,100. Enter applies.");
  if (!ui.hidden_widths_error.empty()) {
    ErrorText(ui.hidden_widths_error);
  }

  return changed;
}

void DrawNetworkSettings(const Snapshot& snapshot, UiState& ui, Session& session) {
  SectionHeader("Network (restarts training)");
  TrainConfig next = snapshot.requested_config();
  bool changed = false;
  ImGui::PushItemWidth(-Px(110));

  if (DrawColumnSettings(&next)) changed = true;
  if (SettingCombo("dataset", "dataset", &next)) changed = true;
  if (DrawHiddenWidths(snapshot, ui, &next)) changed = true;
  if (SettingCombo("activation", "activation", &next)) changed = true;
  if (SettingCombo("init", "init", &next)) changed = true;
  float init_scale = static_cast<float>(next.net.init_scale);
  ImGui::SliderFloat("init scale", &init_scale, 0.01f, 10.0f, "%.3g",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  // Applied on release: every intermediate value would restart training.
  if (ImGui::IsItemDeactivatedAfterEdit() && std::isfinite(init_scale)) {
    next.net.init_scale = static_cast<double>(init_scale);
    changed = true;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Gaussian: weights ~ N(0, scale²). Xavier: a gain. Large scales saturate plain sigmoids.");
  if (SettingCombo("BN", "bn-placement", &next, "%s activation")) changed = true;
  if (ImGui::Checkbox("bias before BN", &next.net.bias_before_bn)) changed = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A bias before BN is subtracted again with μ_B: its gradient is exactly 0.");
  // The whole 64-bit seed, as the command line takes it (an int would show 4294967297 as 1).
  std::uint64_t seed = next.seed;
  const std::uint64_t seed_step = 1, seed_step_fast = 10;
  if (ImGui::InputScalar("seed", ImGuiDataType_U64, &seed, &seed_step, &seed_step_fast, "%llu",
                         ImGuiInputTextFlags_EnterReturnsTrue)) {
    next.seed = seed;
    changed = true;
  }
  ImGui::PopItemWidth();
  if (changed) {
    // What the settings reject (the same variant twice, a ghost group above the batch) is said
    // here, and nothing is sent.
    try {
      CheckConfig(next, "network settings");
      SendConfig(session, next);
      ui.network_error.clear();
    } catch (const SettingsError& e) {
      ui.network_error = e.what();
    }
  }
  if (!ui.network_error.empty()) {
    ErrorText(ui.network_error);
  }
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
  if (ImGui::Button("Save as scene")) {
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
    if (ImGui::Button("Copy link")) {
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
  DrawLiveSettings(snapshot, session);
  DrawNetworkSettings(snapshot, ui, session);
  DrawShare(snapshot, ui, session);
  DrawDisplaySettings(ui);
}

}  // namespace bnlab
