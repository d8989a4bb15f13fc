// The one place that maps setting names to TrainConfig fields. The same names are the
// command-line flags (`--batch 60`) and the keys of scene files (`batch = 60`), so a scene
// is nothing but a saved set of flags with a title and a description for the GUI.
#pragma once

#include "settings/lesson.h"
#include "engine/config.h"
#include "engine/memory_estimate.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace bnlab {

// A value the user gave (flag or scene key) that cannot be used. The message names the
// flag or the file and key, the bad value, and what would have been accepted, e.g.
//   --batch: -5 is out of range (expected an integer in [1, 65536])
//   scenes/x.toml: line 3: key 'batch': expected an integer, got a string
class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One user-settable value: its name (flag without "--", scene key) and one line of help.
struct SettingInfo {
  const char* name;
  const char* help;
};

// Every setting, in the order the help text lists them.
const std::vector<SettingInfo>& AllSettings();
bool IsSetting(const std::string& name);

// Parses `text` for the setting `name` (as typed after --name) into `config`. Throws
// SettingsError "--name: ..." on an unknown name, a malformed or an out-of-range value.
void ApplyFlag(const std::string& name, const std::string& text, TrainConfig* config);

// The current value in the flag syntax ("100,100,100", "0.5", "true"): for display, and so
// that ApplyFlag(name, FormatSetting(config, name)) gives the same config back.
std::string FormatSetting(const TrainConfig& config, const std::string& name);

// bnlab::ValidateConfig, its std::invalid_argument turned into a SettingsError whose
// message starts with `context` (a flag list or a scene file). Checks what single values
// cannot, e.g. probe-unit below the smallest layer width, and then CheckMemory with this
// machine's budget (MemoryBudgetBytes).
void CheckConfig(const TrainConfig& config, const std::string& context);

// Throws SettingsError "context: ... need about 290 GB of memory (...), more than the
// 11.7 GB ..." when EstimateMemory for `data` is above `budget` bytes. CheckConfig passes
// the data config.data names (ExpectedDataShape); once the data is loaded, its real shape.
void CheckMemory(const TrainConfig& config, const DataShape& data, std::uint64_t budget, const std::string& context);

// A preset that sets up one demonstration: assets/scenes/NAME.toml.
struct Scene {
  std::string name;               // the file stem: "high-lr" for assets/scenes/high-lr.toml
  std::string path;               // the file it was read from
  std::string title;              // shown by the GUI; may be empty
  std::string description;        // two or three sentences a lecturer can read aloud
  Lesson lesson;                  // order, view, speed, caption, verdict, pauses (lesson.h)
  bool changed_by_flags = false;  // flags on the command line changed its settings (SettingFlags)
  TrainConfig config;             // defaults, overridden by the file's keys; validated
};

// The directory holding the bundled scenes: the source tree's assets/scenes for a binary in
// its build folder, else the installed share/bnlab/scenes (build_info.h).
std::string ScenesDir();

// Names (file stems) of the bundled scenes, sorted.
std::vector<std::string> ListScenes();

// A bundled scene as the GUI lists it: in lecture order (`order`, then the unordered ones by
// name), with its title. A file that does not load is listed by name with its error, so
// choosing it shows why.
struct SceneEntry {
  std::string name;
  std::string title;
  int order = 0;
  std::string error;
};
std::vector<SceneEntry> ListLessons();

// "high-lr" -> ScenesDir()/high-lr.toml when that exists; otherwise `name_or_path` is taken
// as a path. Throws SettingsError when neither is a readable file (listing the scenes).
std::string ResolveScenePath(const std::string& name_or_path);

// Reads, parses, applies and validates a scene file onto the default TrainConfig. Throws
// SettingsError naming the file (and the line) on any problem, unknown keys included.
Scene LoadScene(const std::string& name_or_path);

// The parsing half of LoadScene: `source` names the text in messages (usually its path).
Scene ParseScene(const std::string& toml_text, const std::string& source);

}  // namespace bnlab
