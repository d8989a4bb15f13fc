// The browser's side of the page (browser.h); compiled into the WebAssembly build only.
#include "app/shell/browser.h"

#include "engine/dataset.h"
#include "engine/fashion_loader.h"

#include <emscripten.h>

#include <cstdlib>
#include <utility>

namespace bnlab {
namespace browser {
namespace {

void CallFrame(void* frame) { (*static_cast<std::function<void()>*>(frame))(); }

// A string a script put in the page's memory (Module.bnlabString, in assets/web/shell.html:
// _malloc'd, its address the int result), taken over.
std::string TakeScriptString(int address) {
  char* text = reinterpret_cast<char*>(address);  // (a wasm32 pointer fits the int)
  std::string copy = text != nullptr ? text : "";
  std::free(text);
  return copy;
}

}  // namespace

void CallEveryFrame(std::function<void()> frame) {
  // Kept as long as the page is open: the browser calls it until then.
  auto* kept = new std::function<void()>(std::move(frame));
  emscripten_set_main_loop_arg(CallFrame, kept, 0, /*simulate_infinite_loop=*/0);
}

void ViewportSize(int* width, int* height) {
  *width = static_cast<int>(EM_ASM_INT({ return window.innerWidth; }));
  *height = static_cast<int>(EM_ASM_INT({ return window.innerHeight; }));
}

void ReportProgress(long step, const std::string& scene_title, const std::string& building) {
  EM_ASM(
      {
        window.bnlabStep = $0;
        window.bnlabScene = UTF8ToString($1);
        window.bnlabBuilding = UTF8ToString($2);
        window.bnlabFrames = (window.bnlabFrames || 0) + 1;
      },
      static_cast<double>(step), scene_title.c_str(), building.c_str());
}

void ReportItem(const char* name, float x0, float y0, float x1, float y1) {
  EM_ASM(
      {
        window.bnlabItems = window.bnlabItems || {};
        window.bnlabItems[UTF8ToString($0)] = new Array($1, $2, $3, $4);
      },
      name, x0, y0, x1, y1);
}

float PixelRatio() {
  const double ratio = EM_ASM_DOUBLE({ return window.devicePixelRatio || 1; });
  return ratio > 0.0 ? static_cast<float>(ratio) : 1.0f;
}

void ToggleFullscreen() {
  // Refused without a recent key press or click: F11 and the button are both.
  EM_ASM({
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(function(){});
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function(){});
    }
  });
}

bool IsFullscreen() {
  return EM_ASM_INT({ return document.fullscreenElement ? 1 : 0; }) != 0;
}

std::string ArrivedFiles(const std::string& dir) {
  if (dir != kDefaultFashionDir) return "";  // not the page's: the load says what is missing
  std::string names;
  for (const std::string& name : FashionFileNames()) names += (names.empty() ? "" : " ") + name;
  // (The fetch is the page's script: assets/web/shell.html.)
  const std::string state = TakeScriptString(EM_ASM_INT(
      { return Module.bnlabString(Module.bnlabArrivedFiles(UTF8ToString($0), UTF8ToString($1).split(' '))); },
      dir.c_str(), names.c_str()));
  if (!state.empty() && state[0] == '!') {
    throw DataError(state.substr(1) + " (the page's server did not give Fashion-MNIST: was the site copied whole?)");
  }
  return state;
}

void OpenFilePicker() {
  EM_ASM({
    var picker = document.getElementById('scene-file');
    if (picker) picker.click();
  });
}

std::string TakePickedFile() {
  return TakeScriptString(EM_ASM_INT({
    var path = Module.bnlabPicked || '';
    Module.bnlabPicked = '';
    return Module.bnlabString(path);
  }));
}

void OfferDownload(const std::string& path, const char* mime_type) {
  EM_ASM(
      {
        var path = UTF8ToString($0);
        var blob = new Blob([FS.readFile(path)], {
          type:
            UTF8ToString($1)
        });
        var link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = path.split('/').pop();
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(
            function() { URL.revokeObjectURL(link.href); }, 60000);
      },
      path.c_str(), mime_type);
}

void CopyToClipboard(const char* text) {
  // (Refused when the page has no focus: then only ImGui's clipboard has it.)
  EM_ASM(
      {
        if (navigator.clipboard) navigator.clipboard.writeText(UTF8ToString($0)).catch(function(){});
      },
      text);
}

std::string PageAddress() {
  return TakeScriptString(
      EM_ASM_INT({ return Module.bnlabString(window.location.origin + window.location.pathname); }));
}

void RestoreStoredFile(const std::string& path) {
  EM_ASM(
      {
        var path = UTF8ToString($0);
        var text = null;
        try {
          text = window.localStorage.getItem('bnlab:' + path);
        } catch (e) {}      // storage refused (a private window, say): the defaults
        if (!text) return;  // nothing stored (or nothing in it)
        FS.mkdirTree(path.substring(0, path.lastIndexOf('/')));
        FS.writeFile(path, text);
      },
      path.c_str());
}

void StoreFile(const std::string& path) {
  EM_ASM(
      {
        var path = UTF8ToString($0);
        try {
          window.localStorage.setItem('bnlab:' + path, FS.readFile(path, {encoding : 'utf8'}));
        } catch (e) {}
      },
      path.c_str());
}

}  // namespace browser
}  // namespace bnlab
