// The canonical GLFW + OpenGL 3 + Dear ImGui main loop, and the command-line extras:
// --frames, --screenshot, --frame-stats.
#include "app/gui.h"

#include <epoxy/gl.h>  // before any other GL header
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app/app.h"
#include "app/key_queue.h"
#include "app/screenshot.h"
#include "session/session.h"
#include "app/theme.h"
#include "app/window_icon.h"
#include "engine/memory_estimate.h"
#include "plot/plot.h"

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

namespace bnlab {
namespace {

constexpr float kBodyFontPixels = 18.0f;
constexpr float kBigFontPixels = 30.0f;
constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

// ImGui 1.86 cannot scale fonts smoothly: build the atlas again at the new size.
void BuildFonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const std::string regular = std::string(kFontDir) + "DejaVuSans.ttf";
  const std::string bold = std::string(kFontDir) + "DejaVuSans-Bold.ttf";
  ImFontConfig config;
  config.OversampleH = 2;
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2000, 0x22FF, 0};
  ImFont* body = nullptr;
  ImFont* big = nullptr;
  if (std::filesystem::exists(regular)) {
    body = io.Fonts->AddFontFromFileTTF(regular.c_str(), kBodyFontPixels * scale, &config, kRanges);
  }
  if (body == nullptr) {
    static bool warned = false;
    if (!warned) std::fprintf(stderr, "bnlab: %s not found (package fonts-dejavu-core); using ImGui's font\n", regular.c_str());
    warned = true;
    ImFontConfig fallback;
    fallback.SizePixels = 13.0f * scale;
    io.Fonts->AddFontDefault(&fallback);
  } else if (std::filesystem::exists(bold)) {
    big = io.Fonts->AddFontFromFileTTF(bold.c_str(), kBigFontPixels * scale, &config, kRanges);
  }
  SetBigFont(big);
}

// The window's clear colour, behind everything.
ImVec4 PageColor(bool light) { return light ? ImVec4(0.93f, 0.93f, 0.92f, 1.0f) : ImVec4(0.08f, 0.08f, 0.09f, 1.0f); }

void ApplyStyle(float scale, bool light) {
  ImGuiStyle style;
  if (light) ImGui::StyleColorsLight(&style);
  else ImGui::StyleColorsDark(&style);
  style.WindowRounding = 0.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.FramePadding = ImVec2(6.0f, 4.0f);
  style.ItemSpacing = ImVec2(8.0f, 6.0f);
  style.Colors[ImGuiCol_WindowBg] = PageColor(light);
  // A slider's grab is a thin mark under its value, never a block over the digits.
  style.GrabMinSize = 6.0f;
  style.Colors[ImGuiCol_SliderGrab].w = 0.55f;
  style.Colors[ImGuiCol_SliderGrabActive].w = 0.75f;
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  SetLightTheme(light);
  SetUi(scale);
  plot::SetScale(scale);
}

void RebuildForScale(float scale, bool light) {
  BuildFonts(scale);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  ApplyStyle(scale, light);
}

// F11: the monitor's whole area, and back to the window's old place and size.
class FullScreen {
 public:
  bool on() const { return on_; }
  void Toggle(GLFWwindow* window) {
    if (!on_) {
      GLFWmonitor* monitor = glfwGetPrimaryMonitor();
      const GLFWvidmode* mode = monitor != nullptr ? glfwGetVideoMode(monitor) : nullptr;
      if (mode == nullptr) return;  // no monitor to fill (e.g. some virtual displays)
      glfwGetWindowPos(window, &x_, &y_);
      glfwGetWindowSize(window, &width_, &height_);
      glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
      on_ = true;
    } else {
      glfwSetWindowMonitor(window, nullptr, x_, y_, width_, height_, 0);
      on_ = false;
    }
  }

 private:
  bool on_ = false;
  int x_ = 0, y_ = 0, width_ = 0, height_ = 0;
};

struct FrameStats {
  std::vector<double> build_ms;
  long first_step = 0;
  long last_step = 0;
  std::chrono::steady_clock::time_point start;

  void Print() const {
    if (build_ms.empty()) return;
    std::vector<double> sorted = build_ms;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) { return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))]; };
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("frames %zu  build CPU ms: p50 %.2f  p95 %.2f  max %.2f  |  training %.0f steps/s\n", sorted.size(),
                at(0.5), at(0.95), sorted.back(), static_cast<double>(last_step - first_step) / std::max(seconds, 1e-9));
    // While the session still holds its data and networks.
    const std::string memory = ResidentMemoryText(ProcessResidentMemory());
    if (!memory.empty()) std::printf("%s\n", memory.c_str());
  }
};

bool g_window_open = false;

// Before the window exists, a GLFW error explains why it could not open: say it. Once it is
// open, a platform error is the window system declining a request of the window's own, such as
// minimizing a full-screen window without an EWMH window manager: nothing the user can act
// on, and the window goes on working, so it is not printed. Other errors still are.
void GlfwErrorCallback(int error, const char* description) {
  if (g_window_open && error == GLFW_PLATFORM_ERROR) return;
  std::fprintf(stderr, "bnlab: GLFW error %d: %s\n", error, description);
}

}  // namespace

int RunGui(const GuiOptions& options) {
  // Check the screenshot path before doing any work: an unwritable path is the user's to fix.
  std::unique_ptr<ScreenshotFile> screenshot;
  if (!options.screenshot_path.empty()) {
    std::string error;
    screenshot = ScreenshotFile::Open(options.screenshot_path, &error);
    if (!screenshot) {
      std::fprintf(stderr, "bnlab: --screenshot: %s\n", error.c_str());
      return 2;
    }
  }

  glfwSetErrorCallback(GlfwErrorCallback);
  if (!glfwInit()) {
    std::fprintf(stderr, "bnlab: cannot open a window (no display?). `bnlab train` runs without one.\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  GLFWwindow* window = glfwCreateWindow(options.width, options.height, "bnlab: Batch Normalization, shown", nullptr, nullptr);
  if (window == nullptr) {
    std::fprintf(stderr, "bnlab: cannot create an OpenGL 3.3 window. `bnlab train` runs without one.\n");
    glfwTerminate();
    return 1;
  }
  g_window_open = true;
  SetWindowIcon(window);
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is ours; view options live in UiState
  const bool interactive = options.frames == 0;
  UiState ui = interactive ? LoadUiState() : UiState();
  // The view: --view, else the one the scene opens, else the one shown last time.
  if (options.has_view) ui.view = options.view;
  else ParseView(options.scene.lesson.view, &ui.view);
  if (options.ui_scale > 0.0f) ui.ui_scale = options.ui_scale;
  if (options.light_theme) ui.light_theme = true;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  InstallKeyQueue(window);  // after ImGui's callbacks, which it chains
  ImGui_ImplOpenGL3_Init("#version 330 core");
  BuildFonts(ui.ui_scale);
  ApplyStyle(ui.ui_scale, ui.light_theme);

  int exit_code = 0;
  {
    Session session(options.scene, options.start_paused, options.threads);
    // The data and the first networks come in the background: a window draws at once and says
    // it is loading. A recorded run (--frames) waits for them, so that its frames show the run,
    // and has nobody to read the window's error: it says it on stderr and stops, as the
    // headless commands do.
    if (!interactive) {
      std::shared_ptr<const Snapshot> first = session.Latest();
      while (!Session::Ready(*first)) {
        glfwWaitEventsTimeout(0.005);
        first = session.Latest();
      }
      if (!first->error.empty()) {
        std::fprintf(stderr, "bnlab: %s\n", first->error.c_str());
        exit_code = 2;
      }
    }
    App app(session, ui);
    FrameStats stats;
    stats.start = std::chrono::steady_clock::now();
    stats.first_step = session.Latest()->step;
    float applied_scale = ui.ui_scale;
    bool applied_light = ui.light_theme;
    FullScreen full_screen;
    long frame = 0;
    while (exit_code == 0 && !glfwWindowShouldClose(window)) {
      // Minimized: draw nothing and sleep until something happens; training goes on.
      if (glfwGetWindowAttrib(window, GLFW_ICONIFIED) != 0) {
        glfwWaitEventsTimeout(0.25);
        continue;
      }
      glfwPollEvents();
      const auto frame_start = std::chrono::steady_clock::now();
      if (ui.ui_scale != applied_scale || ui.light_theme != applied_light) {
        RebuildForScale(ui.ui_scale, ui.light_theme);
        applied_scale = ui.ui_scale;
        applied_light = ui.light_theme;
      }

      const auto build_start = std::chrono::steady_clock::now();
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      // Recorded frames show no hover tooltips wherever the (virtual) pointer happens to be.
      if (!interactive) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      app.Frame();
      ImGui::Render();
      stats.build_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build_start).count());

      int fb_width = 0, fb_height = 0;
      glfwGetFramebufferSize(window, &fb_width, &fb_height);
      glViewport(0, 0, fb_width, fb_height);
      const ImVec4 page = PageColor(ui.light_theme);
      glClearColor(page.x, page.y, page.z, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      ++frame;
      const bool last_frame = options.frames > 0 && frame >= options.frames;
      if (last_frame && screenshot) {
        std::string error;
        if (!screenshot->WriteFramebuffer(fb_width, fb_height, &error)) {
          std::fprintf(stderr, "bnlab: --screenshot: %s\n", error.c_str());
          app.Shutdown();
          break;
        }
      }
      if (app.screenshot_requested()) app.SaveScreenshotNow(fb_width, fb_height);
      if (app.quit_requested()) glfwSetWindowShouldClose(window, GLFW_TRUE);
      if (app.TakeFullscreenToggle()) {
        full_screen.Toggle(window);
        app.set_fullscreen(full_screen.on());
      }
      glfwSwapBuffers(window);
      if (last_frame) break;
      // Where vsync is not honoured (software GL, some drivers) the loop would spin and take
      // CPU from training: hold it to about 60 frames per second.
      const auto frame_end = std::chrono::steady_clock::now();
      const auto min_frame = std::chrono::microseconds(16000);
      if (frame_end - frame_start < min_frame) std::this_thread::sleep_for(min_frame - (frame_end - frame_start));
    }
    stats.last_step = session.Latest()->step;
    if (options.frame_stats) stats.Print();
    app.Shutdown();
    // Closing never waits for a long piece of training work (one step of a huge network can
    // take seconds): if the worker does not stop at once, the window goes, the view settings
    // are saved, and the process ends without waiting for it. Nothing of the session needs
    // saving; its data are in memory only.
    if (!session.Stop(std::chrono::milliseconds(1500))) {
      glfwHideWindow(window);
      if (interactive) {
        std::string error;
        if (!SaveUiState(ui, &error)) std::fprintf(stderr, "bnlab: could not save view settings: %s\n", error.c_str());
      }
      std::fflush(nullptr);
      std::_Exit(exit_code != 0 ? exit_code : (screenshot && !screenshot->written() ? 2 : 0));
    }
  }
  if (interactive) {
    std::string error;
    if (!SaveUiState(ui, &error)) std::fprintf(stderr, "bnlab: could not save view settings: %s\n", error.c_str());
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  if (exit_code != 0) return exit_code;
  return screenshot && !screenshot->written() ? 2 : 0;
}

}  // namespace bnlab
