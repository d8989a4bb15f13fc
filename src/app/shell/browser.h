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
// What the page tells a script looking at it (the browser tests): the training step, the
// scene's title and what is being loaded or built ("" when nothing), as window.bnlabStep,
// window.bnlabScene and window.bnlabBuilding; window.bnlabFrames counts the calls (the frames).
void ReportProgress(long step, const std::string& scene_title, const std::string& building);
// Where the button `name` was drawn this frame, in the canvas's pixels, as
// window.bnlabItems[name] = [x0, y0, x1, y1]: the browser tests click it there as a user would.
void ReportItem(const char* name, float x0, float y0, float x1, float y1);
// The size of one CSS pixel in the screen's pixels (window.devicePixelRatio: 2 on most HiDPI
// screens): the canvas is drawn at the screen's pixels and the UI scaled by it, so text is crisp.
float PixelRatio();
// The page in the browser's full screen (the Fullscreen API), or back; and whether it is (the
// browser leaves it on Escape by itself).
void ToggleFullscreen();
bool IsFullscreen();
// The files of `dir` that the page ships beside it (Fashion-MNIST's four, in fashion-mnist/ next
// to index.html), fetched into the page's memory in the background the first time they are
// asked for: "" once they are there (at once for a directory the page does not ship), else how
// far the fetch is ("fetched 12.0 of 30.0 MB"). Throws DataError when the server cannot give
// them. Session::SetFileArrival takes it.
std::string ArrivedFiles(const std::string& dir);
// The page's file picker for scene files (an <input type=file>), opened; and the file picked
// since the last call, copied into the page's memory ("" when none).
void OpenFilePicker();
std::string TakePickedFile();
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
inline void ReportProgress(long, const std::string&, const std::string&) {}
inline void ReportItem(const char*, float, float, float, float) {}
inline float PixelRatio() { return 1.0f; }
inline void ToggleFullscreen() {}
inline bool IsFullscreen() { return false; }
inline std::string ArrivedFiles(const std::string&) { return ""; }
inline void OpenFilePicker() {}
inline std::string TakePickedFile() { return ""; }
inline void OfferDownload(const std::string&, const char*) {}  // the file is where it was written
inline void CopyToClipboard(const char*) {}
inline std::string PageAddress() { return ""; }
inline void RestoreStoredFile(const std::string&) {}
inline void StoreFile(const std::string&) {}
#endif

}  // namespace browser
}  // namespace bnlab
