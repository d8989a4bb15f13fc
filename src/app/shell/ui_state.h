// View options of the desktop program, in one plain struct (saved between runs).
#pragma once

#include "settings/settings.h"
#include "settings/views.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bnlab {

// The UI scale's range (Ctrl +/−, --ui-scale, the saved value).
inline constexpr float kMinUiScale = 0.5f;
inline constexpr float kMaxUiScale = 3.0f;

// What the x axis of every plot over steps shows; with kLast, how many steps it may show.
enum class TimeAxis { kAll, kLast, kLog };
inline constexpr int kMinLastSteps = 100;
inline constexpr int kMaxLastSteps = 20000;

struct UiState;
// Into or out of the presentation layout: entering hides the control panel, leaving restores
// what H had before.
void SetPresent(UiState& ui, bool on);

struct UiState {
  View view = View::kDashboard;
  float ui_scale = 1.0f;  // projector mode: every font and pixel size is multiplied by it
  bool log_loss = true;   // loss plots on a log axis
  bool show_batch_accuracy = false;
  bool show_output_histograms = true;
  bool log_gradients = true;         // gradient plots on log axes
  bool gradients_ratio_row = false;  // Gradients view with room for one row: update ratios, not norms
  int distribution_layer = -1;       // −1: every layer
  int noise_layer = 0;               // Batch-size noise view: the BN layer shown (0-based)
  int inside_sample = 0;             // Inside BN view: the sample followed through the rows (batch order)
  bool inside_identity = false;      // Inside BN view: claim 2's what-if γ = √(σ²_B + ε), β = μ_B shown
  bool light_theme = false;          // for bright rooms
  TimeAxis time_axis = TimeAxis::kAll;
  int last_steps = 2000;      // TimeAxis::kLast: how many steps
  bool show_controls = true;  // H hides the control panel (presentation)
  // The presentation layout (P, --present, a scene's `present = true`): the control panel
  // hidden, a one-line header (scene, title, live verdict), captions in a bar over the foot of
  // the view (a pause point's at once; the scene's on C), the view tabs behind V / Shift V and
  // a compact selector. Not saved: a lecture starts it. Leaving it gives H back its state.
  bool present = false;
  bool controls_before_present = true;
  bool present_caption = false;  // C: the scene's description and caption over the view
  int caption_page = 0;          // of that text, when it takes more than one bar (C: the next)
  int clip_seconds = 10;         // G or Record GIF: a clip of the window this long (kMinClipSeconds..kMaxClipSeconds)

  // Per view, the page shown where its plots do not all fit the window (a pager turns it); not saved.
  std::array<int, static_cast<std::size_t>(View::kCount)> view_page{};

  // Edit state of the controls panel; not saved.
  std::string hidden_widths_text;                  // the "hidden" field as typed
  std::uint64_t hidden_widths_generation = ~0ull;  // the networks the text was last reset from
  std::string hidden_widths_error;                 // why the typed widths were rejected
  std::string network_error;                       // why a network setting (e.g. the variants) was rejected
  std::vector<SceneEntry> scenes;                  // bundled scenes in lecture order, read once
  bool scenes_listed = false;
  std::string scene_error;                        // why the chosen scene failed to load
  std::string scene_request;                      // a scene to load this frame (picker, keys 1-9, Page Up/Down)
  std::string save_scene_path = "my-scene.toml";  // "Save as scene" writes here
  bool export_requested = false;                  // E or the button: write the histories to CSV
  bool clip_requested = false;                    // G or the button: start a clip, or end the one under way
  bool fullscreen_requested = false;              // the button (F11 goes to the App): switch full screen
  bool clip_recording = false;                    // a clip is under way (the App says so each frame)
  std::string notice;                             // a passing notice for the status bar (the App takes it)
};

// The clip's length in seconds: 60 s of a full-HD window is about as much as a slide can carry.
constexpr int kMinClipSeconds = 1;
constexpr int kMaxClipSeconds = 60;

// Loads and saves the UiState in ~/.config/bnlab/ui.toml (XDG_CONFIG_HOME respected). A
// missing, unreadable or broken file leaves the defaults, and so does a value of the wrong
// type or out of range; a failed save is reported, not fatal.
UiState LoadUiState();
// That file's path (empty when neither XDG_CONFIG_HOME nor HOME is set).
std::filesystem::path UiStatePath();
bool SaveUiState(const UiState& state, std::string* error);

}  // namespace bnlab
