// "Copy command": the line CommandLine gives, split by a real POSIX shell and read back as
// flags, is the config it came from; and bnlab runs it.
#include "settings/command_line.h"

#include "settings/settings.h"
#include "setting_cases.h"
#include "../common/subprocess.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bnlab {
namespace {

using testing_settings::ExpectSameSettings;
using testing_subprocess::Result;

// The words /bin/sh makes of `line`, each printed NUL-terminated (a word may hold a newline).
std::vector<std::string> ShellWords(const std::string& line) {
  const Result result = testing_subprocess::Run({"/bin/sh", "-c", "printf '%s\\0' " + line});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "") << line;
  std::vector<std::string> words;
  std::size_t start = 0;
  for (std::size_t end; (end = result.out.find('\0', start)) != std::string::npos; start = end + 1) {
    words.push_back(result.out.substr(start, end - start));
  }
  return words;
}

// `bnlab train --name value --name=value ...` applied to the default config, as the
// command's flags are.
TrainConfig ConfigOf(const std::vector<std::string>& words) {
  TrainConfig config;
  EXPECT_GE(words.size(), 2u);
  if (words.size() < 2) return config;
  EXPECT_EQ(words[0], "bnlab");
  EXPECT_EQ(words[1], "train");
  for (std::size_t i = 2; i < words.size(); ++i) {
    const std::string& word = words[i];
    EXPECT_EQ(word.rfind("--", 0), 0u) << "not a flag: " << word;
    const std::size_t equals = word.find('=');
    if (equals != std::string::npos) {
      ApplyFlag(word.substr(2, equals - 2), word.substr(equals + 1), &config);
    } else if (i + 1 < words.size()) {
      ApplyFlag(word.substr(2), words[i + 1], &config);
      ++i;
    } else {
      ADD_FAILURE() << word << " has no value";
    }
  }
  return config;
}

void ExpectShellRoundTrip(const TrainConfig& config, const std::string& context) {
  const std::string line = CommandLine(config);
  ExpectSameSettings(config, ConfigOf(ShellWords(line)), context + ": " + line);
}

TEST(CommandLine, DefaultsGiveTheBareCommand) { EXPECT_EQ(CommandLine(TrainConfig{}), "bnlab train"); }

TEST(CommandLine, OnlyChangedSettingsInTableOrder) {
  TrainConfig config;
  ApplyFlag("lr", "5", &config);
  ApplyFlag("batch", "4", &config);
  ApplyFlag("layers", "64,32", &config);
  ApplyFlag("standardize", "true", &config);
  EXPECT_EQ(CommandLine(config), "bnlab train --standardize true --batch 4 --lr 5 --layers 64,32");
}

TEST(CommandLine, ShellQuoteQuotesOnlyWhatAShellWouldChange) {
  EXPECT_EQ(ShellQuote("/data/fashion-mnist_v1.2"), "/data/fashion-mnist_v1.2");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(ShellQuote("~/data"), "'~/data'");
}

TEST(CommandLine, EverySettingChangedAloneSurvivesTheShell) {
  testing_settings::ExpectEverySettingCovered();
  for (const SettingInfo& info : AllSettings()) {
    const TrainConfig config = testing_settings::WithOneChanged(info.name);
    const std::string line = CommandLine(config);
    EXPECT_NE(line.find(std::string(" --") + info.name), std::string::npos) << line;
    ExpectShellRoundTrip(config, info.name);
  }
}

TEST(CommandLine, EverySettingChangedAtOnceSurvivesTheShell) {
  ExpectShellRoundTrip(testing_settings::WithEveryChanged(), "every setting");
}

TEST(CommandLine, AValueStartingWithADashIsAttachedToItsFlag) {
  TrainConfig config;
  ApplyFlag("data-dir", "-data dir", &config);
  const std::string line = CommandLine(config);
  EXPECT_EQ(line, "bnlab train --data-dir='-data dir'");
  ExpectShellRoundTrip(config, "leading dash");
}

TEST(CommandLine, BnlabRunsTheCopiedCommand) {
  TrainConfig config;
  for (const char* flag : {"dataset=spiral", "layers=16,16", "lr=0.3", "batch=8", "init-scale=0.5",
                           "synthetic-size=300", "eval-every=2", "probe-every=3", "seed=12345"}) {
    const std::string pair = flag;
    ApplyFlag(pair.substr(0, pair.find('=')), pair.substr(pair.find('=') + 1), &config);
  }
  // Not read for a synthetic set, but the quoting of a path must survive the real parser too.
  config.data.dir = "/tmp/it's a \"dir\"";
  const std::string line = CommandLine(config);
  ASSERT_EQ(line.rfind("bnlab train ", 0), 0u);
  const std::string command = ShellQuote(BNLAB_EXE) + line.substr(std::string("bnlab").size()) + " --steps 5 --quiet";
  const Result result = testing_subprocess::Run({"/bin/sh", "-c", command});
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  EXPECT_NE(result.out.find("5 steps"), std::string::npos) << result.out;
}

// Copy link (the page): the settings that differ from a scene's, as a URL query the page reads
// back as flags.
TEST(CommandLine, ChangedSettingsAreThoseThatDifferFromTheStart) {
  TrainConfig from, to;
  ApplyFlag("lr", "0.5", &from);
  ApplyFlag("lr", "0.5", &to);
  ApplyFlag("batch", "8", &to);
  ApplyFlag("data-dir", "/tmp/a b&c+d", &to);
  const auto changed = ChangedSettings(from, to);
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].first, "data-dir");  // in table order
  EXPECT_EQ(changed[1], (std::pair<std::string, std::string>("batch", "8")));
  EXPECT_TRUE(ChangedSettings(to, to).empty());
  EXPECT_EQ(UrlQuery(changed), "?data-dir=%2Ftmp%2Fa%20b%26c%2Bd&batch=8");
  EXPECT_EQ(UrlQuery({}), "");
}

}  // namespace
}  // namespace bnlab
