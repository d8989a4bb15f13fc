#include "settings/setting_flags.h"

#include "settings/setting_table.h"

namespace bnlab {

SettingFlags::SettingFlags(CLI::App* app) {
  scene_option_ = app->add_option("--scene", scene_, "start from a scene: assets/scenes/NAME.toml or a TOML file")
                      ->type_name("NAME|FILE");
  const std::vector<settings::SettingSpec>& table = settings::Table();
  // Sized once: CLI11 keeps pointers into values_.
  values_.resize(table.size());
  const TrainConfig defaults;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const settings::SettingSpec& spec = table[i];
    const std::string default_text = settings::FormatValue(spec, spec.get(defaults));
    const std::string help = std::string(spec.help) + " (default " + default_text + ")";
    CLI::Option* option = app->add_option(std::string("--") + spec.name, values_[i], help);
    if (spec.type == settings::SettingType::kBool) {
      // `--standardize` alone means true; `--standardize false` and `--standardize=no` work too.
      option->expected(0, 1)->default_str("true")->type_name("[BOOL]");
    } else if (spec.type == settings::SettingType::kInteger) {
      option->type_name("INT");
    } else if (spec.type == settings::SettingType::kReal) {
      option->type_name("X");
    } else if (spec.type == settings::SettingType::kChoice) {
      std::string choices;
      for (const std::string& choice : spec.choices) choices += (choices.empty() ? "" : "|") + choice;
      option->type_name(choices);
    } else if (spec.type == settings::SettingType::kLayers) {
      option->type_name("W1,W2,..");
    } else {
      option->type_name("DIR");
    }
    options_.push_back(option);
  }
}

Scene SettingFlags::Resolve() {
  Scene scene;
  std::string context = "settings";
  const std::string& scene_name = scene_option_->count() > 0 ? scene_ : default_scene_;
  if (scene_option_->count() > 0 || !default_scene_.empty()) {
    scene = LoadScene(scene_name);
    context = "settings (scene " + scene.path + " with the flags given)";
  }
  TrainConfig& config = scene.config;
  const TrainConfig file_config = config;
  const std::vector<settings::SettingSpec>& table = settings::Table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (options_[i]->count() == 0) continue;
    ApplyFlag(table[i].name, values_[i], &config);
  }
  CheckConfig(config, context);
  // The run is then no longer the one the scene's caption and pause notes describe.
  for (const settings::SettingSpec& spec : table) {
    if (FormatSetting(config, spec.name) != FormatSetting(file_config, spec.name)) scene.changed_by_flags = true;
  }
  return scene;
}

}  // namespace bnlab
