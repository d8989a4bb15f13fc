// The desktop program: window, main loop, and what it was asked to do on the command line.
#pragma once

#include "app/shell/ui_state.h"
#include "settings/settings.h"

#include <string>
#include <thread>

namespace bnlab {

struct GuiOptions {
  Scene scene;                  // what to train (its config) and how to show it (its lesson)
  long frames = 0;              // > 0: render this many frames, then exit
  std::string screenshot_path;  // save the window here after the last frame
  std::string record_path;      // --record: the frames as an animated GIF (every third, 10 a second)
  bool has_view = false;        // --view given
  View view = View::kDashboard;
  bool frame_stats = false;  // print per-frame CPU build times at exit
  bool start_paused = false;
  bool light_theme = false;      // --light: the light theme (bright rooms) from the start
  bool present = false;          // --present: the presentation layout from the start (P switches)
  bool present_caption = false;  // --caption: the description's caption bar from the start (C switches)
  // --until: with --frames, end a few frames after the first to draw a window or (with
  // --layout-report) a plot whose name or title contains this: the layout tests' wait for a state
  std::string until;
  bool layout_report = false;  // --layout-report: after the last frame, each window's size and scroll range
  float ui_scale = 0.0f;       // > 0: override the saved UI scale
  // 2: the two nets step at once. Measured with the dashboard open under software OpenGL on
  // two cores: 1 124 steps/s against 944 on one thread, so 2 wherever there are two cores.
  int threads = std::thread::hardware_concurrency() >= 2 ? 2 : 1;
  int width = 1600;
  int height = 900;
};

// Runs the GUI until the window closes (or `frames` have been drawn). Returns the exit code.
int RunGui(const GuiOptions& options);

}  // namespace bnlab
