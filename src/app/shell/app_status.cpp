// The App's status bar, and what it reports: the session's notices, screenshots (S) and GIF
// clips (G), and the keys that fit the width.
#include "app/shell/app.h"

#include "app/shell/browser.h"
#include "app/shell/screenshot.h"
#include "app/shell/theme.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bnlab {
namespace {

constexpr double kNoticeSeconds = 8.0;  // a passing notice fades from the status bar after this

}  // namespace

void App::SaveScreenshotNow(int width, int height) {
  screenshot_requested_ = false;
  char path[64];
  std::snprintf(path, sizeof(path), "bnlab-step%ld.png", session_.Latest()->step);
  std::string error;
  const bool saved = SaveFramebufferPng(path, width, height, &error);
  if (saved) browser::OfferDownload(path, "image/png");
  SetNotice(saved ? std::string("Saved ") + path : "Screenshot failed: " + error);
}

void App::SetNotice(std::string text) {
  notice_ = std::move(text);
  notice_time_ = ImGui::GetTime();
}

void App::StartRecording() {
  char path[64];
  std::snprintf(path, sizeof(path), "bnlab-step%ld.gif", session_.Latest()->step);
  std::string error;
  clip_ = GifRecorder::Open(path, &error);
  if (!clip_) {
    SetNotice("Clip failed: " + error);
    return;
  }
  clip_start_ = ImGui::GetTime();
  clip_next_centiseconds_ = 0;
  clip_dropped_ = 0;
}

void App::RecordFrame(int width, int height) {
  if (ui_.clip_requested) {
    ui_.clip_requested = false;
    if (clip_) FinishRecording();
    else StartRecording();
  }
  ui_.clip_recording = clip_ != nullptr;
  if (!clip_) return;
  const double seconds = ImGui::GetTime() - clip_start_;
  if (seconds >= ui_.clip_seconds) {
    FinishRecording();
    return;
  }
  const long centiseconds = std::lround(100.0 * seconds);
  if (centiseconds < clip_next_centiseconds_) return;
  clip_next_centiseconds_ = (centiseconds / GifRecorder::kFrameCentiseconds + 1) * GifRecorder::kFrameCentiseconds;
  if (clip_->TryAddFrame(ReadFramebuffer(width, height), width, height, centiseconds)) return;
  if (clip_->width() != width || clip_->height() != height) {
    FinishRecording();  // the clip keeps the window's first size: it ends where the size changed
    return;
  }
  ++clip_dropped_;  // the encoder is behind: the frame before is shown longer
}

void App::FinishRecording() {
  if (!clip_) return;
  const std::unique_ptr<GifRecorder> clip = std::move(clip_);
  ui_.clip_recording = false;
  const double seconds = std::min(ImGui::GetTime() - clip_start_, static_cast<double>(ui_.clip_seconds));
  std::string error;
  if (!clip->Finish(std::lround(100.0 * seconds), &error)) {
    SetNotice("Clip failed: " + error);
    return;
  }
  browser::OfferDownload(clip->path(), "image/gif");
  char text[256];
  std::snprintf(text, sizeof(text), "Saved %s: %.1f s, %d frames, %.1f MB%s", clip->path().c_str(), seconds,
                clip->frames_written(), static_cast<double>(clip->bytes_written()) / 1e6,
                clip_dropped_ > 0 ? " (some frames dropped: the encoder was behind)" : "");
  SetNotice(text);
}

void App::DrawStatusBar(const Snapshot& snapshot) {
  if (!ui_.notice.empty()) {
    notice_ = std::move(ui_.notice);
    ui_.notice.clear();
    notice_time_ = ImGui::GetTime();
  }
  // The session's notices (scene loaded, nets restarted, a net diverged) show for a few
  // seconds, like the app's own; an error that needs the user stays in the control panel.
  if (snapshot.message != last_message_ || snapshot.generation != last_generation_) {
    last_message_ = snapshot.message;
    last_generation_ = snapshot.generation;
    if (!snapshot.message.empty()) {
      notice_ = snapshot.message;
      notice_time_ = ImGui::GetTime();
    }
  }
  // A build under way says so for as long as it takes (seconds for the largest networks).
  if (!snapshot.building.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, AccentText());
    ImGui::TextUnformatted(snapshot.building.c_str());
    ImGui::PopStyleColor();
    return;
  }
  if (clip_) {
    ImGui::PushStyleColor(ImGuiCol_Text, kAlarmColor);
    ImGui::Text("Recording %s: %.0f / %d s (G stops)", clip_->path().c_str(),
                std::floor(ImGui::GetTime() - clip_start_), ui_.clip_seconds);
    ImGui::PopStyleColor();
    return;
  }
  const bool fresh = ImGui::GetTime() - notice_time_ < kNoticeSeconds && !notice_.empty();
  if (fresh) {
    ImGui::PushStyleColor(ImGuiCol_Text, AccentText());
    ImGui::TextUnformatted(notice_.c_str());
    ImGui::PopStyleColor();
    return;
  }
  // The longest list of keys that fits the width.
  static const char* const kHints[] = {
      "Space pause · N step · R reset · 1-9, PgUp/PgDn scenes · H panel · P present · F11 full screen · L light · "
      "A time axis · E export · S screenshot · G clip · Ctrl +/− size",
      "Space pause · N step · R reset · 1-9, PgUp/PgDn scenes · H panel · P present · F11 full screen · G clip · "
      "Ctrl +/− size",
      "Space pause · N step · PgUp/PgDn scenes · P present · Ctrl +/− size",
      "Space pause · H panel · P present",
  };
  static const char* const kPresentHints[] = {
      "Space pause · N step · 1-9, PgUp/PgDn scenes · V / Shift V views · C caption · P leave · F11 full screen · "
      "G clip",
      "Space pause · PgUp/PgDn scenes · V views · C caption · P leave",
      "Space · V views · P leave",
  };
  const float width = ImGui::GetContentRegionAvail().x;
  const char* const* hints = ui_.present ? kPresentHints : kHints;
  const int count = ui_.present ? IM_ARRAYSIZE(kPresentHints) : IM_ARRAYSIZE(kHints);
  const char* hint = hints[count - 1];  // the shortest, unless a longer one fits
  for (int i = 0; i < count; ++i) {
    if (ImGui::CalcTextSize(hints[i]).x <= width) {
      hint = hints[i];
      break;
    }
  }
  ImGui::TextDisabled("%s", hint);
}

}  // namespace bnlab
