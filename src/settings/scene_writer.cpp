#include "settings/scene_writer.h"

#include "settings/atomic_file.h"
#include "settings/scene_limits.h"
#include "settings/setting_table.h"

#include <cstdio>
#include <cstring>

namespace bnlab {
namespace {

using settings::SettingSpec;
using settings::SettingType;

// Description lines are wrapped near this column, as the bundled scenes are.
constexpr std::size_t kWrapColumn = 90;

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not a valid one
// (overlong forms, surrogates and code points above U+10FFFF are not).
std::size_t Utf8Length(const std::string& text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned code = 0, min_code = 0;
  if ((lead & 0xE0) == 0xC0) length = 2, code = lead & 0x1F, min_code = 0x80;
  else if ((lead & 0xF0) == 0xE0) length = 3, code = lead & 0x0F, min_code = 0x800;
  else if ((lead & 0xF8) == 0xF0) length = 4, code = lead & 0x07, min_code = 0x10000;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

void CheckUtf8(const std::string& key, const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = Utf8Length(text, i);
    if (length == 0) {
      throw SettingsError("cannot save '" + key + "' in a scene file: byte " + std::to_string(i) +
                          " of its text is not UTF-8 (a TOML file is UTF-8 text)");
    }
    i += length;
  }
}

// One character in a TOML basic string. Newlines are the caller's: escaped in a one-line
// string, kept in a multi-line one. TOML allows no raw control character but the tab.
void AppendEscaped(char c, std::string* out) {
  switch (c) {
    case '"': *out += "\\\""; return;
    case '\\': *out += "\\\\"; return;
    case '\n': *out += "\\n"; return;
    case '\t': *out += "\\t"; return;
    case '\r': *out += "\\r"; return;
    case '\b': *out += "\\b"; return;
    case '\f': *out += "\\f"; return;
    default: break;
  }
  const unsigned char byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7F) {
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(byte));
    *out += escape;
  } else {
    *out += c;  // UTF-8 bytes as they are
  }
}

std::string BasicString(const std::string& key, const std::string& text) {
  CheckUtf8(key, text);
  std::string out = "\"";
  for (const char c : text) AppendEscaped(c, &out);
  return out + "\"";
}

// """ on a line of its own, then the text with its own newlines, long lines broken with a
// line-ending backslash. TOML drops the newline right after the opening quotes, and a
// line-ending backslash together with the whitespace after it, so a break goes only
// before a character that is not whitespace: then the break is all that is dropped.
std::string MultilineString(const std::string& key, const std::string& text) {
  CheckUtf8(key, text);
  std::string out = "\"\"\"\n";
  std::size_t column = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      out += '\n';
      column = 0;
      continue;
    }
    const std::size_t before = out.size();
    AppendEscaped(c, &out);
    column += out.size() - before;
    const bool next_starts_a_word = i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) > ' ';
    if (c == ' ' && column >= kWrapColumn && next_starts_a_word) {
      out += "\\\n";
      column = 0;
    }
  }
  return out + "\"\"\"";
}

// A real as a TOML float: the shortest text that reads back as the same double, with ".0"
// added when that text would read as an integer ("5" -> "5.0", and "-0" keeps its sign).
std::string TomlFloat(const std::string& shortest) {
  if (shortest.find_first_of(".eEn") != std::string::npos) return shortest;  // n: inf, nan
  return shortest + ".0";
}

std::string TomlValue(const SettingSpec& spec, const TrainConfig& config) {
  const std::string text = FormatSetting(config, spec.name);
  switch (spec.type) {
    case SettingType::kInteger:
    case SettingType::kBool: return text;
    case SettingType::kReal: return TomlFloat(text);
    case SettingType::kChoice:
    case SettingType::kText: return BasicString(spec.name, text);
    case SettingType::kLayers: {
      std::string array = "[";
      for (const char c : text) array += c == ',' ? std::string(", ") : std::string(1, c);
      return array + "]";
    }
  }
  return text;
}

void AppendLesson(const Lesson& lesson, std::string* out) {
  if (lesson.order > 0) *out += "order = " + std::to_string(lesson.order) + "\n";
  if (!lesson.view.empty()) *out += "view = " + BasicString("view", lesson.view) + "\n";
  if (lesson.has_speed) *out += "speed = " + TomlFloat(ShortestText(lesson.speed)) + "\n";
  if (!lesson.caption.empty()) *out += "caption = " + BasicString("caption", lesson.caption) + "\n";
  if (lesson.verdict != Verdict::kNone) *out += "verdict = \"" + std::string(VerdictName(lesson.verdict)) + "\"\n";
  if (lesson.present) *out += "present = true\n";
  if (lesson.pauses.empty()) return;
  *out += "pauses = [\n";
  for (const PausePoint& pause : lesson.pauses) {
    *out += "  { step = " + std::to_string(pause.step) + ", caption = " + BasicString("pauses.caption", pause.caption);
    if (!pause.checks.empty()) {
      std::string checks;
      for (const CaptionCheck& check : pause.checks) {
        checks += (checks.empty() ? "" : ", ") + check.figure + " = [" + std::to_string(check.low) + ", " +
                  std::to_string(check.high) + "]";
      }
      *out += ", checks = { " + checks + " }";
    }
    *out += " },\n";
  }
  *out += "]\n";
}

}  // namespace

std::string WriteScene(const Scene& scene) {
  std::string out =
      "# Written by bnlab's \"Save as scene\". Load it with\n"
      "#   bnlab --scene FILE          (the GUI)\n"
      "#   bnlab train --scene FILE    (headless)\n"
      "# Every setting is listed; a flag given with --scene overrides its key.\n\n";
  out += "title = " + BasicString("title", scene.title) + "\n";
  out += "description = " + MultilineString("description", scene.description) + "\n";
  AppendLesson(scene.lesson, &out);
  out += "\n";
  for (const SettingSpec& spec : settings::Table()) {
    out += spec.name;
    out += " = " + TomlValue(spec, scene.config) + "\n";
  }
  return out;
}

void SaveSceneFile(const Scene& scene, const std::string& path) {
  const std::string text = WriteScene(scene);
  if (text.size() > kMaxSceneBytes) {
    throw SettingsError("cannot save the scene as " + path + ": it would be " + std::to_string(text.size()) +
                        " bytes, more than a scene file may be (" + std::to_string(kMaxSceneBytes) +
                        "); shorten the description or the captions");
  }
  // Saving over a scene keeps the old one whole until the new one is: a full disk or a crash
  // in the middle never leaves a truncated scene.
  try {
    WriteFileAtomically(path, text);
  } catch (const FileWriteError& error) {
    throw SettingsError(std::string("cannot save the scene: ") + error.what());
  }
}

}  // namespace bnlab
