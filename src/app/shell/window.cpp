#include "app/shell/window.h"

#include "app/shell/gl.h"  // before any other GL header
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app/shell/browser.h"
#include "app/shell/fonts_and_style.h"
#include "app/shell/key_queue.h"
#include "app/shell/window_icon.h"
#include "engine/platform.h"
#include "plot/plot.h"
#include "settings/atomic_file.h"

#include <signal.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

namespace bnlab {
namespace {

bool g_window_open = false;
// True while an attempt to reach the display may still be repeated (OpenWindow): its errors are
// not the last word, so they are not printed. Global: GLFW's error callback takes no pointer.
bool g_display_retry = false;

// SIGINT (Ctrl+C in the terminal that started it), SIGTERM (kill) and SIGHUP (the terminal or
// the session closes) ask the window to close, as Ctrl+Q does: the frame loop sees the request
// within a frame, and the window closes the same way (the view settings saved, exit 0). A
// second one ends the process at once, by the signal's default action.
volatile std::sig_atomic_t g_close_signal = 0;

extern "C" void OnCloseSignal(int signal_number) {
  if (g_close_signal != 0) {
    RemovePendingTempFiles();             // ui.toml, a screenshot or an export half written
    std::signal(signal_number, SIG_DFL);  // all three async-signal-safe
    std::raise(signal_number);
    return;
  }
  g_close_signal = signal_number;
}

// Before the window exists, a GLFW error explains why it could not open: say it. Once it is
// open, a platform error is the window system declining a request of the window's own, such as
// minimizing a full-screen window without an EWMH window manager: nothing the user can act
// on, and the window goes on working, so it is not printed. Other errors still are.
void GlfwErrorCallback(int error, const char* description) {
  if (g_window_open && error == GLFW_PLATFORM_ERROR) return;
  if (g_display_retry) return;
  std::fprintf(stderr, "bnlab: GLFW error %d: %s\n", error, description);
}

}  // namespace

bool FullScreen::on() const { return kWebAssembly ? browser::IsFullscreen() : on_; }

void FullScreen::Toggle(GLFWwindow* window) {
  if (kWebAssembly) {
    browser::ToggleFullscreen();
  } else if (!on_) {
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

// A signal ignored when bnlab started stays ignored: `nohup bnlab` must survive the logout.
void InstallCloseSignals() {
  struct sigaction action {};
  action.sa_handler = OnCloseSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction before {};
    if (sigaction(signal_number, nullptr, &before) == 0 && before.sa_handler == SIG_IGN) continue;
    sigaction(signal_number, &action, nullptr);
  }
}

int CloseSignal() { return g_close_signal; }

GLFWwindow* OpenWindow(const GuiOptions& options) {
  glfwSetErrorCallback(GlfwErrorCallback);
  // A display that refuses a connection for a moment (seen under Xvfb, with a test driving it
  // through many short connections) is tried again for about a second; only the last attempt's
  // error is printed. Without a display at all the window is given up a second later than before.
  bool initialized = false;
  for (int attempt = 1; attempt <= 5 && !initialized; ++attempt) {
    g_display_retry = attempt < 5;
    initialized = glfwInit() == GLFW_TRUE;
    if (!initialized && attempt < 5) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  g_display_retry = false;
  if (!initialized) {
    std::fprintf(stderr, "bnlab: cannot open a window (no display?). `bnlab train` runs without one.\n");
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  GLFWwindow* window =
      glfwCreateWindow(options.width, options.height, "bnlab: Batch Normalization, shown", nullptr, nullptr);
  if (window == nullptr) {
    std::fprintf(stderr, "bnlab: cannot create an OpenGL 3.3 window. `bnlab train` runs without one.\n");
    glfwTerminate();
    return nullptr;
  }
  g_window_open = true;
  SetWindowIcon(window);
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  return window;
}

float DrawnScale(const UiState& ui) { return ui.ui_scale * browser::PixelRatio(); }

void InitImGui(GLFWwindow* window, const UiState& ui) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  plot::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is ours; view options live in UiState
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  InstallKeyQueue(window);  // after ImGui's callbacks, which it chains
  ImGui_ImplOpenGL3_Init(kGlslVersion);
  BuildFonts(DrawnScale(ui));
  ImGui_ImplOpenGL3_CreateDeviceObjects();  // now, not at the first frame: the fonts go up at once
  ImGui::GetIO().Fonts->ClearTexData();
  ApplyStyle(DrawnScale(ui), ui.light_theme);
  // The page: Copy command (and any copy) reaches the system's clipboard, not only GLFW's.
  if (kWebAssembly) {
    ImGui::GetIO().SetClipboardTextFn = [](void*, const char* text) { browser::CopyToClipboard(text); };
  }
}

void CloseWindow(GLFWwindow* window) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  plot::DestroyContext();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
}

}  // namespace bnlab
