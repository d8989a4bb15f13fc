// The table behind settings.h: each setting's type, range and TrainConfig field. Flags
// (text) and scene files (TOML values) are parsed into a SettingValue and then go through
// the same range check and setter, so both paths accept exactly the same values.
#pragma once

#include "engine/config.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace bnlab::settings {

enum class SettingType {
  kInteger,  // whole number in `integers`
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
  std::string text;         // kChoice, kText
  std::vector<int> layers;  // kLayers
};

// How a change reaches a session that is training: between two steps, with the nets as they
// are (the batch size, the learning rate, ...), or only through new networks, which restart
// both nets from step 0 (the data, the architecture, the initial weights, the seed, ...).
enum class Applies { kLive, kNewNetworks };

struct SettingSpec {
  const char* name = "";
  Applies applies = Applies::kLive;
  // A live setting that changes how the nets train: its name on the plots' change markers
  // ("BN ε"). Null for the rest: those that need new networks, and those that change only what
  // is measured or when (probe-unit, eval-every).
  const char* marker = nullptr;
  SettingType type = SettingType::kText;
  const char* help = "";
  IntRange integers{0, 0};                  // kInteger (engine/limits.h)
  RealRange reals{0.0, 0.0, false, false};  // kReal
  std::vector<std::string> choices;         // kChoice
  void (*set)(TrainConfig*, const SettingValue&) = nullptr;
  SettingValue (*get)(const TrainConfig&) = nullptr;
};

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

// The settings, by name in table order ("layers, seed"), that differ between `now` and `next`
// and apply only through new networks; "" when every change can apply live.
std::string NewNetworksReason(const TrainConfig& now, const TrainConfig& next);

// A live change as the change markers show it: the setting's marker, its value before and after
// (numbers to three significant digits).
struct LiveChange {
  std::string name, from, to;  // "lr", "0.1", "5"
};
// The settings with a marker that differ between `now` and `next`, in table order.
std::vector<LiveChange> LiveChanges(const TrainConfig& now, const TrainConfig& next);

// Every setting of `config` by name, in table order, as JSON of its type: a number, true or
// false, a string, an array of widths ({"dataset": "spiral", ..., "layers": [100, 100]}).
nlohmann::ordered_json ToJson(const TrainConfig& config);

}  // namespace bnlab::settings
