// The GUI's command line (src/main/main.cpp) keeps the contract: a flag missing its value is
// named as typed, bad values are exit 2 with a message, and a recorded run (--frames) whose
// data or batch is unusable says so on stderr instead of exiting 0. Skipped in a build
// without the GUI, where `bnlab` is the headless binary.
#include "../common/subprocess.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using bnlab::testing_subprocess::Lines;
using bnlab::testing_subprocess::Result;
using bnlab::testing_subprocess::Run;
using bnlab::testing_subprocess::RunBnlab;
using bnlab::testing_subprocess::TempPath;

bool GuiBuilt() {
  static const bool built = RunBnlab({"--help"}).out.find("built without the GUI") == std::string::npos;
  return built;
}

bool HaveXvfb() { return std::system("command -v Xvfb >/dev/null 2>&1") == 0; }

// Exit 2, nothing on stdout, one line on stderr containing every needle.
void ExpectGuiUsageError(const std::vector<std::string>& args, const std::vector<std::string>& needles) {
  const Result result = RunBnlab(args);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.out, "");
  const std::vector<std::string> lines = Lines(result.err);
  ASSERT_EQ(lines.size(), 1u) << result.err;
  EXPECT_EQ(lines[0].rfind("bnlab: ", 0), 0u) << lines[0];
  for (const std::string& needle : needles) EXPECT_NE(lines[0].find(needle), std::string::npos) << lines[0];
}

#define REQUIRE_GUI() \
  if (!GuiBuilt()) GTEST_SKIP() << "built without the GUI"

TEST(GuiArgs, AFlagMissingItsValueIsNamedAsTyped) {
  REQUIRE_GUI();
  // The GUI used to append "--scene default" to its own arguments, so these named it.
  for (const char* flag : {"--batch", "--frames", "--lr", "--ui-scale"}) {
    SCOPED_TRACE(flag);
    const Result result = RunBnlab({flag});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find(flag), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("default"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("--scene"), std::string::npos) << result.err;
  }
}

TEST(GuiArgs, NonFiniteUiScaleIsRefused) {
  REQUIRE_GUI();
  ExpectGuiUsageError({"--ui-scale", "nan"}, {"--ui-scale", "nan is not a finite number"});
  ExpectGuiUsageError({"--ui-scale", "inf"}, {"--ui-scale"});
  ExpectGuiUsageError({"--ui-scale", "9"}, {"--ui-scale"});
  ExpectGuiUsageError({"--threads", "3"}, {"--threads"});
}

// --speed (the page's ?speed=): steps per second in the range a scene file's speed takes.
TEST(GuiArgs, ASpeedOutOfRangeIsRefused) {
  REQUIRE_GUI();
  ExpectGuiUsageError({"--speed", "nan"}, {"--speed", "nan is not a finite number"});
  ExpectGuiUsageError({"--speed", "-1"}, {"--speed"});
  ExpectGuiUsageError({"--speed", "2001"}, {"--speed"});
  ExpectGuiUsageError({"--speed", "fast"}, {"--speed"});
}

TEST(GuiArgs, EmptyViewAndScreenshotAreRefused) {
  REQUIRE_GUI();
  ExpectGuiUsageError({"--view", ""}, {"--view", "unknown view ''"});
  ExpectGuiUsageError({"--screenshot", "", "--frames", "1"}, {"--screenshot: the file name is empty"});
}

TEST(GuiArgs, BadSettingsAndScenesAreRefusedBeforeAnyWindow) {
  REQUIRE_GUI();
  ExpectGuiUsageError({"--batch", "0"}, {"--batch: 0 is out of range"});
  ExpectGuiUsageError({"--scene", "nosuch"}, {"nosuch"});
  ExpectGuiUsageError({"--layers", "2147483648"}, {"--layers: width 2147483648 is out of range"});
}

// Runs the GUI for a few frames on an X server of its own (tests/gui/on_xvfb.sh, which returns
// bnlab's exit code). BNLAB_TEST_PRELOAD, if set, is bnlab's LD_PRELOAD alone, as in
// tests/gui/smoke.sh (scripts/test: under ASan, Mesa's software driver stays loaded to the end,
// so that the blocks its globals still point to when it is unloaded at exit do not look leaked).
Result RunRecorded(std::vector<std::string> args) {
  const char* preload = std::getenv("BNLAB_TEST_PRELOAD");
  std::vector<std::string> command = {BNLAB_ON_XVFB, "1280x720x24"};
  if (preload != nullptr && *preload != '\0') {
    command.push_back("env");
    command.push_back(std::string("LD_PRELOAD=") + preload);
  }
  for (const char* arg : {BNLAB_EXE, "--frames", "3"}) command.push_back(arg);
  command.insert(command.end(), args.begin(), args.end());
  return Run(command);
}

TEST(GuiArgs, ARecordedRunWhoseTrainingCannotStartExitsTwoSayingWhy) {
  REQUIRE_GUI();
  if (!HaveXvfb()) GTEST_SKIP() << "Xvfb not found (package xvfb)";
  const Result batch = RunRecorded({"--dataset", "spiral", "--synthetic-size", "1"});
  EXPECT_EQ(batch.exit_code, 2) << batch.err;
  EXPECT_NE(batch.err.find("bnlab: batch 60 is larger than the training set of 'spiral' (1 samples)"),
            std::string::npos)
      << batch.err;

  const std::string dir = TempPath("gui-bad-data");
  std::filesystem::create_directories(dir);
  for (const char* name : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                           "t10k-labels-idx1-ubyte.gz"}) {
    std::ofstream(dir + "/" + name, std::ios::binary) << std::string(64, '\x07');
  }
  const std::string shot = TempPath("gui-bad-data.png");
  const Result data = RunRecorded({"--dataset", "fashion", "--data-dir", dir, "--screenshot", shot});
  EXPECT_EQ(data.exit_code, 2) << data.err;
  EXPECT_NE(data.err.find("bnlab: " + dir + "/train-images-idx3-ubyte.gz: wrong magic number"), std::string::npos)
      << data.err;
  std::filesystem::remove_all(dir);
  std::filesystem::remove(shot);
}

}  // namespace
