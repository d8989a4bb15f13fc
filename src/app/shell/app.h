// The window's contents: controls on the left, the views on the right, keyboard shortcuts.
#pragma once

#include "session/session.h"
#include "app/shell/gif_recorder.h"
#include "app/shell/ui_state.h"
#include "app/views/view_resources.h"
#include "session/verdict.h"

#include <cstdint>
#include <memory>
#include <string>

namespace bnlab {

// Destroy it while the GL context is current: it owns the views' GL objects (ViewResources).
class App {
 public:
  App(Session& session, UiState& ui) : session_(session), ui_(ui) {}

  // Builds one ImGui frame from the newest snapshot.
  void Frame();

  // The S key asks for a screenshot; the main loop takes it after rendering.
  bool screenshot_requested() const { return screenshot_requested_; }
  void SaveScreenshotNow(int width, int height);
  // G or the Share section's button start a clip of the window (ui_.clip_seconds long, to
  // bnlab-stepN.gif) or end the one under way; the main loop hands every frame it draws to
  // RecordFrame, which keeps one every GifRecorder::kFrameCentiseconds.
  void RecordFrame(int width, int height);
  // Ends the clip under way, if any, and writes it (also when the window closes).
  void FinishRecording();
  // F11 (and Escape in full screen) or the Display section's button ask the main loop to switch
  // full screen; true once per press.
  bool TakeFullscreenToggle() {
    const bool toggle = fullscreen_toggle_ || ui_.fullscreen_requested;
    fullscreen_toggle_ = ui_.fullscreen_requested = false;
    return toggle;
  }
  void set_fullscreen(bool on) { fullscreen_ = on; }
  // Ctrl+Q: close the window (the view settings are saved as on any close).
  bool quit_requested() const { return quit_requested_; }

 private:
  void HandleKeys();
  void HandleKey(int key, int mods, bool typing);
  // Keys 1-9 and Page Up/Down: the scene at `index` of ui_.scenes (lecture order), if any.
  void RequestScene(int index);
  int CurrentSceneIndex(const Snapshot& snapshot) const;
  // The scene's title, its caption, the live verdict and a pause point's caption, above the views.
  void DrawLessonStrip(const Snapshot& snapshot);
  // The presentation layout's header: one line of scene number and title, the live verdict,
  // and a compact view selector at its right end.
  void DrawPresentHeader(const Snapshot& snapshot);
  // The presentation layout's caption bar, at the foot of the views' area (the view lays out
  // above it, so it covers nothing): a pause point's caption while paused there, or the
  // scene's description and caption on C; empty when there is none.
  std::string CaptionBarText(const Snapshot& snapshot) const;
  // The bar's text, already wrapped to its width, and under it which page of how many.
  void DrawCaptionBar(const std::string& text, const std::string& page_note, const ImVec2& pos, const ImVec2& size);
  // One row of view tabs (short titles where the full ones do not fit), or a drop-down.
  void DrawViewPicker();
  // Loads ui_.scene_request (set by the picker or a key), opens its view, and clears it.
  void LoadRequestedScene();
  // E or the Export button: the histories to bnlab-history-stepN.csv in the working directory.
  void ExportIfRequested(const Snapshot& snapshot);
  void DrawViews(const Snapshot& snapshot);
  void DrawNoData(const Snapshot& snapshot);
  void DrawLoading(const Snapshot& snapshot);
  void DrawStatusBar(const Snapshot& snapshot);
  void StartRecording();
  void SetNotice(std::string text);
  // Tells the session to run each lab exactly while its view is shown (cmd::SetLabs).
  void UpdateLabs();

  Session& session_;
  UiState& ui_;
  bool screenshot_requested_ = false;
  bool fullscreen_toggle_ = false;
  bool fullscreen_ = false;
  bool quit_requested_ = false;
  int caption_pages_ = 1;  // the pages the caption bar's text took in the last frame (C turns them)

  std::unique_ptr<GifRecorder> clip_;  // the clip under way (G), if any
  double clip_start_ = 0.0;            // its start (ImGui::GetTime)
  long clip_next_centiseconds_ = 0;    // when its next frame is due
  int clip_dropped_ = 0;               // frames dropped while the encoder was behind

  std::string notice_;         // the status bar's passing notice (screenshot saved, ...)
  double notice_time_ = -1e9;  // when it was set (ImGui::GetTime)
  std::string last_message_;   // the session's message last seen, to time it the same way
  std::uint64_t last_generation_ = 0;
  Labs labs_sent_;                                    // what the session was last told
  ViewResources views_;                               // what the views keep between frames
  std::shared_ptr<const Snapshot> verdict_snapshot_;  // the snapshot verdict_ was computed for
  VerdictText verdict_;                               // the lesson strip's live verdict
};

}  // namespace bnlab
