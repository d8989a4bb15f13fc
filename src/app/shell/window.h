// The desktop window the frame loop draws into: GLFW with an OpenGL 3.3 core context, ImGui
// with its GLFW and OpenGL 3 backends, full screen (F11), and the signals that ask the window
// to close.
#pragma once

#include "app/shell/frame_loop.h"
#include "app/shell/ui_state.h"

struct GLFWwindow;

namespace bnlab {

// F11: the monitor's whole area, and back to the window's old place and size (the page: the
// browser's full screen, which the browser also leaves on Escape by itself).
class FullScreen {
 public:
  bool on() const;
  void Toggle(GLFWwindow* window);

 private:
  bool on_ = false;
  int x_ = 0, y_ = 0, width_ = 0, height_ = 0;
};

// SIGINT (Ctrl+C), SIGTERM and SIGHUP ask the window to close, as Ctrl+Q does; a second one ends
// the process at once. CloseSignal: the one that came, 0 while none has.
void InstallCloseSignals();
int CloseSignal();
inline bool CloseSignalled() { return CloseSignal() != 0; }

// The window with its OpenGL 3.3 core context current; nullptr, having said why, if there is none.
GLFWwindow* OpenWindow(const GuiOptions& options);
// The scale the fonts and style are built at: the UI scale, times the screen's pixels per CSS
// pixel on the page (browser::PixelRatio: 1 on the desktop), so text is as crisp as the screen.
float DrawnScale(const UiState& ui);
// ImGui with its GLFW and OpenGL 3 backends, the plot context, and fonts and style at DrawnScale.
void InitImGui(GLFWwindow* window, const UiState& ui);
// InitImGui and OpenWindow undone, in reverse order.
void CloseWindow(GLFWwindow* window);

}  // namespace bnlab
