// The browser's side of the page (browser.h); compiled into the WebAssembly build only.
#include "app/shell/browser.h"

#include <emscripten.h>

#include <cstdlib>
#include <utility>

namespace bnlab {
namespace browser {
namespace {

void CallFrame(void* frame) { (*static_cast<std::function<void()>*>(frame))(); }

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

void ReportProgress(long step, const std::string& scene_title) {
  EM_ASM(
      {
        window.bnlabStep = $0;
        window.bnlabScene = UTF8ToString($1);
      },
      static_cast<double>(step), scene_title.c_str());
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
  char* address = reinterpret_cast<char*>(EM_ASM_INT(
      {
        var text = window.location.origin + window.location.pathname;
        var size = lengthBytesUTF8(text) + 1;
        var memory = _malloc(size);
        stringToUTF8(text, memory, size);
        return memory;
      },
      0));  // (a wasm32 pointer fits the int)
  std::string text = address;
  std::free(address);
  return text;
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
