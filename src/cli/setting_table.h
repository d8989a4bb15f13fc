// The table behind settings.h: each setting's type, range and TrainConfig field. Flags
// (text) and scene files (TOML values) are parsed into a SettingValue and then go through
// the same range check and setter, so both paths accept exactly the same values.
#pragma once

#include "engine/config.h"

#include <string>
#include <vector>

namespace bnlab::settings {

enum class SettingType {
  kInteger,  // whole number in [int_lo, int_hi]
  kReal,     // finite number in the range (lo, hi) with open/closed ends
  kBool,     // true or false
  kChoice,   // one of `choices`
  kText,     // any non-empty string (a path)
  kLayers,   // hidden widths: "100,100,100" or a TOML array of integers
};

// One parsed value; which member is meaningful depends on the SettingType.
struct SettingValue {
  long long integer = 0;
  double real = 0.0;
  bool boolean = false;
  std::string text;          // kChoice, kText
  std::vector<int> layers;   // kLayers
};

struct SettingSpec {
  const char* name = "";
  SettingType type = SettingType::kText;
  const char* help = "";
  long long int_lo = 0, int_hi = 0;           // kInteger, and each width for kLayers
  double lo = 0.0, hi = 0.0;                  // kReal
  bool lo_open = false, hi_open = false;      // kReal: "(0, 1]" etc.
  std::vector<std::string> choices;           // kChoice
  void (*set)(TrainConfig*, const SettingValue&) = nullptr;
  SettingValue (*get)(const TrainConfig&) = nullptr;
};

// Hidden layers a net may have, and their widths (ValidateConfig agrees).
inline constexpr int kMaxLayers = 16;
inline constexpr int kMaxWidth = 4096;

const std::vector<SettingSpec>& Table();
// nullptr for an unknown name.
const SettingSpec* Find(const std::string& name);

// What the setting accepts, for messages: "an integer in [1, 65536]", "one of sigmoid, tanh, relu".
std::string Expected(const SettingSpec& spec);

// Range and shape checks on a parsed value; "" when fine, else the problem, e.g.
// "-5 is out of range (expected an integer in [1, 65536])".
std::string CheckValue(const SettingSpec& spec, const SettingValue& value);

// "true", "1", "yes", "on" / "false", "0", "no", "off"; false when `text` is none of them.
// The settings and the commands' own switches (--json, --quiet) share it.
bool ParseBoolean(const std::string& text, bool* value);

// Text (flag) -> value. Returns "" or the problem ("'abc' is not an integer (expected ...)").
std::string ParseText(const SettingSpec& spec, const std::string& text, SettingValue* value);

// The value in flag syntax.
std::string FormatValue(const SettingSpec& spec, const SettingValue& value);

// The value as a JSON fragment (number, true/false, "string", [widths]).
std::string FormatJson(const SettingSpec& spec, const SettingValue& value);

// JSON string literal with quotes and escapes.
std::string JsonString(const std::string& text);

// Shortest decimal that reads back as the same double ("0.1", "1e-05").
std::string FormatReal(double value);

}  // namespace bnlab::settings
