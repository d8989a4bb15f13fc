// Binds every setting (settings.h) and --scene to a CLI11 app, for the headless commands.
#pragma once

#include "cli/settings.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace bnlab {

class SettingFlags {
 public:
  // Adds --scene and one --NAME option per setting to `app`. Values are kept as text and
  // parsed by ApplyFlag, so a flag and a scene key report errors the same way.
  explicit SettingFlags(CLI::App* app);
  SettingFlags(const SettingFlags&) = delete;
  SettingFlags& operator=(const SettingFlags&) = delete;

  // After app.parse(): the default config, then the scene (if --scene was given), then every
  // flag given on the command line, whatever their order, then ValidateConfig.
  // Throws SettingsError.
  TrainConfig Resolve();

  // The loaded scene's path, or "" without --scene (valid after Resolve).
  const std::string& scene_path() const { return scene_path_; }

 private:
  std::string scene_;
  CLI::Option* scene_option_ = nullptr;
  std::string scene_path_;
  std::vector<std::string> values_;      // one per setting, in AllSettings() order
  std::vector<CLI::Option*> options_;    // parallel to values_
};

}  // namespace bnlab
