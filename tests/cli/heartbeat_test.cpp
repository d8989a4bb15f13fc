// Heartbeat: a progress line every few seconds while the work prints none of its own (an
// evaluation of a huge net was silent for minutes), and none while it does.
#include "cli/heartbeat.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace bnlab {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> LinesOf(std::FILE* file) {
  std::rewind(file);
  std::vector<std::string> lines;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, file) != nullptr) lines.emplace_back(buffer);
  return lines;
}

TEST(Heartbeat, SaysWhatTheSilentWorkIsEveryInterval) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    Heartbeat heartbeat(out, milliseconds(100));
    heartbeat.Step(1, 1);
    heartbeat.Phase("evaluating the bn net on the test set");
    std::this_thread::sleep_for(milliseconds(600));
    heartbeat.Phase("");  // done: nothing more to say
    std::this_thread::sleep_for(milliseconds(300));
  }
  const std::vector<std::string> lines = LinesOf(out);
  EXPECT_GE(lines.size(), 2u);
  EXPECT_LE(lines.size(), 7u);
  for (const std::string& line : lines) {
    EXPECT_EQ(line.rfind("step 1/1: evaluating the bn net on the test set (", 0), 0u) << line;
    EXPECT_EQ(line.substr(line.size() - 4), " s)\n") << line;
  }
  std::fclose(out);
}

// A load says how far it is; the phase's duration runs on across the details.
TEST(Heartbeat, ALoadSaysHowManyImagesItHasRead) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    Heartbeat heartbeat(out, milliseconds(100));
    heartbeat.Phase("loading the data from DIR");
    const LoadControl control = LoadingProgress(heartbeat);
    control.progress(LoadProgress{"training", 1200000, 2700000});
    std::this_thread::sleep_for(milliseconds(250));
    heartbeat.Phase("building the networks");  // no detail of its own
    std::this_thread::sleep_for(milliseconds(250));
  }
  const std::vector<std::string> lines = LinesOf(out);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.front().rfind("loading the data from DIR: 1 200 000 of 2 700 000 training images (44%) (", 0), 0u)
      << lines.front();
  EXPECT_EQ(lines.back().rfind("building the networks (", 0), 0u) << lines.back();
  std::fclose(out);
}

TEST(Heartbeat, QuietWhileTheWorkPrintsItsOwnLines) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    Heartbeat heartbeat(out, milliseconds(1000));
    heartbeat.Phase("training");
    for (int i = 0; i < 10; ++i) {
      heartbeat.Printed();
      std::this_thread::sleep_for(milliseconds(30));
    }
  }
  EXPECT_TRUE(LinesOf(out).empty());
  std::fclose(out);
}

TEST(Heartbeat, WithoutAnOutputItSaysNothing) {
  Heartbeat heartbeat(nullptr, milliseconds(1));
  heartbeat.Phase("loading the data");
  std::this_thread::sleep_for(milliseconds(20));
}

}  // namespace
}  // namespace bnlab
