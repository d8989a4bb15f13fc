#include "engine/limits.h"

#include "engine/float_text.h"

namespace bnlab {

std::string ShortestText(double value) {
  char text[32];
  const auto result = DoubleToChars(text, text + sizeof text, value);
  return std::string(text, result.ptr);
}

std::string RangeText(IntRange range) { return "[" + std::to_string(range.lo) + ", " + std::to_string(range.hi) + "]"; }

std::string RangeText(RealRange range) {
  return (range.lo_open ? "(" : "[") + ShortestText(range.lo) + ", " + ShortestText(range.hi) +
         (range.hi_open ? ")" : "]");
}

}  // namespace bnlab
