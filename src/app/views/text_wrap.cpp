#include "app/views/text_wrap.h"

namespace bnlab {

std::string WrapAtSpaces(std::string_view text, float width, const std::function<float(std::string_view)>& measure) {
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t line = 0;                      // where the current line starts
  std::size_t fit = std::string_view::npos;  // where it may end: after its last whole word
  for (std::size_t at = 0;; ++at) {
    const bool end = at == text.size();
    if (!end && text[at] != ' ' && text[at] != '\n') continue;
    // A word ends at `at`: it stays on the line if the line still fits, else it starts the next.
    if (at > line && text[at - 1] != ' ') {
      if (fit != std::string_view::npos && measure(text.substr(line, at - line)) > width) {
        out.append(text.substr(line, fit - line));
        out += '\n';
        line = fit;
        while (line < at && text[line] == ' ') ++line;
      }
      fit = at;
    }
    if (end) break;
    if (text[at] == '\n') {
      out.append(text.substr(line, at + 1 - line));
      line = at + 1;
      fit = std::string_view::npos;
    }
  }
  out.append(text.substr(line));
  return out;
}

}  // namespace bnlab
