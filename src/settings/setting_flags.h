// Binds every setting (settings.h) and --scene to a CLI11 app, for the headless commands.
#pragma once

#include "settings/settings.h"

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

  // The scene Resolve starts from when --scene is not given (the GUI's "default"); none
  // unless set. Set before parsing: the command line itself is never rewritten, so a
  // message about it only ever names what the user typed.
  void set_default_scene(std::string name) { default_scene_ = std::move(name); }

  // After app.parse(): the default config, then the scene (--scene, or the default scene),
  // then every flag given on the command line, whatever their order, then CheckConfig.
  // Returns the scene with that config (name, path, title, lesson: empty without a scene).
  // Throws SettingsError.
  Scene Resolve();

 private:
  std::string scene_;
  std::string default_scene_;
  CLI::Option* scene_option_ = nullptr;
  std::vector<std::string> values_;    // one per setting, in AllSettings() order
  std::vector<CLI::Option*> options_;  // parallel to values_
};

}  // namespace bnlab
