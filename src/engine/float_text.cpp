#include "engine/float_text.h"

#if !defined(__cpp_lib_to_chars)
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#endif

namespace bnlab {

#if defined(__cpp_lib_to_chars)

std::to_chars_result DoubleToChars(char* first, char* last, double value) { return std::to_chars(first, last, value); }

std::to_chars_result DoubleToChars(char* first, char* last, double value, int precision) {
  return std::to_chars(first, last, value, std::chars_format::general, precision);
}

std::from_chars_result DoubleFromChars(const char* first, const char* last, double& value) {
  return std::from_chars(first, last, value);
}

#else  // no floating-point <charconv>: the same text through printf and strtod

namespace {

std::to_chars_result Copy(const std::string& text, char* first, char* last) {
  if (static_cast<std::size_t>(last - first) < text.size()) return {last, std::errc::value_too_large};
  std::memcpy(first, text.data(), text.size());
  return {first + text.size(), std::errc()};
}

}  // namespace

std::to_chars_result DoubleToChars(char* first, char* last, double value) {
  if (!std::isfinite(value) || value == 0.0) return DoubleToChars(first, last, value, 1);
  // The fewest significant digits that read back as `value` (at most 17 for a double).
  char scientific[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(scientific, sizeof scientific, "%.*e", digits - 1, value);
    if (std::strtod(scientific, nullptr) == value) break;
  }
  // The same digits in fixed notation: the mantissa's digits, its sign and the exponent.
  const std::string text = scientific;
  const std::size_t e = text.find('e');
  const bool negative = text[0] == '-';
  std::string mantissa;
  for (std::size_t i = negative ? 1 : 0; i < e; ++i) {
    if (text[i] != '.') mantissa += text[i];
  }
  const int exponent = std::atoi(text.c_str() + e + 1);
  const int count = static_cast<int>(mantissa.size());
  std::string fixed = negative ? "-" : "";
  if (exponent < 0) {
    fixed += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + mantissa;
  } else if (exponent + 1 >= count) {
    char integer[320];  // a whole number: to_chars writes its exact value, as %.0f does
    std::snprintf(integer, sizeof integer, "%.0f", value);
    fixed = integer;
  } else {
    fixed += mantissa.substr(0, static_cast<std::size_t>(exponent + 1)) + "." +
             mantissa.substr(static_cast<std::size_t>(exponent + 1));
  }
  return Copy(fixed.size() <= text.size() ? fixed : text, first, last);
}

std::to_chars_result DoubleToChars(char* first, char* last, double value, int precision) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*g", precision, value);
  return Copy(text, first, last);
}

std::from_chars_result DoubleFromChars(const char* first, const char* last, double& value) {
  const std::string text(first, last);
  const char* start = text.c_str();
  // What from_chars reads and strtod would read more of: a '+', leading space, "0x" (from_chars
  // reads the 0 and stops).
  if (text.empty() || text[0] == '+' || std::isspace(static_cast<unsigned char>(text[0]))) {
    return {first, std::errc::invalid_argument};
  }
  const std::size_t digits = text[0] == '-' ? 1 : 0;
  if (text.compare(digits, 2, "0x") == 0 || text.compare(digits, 2, "0X") == 0) {
    value = text[0] == '-' ? -0.0 : 0.0;
    return {first + digits + 1, std::errc()};
  }
  if (digits == 1 && (text.size() < 2 || text[1] == '+' || std::isspace(static_cast<unsigned char>(text[1])))) {
    return {first, std::errc::invalid_argument};
  }
  char* end = nullptr;
  errno = 0;
  const double parsed = std::strtod(start, &end);
  if (end == start) return {first, std::errc::invalid_argument};
  const char* ptr = first + (end - start);
  // strtod's ERANGE also flags a subnormal result, which from_chars reads.
  if (errno == ERANGE && (parsed == 0.0 || std::isinf(parsed))) return {ptr, std::errc::result_out_of_range};
  value = parsed;
  return {ptr, std::errc()};
}

#endif

}  // namespace bnlab
