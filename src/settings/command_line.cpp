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

std::vector<std::pair<std::string, std::string>> ChangedSettings(const TrainConfig& from, const TrainConfig& to) {
  std::vector<std::pair<std::string, std::string>> changed;
  for (const SettingInfo& info : AllSettings()) {
    std::string value = FormatSetting(to, info.name);
    if (value != FormatSetting(from, info.name)) changed.emplace_back(info.name, std::move(value));
  }
  return changed;
}

std::string CommandLine(const TrainConfig& config) {
  std::string line = "bnlab train";
  for (const auto& [name, value] : ChangedSettings(TrainConfig(), config)) {
    // "--data-dir -x" would read as two options; "--data-dir=-x" is one.
    const char* separator = !value.empty() && value[0] == '-' ? "=" : " ";
    line += " --" + name + separator + ShellQuote(value);
  }
  return line;
}

std::string UrlQuery(const std::vector<std::pair<std::string, std::string>>& pairs) {
  static const char* const kHex = "0123456789ABCDEF";
  auto encode = [](const std::string& text) {
    std::string out;
    for (const char c : text) {
      const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         std::string("-_.~,").find(c) != std::string::npos;
      if (plain) {
        out += c;
      } else {
        const auto byte = static_cast<unsigned char>(c);
        out += '%';
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
      }
    }
    return out;
  };
  std::string query;
  for (const auto& [name, value] : pairs) query += (query.empty() ? "?" : "&") + encode(name) + "=" + encode(value);
  return query;
}

}  // namespace bnlab
