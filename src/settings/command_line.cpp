#include "settings/command_line.h"

#include "settings/settings.h"

namespace bnlab {
namespace {

// Characters no POSIX shell splits on, expands or globs, wherever they stand in a word.
bool IsShellSafe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string("_@%+=:,./-").find(c) != std::string::npos;
}

}  // namespace

std::string ShellQuote(const std::string& text) {
  bool safe = !text.empty();
  for (const char c : text) safe = safe && IsShellSafe(c);
  if (safe) return text;
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string CommandLine(const TrainConfig& config) {
  const TrainConfig defaults;
  std::string line = "bnlab train";
  for (const SettingInfo& info : AllSettings()) {
    const std::string value = FormatSetting(config, info.name);
    if (value == FormatSetting(defaults, info.name)) continue;
    // "--data-dir -x" would read as two options; "--data-dir=-x" is one.
    const char* separator = !value.empty() && value[0] == '-' ? "=" : " ";
    line += std::string(" --") + info.name + separator + ShellQuote(value);
  }
  return line;
}

}  // namespace bnlab
