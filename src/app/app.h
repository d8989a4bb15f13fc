// The window's contents: controls on the left, the views on the right, keyboard shortcuts.
#pragma once

#include "app/inside_bn_panel.h"
#include "app/noise_panel.h"
#include "session/session.h"
#include "app/train_eval_panel.h"
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
  // Loads ui_.scene_request (set by the picker or a key), opens its view, and clears it.
  void LoadRequestedScene();
  void DrawViews(const Snapshot& snapshot);
  void DrawNoData(const Snapshot& snapshot);
  void DrawStatusBar(const Snapshot& snapshot);
  // Tells the session to measure the batch-size noise exactly while its view is shown.
  void UpdateNoiseLab();
  // Tells the session to record the Inside BN unit (kSetInsideBn) and the test-time figures
  // (kSetTestTime) exactly while their views are shown.
  void UpdateBnLabs();

  Session& session_;
  UiState& ui_;
  bool first_frame_ = true;
  bool screenshot_requested_ = false;
  std::string screenshot_message_;
  bool noise_lab_on_ = false;       // what the session was last told (kSetNoiseLab)
  NoiseViewCache noise_cache_;      // the Batch-size noise view's figures, per snapshot
  bool inside_bn_on_ = false;       // what the session was last told (kSetInsideBn)
  bool test_time_on_ = false;       // ... (kSetTestTime)
  InsideBnCache inside_bn_cache_;   // the Inside BN view's figures, per recorded batch
  TrainEvalCache train_eval_cache_; // the Train vs eval view's figures, per snapshot
};

}  // namespace bnlab
