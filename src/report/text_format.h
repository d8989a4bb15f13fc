// printf-style text for the headless commands' tables and progress lines, with non-finite
// numbers spelled "nan", "inf", "-inf" (printf's "%f" of a NaN may read "-nan").
#pragma once

#include "engine/limits.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace bnlab {

// printf into a std::string (one line's worth); the attribute lets the compiler check the arguments.
__attribute__((format(printf, 1, 2))) inline std::string Format(const char* format, ...) {
  char line[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  return line;
}

inline const char* NonFiniteText(double value) { return std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf"; }

// "%*.*f", or nan / inf right-aligned in the same width.
inline std::string Fixed(double value, int width, int decimals) {
  if (std::isfinite(value)) return Format("%*.*f", width, decimals, value);
  return Format("%*s", width, NonFiniteText(value));
}

// The shortest text that reads back as the value (a CSV cell); "nan" and "inf" (never "-nan")
// when not finite.
inline std::string Number(double value) {
  if (std::isfinite(value)) return ShortestText(value);
  return NonFiniteText(value);
}

}  // namespace bnlab
