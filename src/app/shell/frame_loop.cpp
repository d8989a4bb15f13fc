// The canonical GLFW + OpenGL 3 + Dear ImGui main loop, and the command-line extras:
// --frames, --screenshot, --record, --frame-stats. The window it draws into: window.h.
#include "app/shell/frame_loop.h"

#include "app/shell/gl.h"  // before any other GL header
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>  // the windows' scroll ranges, for --layout-report

#include "app/shell/app.h"
#include "app/shell/browser.h"
#include "app/shell/frame_stats.h"
#include "app/shell/fonts_and_style.h"
#include "app/shell/gif_recorder.h"
#include "app/shell/key_queue.h"
#include "app/shell/plot_report.h"
#include "app/shell/screenshot.h"
#include "session/frame_budget.h"
#include "session/session.h"
#include "app/shell/theme.h"
#include "app/shell/window.h"
#include "settings/atomic_file.h"
#include "engine/platform.h"
#include "plot/plot.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace bnlab {
namespace {

// How far what `window` held in the frame just built reaches beyond its inner area, per axis
// (ImGui's own scroll range formula, on that frame's contents).
ImVec2 LastFrameOverflow(const ImGuiWindow& window) {
  const auto extent = [](float explicit_size, float max_pos, float start_pos) {
    return explicit_size != 0.0f ? explicit_size : std::floor(max_pos - start_pos);
  };
  const ImVec2 content(extent(window.ContentSizeExplicit.x, window.DC.CursorMaxPos.x, window.DC.CursorStartPos.x),
                       extent(window.ContentSizeExplicit.y, window.DC.CursorMaxPos.y, window.DC.CursorStartPos.y));
  return ImVec2(std::max(0.0f, content.x + 2.0f * window.WindowPadding.x - window.InnerRect.GetWidth()),
                std::max(0.0f, content.y + 2.0f * window.WindowPadding.y - window.InnerRect.GetHeight()));
}

// A window someone works in, not a recorded run (--frames): it loads and saves the view
// settings, and shows hover tooltips.
bool IsInteractive(const GuiOptions& options) { return options.frames == 0; }

// ---- View settings ---------------------------------------------------------------------

// A window someone works in starts from the saved settings; a recorded run (--frames) from the
// defaults, so that its pictures do not depend on what was clicked before.
UiState StartingUiState(const GuiOptions& options) {
  UiState ui = IsInteractive(options) ? LoadUiState() : UiState();
  // The view: --view, else the one the scene opens, else the one shown last time.
  if (options.has_view) ui.view = options.view;
  else ParseView(options.scene.lesson.view, &ui.view);
  if (options.ui_scale > 0.0f) ui.ui_scale = options.ui_scale;
  if (options.light_theme) ui.light_theme = true;
  if (options.present || options.scene.lesson.present) SetPresent(ui, true);
  if (options.present_caption) ui.present_caption = ui.present;
  return ui;
}

void SaveViewSettings(const UiState& ui) {
  std::string error;
  if (!SaveUiState(ui, &error)) std::fprintf(stderr, "bnlab: could not save view settings: %s\n", error.c_str());
}

// ---- The frame loop --------------------------------------------------------------------

// --record: a run's frames come at the rate new figures do (Session::kPublishInterval, 30 a
// second); the clip takes every third, at 10 a second (GifRecorder::kFrameCentiseconds), so that
// --frames N makes a clip of N / 30 seconds whatever the frames cost to draw.
constexpr long kFramesPerClipFrame =
    static_cast<long>(GifRecorder::kFrameCentiseconds / (100.0 * Session::kPublishInterval) + 0.5);

// The outputs a recorded run (--frames) writes: null when not asked for.
struct RunOutputs {
  ScreenshotFile* screenshot = nullptr;
  GifRecorder* clip = nullptr;
  bool clip_written = false;
};

// Draws frames from the App until the window closes, --frames have been drawn, or the
// --screenshot or the --record clip cannot be written.
class FrameLoop {
 public:
  FrameLoop(GLFWwindow* window, const GuiOptions& options, UiState& ui, App& app, RunOutputs& outputs,
            FrameStats& stats)
      : window_(window),
        options_(options),
        ui_(ui),
        app_(app),
        outputs_(outputs),
        stats_(stats),
        applied_scale_(DrawnScale(ui)),
        applied_light_(ui.light_theme) {}

  // Frames come at the rate new figures do (Session::kPublishInterval, 30 a second), and
  // up to twice as fast while the user moves the mouse or types, so that dragging a slider is
  // smooth: drawing more often shows nothing new, and under software OpenGL every frame takes
  // CPU from training.
  // Returns whether the last of --frames was drawn.
  bool Run() {
    auto frame_start = std::chrono::steady_clock::now();
    while (!glfwWindowShouldClose(window_) && !CloseSignalled()) {
      // Minimized: draw nothing and sleep until something happens; training goes on.
      if (glfwGetWindowAttrib(window_, GLFW_ICONIFIED) != 0) {
        glfwWaitEventsTimeout(0.25);
        continue;
      }
      // Until the next frame is due, or an event (input, a resize) wakes the loop at once.
      const auto due = frame_start + kDataFrameInterval;
      const auto now = std::chrono::steady_clock::now();
      if (now < due) glfwWaitEventsTimeout(std::chrono::duration<double>(due - now).count());
      else glfwPollEvents();
      HoldFrameRate(frame_start);
      frame_start = std::chrono::steady_clock::now();
      if (!DrawFrame()) return options_.frames > 0 && frame_ >= options_.frames;
    }
    return false;
  }

  // One frame, shown; false when it was the last (--frames) or its screenshot or clip failed.
  bool DrawFrame() {
    const float scale = DrawnScale(ui_);  // the page's screen pixels too (window.h)
    if (scale != applied_scale_ || ui_.light_theme != applied_light_) {
      RebuildForScale(scale, ui_.light_theme);
      applied_scale_ = scale;
      applied_light_ = ui_.light_theme;
    }
    BuildFrame();
    const FramebufferSize framebuffer = RenderFrame();
    ++frame_;
    // --until: the state is drawn; a few more frames let what follows from it settle.
    if (until_countdown_ < 0 && !options_.until.empty() && LastFrameDrew(options_.until.c_str()))
      until_countdown_ = kFramesAfterUntil;
    const bool until_done = until_countdown_ == 0;
    if (until_countdown_ > 0) --until_countdown_;
    const bool last_frame = options_.frames > 0 && (frame_ >= options_.frames || until_done);
    if (last_frame && options_.layout_report) PrintLayoutReport();
    if (outputs_.clip != nullptr && !RecordFrame(framebuffer, last_frame)) return false;
    if (last_frame && outputs_.screenshot != nullptr && !WriteScreenshot(framebuffer)) return false;
    HandleAppRequests(framebuffer);
    glfwSwapBuffers(window_);
    return !last_frame;
  }

 private:
  struct FramebufferSize {
    int width = 0, height = 0;
  };

  // The ImGui frame, with the CPU and wall time it took to build (--frame-stats).
  void BuildFrame() {
    const auto build_start = std::chrono::steady_clock::now();
    const double cpu_start = options_.frame_stats ? ThreadCpuMs() : 0.0;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Recorded frames show no hover tooltips wherever the (virtual) pointer happens to be.
    if (!IsInteractive(options_)) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    app_.Frame();
    ImGui::Render();
    // Kept only for --frame-stats: a lecture's window may stay open for hours.
    if (options_.frame_stats) {
      stats_.build_cpu_ms.push_back(ThreadCpuMs() - cpu_start);
      stats_.build_wall_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build_start).count());
    }
  }

  // --layout-report: every window and child drawn in the last frame, with its size and how far
  // the last frame's contents overflow it (0 0 when they fit): what the layout tests read.
  // Not ImGui's ScrollMax, which sets the previous frame's contents against this frame's size:
  // on a frame where the header gains a line and the view shrinks, it shows the old, taller
  // contents overflowing by that line though nothing drawn does.
  static void PrintLayoutReport() {
    std::printf("layout: window  width height  scroll_x scroll_y\n");
    for (const ImGuiWindow* window : ImGui::GetCurrentContext()->Windows) {
      if (!window->WasActive || window->Hidden) continue;
      const ImVec2 overflow = LastFrameOverflow(*window);
      std::printf("layout: %s  %.0f %.0f  %.0f %.0f\n", window->Name, window->Size.x, window->Size.y, overflow.x,
                  overflow.y);
    }
    std::fflush(stdout);
    PrintPlotReport();
  }

  static constexpr int kFramesAfterUntil = 3;

  FramebufferSize RenderFrame() {
    FramebufferSize framebuffer;
    glfwGetFramebufferSize(window_, &framebuffer.width, &framebuffer.height);
    glViewport(0, 0, framebuffer.width, framebuffer.height);
    const ImVec4 page = PageColor(ui_.light_theme);
    glClearColor(page.x, page.y, page.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    return framebuffer;
  }

  // --screenshot, after the last frame; false (having said why) when it cannot be written.
  bool WriteScreenshot(const FramebufferSize& framebuffer) {
    std::string error;
    if (outputs_.screenshot->WriteFramebuffer(framebuffer.width, framebuffer.height, &error)) return true;
    std::fprintf(stderr, "bnlab: --screenshot: %s\n", error.c_str());
    return false;
  }

  // --record: every kFramesPerClipFrame-th frame into the clip, which ends with the last frame;
  // false (having said why) when it cannot be written.
  bool RecordFrame(const FramebufferSize& framebuffer, bool last_frame) {
    GifRecorder& clip = *outputs_.clip;
    const long index = frame_ - 1;
    const long clip_frames = index / kFramesPerClipFrame + 1;  // taken so far, this one included
    std::string error;
    if (index % kFramesPerClipFrame == 0 &&
        !clip.AddFrame(ReadFramebuffer(framebuffer.width, framebuffer.height), framebuffer.width, framebuffer.height,
                       (clip_frames - 1) * GifRecorder::kFrameCentiseconds)) {
      error = "the window's size changed (" + std::to_string(framebuffer.width) + "x" +
              std::to_string(framebuffer.height) + "); '" + clip.path() + "' was not written";
    } else if (!last_frame || clip.Finish(clip_frames * GifRecorder::kFrameCentiseconds, &error)) {
      outputs_.clip_written = last_frame;
      return true;
    }
    std::fprintf(stderr, "bnlab: --record: %s\n", error.c_str());
    return false;
  }

  // What the App's keys asked of the window: a screenshot (S), a clip (G), to close (Ctrl+Q),
  // full screen (F11).
  void HandleAppRequests(const FramebufferSize& framebuffer) {
    if (app_.screenshot_requested()) app_.SaveScreenshotNow(framebuffer.width, framebuffer.height);
    app_.RecordFrame(framebuffer.width, framebuffer.height);
    if (app_.quit_requested()) glfwSetWindowShouldClose(window_, GLFW_TRUE);
    if (app_.TakeFullscreenToggle()) full_screen_.Toggle(window_);
    app_.set_fullscreen(full_screen_.on());
  }

  // Where vsync is not honoured (software GL, some drivers) a stream of input events would
  // spin the loop: at most about 60 frames per second.
  static void HoldFrameRate(std::chrono::steady_clock::time_point frame_start) {
    const auto since = std::chrono::steady_clock::now() - frame_start;
    if (since < kFastestFrameInterval) std::this_thread::sleep_for(kFastestFrameInterval - since);
  }

  static constexpr auto kDataFrameInterval =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::duration<double>(Session::kPublishInterval));
  static constexpr std::chrono::microseconds kFastestFrameInterval{16000};  // ~60 frames a second

  GLFWwindow* window_;
  const GuiOptions& options_;
  UiState& ui_;
  App& app_;
  RunOutputs& outputs_;
  FrameStats& stats_;    // gets each frame's build time
  float applied_scale_;  // the UI scale and theme the fonts and style were built for
  bool applied_light_;
  FullScreen full_screen_;
  long frame_ = 0;
  int until_countdown_ = -1;  // --until: frames still to draw once its state was drawn, else -1
};

// ---- The session, and the end -----------------------------------------------------------

// The data and the first networks come in the background: a window draws at once and says it
// is loading. A recorded run (--frames) waits for them, so that its frames show the run, and
// has nobody to read the window's error: it says it on stderr and stops (returns 2), as the
// headless commands do.
int WaitForFirstNetworks(Session& session) {
  std::shared_ptr<const Snapshot> first = session.Latest();
  while (!Session::Ready(*first)) {
    if (CloseSignalled()) return 0;  // the frame loop does not start; ExitCode says why
    glfwWaitEventsTimeout(0.005);
    first = session.Latest();
  }
  if (first->error.empty()) return 0;
  std::fprintf(stderr, "bnlab: %s\n", first->error.c_str());
  return 2;
}

// The process's exit code: an error's; a recorded run (--frames) stopped by a signal before its
// last frame, 128 + the signal's number, as the shell would report it; else 2 when the
// --screenshot asked for was not written. A window someone closed by a signal exits 0, as it
// does on Ctrl+Q.
int ExitCode(const GuiOptions& options, int error_code, const RunOutputs& outputs, bool frames_done) {
  if (error_code != 0) return error_code;
  if (!IsInteractive(options) && !frames_done && CloseSignalled()) {
    std::fprintf(stderr, "bnlab: stopped by signal %d before the last frame%s%s\n", CloseSignal(),
                 outputs.screenshot != nullptr ? "; the screenshot was not written" : "",
                 outputs.clip != nullptr ? "; the clip was not written" : "");
    return 128 + CloseSignal();
  }
  if (outputs.screenshot != nullptr && !outputs.screenshot->written()) return 2;
  return outputs.clip != nullptr && !outputs.clip_written ? 2 : 0;
}

// The frames, from the App (the views) and the Session (the training). Returns the exit code.
int RunSession(GLFWwindow* window, const GuiOptions& options, UiState& ui, RunOutputs& outputs) {
  Session session(options.scene, options.start_paused, options.threads);
  const int error_code = IsInteractive(options) ? 0 : WaitForFirstNetworks(session);
  bool frames_done = false;  // the last of --frames was drawn
  {
    // The App owns the views' GL objects (ViewResources), which are deleted when it is destroyed
    // at the end of this block: the GL context is still current then, because RunGui closes the
    // window (CloseWindow) only after RunSession has returned. The std::_Exit below comes after
    // it too; it skips no GL clean-up.
    App app(session, ui);
    FrameStats stats = FrameStats::From(session.Latest()->step);
    if (error_code == 0) frames_done = FrameLoop(window, options, ui, app, outputs, stats).Run();
    stats.last_step = session.Latest()->step;
    if (options.frame_stats) stats.Print();
    app.FinishRecording();  // a clip under way when the window closed (G) is saved as far as it went
  }
  const int exit_code = ExitCode(options, error_code, outputs, frames_done);
  // Closing never waits for a long piece of training work (one step of a huge network can
  // take seconds): if the worker does not stop at once, the window goes, the view settings
  // are saved, and the process ends without waiting for it. Nothing of the session needs
  // saving; its data are in memory only.
  if (!session.Stop(std::chrono::milliseconds(1500))) {
    glfwHideWindow(window);
    if (IsInteractive(options)) SaveViewSettings(ui);
    std::fflush(nullptr);
    std::_Exit(exit_code);
  }
  return exit_code;
}

// ---- The page ----------------------------------------------------------------------------

// The page has no closing to save the view settings at: it saves them this often (they are
// small, and only the page's memory and the browser's storage are written). In seconds, not
// frames: a software renderer draws a busy page at a few frames a second.
constexpr auto kPageSaveInterval = std::chrono::seconds(2);
// ?frame-stats: the figures of --frame-stats on the browser's console this often (the page has
// no exit to print them at). In seconds: SwiftShader draws a few frames a second.
constexpr auto kPageStatsInterval = std::chrono::seconds(10);

// The page (the browser build): the same App, Session and frames as the desktop window's, with
// the browser calling every frame (browser::CallEveryFrame) and the session trained between
// frames instead of on threads of its own. Returns at once; the page lives on.
void StartPage(GLFWwindow* window, const GuiOptions& options, UiState ui) {
  struct Page {
    Page(GLFWwindow* window_, const GuiOptions& options_, UiState ui_)
        : options(options_),
          ui(std::move(ui_)),
          session(options.scene, options.start_paused, 1, /*own_threads=*/false),
          app(session, ui),
          loop(window_, options, ui, app, outputs, stats) {}
    GuiOptions options;
    UiState ui;
    Session session;
    App app;
    RunOutputs outputs;
    FrameStats stats;
    FrameLoop loop;
    long frames = 0;
    std::chrono::steady_clock::time_point last_save = std::chrono::steady_clock::now();
    // The training budget's figures (session/frame_budget.h): when the last frame began, and
    // how long it trained.
    std::chrono::steady_clock::time_point frame_start = std::chrono::steady_clock::now();
    double trained = 0.0;
    FrameCost frame_cost;
  };
  auto* page = new Page(window, options, std::move(ui));  // as long as the page is open
  page->stats = FrameStats::From(0);
  // The data's files come when a scene first needs them, fetched beside the page.
  page->session.SetFileArrival(browser::ArrivedFiles);
  browser::CallEveryFrame([page, window] {
    const auto frame_start = std::chrono::steady_clock::now();
    page->frame_cost.Add(std::chrono::duration<double>(frame_start - page->frame_start).count(), page->trained);
    page->frame_start = frame_start;
    // The canvas fills the browser's window, whatever its size, at the screen's pixels.
    int width = 0, height = 0, current_width = 0, current_height = 0;
    browser::ViewportSize(&width, &height);
    const float ratio = browser::PixelRatio();
    width = static_cast<int>(std::lround(static_cast<float>(width) * ratio));
    height = static_cast<int>(std::lround(static_cast<float>(height) * ratio));
    glfwGetWindowSize(window, &current_width, &current_height);
    if (width > 0 && height > 0 && (width != current_width || height != current_height)) {
      glfwSetWindowSize(window, width, height);
    }
    const auto draw_start = std::chrono::steady_clock::now();
    page->loop.DrawFrame();
    page->stats.drawn_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - draw_start).count();
    ++page->frames;
    if (std::chrono::steady_clock::now() - page->last_save >= kPageSaveInterval) {
      page->last_save = std::chrono::steady_clock::now();
      if (SaveUiState(page->ui, nullptr)) browser::StoreFile(UiStatePath().string());
    }
    page->stats.training_budget = TrainingBudget(page->frame_cost.seconds(), page->session.Latest()->speed);
    const auto training_start = std::chrono::steady_clock::now();
    page->session.Drive(page->stats.training_budget);
    page->trained = std::chrono::duration<double>(std::chrono::steady_clock::now() - training_start).count();
    page->stats.trained_seconds += page->trained;
    const std::shared_ptr<const Snapshot> latest = page->session.Latest();
    browser::ReportProgress(latest->step, latest->scene.title, latest->building);
    if (page->options.frame_stats && std::chrono::steady_clock::now() - page->stats.start >= kPageStatsInterval) {
      page->stats.last_step = latest->step;
      page->stats.Print();
      page->stats = FrameStats::From(latest->step);
    }
    // A scene file from the file picker opens as one dropped on the page does.
    std::string picked = browser::TakePickedFile();
    if (!picked.empty()) page->ui.scene_request = std::move(picked);
  });
  // A scene file dropped on the page opens as one picked from the list would (the browser
  // hands it over as a file in the page's memory).
  static UiState* dropped_into = &page->ui;
  glfwSetDropCallback(window, [](GLFWwindow*, int count, const char** paths) {
    if (count > 0) dropped_into->scene_request = paths[0];
  });
}

}  // namespace

int RunGui(const GuiOptions& options) {
  // Check the screenshot and clip paths before doing any work: an unwritable path is the user's to fix.
  std::unique_ptr<ScreenshotFile> screenshot;
  std::unique_ptr<GifRecorder> clip;
  std::string error;
  if (!options.screenshot_path.empty() && !(screenshot = ScreenshotFile::Open(options.screenshot_path, &error))) {
    std::fprintf(stderr, "bnlab: --screenshot: %s\n", error.c_str());
    return 2;
  }
  if (!options.record_path.empty() && !(clip = GifRecorder::Open(options.record_path, &error))) {
    std::fprintf(stderr, "bnlab: --record: %s\n", error.c_str());
    return 2;
  }
  RunOutputs outputs{screenshot.get(), clip.get()};
  InstallCloseSignals();
  GLFWwindow* window = OpenWindow(options);
  if (window == nullptr) return 1;
  if (kWebAssembly) browser::RestoreStoredFile(UiStatePath().string());  // the last visit's view settings
  UiState ui = StartingUiState(options);
  InitImGui(window, ui);
  if (options.layout_report) StartPlotRecording();
  if (kWebAssembly) {
    StartPage(window, options, std::move(ui));
    return 0;
  }
  const int exit_code = RunSession(window, options, ui, outputs);
  if (IsInteractive(options)) SaveViewSettings(ui);
  CloseWindow(window);
  return exit_code;
}

}  // namespace bnlab
