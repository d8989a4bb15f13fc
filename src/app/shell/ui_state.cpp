#include "app/shell/ui_state.h"

#include "settings/atomic_file.h"
#include "settings/scene_limits.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

namespace bnlab {
namespace {

constexpr const char* kTimeAxisNames[] = {"all", "last", "log"};

}  // namespace

std::filesystem::path UiStatePath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path dir;
  if (xdg != nullptr && *xdg != '\0') dir = xdg;
  else if (home != nullptr && *home != '\0') dir = std::filesystem::path(home) / ".config";
  else return {};
  return dir / "bnlab" / "ui.toml";
}

namespace {

// The file's text, or nothing when it is missing, unreadable, or larger or deeper than a
// file of ours can be (the same bounds as a scene's, which keep toml++ 3.3 off its stack limit).
std::optional<std::string> ReadBounded(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSceneBytes) return std::nullopt;
  }
  if (MeasureTomlNesting(text).depth > kMaxSceneDepth) return std::nullopt;
  return text;
}

}  // namespace

UiState LoadUiState() {
  UiState state;
  const std::filesystem::path path = UiStatePath();
  if (path.empty()) return state;
  const std::optional<std::string> text = ReadBounded(path);
  if (!text) return state;
  toml::table table;
  try {
    table = toml::parse(*text, path.string());
  } catch (const toml::parse_error&) {
    return state;  // the file is ours, not the user's input: a broken one means the defaults
  }
  // A value missing or of the wrong type keeps its default.
  if (const auto view = table["view"].value<std::string>()) ParseView(*view, &state.view);
  if (const auto scale = table["ui_scale"].value<double>(); scale && *scale >= kMinUiScale && *scale <= kMaxUiScale) {
    state.ui_scale = static_cast<float>(*scale);
  }
  state.log_loss = table["log_loss"].value_or(state.log_loss);
  state.show_batch_accuracy = table["show_batch_accuracy"].value_or(state.show_batch_accuracy);
  state.show_output_histograms = table["show_output_histograms"].value_or(state.show_output_histograms);
  state.log_gradients = table["log_gradients"].value_or(state.log_gradients);
  state.light_theme = table["light_theme"].value_or(state.light_theme);
  state.noise_layer = static_cast<int>(std::clamp<std::int64_t>(table["noise_layer"].value_or(std::int64_t{0}), 0, 64));
  if (const auto axis = table["time_axis"].value<std::string>()) {
    const auto* found = std::find(std::begin(kTimeAxisNames), std::end(kTimeAxisNames), *axis);
    if (found != std::end(kTimeAxisNames)) state.time_axis = static_cast<TimeAxis>(found - std::begin(kTimeAxisNames));
  }
  if (const auto last = table["last_steps"].value<std::int64_t>();
      last && *last >= kMinLastSteps && *last <= kMaxLastSteps) {
    state.last_steps = static_cast<int>(*last);
  }
  if (const auto seconds = table["clip_seconds"].value<std::int64_t>();
      seconds && *seconds >= kMinClipSeconds && *seconds <= kMaxClipSeconds) {
    state.clip_seconds = static_cast<int>(*seconds);
  }
  return state;
}

bool SaveUiState(const UiState& state, std::string* error) {
  const std::filesystem::path path = UiStatePath();
  if (path.empty()) return true;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  const toml::table table{
      {"view", ViewName(state.view)},
      {"ui_scale", static_cast<double>(state.ui_scale)},
      {"light_theme", state.light_theme},
      {"log_loss", state.log_loss},
      {"show_batch_accuracy", state.show_batch_accuracy},
      {"show_output_histograms", state.show_output_histograms},
      {"log_gradients", state.log_gradients},
      {"noise_layer", state.noise_layer},
      {"time_axis", kTimeAxisNames[static_cast<int>(state.time_axis)]},
      {"last_steps", state.last_steps},
      {"clip_seconds", state.clip_seconds},
  };
  std::ostringstream text;
  text << "# bnlab's view settings, saved when the window closes.\n" << table << "\n";
  // Whole or not at all: a full disk or a kill while saving leaves the settings saved before.
  try {
    WriteFileAtomically(path.string(), text.str());
  } catch (const FileWriteError& write_error) {
    if (error != nullptr) *error = write_error.what();
    return false;
  }
  return true;
}

void SetPresent(UiState& ui, bool on) {
  if (on == ui.present) return;
  if (on) {
    ui.controls_before_present = ui.show_controls;
    ui.show_controls = false;
  } else {
    ui.show_controls = ui.controls_before_present;
    ui.present_caption = false;
    ui.caption_page = 0;
  }
  ui.present = on;
}

}  // namespace bnlab
