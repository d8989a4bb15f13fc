// Scene files: TOML with flat keys named like the flags, plus `title` and `description`.
// Every key goes through the same table as the flags (setting_table.h); anything the table
// does not know is an error, so a typo in a scene never falls back to a default.
#include "settings/scene_limits.h"
#include "settings/setting_table.h"
#include "settings/settings.h"
#include "settings/views.h"
#include "build_info.h"
#include "engine/platform.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace bnlab {
namespace {

namespace fs = std::filesystem;
using settings::SettingSpec;
using settings::SettingType;
using settings::SettingValue;

// True when `path` is `dir` or inside it (both absolute and normalized).
bool IsWithin(const fs::path& path, const fs::path& dir) {
  const auto mismatch = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return mismatch.first == dir.end();
}

// Where bundled scenes may live, first found first: a binary run from its build folder reads the
// source tree's (so an edited scene needs no install); an installed one reads
// <prefix>/share/bnlab/scenes beside it (a moved prefix too), then the configured prefix's.
// Where the program cannot find its own file (WebAssembly): the source tree's, which are there
// when a test runs under Node on the machine that built it, then the configured prefix's.
std::vector<fs::path> SceneDirs() {
  if (!kProgramFileKnown) return {kSourceScenesDir, kInstalledScenesDir};
  std::vector<fs::path> dirs;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error && IsWithin(exe.lexically_normal(), fs::path(kBuildDir).lexically_normal())) {
    dirs.push_back(kSourceScenesDir);
  }
  if (!error) dirs.push_back(exe.parent_path().parent_path() / "share" / "bnlab" / "scenes");
  dirs.push_back(kInstalledScenesDir);
  return dirs;
}

bool IsFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string WrongType(const SettingSpec& spec, const toml::node& node) {
  return "expected " + settings::Expected(spec) + ", got " + TypeName(node);
}

// TOML value -> SettingValue; "" or the problem. Types must match: a number never stands in
// for a string or the other way round, but an integer is a fine real (`lr = 1`).
std::string FromToml(const SettingSpec& spec, const toml::node& node, SettingValue* value) {
  switch (spec.type) {
    case SettingType::kInteger:
      if (!node.is_integer()) return WrongType(spec, node);
      value->integer = node.as_integer()->get();
      return "";
    case SettingType::kReal:
      if (node.is_integer()) value->real = static_cast<double>(node.as_integer()->get());
      else if (node.is_floating_point()) value->real = node.as_floating_point()->get();
      else return WrongType(spec, node);
      return "";
    case SettingType::kBool:
      if (!node.is_boolean()) return WrongType(spec, node);
      value->boolean = node.as_boolean()->get();
      return "";
    case SettingType::kChoice:
    case SettingType::kText:
      if (!node.is_string()) return WrongType(spec, node);
      value->text = node.as_string()->get();
      return "";
    case SettingType::kLayers:
      // The flag syntax is accepted too, so a value can be pasted from a command line.
      if (node.is_string()) return settings::ParseText(spec, node.as_string()->get(), value);
      if (!node.is_array()) return WrongType(spec, node);
      value->layers.clear();
      for (const toml::node& item : *node.as_array()) {
        if (!item.is_integer()) return "every width must be an integer, got " + TypeName(item);
        const long long width = item.as_integer()->get();
        if (!limits::kWidth.Contains(width)) {
          return "width " + std::to_string(width) + " is out of range (expected " + settings::Expected(spec) + ")";
        }
        value->layers.push_back(static_cast<int>(width));
      }
      return "";
  }
  return "";
}

// Levenshtein distance, for "did you mean" on a misspelt key.
std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string UnknownKeyHint(const std::string& key) {
  std::vector<std::string> keys = {"title",   "description", "order",  "view",   "speed",
                                   "caption", "verdict",     "pauses", "present"};
  for (const SettingInfo& info : AllSettings()) keys.emplace_back(info.name);
  // Two edits catch a swapped pair of letters; on short keys that would match almost anything.
  const std::size_t max_edits = key.size() >= 5 ? 2 : 1;
  for (const std::string& known : keys) {
    if (EditDistance(key, known) <= max_edits) return " (did you mean '" + known + "'?)";
  }
  std::string list;
  for (const std::string& known : keys) list += (list.empty() ? "" : ", ") + known;
  return " (known keys: " + list + ")";
}

std::string LinePrefix(const std::string& source, const toml::source_region& region) {
  return source + ": line " + std::to_string(region.begin.line) + ": ";
}

// `size` as found: "81921 bytes", or "more than 65536 bytes" for a stream without a size.
std::string TooLarge(const std::string& source, const std::string& size) {
  return source + ": " + size + " is too large for a scene file (at most " + std::to_string(kMaxSceneBytes) +
         " bytes; a scene is a few flat keys)";
}

std::string ReadText(const std::string& node_name, const toml::node& node, const std::string& where) {
  if (!node.is_string()) {
    throw SettingsError(where + "key '" + node_name + "': expected a string, got " + TypeName(node));
  }
  return std::string(node.as_string()->get());
}

double ReadNumber(const std::string& key, const toml::node& node, const std::string& where) {
  if (node.is_integer()) return static_cast<double>(node.as_integer()->get());
  if (node.is_floating_point()) return node.as_floating_point()->get();
  throw SettingsError(where + "key '" + key + "': expected a number, got " + TypeName(node));
}

// checks = { right = [76, 77], lead = [50, 70] }: whole numbers, low <= high (lesson.h).
std::vector<CaptionCheck> ReadChecks(const toml::node& node, const std::string& where) {
  const std::string expected = "expected a table of FIGURE = [LOW, HIGH]";
  if (!node.is_table()) throw SettingsError(where + "key 'pauses.checks': " + expected + ", got " + TypeName(node));
  std::vector<CaptionCheck> checks;
  for (const auto& [toml_key, value] : *node.as_table()) {
    CaptionCheck check;
    check.figure = std::string(toml_key.str());
    if (!IsCaptionFigure(check.figure)) {
      throw SettingsError(where + "key 'pauses.checks': unknown figure '" + check.figure +
                          "' (known: " + CaptionFigureList() + ")");
    }
    const toml::array* range = value.as_array();
    const auto whole = [](const toml::node& n) {
      return n.is_integer() && n.as_integer()->get() >= -kMaxCheckValue && n.as_integer()->get() <= kMaxCheckValue;
    };
    if (range == nullptr || range->size() != 2 || !whole((*range)[0]) || !whole((*range)[1]) ||
        (*range)[0].as_integer()->get() > (*range)[1].as_integer()->get()) {
      throw SettingsError(where + "key 'pauses.checks': " + check.figure +
                          " must be [LOW, HIGH], whole numbers in [-100, 100] with LOW <= HIGH");
    }
    check.low = static_cast<long>((*range)[0].as_integer()->get());
    check.high = static_cast<long>((*range)[1].as_integer()->get());
    checks.push_back(std::move(check));
  }
  return checks;
}

// pauses = [ { step = 300, caption = "...", checks = { ... } }, ... ]
std::vector<PausePoint> ReadPauses(const toml::node& node, const std::string& where) {
  const std::string expected = "expected an array of { step = N, caption = \"...\" }";
  if (!node.is_array()) throw SettingsError(where + "key 'pauses': " + expected + ", got " + TypeName(node));
  std::vector<PausePoint> pauses;
  for (const toml::node& item : *node.as_array()) {
    const toml::table* entry = item.as_table();
    if (entry == nullptr) throw SettingsError(where + "key 'pauses': " + expected + ", got " + TypeName(item));
    PausePoint pause;
    bool has_step = false;
    for (const auto& [toml_key, value] : *entry) {
      const std::string key(toml_key.str());
      if (key == "step") {
        if (!value.is_integer() || value.as_integer()->get() < 1 || value.as_integer()->get() > 100000000) {
          throw SettingsError(where + "key 'pauses': step must be an integer in [1, 100000000]");
        }
        pause.step = static_cast<long>(value.as_integer()->get());
        has_step = true;
      } else if (key == "caption") {
        pause.caption = ReadText("pauses.caption", value, where);
      } else if (key == "checks") {
        pause.checks = ReadChecks(value, where);
      } else {
        throw SettingsError(where + "key 'pauses': unknown key '" + key +
                            "' (a pause has a step, a caption and the checks of its figures)");
      }
    }
    if (!has_step) throw SettingsError(where + "key 'pauses': a pause needs a step");
    pauses.push_back(std::move(pause));
  }
  if (pauses.size() > kMaxPauses) {
    throw SettingsError(where + "key 'pauses': at most " + std::to_string(kMaxPauses) + " pauses");
  }
  std::sort(pauses.begin(), pauses.end(), [](const PausePoint& a, const PausePoint& b) { return a.step < b.step; });
  return pauses;
}

// The lesson keys (lesson.h); false for any other key.
bool ReadLessonKey(const std::string& key, const toml::node& node, const std::string& where, Lesson* lesson) {
  if (key == "order") {
    if (!node.is_integer() || node.as_integer()->get() < 1 || node.as_integer()->get() > kMaxLessonOrder) {
      throw SettingsError(where + "key 'order': expected an integer in [1, " + std::to_string(kMaxLessonOrder) + "]");
    }
    lesson->order = static_cast<int>(node.as_integer()->get());
  } else if (key == "view") {
    lesson->view = ReadText(key, node, where);
    View view;
    if (!ParseView(lesson->view, &view)) {
      throw SettingsError(where + "key 'view': unknown view '" + lesson->view + "' (expected one of " + ViewNameList() +
                          ")");
    }
  } else if (key == "speed") {
    const double speed = ReadNumber(key, node, where);
    if (!(speed >= 0.0 && speed <= kMaxSceneSpeed)) {
      throw SettingsError(where + "key 'speed': expected steps per second in [0, " +
                          std::to_string(static_cast<int>(kMaxSceneSpeed)) + "] (0 = as fast as possible)");
    }
    lesson->speed = speed;
    lesson->has_speed = true;
  } else if (key == "caption") {
    lesson->caption = ReadText(key, node, where);
  } else if (key == "verdict") {
    const std::string name = ReadText(key, node, where);
    if (!ParseVerdict(name, &lesson->verdict)) {
      throw SettingsError(where + "key 'verdict': unknown verdict '" + name + "' (expected one of " +
                          VerdictNameList() + ")");
    }
  } else if (key == "pauses") {
    lesson->pauses = ReadPauses(node, where);
  } else if (key == "present") {
    if (!node.is_boolean()) throw SettingsError(where + "key 'present': expected true or false");
    lesson->present = node.as_boolean()->get();
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string ScenesDir() {
  const std::vector<fs::path> dirs = SceneDirs();
  for (const fs::path& dir : dirs) {
    std::error_code error;
    if (fs::is_directory(dir, error)) return dir.string();
  }
  return dirs.front().string();
}

std::vector<std::string> ListScenes() {
  std::vector<std::string> names;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(ScenesDir(), error)) {
    if (entry.path().extension() == ".toml" && IsFile(entry.path())) names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<SceneEntry> ListLessons() {
  std::vector<SceneEntry> entries;
  for (const std::string& name : ListScenes()) {
    SceneEntry entry;
    entry.name = name;
    try {
      const Scene scene = LoadScene(name);
      entry.title = scene.title;
      entry.order = scene.lesson.order;
    } catch (const SettingsError& e) {
      entry.error = e.what();
    }
    entries.push_back(std::move(entry));
  }
  // Ordered lessons first, by order; then the rest by name (ListScenes is sorted).
  std::stable_sort(entries.begin(), entries.end(), [](const SceneEntry& a, const SceneEntry& b) {
    const int ka = a.order > 0 ? a.order : kMaxLessonOrder + 1;
    const int kb = b.order > 0 ? b.order : kMaxLessonOrder + 1;
    return ka < kb;
  });
  return entries;
}

std::string ResolveScenePath(const std::string& name_or_path) {
  if (name_or_path.empty()) throw SettingsError("--scene: the scene name is empty");
  const fs::path bundled = fs::path(ScenesDir()) / (name_or_path + ".toml");
  const bool is_name = name_or_path.find('/') == std::string::npos;
  if (is_name && IsFile(bundled)) return bundled.string();
  if (IsFile(name_or_path)) return name_or_path;
  // A path that is there but cannot be followed (a symlink loop, no permission) says so
  // rather than "not found".
  std::error_code status_error;
  if (!fs::exists(name_or_path, status_error) && status_error) {
    throw SettingsError("--scene: " + name_or_path + ": " + status_error.message());
  }
  std::string available;
  for (const std::string& name : ListScenes()) available += (available.empty() ? "" : ", ") + name;
  throw SettingsError("scene '" + name_or_path + "' not found: neither " + bundled.string() + " nor the path '" +
                      name_or_path + "' is a file (bundled scenes: " + (available.empty() ? "none" : available) + ")");
}

Scene ParseScene(const std::string& toml_text, const std::string& source) {
  // Checked before toml++ sees the text: its parser recurses once per level (scene_limits.h).
  if (toml_text.size() > kMaxSceneBytes) {
    throw SettingsError(TooLarge(source, std::to_string(toml_text.size()) + " bytes"));
  }
  const TomlNesting nesting = MeasureTomlNesting(toml_text);
  if (nesting.depth > kMaxSceneDepth) {
    throw SettingsError(source + ": line " + std::to_string(nesting.line) + ": keys or tables nested more than " +
                        std::to_string(kMaxSceneDepth) + " levels deep (scene keys are flat, e.g. batch = 60)");
  }
  toml::table table;
  try {
    table = toml::parse(toml_text, source);
  } catch (const toml::parse_error& error) {
    const toml::source_position& at = error.source().begin;
    throw SettingsError(source + ": line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + ": " +
                        std::string(error.description()));
  }
  Scene scene;
  scene.path = source;
  scene.name = fs::path(source).stem().string();
  for (const auto& [toml_key, node] : table) {
    const std::string key(toml_key.str());
    const std::string where = LinePrefix(source, toml_key.source());
    if (key == "title") {
      scene.title = ReadText(key, node, where);
      continue;
    }
    if (key == "description") {
      scene.description = ReadText(key, node, where);
      continue;
    }
    if (ReadLessonKey(key, node, where, &scene.lesson)) continue;
    if (node.is_table()) {
      throw SettingsError(where + "unknown table [" + key + "] (scene keys are flat, e.g. batch = 60)");
    }
    const SettingSpec* spec = settings::Find(key);
    if (spec == nullptr) throw SettingsError(where + "unknown key '" + key + "'" + UnknownKeyHint(key));
    SettingValue value;
    std::string problem = FromToml(*spec, node, &value);
    if (problem.empty()) problem = settings::CheckValue(*spec, value);
    if (!problem.empty()) throw SettingsError(where + "key '" + key + "': " + problem);
    spec->set(&scene.config, value);
  }
  CheckConfig(scene.config, source);
  return scene;
}

Scene LoadScene(const std::string& name_or_path) {
  const std::string path = ResolveScenePath(name_or_path);
  std::ifstream file(path, std::ios::binary);
  if (!file.is_open()) throw SettingsError(path + ": cannot open the scene file");
  // One byte more than allowed is enough to know the file is too large (a FIFO or a
  // device has no size to ask for first).
  std::string text(kMaxSceneBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (file.bad()) throw SettingsError(path + ": cannot read the scene file");
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxSceneBytes) {
    std::error_code error;
    const std::uintmax_t size = fs::file_size(path, error);
    throw SettingsError(TooLarge(
        path, error ? "more than " + std::to_string(kMaxSceneBytes) + " bytes" : std::to_string(size) + " bytes"));
  }
  return ParseScene(text, path);
}

}  // namespace bnlab
