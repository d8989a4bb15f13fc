#include "app/controls/setting_controls.h"

#include "app/controls/control_widgets.h"
#include "app/shell/theme.h"
#include "app/views/panel_util.h"
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

using settings::Applies;

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

// What a control draws with: the snapshot, the panel's state, the session (the batch size and
// the learning rate send their own commands, which the session marks as one change while a
// slider is dragged) and the settings to change. A control returns true when it changed *next.
struct ControlContext {
  const Snapshot& snapshot;
  UiState& ui;
  Session& session;
  TrainConfig* next;
};

bool BatchSizeControl(ControlContext& c) {
  int batch = c.next->batch_size;
  if (CaptionedSlider("batch size m", std::to_string(batch), &batch, [&] {
        return ImGui::SliderInt("##batch", &batch, 1, 1024, "%d",
                                ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    c.session.Send(cmd::SetBatchSize{std::max(batch, 1)});
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Samples per mini-batch m. BN's μ_B and σ²_B come from these m samples.");
  return false;
}

bool LearningRateControl(ControlContext& c) {
  float lr = static_cast<float>(c.next->optimizer.learning_rate);
  if (CaptionedSlider("learning rate", Printed("%.3g", lr), &lr, [&] {
        return ImGui::SliderFloat("##lr", &lr, 0.001f, 10.0f, "%.3g",
                                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    c.session.Send(cmd::SetLearningRate{static_cast<double>(std::max(lr, 1e-6f))});
  }
  return false;
}

bool BnMomentumControl(ControlContext& c) {
  float bn_momentum = static_cast<float>(c.next->net.bn_momentum);
  bool changed = false;
  if (CaptionedSlider("BN momentum", Printed("%.3f", bn_momentum), &bn_momentum, [&] {
        return ImGui::SliderFloat("##bnmom", &bn_momentum, 0.001f, 1.0f, "%.3f",
                                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    c.next->net.bn_momentum = std::clamp(static_cast<double>(bn_momentum), 1e-3, 1.0);
    changed = true;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("running ← (1 − momentum)·running + momentum·batch statistic");
  return changed;
}

bool BnEpsControl(ControlContext& c) {
  float eps = static_cast<float>(c.next->net.bn_eps);
  if (!CaptionedSlider("BN ε", Printed("%.1e", eps), &eps, [&] {
        return ImGui::SliderFloat("##eps", &eps, 1e-8f, 1.0f, "%.1e",
                                  ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
      })) {
    return false;
  }
  c.next->net.bn_eps = std::clamp(static_cast<double>(eps), 1e-8, 1.0);
  return true;
}

bool SgdMomentumControl(ControlContext& c) {
  float sgd_momentum = static_cast<float>(c.next->optimizer.momentum);
  if (!CaptionedSlider("SGD momentum", Printed("%.2f", sgd_momentum), &sgd_momentum, [&] {
        return ImGui::SliderFloat("##sgdmom", &sgd_momentum, 0.0f, 0.99f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
      })) {
    return false;
  }
  c.next->optimizer.momentum = static_cast<double>(sgd_momentum);
  return true;
}

bool EvalStatsControl(ControlContext& c) {
  ImGui::SetNextItemWidth(-1);
  return SettingCombo("##evalstats", "eval-stats", c.next, "test with %s statistics");
}

// The two columns' variants, with the ghost group and renorm's clips when a column uses them.
bool ColumnsControl(ControlContext& c) {
  TrainConfig& next = *c.next;
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
  if (next.left == VariantNamed("ghost-bn") || next.right == VariantNamed("ghost-bn")) {
    int group = next.ghost_group;
    if (ImGui::InputInt("ghost group", &group, 1, 8, ImGuiInputTextFlags_EnterReturnsTrue)) {
      next.ghost_group = std::clamp(group, 1, std::max(next.batch_size, 1));
      changed = true;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Ghost BN: statistics over groups of this many samples of each batch");
  }
  if (next.left == VariantNamed("renorm") || next.right == VariantNamed("renorm")) {
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

bool DatasetControl(ControlContext& c) { return SettingCombo("dataset", "dataset", c.next); }

// The hidden widths as typed text ("100,100,100"), applied on Enter; a rejected list stays as
// typed, with the reason below it.
bool HiddenWidthsControl(ControlContext& c) {
  UiState& ui = c.ui;
  bool changed = false;
  if (ui.hidden_widths_generation != c.snapshot.generation) {
    ui.hidden_widths_text = JoinWidths(c.snapshot.requested_config().net.hidden);
    ui.hidden_widths_generation = c.snapshot.generation;
  }
  char buffer[128];
  std::snprintf(buffer, sizeof(buffer), "%s", ui.hidden_widths_text.c_str());
  if (ImGui::InputText("hidden", buffer, sizeof(buffer), ImGuiInputTextFlags_EnterReturnsTrue)) {
    try {
      ApplyFlag("layers", buffer, c.next);
      CheckConfig(*c.next, "hidden");  // e.g. more memory than this machine can give one run
      changed = true;
      ui.hidden_widths_error.clear();
    } catch (const SettingsError& e) {
      ui.hidden_widths_error = e.what();  // left as typed, with the reason below it
    }
  }
  ui.hidden_widths_text = buffer;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Hidden widths, e.g. 100,100,100. Enter applies.");
  if (!ui.hidden_widths_error.empty()) ErrorText(ui.hidden_widths_error);
  return changed;
}

bool ActivationControl(ControlContext& c) { return SettingCombo("activation", "activation", c.next); }
bool InitControl(ControlContext& c) { return SettingCombo("init", "init", c.next); }

bool InitScaleControl(ControlContext& c) {
  float init_scale = static_cast<float>(c.next->net.init_scale);
  ImGui::SliderFloat("init scale", &init_scale, 0.01f, 10.0f, "%.3g",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
  bool changed = false;
  // Applied on release: every intermediate value would restart training.
  if (ImGui::IsItemDeactivatedAfterEdit() && std::isfinite(init_scale)) {
    c.next->net.init_scale = static_cast<double>(init_scale);
    changed = true;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Gaussian: weights ~ N(0, scale²). Xavier: a gain. Large scales saturate plain sigmoids.");
  return changed;
}

bool PlacementControl(ControlContext& c) { return SettingCombo("BN", "bn-placement", c.next, "%s activation"); }

bool BiasBeforeBnControl(ControlContext& c) {
  const bool changed = ImGui::Checkbox("bias before BN", &c.next->net.bias_before_bn);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A bias before BN is subtracted again with μ_B: its gradient is exactly 0.");
  return changed;
}

bool SeedControl(ControlContext& c) {
  // The whole 64-bit seed, as the command line takes it (an int would show 4294967297 as 1).
  std::uint64_t seed = c.next->seed;
  const std::uint64_t seed_step = 1, seed_step_fast = 10;
  if (!ImGui::InputScalar("seed", ImGuiDataType_U64, &seed, &seed_step, &seed_step_fast, "%llu",
                          ImGuiInputTextFlags_EnterReturnsTrue)) {
    return false;
  }
  c.next->seed = seed;
  return true;
}

// One control: the setting it changes (its row in the settings table says which section it is
// in) and how it is drawn, in the order the panel shows them.
struct SettingControl {
  const char* setting;
  bool (*draw)(ControlContext& context);
};

constexpr SettingControl kSettingControls[] = {
    {"batch", BatchSizeControl},
    {"lr", LearningRateControl},
    {"momentum", BnMomentumControl},
    {"eps", BnEpsControl},
    {"sgd-momentum", SgdMomentumControl},
    {"eval-stats", EvalStatsControl},
    {"left", ColumnsControl},  // and right, ghost-group, renorm-rmax, renorm-dmax
    {"dataset", DatasetControl},
    {"layers", HiddenWidthsControl},
    {"activation", ActivationControl},
    {"init", InitControl},
    {"init-scale", InitScaleControl},
    {"bn-placement", PlacementControl},
    {"bias-before-bn", BiasBeforeBnControl},
    {"seed", SeedControl},
};

// The controls whose settings apply as `applies` says; true when one changed *next.
bool DrawControls(Applies applies, ControlContext& context) {
  bool changed = false;
  for (const SettingControl& control : kSettingControls) {
    const settings::SettingSpec* spec = settings::Find(control.setting);
    IM_ASSERT(spec != nullptr && "a control's setting is not in the settings table");
    if (spec->applies != applies) continue;
    if (control.draw(context)) changed = true;
  }
  return changed;
}

void DrawLiveSection(const Snapshot& snapshot, UiState& ui, Session& session) {
  SectionHeader("Live (no reset)");
  TrainConfig next = snapshot.requested_config();
  ControlContext context{snapshot, ui, session, &next};
  if (DrawControls(Applies::kLive, context)) session.Send(cmd::ApplyConfig{next});
}

void DrawNewNetworksSection(const Snapshot& snapshot, UiState& ui, Session& session) {
  SectionHeader("Network (restarts training)");
  TrainConfig next = snapshot.requested_config();
  ControlContext context{snapshot, ui, session, &next};
  ImGui::PushItemWidth(-Px(110));
  const bool changed = DrawControls(Applies::kNewNetworks, context);
  ImGui::PopItemWidth();
  if (changed) {
    // What the settings reject (the same variant twice, a ghost group above the batch) is said
    // here, and nothing is sent.
    try {
      CheckConfig(next, "network settings");
      session.Send(cmd::ApplyConfig{next});
      ui.network_error.clear();
    } catch (const SettingsError& e) {
      ui.network_error = e.what();
    }
  }
  if (!ui.network_error.empty()) ErrorText(ui.network_error);
}

}  // namespace

void DrawSettingSections(const Snapshot& snapshot, UiState& ui, Session& session) {
  DrawLiveSection(snapshot, ui, session);
  DrawNewNetworksSection(snapshot, ui, session);
}

}  // namespace bnlab
