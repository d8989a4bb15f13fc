// Doubles to and from text, as std::to_chars and std::from_chars write and read them (the "C"
// locale, whatever the user's). Those are the functions used where the standard library has
// them for floating point; the browser build's (libc++ of Emscripten 3.1.6, LLVM 14) has them
// for integers only, and there the same text comes from printf and strtod (float_text.cpp).
#pragma once

#include <charconv>

namespace bnlab {

// The shortest text that reads back as `value`, fixed or scientific, whichever is shorter
// (fixed on a tie): std::to_chars(first, last, value).
std::to_chars_result DoubleToChars(char* first, char* last, double value);
// `precision` significant digits, as printf's %.*g: std::to_chars(first, last, value,
// std::chars_format::general, precision).
std::to_chars_result DoubleToChars(char* first, char* last, double value, int precision);
// std::from_chars(first, last, value) in the general format: no leading space, no '+', no
// hexadecimal; `value` is left alone when the text is not a number or out of range.
std::from_chars_result DoubleFromChars(const char* first, const char* last, double& value);

}  // namespace bnlab
