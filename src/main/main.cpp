// One binary: `bnlab` opens the GUI; `bnlab train|noise ...` run headless and never touch
// GLFW or OpenGL.
#include "app/shell/frame_loop.h"
#include "app/shell/ui_state.h"
#include "cli/commands.h"
#include "engine/platform.h"
#include "settings/setting_flags.h"
#include "settings/settings.h"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

// CLI::Range lets "nan" through: every comparison with a NaN is false.
std::string FiniteNumber(std::string& text) {
  double value = 0.0;
  if (CLI::detail::lexical_cast(text, value) && std::isfinite(value)) return "";
  return text + " is not a finite number";
}

int RunGuiFromArgs(int argc, char** argv) {
  CLI::App app{"bnlab: Batch Normalization, shown. A Plain and a BN network train side by side.", "bnlab"};
  app.footer(std::string("\nTraining settings are the same flags as `bnlab train` (see bnlab train --help).\n") +
             bnlab::HeadlessCommandsHelp());
  bnlab::SettingFlags settings(&app);
  settings.set_default_scene("default");
  bnlab::GuiOptions options;
  std::string view_name;
  app.add_option("--frames", options.frames, "Render N frames with training running, then exit")
      ->check(CLI::Range(1L, 1000000L));
  CLI::Option* screenshot_option =
      app.add_option("--screenshot", options.screenshot_path, "Save the window to this PNG after the last frame");
  CLI::Option* record_option = app.add_option(
      "--record", options.record_path,
      "Record the frames to this animated GIF (every third frame, 10 a second: --frames 300 makes 10 s)");
  const std::string view_help = "View to show: " + bnlab::ViewNameList();
  CLI::Option* view_option = app.add_option("--view", view_name, view_help);
  app.add_flag(
      "--frame-stats", options.frame_stats,
      "Print the CPU and wall time to build each frame (p50/p95/max), the frame rate, training speed and resident memory at exit");
  app.add_flag("--paused", options.start_paused, "Start with training paused");
  app.add_flag("--light", options.light_theme, "Light theme, for bright rooms (L switches)");
  app.add_flag("--layout-report", options.layout_report,
               "With --frames: print every window's size and scroll range after the last frame (the layout tests)");
  app.add_option("--until", options.until,
                 "With --frames: end a few frames after a window or (with --layout-report) a plot whose name or "
                 "title contains this text is first drawn (the layout tests' wait for a state)");
  app.add_flag("--present", options.present,
               "Presentation layout for a projector: no control panel, a one-line header, captions over the "
               "view's foot, V / Shift V for the views (P switches)");
  app.add_flag("--caption", options.present_caption,
               "With --present: the scene's description and caption in the bar at the view's foot (C switches)");
  app.add_option("--ui-scale", options.ui_scale, "UI scale (fonts and sizes), e.g. 1.5 for a projector")
      ->check(CLI::Range(bnlab::kMinUiScale, bnlab::kMaxUiScale))
      ->check(CLI::Validator(FiniteNumber, ""));
  app.add_option("--threads", options.threads,
                 "1 or 2: the two nets step one after the other or at once (default 2 on a machine with two "
                 "cores or more; the results do not depend on it)")
      ->check(CLI::Range(1, 2));
  app.add_option("--size", options.width, "Window width in pixels (height follows 16:9)")->check(CLI::Range(640, 7680));
  double speed = 0.0;
  CLI::Option* speed_option =
      app.add_option("--speed", speed, "Training steps per second, 0 = as fast as possible (default: the scene's)")
          ->check(CLI::Range(0.0, bnlab::kMaxSceneSpeed))
          ->check(CLI::Validator(FiniteNumber, ""));

  app.set_version_flag("--version", bnlab::VersionLine(), "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "bnlab: %s\n", e.what());
    return 2;
  }
  try {
    options.scene = settings.Resolve();
  } catch (const bnlab::SettingsError& e) {
    std::fprintf(stderr, "bnlab: %s\n", e.what());
    return 2;
  }
  if (speed_option->count() > 0) {
    options.scene.lesson.has_speed = true;
    options.scene.lesson.speed = speed;
  }
  if (screenshot_option->count() > 0 && options.screenshot_path.empty()) {
    std::fprintf(stderr, "bnlab: --screenshot: the file name is empty (expected --screenshot OUT.png)\n");
    return 2;
  }
  if (record_option->count() > 0 && options.record_path.empty()) {
    std::fprintf(stderr, "bnlab: --record: the file name is empty (expected --record OUT.gif)\n");
    return 2;
  }
  if (view_option->count() > 0) {
    if (!bnlab::ParseView(view_name, &options.view)) {
      std::fprintf(stderr, "bnlab: --view: unknown view '%s' (expected one of %s)\n", view_name.c_str(),
                   bnlab::ViewNameList().c_str());
      return 2;
    }
    options.has_view = true;
  }
  if ((!options.screenshot_path.empty() || !options.record_path.empty()) && options.frames == 0) options.frames = 300;
  options.height = options.width * 9 / 16;
  return bnlab::RunGui(options);
}

// The page's arguments after one of them was bad: the URL's scene and view alone, if it had
// them (each checked again), so that a mistyped setting still opens the scene it was for.
std::vector<char*> SceneAndView(int argc, char** argv) {
  std::vector<char*> kept = {argv[0]};
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--scene" || flag == "--view") {
      kept.push_back(argv[i]);
      kept.push_back(argv[i + 1]);
      ++i;
    }
  }
  return kept;
}

}  // namespace

int main(int argc, char** argv) {
  if (!bnlab::ApplyCpuLevelOrSayWhy(argv)) return 2;
  try {
    if (bnlab::IsHeadlessCommand(argc, argv)) return bnlab::CheckStdout("bnlab", bnlab::RunHeadless(argc, argv));
    const int status = RunGuiFromArgs(argc, argv);
    // The page's arguments are its URL's (?scene=spiral&lr=0.5): a bad one has been said (on the
    // page, as the desktop says it on stderr), and the page runs the URL's scene with its own
    // settings all the same, else (a bad scene or view too) the default scene.
    if (bnlab::kWebAssembly && status == 2 && argc > 1) {
      std::vector<char*> kept = SceneAndView(argc, argv);
      if (kept.size() > 1 && static_cast<int>(kept.size()) < argc) {
        const int retried = RunGuiFromArgs(static_cast<int>(kept.size()), kept.data());
        if (retried != 2) return retried;
      }
      return RunGuiFromArgs(1, argv);
    }
    return bnlab::CheckStdout("bnlab", status);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bnlab: internal error: %s\n", e.what());
    return 1;
  }
}
