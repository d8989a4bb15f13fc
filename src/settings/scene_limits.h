// What a scene file may be before its text reaches the TOML parser. Debian's toml++ 3.3
// recurses once per level of a dotted key, table header or inline table/array, so a file
// of `a.a.a. ... = 1` 40 000 levels deep overflows the stack (fixed upstream in later
// versions). Scenes are a handful of flat keys, so tight bounds cost nothing.
#pragma once

#include <cstddef>
#include <string_view>

namespace bnlab {

// The bundled scenes are under 2 KB each.
inline constexpr std::size_t kMaxSceneBytes = 64 * 1024;
// Scene keys are flat (depth 1); a little more lets the parser report `[net]` or
// `a.b = 1` as an unknown table instead of as a depth error.
inline constexpr int kMaxSceneDepth = 16;

// The deepest nesting in a TOML text, found without parsing it: key segments of a dotted
// key or a [table.header], plus the inline tables and arrays around it. Strings and
// comments are skipped. A syntax error is not reported here (the parser does that); the
// scan only has to never underestimate what the parser would recurse into.
struct TomlNesting {
  int depth = 0;  // deepest level found (0 for an empty text)
  int line = 0;   // 1-based line where it was first reached
};
TomlNesting MeasureTomlNesting(std::string_view text);

}  // namespace bnlab
