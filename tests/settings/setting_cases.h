// A config in which every setting differs from its default, with values chosen to be hard to
// write down: a path full of shell and TOML metacharacters, reals that need all 17 digits or
// are subnormal, the largest seed. Shared by the scene-writer and command-line tests.
#pragma once

#include "settings/settings.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace bnlab::testing_settings {

// A directory name no quoting scheme gets right by accident (it need not exist: nothing
// here loads Fashion-MNIST).
inline const std::string kHostilePath = "/tmp/it's a \"dir\"\\ $HOME `id` *?[x] ;&|<>\n# é 日本 \\";

// One non-default value per setting, in flag syntax.
inline const std::vector<std::pair<std::string, std::string>>& NonDefaultValues() {
  static const std::vector<std::pair<std::string, std::string>> values = {
      {"dataset", "moons"},
      {"data-dir", kHostilePath},
      {"standardize", "true"},
      {"steps", "1234"},
      {"batch", "17"},
      {"lr", "0.30000000000000004"},
      {"layers", "64,32,16"},
      {"activation", "tanh"},
      {"init", "xavier"},
      {"init-scale", "0.3333333333333333"},
      {"left", "layernorm"},
      {"right", "renorm"},
      {"bn-placement", "after"},
      {"bias-before-bn", "true"},
      {"ghost-group", "4"},
      {"renorm-rmax", "2.5"},
      {"renorm-dmax", "0.75"},
      {"momentum", "0.3"},
      {"eps", "5e-324"},
      {"sgd-momentum", "0.9"},
      {"weight-decay", "1e-4"},
      {"seed", "9223372036854775807"},
      {"eval-every", "250"},
      {"probe-every", "7"},
      {"probe-unit", "5"},
      {"eval-stats", "population"},
      {"synthetic-size", "500"},
      {"synthetic-noise", "0.25"},
      {"synthetic-classes", "5"},
  };
  return values;
}

// The default config with the one setting `name` changed.
inline TrainConfig WithOneChanged(const std::string& name) {
  TrainConfig config;
  for (const auto& [setting, text] : NonDefaultValues()) {
    if (setting == name) ApplyFlag(setting, text, &config);
  }
  return config;
}

inline TrainConfig WithEveryChanged() {
  TrainConfig config;
  for (const auto& [setting, text] : NonDefaultValues()) ApplyFlag(setting, text, &config);
  return config;
}

// Every setting of `actual` formatted as in `expected`.
inline void ExpectSameSettings(const TrainConfig& expected, const TrainConfig& actual, const std::string& context) {
  for (const SettingInfo& info : AllSettings()) {
    EXPECT_EQ(FormatSetting(actual, info.name), FormatSetting(expected, info.name)) << context << ": " << info.name;
  }
}

// The cases cover the whole table, and each really differs from the default.
inline void ExpectEverySettingCovered() {
  const TrainConfig defaults, changed = WithEveryChanged();
  ASSERT_EQ(NonDefaultValues().size(), AllSettings().size());
  for (const SettingInfo& info : AllSettings()) {
    EXPECT_NE(FormatSetting(changed, info.name), FormatSetting(defaults, info.name)) << info.name;
  }
}

}  // namespace bnlab::testing_settings
