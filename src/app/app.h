// The window's contents: controls on the left, the views on the right, keyboard shortcuts.
#pragma once

#include "app/session.h"
#include "app/ui_state.h"

#include <string>

namespace bnlab {

class App {
 public:
  App(Session& session, UiState& ui) : session_(session), ui_(ui) {}

  // Builds one ImGui frame from the newest snapshot.
  void Frame();
  // Frees GL resources of the views (call while the GL context is current).
  void Shutdown();

  // The S key asks for a screenshot; the main loop takes it after rendering.
  bool screenshot_requested() const { return screenshot_requested_; }
  void SaveScreenshotNow(int width, int height);

 private:
  void HandleKeys();
  void DrawViews(const Snapshot& snapshot);
  void DrawNoData(const Snapshot& snapshot);
  void DrawStatusBar(const Snapshot& snapshot);

  Session& session_;
  UiState& ui_;
  bool first_frame_ = true;
  bool screenshot_requested_ = false;
  std::string screenshot_message_;
};

}  // namespace bnlab
