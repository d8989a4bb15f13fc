#include "app/ui_state.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bnlab {
namespace {

std::filesystem::path UiStatePath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  std::filesystem::path dir;
  if (xdg != nullptr && *xdg != '\0') dir = xdg;
  else if (home != nullptr && *home != '\0') dir = std::filesystem::path(home) / ".config";
  else return {};
  return dir / "bnlab" / "ui.ini";
}

}  // namespace

UiState LoadUiState() {
  UiState state;
  const std::filesystem::path path = UiStatePath();
  std::ifstream in(path);
  std::string line;
  while (in && std::getline(in, line)) {
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    // A value that does not parse keeps its default: the file is ours, not the user's input.
    if (key == "view") ParseView(value, &state.view);
    else if (key == "ui_scale") state.ui_scale = std::clamp(std::strtof(value.c_str(), nullptr), kMinUiScale, kMaxUiScale);
    else if (key == "log_loss") state.log_loss = value == "1";
    else if (key == "show_batch_accuracy") state.show_batch_accuracy = value == "1";
    else if (key == "show_output_histograms") state.show_output_histograms = value == "1";
    else if (key == "log_gradients") state.log_gradients = value == "1";
    else if (key == "light_theme") state.light_theme = value == "1";
    else if (key == "noise_layer") state.noise_layer = std::clamp(std::atoi(value.c_str()), 0, 64);
  }
  if (!(state.ui_scale >= kMinUiScale)) state.ui_scale = 1.0f;
  return state;
}

bool SaveUiState(const UiState& state, std::string* error) {
  const std::filesystem::path path = UiStatePath();
  if (path.empty()) return true;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  if (!out) {
    if (error != nullptr) *error = "cannot write " + path.string();
    return false;
  }
  out << "view=" << ViewName(state.view) << "\n"
      << "ui_scale=" << state.ui_scale << "\n"
      << "log_loss=" << (state.log_loss ? 1 : 0) << "\n"
      << "show_batch_accuracy=" << (state.show_batch_accuracy ? 1 : 0) << "\n"
      << "show_output_histograms=" << (state.show_output_histograms ? 1 : 0) << "\n"
      << "log_gradients=" << (state.log_gradients ? 1 : 0) << "\n"
      << "noise_layer=" << state.noise_layer << "\n"
      << "light_theme=" << (state.light_theme ? 1 : 0) << "\n";
  return static_cast<bool>(out);
}

}  // namespace bnlab
