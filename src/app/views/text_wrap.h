// Line breaks at spaces only. ImGui's own wrapping (TextWrapped, a pushed wrap position) also
// breaks after '.', ',', ';', '!' and '?', so a caption's "1.5×" or "76.5%" can end one line
// with "1." and start the next with "5×". panel_util.h: TextWrappedAtSpaces draws with these.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace bnlab {

// `text` with '\n' put in place of the spaces where a line would grow wider than `width`, as
// `measure` gives a piece of text's width. Its own newlines are kept; a word wider than `width`
// stands on a line of its own (never cut); the spaces at a break are dropped.
std::string WrapAtSpaces(std::string_view text, float width, const std::function<float(std::string_view)>& measure);

}  // namespace bnlab
