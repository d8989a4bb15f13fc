// The page's side of the browser (the WebAssembly build): what a desktop window gets from the
// operating system and the page gets from the browser. Called only where kWebAssembly
// (engine/platform.h) says so; the desktop build has these as empty stand-ins.
#pragma once

#include <functional>
#include <string>

namespace bnlab {
namespace browser {

#if defined(__EMSCRIPTEN__)
// Has the browser call `frame` before every repaint (requestAnimationFrame) from now on, and
// returns: the page's frame loop. Nothing in the program waits; the browser keeps it going.
void CallEveryFrame(std::function<void()> frame);
// The size of the browser's window in CSS pixels (the page's canvas fills it).
void ViewportSize(int* width, int* height);
// What the page tells a script looking at it (the browser tests): the training step and the
// scene's title, as window.bnlabStep and window.bnlabScene.
void ReportProgress(long step, const std::string& scene_title);
// A file the program has just written (into the page's memory: E, S, G, Save as scene) handed
// to the browser as a download of that name.
void OfferDownload(const std::string& path, const char* mime_type);
// Text put on the system's clipboard (ImGui's own stays inside the page).
void CopyToClipboard(const char* text);
// The page's address without its query: "http://host/path/index.html".
std::string PageAddress();
// The page's files that outlive a visit (ui.toml): `path` written from the browser's storage
// (localStorage) if it holds it, and stored there.
void RestoreStoredFile(const std::string& path);
void StoreFile(const std::string& path);
#else
inline void CallEveryFrame(std::function<void()>) {}
inline void ViewportSize(int*, int*) {}
inline void ReportProgress(long, const std::string&) {}
inline void OfferDownload(const std::string&, const char*) {}  // the file is where it was written
inline void CopyToClipboard(const char*) {}
inline std::string PageAddress() { return ""; }
inline void RestoreStoredFile(const std::string&) {}
inline void StoreFile(const std::string&) {}
#endif

}  // namespace browser
}  // namespace bnlab
